import { toFailure, type ActionFailure } from "../failure.js";
import type { TrackingStage } from "../github/tracking-comment-render.js";
import type { TrackingComment } from "../github/tracking-comment.js";
import type { RunContext } from "../run-context.js";
import { moveStateLabel } from "./state-label.js";

/** Where a run is, for failure reports: the pipeline updates it as it goes. */
export interface RunPosition {
  stage: TrackingStage;
  /** The plan on record, kept in the comment so that a later `/approve` still finds it. */
  planHash?: string | undefined;
}

/**
 * Runs a pipeline's work; whatever it throws is shown in the tracking comment with
 * advice for the stage it failed in, the issue is labelled as failed, and the failure is
 * rethrown for the job's own status.
 */
export async function reportingFailures<T>(
  ctx: RunContext,
  tracking: TrackingComment,
  position: RunPosition,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const failure = toFailure(error, ctx.settings.timeoutMinutes, position.stage);
    await reportFailure(ctx, tracking, failure, position.stage, position.planHash);
    throw failure;
  }
}

/** Shows a failure in the tracking comment and labels the issue as failed. */
async function reportFailure(
  ctx: RunContext,
  tracking: TrackingComment,
  failure: ActionFailure,
  stage: TrackingStage,
  planHash: string | undefined,
): Promise<void> {
  ctx.log(`failed: ${failure.reason}`);
  await tracking
    .update({
      stage,
      runUrl: ctx.env.runUrl,
      phase: { kind: "failed", reason: failure.reason, retry: failure.retry },
      ...(planHash ? { planHash } : {}),
    })
    .catch((e: unknown) => ctx.log(`could not update the tracking comment: ${String(e)}`));
  await tracking.flush().catch(() => undefined);
  if (failure.relabel)
    await moveStateLabel(ctx, "failed").catch((e: unknown) =>
      ctx.log(`could not set the failure label: ${String(e)}`),
    );
}
