/**
 * Ollama's own error texts and the status codes it sends them with, as named
 * constants so that tests and the worker's error classification can refer to them.
 * Every error body is `{"error": "<text>"}` with `Content-Type: application/json`.
 */

/** 404 for a model that is not installed (chat, generate, show). */
export function modelNotFound(model: string): string {
  return `model '${model}' not found`;
}

/** 400 when `truncate: false` and the prompt is longer than `num_ctx` (Ollama 0.12.4+). */
export const INPUT_TOO_LONG = "the input length exceeds the context length";

/** 503 when the scheduler queue (OLLAMA_MAX_QUEUE) is full. */
export const SERVER_BUSY = "server busy, please try again.  maximum pending requests exceeded";

/** 500 when the runner dies under a request. */
export const RUNNER_TERMINATED = "llama runner process has terminated: exit status 2";

/** 400 for an empty request body. */
export const MISSING_BODY = "missing request body";

/** 500 when a JSON-schema `format` cannot be turned into a grammar. */
export const INVALID_FORMAT_SCHEMA = "invalid JSON schema in format";

/** 500 for a string `format` other than `"json"`. */
export function invalidFormat(format: string): string {
  return `invalid format: ${JSON.stringify(format)}; expected "json" or a valid JSON Schema object`;
}

/** The default body text of an HTTP error status Ollama is asked to fake. */
export function defaultErrorText(status: number): string {
  switch (status) {
    case 400:
      return INPUT_TOO_LONG;
    case 404:
      return modelNotFound("unknown");
    case 503:
      return SERVER_BUSY;
    default:
      return RUNNER_TERMINATED;
  }
}

/** 400 for `think` on a model without the thinking capability (the test model has none). */
export function thinkingNotSupported(model: string): string {
  return `${JSON.stringify(model)} does not support thinking`;
}
