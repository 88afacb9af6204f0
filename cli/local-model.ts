/**
 * A model for the command line: the workers behind a RabbitMQ (`--amqp-url`), or the
 * worker's own job code run in this process against a GGUF file or an Ollama server.
 * The CLI is where the Action's half and the worker's half are composed; neither
 * imports the other.
 */
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { Writable } from "node:stream";
import { WorkClient } from "../action/transport/work-client.js";
import { ConfigError, loadWorkerConfig, type WorkerConfig } from "../backend/config.js";
import { runJob } from "../backend/jobs/run-job.js";
import { createLlmBackend } from "../backend/llm/create-backend.js";
import { createLogger } from "../backend/logger.js";
import { createMetrics } from "../backend/ops/metrics.js";
import type { TerminalReply, WorkRequest } from "../protocol/index.js";

export type ModelChoice =
  | {
      kind: "broker";
      amqpUrl: string;
      signingKey?: string | undefined;
      requestQueue?: string | undefined;
    }
  | {
      kind: "local";
      /** A GGUF file run in-process, or else the Ollama server at `ollamaHost`. */
      modelFile?: string | undefined;
      ollamaHost?: string | undefined;
      model?: string | undefined;
      numCtx?: string | undefined;
      numPredict?: string | undefined;
      temperature?: string | undefined;
      /** MODEL_THINKING: whether a reasoning model thinks first (off by default). */
      thinking?: string | undefined;
    };

/**
 * What is wrong with the model options of a local run, said in the CLI's option names,
 * or undefined: checked before the repository is read, so that a typo costs no wait.
 */
export function modelOptionsProblem(choice: ModelChoice): string | undefined {
  if (choice.kind === "broker") return undefined;
  if (choice.modelFile) {
    const file = resolve(choice.modelFile);
    if (!existsSync(file) || !statSync(file).isFile())
      return `--model-file ${choice.modelFile}: no such file (a GGUF model file)`;
  }
  try {
    localWorkerConfig(choice);
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
}

/** The worker's configuration for a local run, as the CLI's options give it. */
function localWorkerConfig(choice: Extract<ModelChoice, { kind: "local" }>): WorkerConfig {
  // In-process: no broker, so nothing to sign.
  const env: Record<string, string> = { LOG_LEVEL: "silent", ALLOW_UNSIGNED: "true" };
  if (choice.modelFile)
    Object.assign(env, {
      LLM_BACKEND: "embedded",
      MODEL_FILE: resolve(choice.modelFile),
      MODEL: choice.model ?? choice.modelFile.split("/").pop() ?? "gguf",
    });
  else
    Object.assign(env, {
      LLM_BACKEND: "ollama",
      OLLAMA_HOST: choice.ollamaHost ?? "",
      // As the worker reads it: a bearer token for an Ollama behind a proxy.
      ...(process.env.OLLAMA_API_KEY ? { OLLAMA_API_KEY: process.env.OLLAMA_API_KEY } : {}),
      ...(choice.model ? { MODEL: choice.model } : {}),
    });
  if (choice.numCtx) env.NUM_CTX = choice.numCtx;
  if (choice.numPredict) env.NUM_PREDICT = choice.numPredict;
  if (choice.temperature) env.TEMPERATURE = choice.temperature;
  if (choice.thinking) env.MODEL_THINKING = choice.thinking;
  try {
    return loadWorkerConfig(env);
  } catch (error) {
    throw error instanceof ConfigError
      ? new ConfigError(
          inOptionNames(error.message).replace(
            /^Invalid worker configuration: /,
            "invalid options: ",
          ),
        )
      : error;
  }
}

/** Sends `request` to the chosen model and resolves with its one terminal reply. */
export async function askModel(
  request: WorkRequest,
  choice: ModelChoice,
  progress: (message: string) => void,
): Promise<TerminalReply> {
  if (choice.kind === "broker") {
    const client = await WorkClient.connect({
      amqpUrl: choice.amqpUrl,
      signingKey: choice.signingKey,
      requestQueue: choice.requestQueue,
      log: progress,
    });
    try {
      return await client.submit(request, {
        onQueued: ({ ahead }) => progress(`queued (${ahead} ahead)`),
        onProgress: (p) =>
          progress(p.stage === "generating" ? `generating: ${p.tokens ?? 0} tokens` : p.stage),
      });
    } finally {
      await client.close();
    }
  }
  const config = localWorkerConfig(choice);
  const llm = createLlmBackend(config.llm);
  try {
    progress(
      `asking ${config.llm.backend === "embedded" ? `the GGUF model in-process (${config.llm.modelFile ?? ""})` : `Ollama at ${config.llm.ollamaHost} (${config.llm.model})`}`,
    );
    let lastReported = 0;
    const outcome = await runJob(request, {
      config,
      llm,
      logger: createLogger("info", logLinesTo(progress)),
      metrics: createMetrics({ defaultMetrics: false }),
      signal: new AbortController().signal,
      progress: (p) => {
        if (p.stage === "generating" && (p.tokens ?? 0) - lastReported >= 50) {
          lastReported = p.tokens ?? 0;
          progress(`generating: ${lastReported} tokens`);
        }
      },
    });
    const reply = outcome.reply;
    return reply.type === "error" ? { ...reply, message: inOptionNames(reply.message) } : reply;
  } finally {
    await llm.close();
  }
}

/**
 * The worker's log as progress lines: what it tells an operator (the window capped at the
 * model's own length, context trimmed, a reply asked for again) is what a command-line
 * user needs to read too, in the options' names.
 */
function logLinesTo(progress: (message: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line.trim() === "") continue;
        try {
          const { msg } = JSON.parse(line) as { msg?: unknown };
          if (typeof msg === "string") progress(inOptionNames(msg));
        } catch {
          // Not a log record: nothing to show.
        }
      }
      done();
    },
  });
}

/** The worker's settings this command takes as options, by their option names. */
const OPTION_OF_SETTING: Record<string, string> = {
  NUM_CTX: "--num-ctx",
  NUM_PREDICT: "--num-predict",
  TEMPERATURE: "--temperature",
  MODEL_FILE: "--model-file",
  MODEL_THINKING: "--thinking",
};

/** A worker's message about its settings, naming the options a command line sets instead. */
function inOptionNames(message: string): string {
  return message.replace(
    /\b(NUM_CTX|NUM_PREDICT|TEMPERATURE|MODEL_FILE|MODEL_THINKING)\b/g,
    (name) => OPTION_OF_SETTING[name] ?? name,
  );
}
