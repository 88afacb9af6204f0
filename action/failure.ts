import type { ErrorReply } from "../backend/protocol/messages.js";

/**
 * A failure the user can act on: `reason` says what went wrong in plain words, `retry`
 * how to try again. Shown in the tracking comment, the job summary and the step error.
 */
export class ActionFailure extends Error {
  constructor(
    readonly reason: string,
    readonly retry: string,
    options?: { cause?: unknown; relabel?: boolean },
  ) {
    super(reason, options);
    this.name = "ActionFailure";
    this.relabel = options?.relabel ?? true;
  }

  /** Whether the issue gets the failure label (not for refusals of people without access). */
  readonly relabel: boolean;
}

/** Explains a worker's error reply to a maintainer. */
export function failureFromWorker(reply: ErrorReply, timeoutMinutes: number): ActionFailure {
  const again = "Comment `/plan` on the issue to try again.";
  switch (reply.code) {
    case "deadline_exceeded":
      return new ActionFailure(
        `The request waited or ran past its ${timeoutMinutes}-minute deadline (${reply.message}).`,
        `${again} If this repeats, add workers or raise \`timeout-minutes\`.`,
      );
    case "model_not_found":
      return new ActionFailure(
        `The backend does not have the model: ${reply.message}`,
        `Ask whoever runs the backend to pull the model, or set the \`model\` input to one it has. Then ${again.toLowerCase()}`,
      );
    case "model_unavailable":
      return new ActionFailure(
        `The model server failed: ${reply.message}`,
        `${again} Check the backend's Ollama pods if it keeps failing.`,
      );
    case "context_overflow":
      return new ActionFailure(
        `The issue and its context do not fit the model's context window: ${reply.message}`,
        `Lower \`context-tokens\`, shorten the issue, or raise the worker's NUM_CTX; then ${again.toLowerCase()}`,
      );
    case "invalid_model_output":
      return new ActionFailure(
        `The model did not produce a usable answer: ${reply.message}`,
        `${again} A larger model or a clearer issue usually helps.`,
      );
    case "invalid_request":
      return new ActionFailure(
        `The worker refused the request: ${reply.message}`,
        "Check that the `signing-key` input matches the worker's SIGNING_KEY and that the Action and worker versions match.",
      );
    case "internal":
      return new ActionFailure(`The worker failed: ${reply.message}`, again);
  }
}
