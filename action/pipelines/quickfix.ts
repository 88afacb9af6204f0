/**
 * QuickFix: the plan pipeline without the approval step, then the code pipeline on the
 * plan it just published, in one run and one tracking comment.
 */
import { checkoutRemoteBranch } from "../checkout.js";
import type { RunContext } from "../run-context.js";
import { reportingFailures, startingPosition } from "../steps/report-failure.js";
import { openTrackingComment } from "../steps/tracking.js";
import { applyPlan, type CodeOutcome } from "./code.js";
import { makePlan } from "./plan.js";

export async function runQuickFixPipeline(ctx: RunContext, actor: string): Promise<CodeOutcome> {
  const tracking = openTrackingComment(ctx);
  const position = await startingPosition(ctx, "plan");
  return reportingFailures(ctx, tracking, position, async () => {
    const planned = await makePlan(ctx, tracking, position, { awaitApproval: false });
    position.stage = "code";
    const branchHead = await checkoutRemoteBranch(
      planned.checkout.dir,
      planned.branch,
      ctx.settings.githubToken,
    );
    return applyPlan(
      ctx,
      tracking,
      {
        plan: planned.document.plan,
        hash: planned.document.hash,
        branch: planned.branch,
        baseSha: "",
        pullRequest: planned.pullRequest,
        checkoutDir: planned.checkout.dir,
        branchHead,
        issue: planned.issue,
        defaultBranch: planned.checkout.defaultBranch,
      },
      { mode: "quickfix", actor },
    );
  });
}
