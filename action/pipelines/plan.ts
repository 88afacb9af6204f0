/**
 * The plan pipeline: issue → context → request → worker → published plan. Plan mode ends
 * with the plan awaiting approval; QuickFix (quickfix.ts) goes straight on to the code
 * pipeline from the same published plan.
 */
import type { Checkout } from "../checkout.js";
import { warmScanWorkers } from "../context/scan-pool.js";
import type { TrackingComment } from "../github/tracking-comment.js";
import type { RunContext } from "../run-context.js";
import { WorkerSession } from "../steps/ask-worker.js";
import { checkoutDefaultBranch } from "../steps/checkout-default-branch.js";
import { buildPlanContext } from "../steps/plan-context.js";
import { publishPlan, type PublishedPlan } from "../steps/publish-plan.js";
import { readIssue } from "../steps/read-issue.js";
import { reportingFailures, startingPosition, type RunPosition } from "../steps/report-failure.js";
import { moveStateLabel } from "../steps/state-label.js";
import { openTrackingComment } from "../steps/tracking.js";
import type { IssueText } from "../steps/read-issue.js";
import { planRequest } from "../steps/work-request.js";

/** A published plan and what the code pipeline needs to go on from it. */
export interface PlanOutcome extends PublishedPlan {
  issue: IssueText;
  checkout: Checkout & { defaultBranch: string };
  commentUrl: string | undefined;
}

/** Plan mode: the plan, published and awaiting `/approve`; failures shown on the issue. */
export async function runPlanPipeline(ctx: RunContext): Promise<PlanOutcome> {
  const tracking = openTrackingComment(ctx);
  const position = await startingPosition(ctx, "plan");
  return reportingFailures(ctx, tracking, position, () =>
    makePlan(ctx, tracking, position, { awaitApproval: true }),
  );
}

/**
 * The plan pipeline's steps, reporting into `tracking`: the plan ends up on its branch
 * and in its pull request. With `awaitApproval` (plan mode) the issue is labelled pending
 * and the comment offers `/approve`; QuickFix goes on to the code pipeline instead, which
 * sets the final state.
 */
export async function makePlan(
  ctx: RunContext,
  tracking: TrackingComment,
  position: RunPosition,
  options: { awaitApproval: boolean },
): Promise<PlanOutcome> {
  // The scan's threads load while the issue is read and the repository fetched.
  warmScanWorkers();
  const issue = await readIssue(ctx);
  ctx.throwIfCancelled();
  // Until this run publishes its plan, the plan on record (a re-plan's previous one, still
  // on its branch) stays approvable, whatever happens to this run.
  const recorded = position.planHash ? { planHash: position.planHash } : {};
  await tracking.update({
    stage: "plan",
    runUrl: ctx.env.runUrl,
    phase: { kind: "queued" },
    ...recorded,
  });
  const checkout = await checkoutDefaultBranch(ctx);
  const { context, ms: contextMs } = await buildPlanContext(ctx, checkout.dir, issue);

  const request = planRequest({
    repo: {
      owner: ctx.owner,
      name: ctx.repoName,
      defaultBranch: checkout.defaultBranch,
      sha: checkout.sha,
    },
    issue,
    context: {
      tree: context.tree,
      files: context.files,
      omitted: context.omitted,
      tokenEstimate: context.tokenEstimate,
    },
    model: ctx.settings.model,
    guidance: ctx.env.guidance,
    timeoutMinutes: ctx.settings.timeoutMinutes,
    idempotencyKey: `${ctx.owner}/${ctx.repoName}#${issue.number}@${checkout.sha}`,
  });
  const requestStarted = Date.now();
  const result = await ctx.group("Plan request", async () => {
    const session = await WorkerSession.open(ctx, tracking, "plan", position.planHash);
    try {
      return await session.ask(request);
    } finally {
      await session.close();
    }
  });
  const queueAndModelMs = Date.now() - requestStarted;
  // Cancelled as the answer came in: publish nothing.
  ctx.throwIfCancelled();

  const publishStarted = performance.now();
  const published = await ctx.group("Publish", () =>
    publishPlan(ctx, {
      issue,
      result,
      checkout,
      context,
      timings: { contextMs, queueAndModelMs },
    }),
  );
  // From here the plan on record is this one: a failure now (a label GitHub refused)
  // leaves it approvable in its open pull request.
  position.planHash = published.document.hash;
  // Cancelled while the pull request was being opened: it stays, and the comment says so.
  ctx.throwIfCancelled({
    pullRequestUrl: published.pullRequest.url,
    planHash: published.document.hash,
  });
  if (options.awaitApproval) {
    await moveStateLabel(ctx, "pending");
    await tracking.update({
      stage: "plan",
      runUrl: ctx.env.runUrl,
      phase: { kind: "done", pullRequestUrl: published.pullRequest.url },
      planHash: published.document.hash,
      approveCommand: "/approve",
    });
    await tracking.flush();
  }
  ctx.log(`published the plan in ${Math.round(performance.now() - publishStarted)} ms`);
  return { ...published, issue, checkout, commentUrl: tracking.url };
}
