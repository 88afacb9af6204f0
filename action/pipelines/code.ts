/**
 * The code pipeline: an approved plan → edits from the worker → applied and checked →
 * one commit on the plan's branch. Entered by `/approve` (runApprovePipeline) and by
 * QuickFix after the plan pipeline (quickfix.ts). Who may ask was settled by the gate.
 */
import { warmScanWorkers } from "../context/scan-pool.js";
import { ensureCheckCanRun } from "../edits/check-command.js";
import { ActionFailure } from "../failure.js";
import { BranchMovedError } from "../github/branch.js";
import type { TrackingComment } from "../github/tracking-comment.js";
import type { RunContext } from "../run-context.js";
import { askWithRepair, type CheckedEdits } from "../steps/apply-with-repair.js";
import { findApplyingCommit, planForApproval, type PlanToApply } from "../steps/approved-plan.js";
import { WorkerSession } from "../steps/ask-worker.js";
import { buildCodeRequest } from "../steps/code-request.js";
import { commitChanges } from "../steps/commit-changes.js";
import { reportingFailures, startingPosition } from "../steps/report-failure.js";
import { moveStateLabel } from "../steps/state-label.js";
import { openTrackingComment } from "../steps/tracking.js";

/** Who asked for the code, and how. */
export interface CodeRequester {
  mode: "approve" | "quickfix";
  actor: string;
}

/** The plan applied (now or by an earlier run). */
export interface CodeOutcome {
  target: PlanToApply;
  commentUrl: string | undefined;
  /** The pull request's Changes section, or why nothing new was committed. */
  changes: string;
}

/** The plan was applied by `commit` (an earlier run, or one racing this one): nothing to do. */
async function alreadyApplied(
  ctx: RunContext,
  tracking: TrackingComment,
  target: PlanToApply,
  commit: string,
): Promise<CodeOutcome> {
  const detail = `This plan was already applied in commit \`${commit.slice(0, 12)}\`; nothing new was committed.`;
  ctx.log(
    `plan ${target.hash.slice(0, 12)} was already applied in ${commit.slice(0, 12)}; nothing to do`,
  );
  await tracking.update({
    stage: "code",
    runUrl: ctx.env.runUrl,
    planHash: target.hash,
    phase: { kind: "done", pullRequestUrl: target.pullRequest.url, detail },
  });
  await tracking.flush();
  return { target, commentUrl: tracking.url, changes: detail };
}

/** `/approve`: the plan on record, checked against what the bot wrote, applied. */
export async function runApprovePipeline(ctx: RunContext, by: CodeRequester): Promise<CodeOutcome> {
  const tracking = openTrackingComment(ctx);
  const position = await startingPosition(ctx, "code");
  return reportingFailures(ctx, tracking, position, async () => {
    const target = await planForApproval(ctx);
    position.planHash = target.hash;
    position.pullRequestUrl = target.pullRequest.url;
    return applyPlan(ctx, tracking, target, by);
  });
}

/** The code pipeline's steps for `target`, reporting into `tracking`. */
export async function applyPlan(
  ctx: RunContext,
  tracking: TrackingComment,
  target: PlanToApply,
  by: CodeRequester,
): Promise<CodeOutcome> {
  const view = { stage: "code" as const, runUrl: ctx.env.runUrl, planHash: target.hash };
  const existing = await findApplyingCommit(ctx, target);
  if (existing) return alreadyApplied(ctx, tracking, target, existing);
  // The code request ranks the repository for its context: the scan's threads load
  // while the next steps wait on GitHub and the worker.
  warmScanWorkers();
  // A check that could never run fails now, before the model's time is spent on edits.
  if (ctx.settings.checkCommand.trim() !== "")
    await ensureCheckCanRun({ unisolated: ctx.settings.checkCommandUnisolated });
  await tracking.update({ ...view, phase: { kind: "queued" } });

  const session = await WorkerSession.open(ctx, tracking, "code", target.hash);
  let checked: CheckedEdits;
  try {
    const request = await ctx.group("Code request", () => buildCodeRequest(ctx, target));
    checked = await askWithRepair(ctx, session, request, target.checkoutDir);
  } finally {
    await session.close();
  }

  // Cancelled while the edits were being made: commit nothing. Once the commit is made,
  // the run finishes (a label and a comment), since the change is pushed either way.
  ctx.throwIfCancelled();
  let committed: { headSha: string; changes: string };
  try {
    committed = await ctx.group("Commit", () => commitChanges(ctx, target, checked, by));
  } catch (error) {
    if (!(error instanceof BranchMovedError)) throw error;
    // Another run committed first. If it applied this very plan, that is the result.
    const winner = await findApplyingCommit(ctx, target);
    if (winner === undefined)
      throw new ActionFailure(
        `${target.branch} moved while the edits were being made (now at ${error.head?.slice(0, 12) ?? "nothing"}); nothing was committed.`,
        "Comment `/approve` on the issue to apply the plan to the branch as it is now.",
        { cause: error },
      );
    return alreadyApplied(ctx, tracking, target, winner);
  }
  const { headSha, changes } = committed;
  // Files of a type the gate cannot parse passed unchecked: the comment says so.
  const unchecked = (checked.result.syntax?.files ?? []).filter(
    (f) => f.status === "skipped" && f.note !== "deleted",
  ).length;
  const syntax = `syntax check passed${unchecked > 0 ? ` (${unchecked} file(s) of a type it cannot parse were not checked)` : ""}`;
  await moveStateLabel(ctx, "applied");
  await tracking.update({
    ...view,
    phase: {
      kind: "done",
      pullRequestUrl: target.pullRequest.url,
      detail: `Commit ${headSha.slice(0, 12)} changes ${checked.result.written.length} file(s); ${syntax}${checked.result.check ? `, \`check-command\` passed` : ""}. The pull request stays open for review.`,
    },
  });
  await tracking.flush();
  return { target, commentUrl: tracking.url, changes };
}
