import { TrackingComment } from "../github/tracking-comment.js";
import type { RunContext } from "../run-context.js";

/** The run's handle on the one tracking comment. */
export function openTrackingComment(ctx: RunContext): TrackingComment {
  return new TrackingComment(ctx.client, ctx.trackingTarget(), {
    minIntervalMs: ctx.env.trackingIntervalMs ?? 5000,
    onError: (e) => ctx.log(`tracking comment update failed: ${String(e)}`),
  });
}
