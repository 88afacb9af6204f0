import { RunCancelledError } from "../cancellation.js";
import { ActionFailure, rerunAdvice, toFailure } from "../failure.js";
import type { TrackingStage } from "../github/tracking-comment-render.js";
import { findTrackingComment, type TrackingComment } from "../github/tracking-comment.js";
import type { RunContext } from "../run-context.js";
import { moveStateLabel } from "./state-label.js";

/** Where a run is, for failure reports: the pipeline updates it as it goes. */
export interface RunPosition {
  stage: TrackingStage;
  /** The plan on record, kept in the comment so that a later `/approve` still finds it. */
  planHash?: string | undefined;
  /** The pull request holding the plan, once known: a failed code step still links it. */
  pullRequestUrl?: string | undefined;
}

/**
 * Where a run starts: at `stage`, with the plan the tracking comment has on record. Every
 * state the run writes keeps that hash until the run publishes a plan of its own, so a
 * run that fails or is cancelled never erases what a later `/approve` binds to.
 */
export async function startingPosition(
  ctx: RunContext,
  stage: TrackingStage,
): Promise<RunPosition> {
  const recorded = await findTrackingComment(ctx.client, ctx.trackingTarget()).catch(() => null);
  return { stage, planHash: recorded?.record?.planHash ?? undefined };
}

/**
 * Runs a pipeline's work; whatever it throws is shown in the tracking comment with
 * advice for the stage it failed in, the issue is labelled as failed, and the failure is
 * rethrown for the job's own status. A cancelled run is reported as cancelled instead,
 * whatever the cancellation made fail on its way out.
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
    if (ctx.env.cancellation.requested) {
      const cancelled =
        error instanceof RunCancelledError ? error : (ctx.cancelSignal.reason as RunCancelledError);
      throw await reportCancellation(ctx, tracking, cancelled, position, error);
    }
    const failure = toFailure(error, ctx.settings.timeoutMinutes, position.stage);
    await reportFailure(
      ctx,
      tracking,
      failure,
      position.stage,
      position.planHash,
      position.pullRequestUrl,
    );
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
  pullRequestUrl: string | undefined,
): Promise<void> {
  ctx.log(`failed: ${failure.reason}`);
  if (!failure.comment) return;
  await tracking
    .update({
      stage,
      runUrl: ctx.env.runUrl,
      phase: {
        kind: "failed",
        reason: failure.reason,
        retry: failure.retry,
        ...(pullRequestUrl ? { pullRequestUrl } : {}),
      },
      ...(planHash ? { planHash } : {}),
    })
    .catch((e: unknown) => ctx.log(`could not update the tracking comment: ${String(e)}`));
  await tracking.flush().catch(() => undefined);
  if (failure.relabel)
    await moveStateLabel(ctx, "failed").catch((e: unknown) =>
      ctx.log(`could not set the failure label: ${String(e)}`),
    );
}

/**
 * Shows a cancelled run in the tracking comment: what it left (nothing, or the pull
 * request it had already opened) and how to run it again. The issue gets the failure
 * label, as for any run that did not finish. Every write here is one GitHub call, well
 * inside the seconds the runner gives between its first signal and the kill.
 */
async function reportCancellation(
  ctx: RunContext,
  tracking: TrackingComment,
  cancelled: RunCancelledError,
  position: RunPosition,
  cause: unknown,
): Promise<ActionFailure> {
  const work = position.stage === "plan" ? "the plan was" : "the code changes were";
  const left =
    cancelled.pullRequestUrl !== undefined
      ? `The pull request ${cancelled.pullRequestUrl} was already open with the plan; it is left as it is.`
      : position.stage === "plan"
        ? "It was stopped before the plan was published: this run left no branch or pull request behind."
        : "It was stopped before anything was committed: the branch and the plan are as they were.";
  const detail = `The workflow run was cancelled (${cancelled.signalName}) while ${work} being made. ${left}`;
  const rerun = rerunAdvice(position.stage, ctx.settings.triggerLabel);
  ctx.log(`cancelled: ${detail}`);
  const planHash = cancelled.planHash ?? position.planHash;
  await tracking
    .update({
      stage: position.stage,
      runUrl: ctx.env.runUrl,
      phase: { kind: "cancelled", detail, rerun },
      ...(planHash ? { planHash } : {}),
    })
    .catch((e: unknown) => ctx.log(`could not update the tracking comment: ${String(e)}`));
  await tracking.flush().catch(() => undefined);
  await moveStateLabel(ctx, "failed").catch((e: unknown) =>
    ctx.log(`could not set the failure label: ${String(e)}`),
  );
  return new ActionFailure(
    `The workflow run was cancelled (${cancelled.signalName}). ${left}`,
    `To run it again, ${rerun}`,
    { cause },
  );
}
