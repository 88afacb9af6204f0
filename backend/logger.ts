import { pino, type Logger } from "pino";

export type { Logger };

/**
 * Structured JSON logs on stdout. Child loggers carry the request id, the delivery
 * attempt and durations so one job can be followed through a log search.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: "issue-agent-worker" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Defence in depth: nothing we log should carry these, but if a future field does,
      // it is masked rather than shipped to a log store.
      redact: {
        paths: [
          "signingKey",
          "*.signingKey",
          "previousSigningKey",
          "*.previousSigningKey",
          "apiKey",
          "*.apiKey",
          "authorization",
          "*.authorization",
        ],
        censor: "***",
      },
    },
    destination ?? process.stdout,
  );
}
