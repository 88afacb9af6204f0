import type { CodeRequest, EditSet } from "../../protocol/index.js";
import { withQuotedCode } from "../code-context/quoted-code.js";
import { applyAndCheck, type ApplyAndCheckResult } from "../edits/apply-and-check.js";
import { planScope, type PlanScope } from "../edits/apply-edits.js";
import { repairedEditSet } from "../edits/repair-answer.js";
import { failureReport } from "../edits/failure-report.js";
import { ActionFailure } from "../failure.js";
import type { RunContext } from "../run-context.js";
import { shownPaths } from "./code-request.js";
import type { WorkerSession } from "./ask-worker.js";
import { repairRequest } from "./work-request.js";

/** Edits that applied and passed every check, ready to commit. */
export interface CheckedEdits {
  edits: EditSet;
  result: ApplyAndCheckResult;
  model: string;
  /** What the worker could not show whole, from the reply whose edits were kept. */
  shownInPart: { path: string; reason: string }[];
}

/**
 * Asks for the edits, applies them to the checkout and runs the checks; when they fail,
 * one repair round trip shows the model exactly what failed. Twice failed: nothing is
 * pushed and the failure says why.
 */
export async function askWithRepair(
  ctx: RunContext,
  session: WorkerSession,
  request: CodeRequest,
  checkoutDir: string,
): Promise<CheckedEdits> {
  // Edits stay inside what was approved: the plan's files, each with its stated change.
  const scope = planScope(request.plan.files);
  const { shown } = await shownPaths(checkoutDir, ctx.settings.ignoreFile || undefined);
  const first = await session.ask(request);
  let edits = first.edits;
  let shownInPart = first.trimmed;
  let result = await ctx.group("Apply and check", () =>
    applyEdits(ctx, checkoutDir, edits, scope, shown),
  );
  if (!result.ok) {
    const report = failureReport(result);
    ctx.log(
      `edits failed at ${result.failedAt ?? "?"}; asking the model to repair them:\n${report}`,
    );
    // Hunks that quoted code the file does not hold: show the model where it is.
    const files = withQuotedCode(request.files, edits, result.apply.failures);
    const repaired = await session.ask(
      repairRequest({ ...request, files }, edits, [report], ctx.settings.timeoutMinutes),
    );
    const completed = repairedEditSet(edits, result, repaired.edits);
    if (completed.kept.length > 0)
      ctx.log(
        `the repair answer left out ${completed.kept.join(", ")}; their first edits, which applied, are kept`,
      );
    edits = completed.edits;
    shownInPart = repaired.trimmed;
    result = await ctx.group("Apply and check (repair)", () =>
      applyEdits(ctx, checkoutDir, edits, scope, shown),
    );
  }
  if (!result.ok) {
    throw new ActionFailure(
      `The model's changes were not pushed: they failed the ${result.failedAt ?? "apply"} step twice.\n\n${failureReport(result, 1500)}`,
      "Comment `/approve` with guidance on the following lines, or refine the plan with `/plan`.",
    );
  }
  return { edits, result, model: first.usage.model, shownInPart };
}

async function applyEdits(
  ctx: RunContext,
  dir: string,
  edits: EditSet,
  scope: PlanScope,
  shown: ReadonlySet<string>,
): Promise<ApplyAndCheckResult> {
  const result = await applyAndCheck(dir, edits.edits, {
    policy: { protected: ctx.settings.protectedPaths, allow: [] },
    scope,
    shown,
    checkCommand: ctx.settings.checkCommand,
    checkTimeoutMs: ctx.settings.checkTimeoutMinutes * 60_000,
    checkUnisolated: ctx.settings.checkCommandUnisolated,
  });
  ctx.log(
    result.ok
      ? `applied ${result.written.length} file change(s); all checks passed`
      : `refused at the ${result.failedAt ?? "?"} step`,
  );
  return result;
}
