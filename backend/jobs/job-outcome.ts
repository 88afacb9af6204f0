import {
  PROTOCOL_VERSION,
  type ErrorCode,
  type ErrorReply,
  type TerminalReply,
} from "../../protocol/index.js";
import { LlmError } from "../llm/errors.js";

export interface JobOutcome {
  reply: TerminalReply;
  /** Failures that a later attempt might fix go to the dead-letter queue for inspection. */
  deadLetter: boolean;
}

/** A terminal error reply for `requestId`. */
export function errorOutcome(
  requestId: string,
  at: number,
  code: ErrorCode,
  message: string,
  retryable: boolean,
  deadLetter = false,
): JobOutcome {
  const reply: ErrorReply = {
    version: PROTOCOL_VERSION,
    requestId,
    at,
    type: "error",
    code,
    message,
    retryable,
  };
  return { reply, deadLetter };
}

/**
 * The error reply for a model call that failed for good. A shutdown is not an answer:
 * it is rethrown, so that the caller returns the request to the queue.
 */
export function modelFailureOutcome(
  error: unknown,
  context: { requestId: string; at: number; maxAttempts: number; shuttingDown: boolean },
): JobOutcome {
  const llmError =
    error instanceof LlmError
      ? error
      : new LlmError("unavailable", String(error), { cause: error });
  const fail = (code: ErrorCode, message: string, retryable: boolean, deadLetter = false) =>
    errorOutcome(context.requestId, context.at, code, message, retryable, deadLetter);
  switch (llmError.kind) {
    case "model_not_found":
      return fail("model_not_found", llmError.message, false);
    case "context_overflow":
      return fail("context_overflow", llmError.message, false);
    case "bad_request":
      return fail("internal", llmError.message, false);
    case "aborted":
      if (context.shuttingDown) throw llmError;
      return fail(
        "deadline_exceeded",
        "the request's deadline passed while the model was working",
        true,
      );
    case "unavailable":
      return fail(
        "model_unavailable",
        `the model server failed after ${context.maxAttempts} attempts: ${llmError.message}`,
        true,
        true,
      );
  }
}
