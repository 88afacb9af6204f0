import type { ErrorReply } from "../protocol/index.js";
import type { TrackingStage } from "./github/tracking-comment-render.js";
import { DeadlineError } from "./transport/work-client.js";
import { describeGitHubError, errorStatus } from "./github/octokit.js";

/**
 * A failure the user can act on: `reason` says what went wrong in plain words, `retry`
 * how to try again. Shown in the tracking comment, the job summary and the step error.
 */
export class ActionFailure extends Error {
  constructor(
    readonly reason: string,
    readonly retry: string,
    options?: { cause?: unknown; relabel?: boolean; comment?: boolean },
  ) {
    super(reason, options);
    this.name = "ActionFailure";
    this.relabel = options?.relabel ?? true;
    this.comment = options?.comment ?? true;
  }

  /** Whether the issue gets the failure label (not when there was nothing to fail). */
  readonly relabel: boolean;
  /** Whether the tracking comment can show it (not when this token's comments are the failure). */
  readonly comment: boolean;
}

/**
 * How to run the failed stage again: a failed plan is retried with `/plan`; a failed
 * approval with `/approve` (the plan is still there; planning again would replace it).
 */
export function retryCommand(stage: TrackingStage): string {
  return stage === "code"
    ? "comment `/approve` on the issue to try applying the plan again"
    : "comment `/plan` on the issue to try again";
}

/**
 * How to start a cancelled run again, by any of the triggers that started it: the
 * workflow's re-run button, the stage's command, or (for a plan) the trigger label.
 */
export function rerunAdvice(stage: TrackingStage, triggerLabel: string): string {
  return stage === "code"
    ? "re-run the workflow, or comment `/approve` on the issue (the plan is unchanged)."
    : `re-run the workflow, comment \`/plan\` on the issue, or remove and re-add the \`${triggerLabel}\` label.`;
}

/** The clause as a sentence of its own. */
function sentence(clause: string): string {
  return `${clause.charAt(0).toUpperCase()}${clause.slice(1)}.`;
}

/** Explains a worker's error reply to a maintainer. */
export function failureFromWorker(
  reply: ErrorReply,
  timeoutMinutes: number,
  stage: TrackingStage,
): ActionFailure {
  const again = sentence(retryCommand(stage));
  const thenAgain = `Then ${retryCommand(stage)}.`;
  switch (reply.code) {
    case "deadline_exceeded":
      return new ActionFailure(
        `The request waited or ran past its ${timeoutMinutes}-minute deadline (${reply.message}).`,
        `${again} If this repeats, add workers or raise \`timeout-minutes\`.`,
      );
    case "model_not_found":
      return new ActionFailure(
        `The backend does not have the model: ${reply.message}`,
        `Ask whoever runs the backend to pull the model, or set the \`model\` input to one it has. ${thenAgain}`,
      );
    case "model_unavailable":
      return new ActionFailure(
        // The worker's message starts "the model server failed after N attempts": said once.
        /^the model server failed/i.test(reply.message)
          ? sentence(reply.message.replace(/[.\s]+$/, ""))
          : `The model server failed: ${reply.message}`,
        `${again} If it keeps failing, ask whoever runs the backend to check its model server (its logs, memory, the model's size).`,
      );
    case "context_overflow":
      return new ActionFailure(
        `The request does not fit the model's context window: ${reply.message}`,
        // A long issue body is cut to fit; what cannot be cut is the maintainer's notes
        // and, for code, the approved plan. The model server may also count more tokens
        // than the worker estimated (CJK text, emoji): a smaller context then helps.
        `Shorten the notes given with the command, lower \`context-tokens\`, or raise the worker's NUM_CTX. ${thenAgain}`,
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

/** Turns anything thrown during `stage` into a failure a maintainer can act on. */
export function toFailure(
  error: unknown,
  timeoutMinutes: number,
  stage: TrackingStage,
): ActionFailure {
  if (error instanceof ActionFailure) return error;
  const again = sentence(retryCommand(stage));
  if (error instanceof DeadlineError) {
    return new ActionFailure(
      `No worker answered within ${timeoutMinutes} minutes.`,
      `Check that the backend is running and consuming the queue (e.g. \`kubectl -n ai-agent get pods\`). ${again}`,
      { cause: error },
    );
  }
  const message =
    errorStatus(error) !== undefined
      ? describeGitHubError(error)
      : error instanceof Error
        ? error.message
        : String(error);
  return new ActionFailure(
    message,
    `Fix the cause above, then ${retryCommand(stage)} (or re-run the workflow).`,
    { cause: error },
  );
}
