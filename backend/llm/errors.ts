/**
 * Model failures, classified so the job knows whether another attempt can help.
 * - unavailable: server down, 5xx, cut stream, first token too slow → retry with backoff
 * - model_not_found / context_overflow / bad_request → no retry; tell the requester why
 */
export type LlmErrorKind =
  "unavailable" | "model_not_found" | "context_overflow" | "bad_request" | "aborted";

export class LlmError extends Error {
  /** For a context overflow: how many tokens the server counted the refused prompt at, when it said. */
  readonly promptTokens: number | undefined;

  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    options?: { cause?: unknown; promptTokens?: number },
  ) {
    super(message, options);
    this.name = "LlmError";
    this.promptTokens = options?.promptTokens;
  }

  get retryable(): boolean {
    return this.kind === "unavailable";
  }
}

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** True when an error (or its cause chain) is a network-level failure worth retrying. */
export function isConnectionError(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && CONNECTION_CODES.has(code)) return true;
    const message = (current as { message?: unknown }).message;
    if (
      typeof message === "string" &&
      /fetch failed|socket hang up|terminated|other side closed|network/i.test(message)
    )
      return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Ollama reports a missing model as 404 with "model 'x' not found". */
export function modelNotFound(model: string, howToGet: string): LlmError {
  return new LlmError(
    "model_not_found",
    `model '${model}' is not available on the model server; ${howToGet}`,
  );
}
