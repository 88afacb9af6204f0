import { statSync } from "node:fs";
import { join } from "node:path";
import { diffStat } from "../checkout.js";
import { Trailer } from "../conventions.js";
import { commitSubject, commitToBranch } from "../github/branch.js";
import { renderChanges, replaceChangesSection } from "../plan/render-changes.js";
import { MAX_BODY_CHARS } from "../plan/render-plan.js";
import type { RunContext } from "../run-context.js";
import type { CheckedEdits } from "./apply-with-repair.js";
import type { PlanToApply } from "./approved-plan.js";

/**
 * Commits checked edits to the plan's branch (one commit, its trailers naming the plan
 * and who asked) and puts the Changes section into the pull request. Returns the commit
 * and the section.
 */
export async function commitChanges(
  ctx: RunContext,
  target: PlanToApply,
  checked: CheckedEdits,
  by: { mode: "approve" | "quickfix"; actor: string },
): Promise<{ headSha: string; changes: string }> {
  const { result, edits } = checked;
  const stats = await diffStat(target.checkoutDir);
  const files = result.written
    .filter((c) => c.after !== undefined)
    .map((c) => {
      const mode = fileMode(join(target.checkoutDir, c.path));
      return { path: c.path, content: c.after ?? "", ...(mode ? { mode } : {}) };
    });
  const deletions = result.written.filter((c) => c.after === undefined).map((c) => c.path);
  const commit = await commitToBranch(ctx.client, {
    ...ctx.repo(),
    branch: target.branch,
    baseSha: target.baseSha,
    // The edits were made against this head: if another run moved the branch meanwhile
    // (a second /approve racing this one), commit nothing rather than a second time.
    expectedHead: target.branchHead,
    files,
    deletions,
    message: `${commitSubject(edits.summary) || `Implement the plan for #${target.issue.number}`}\n\nImplements the approved plan for #${target.issue.number}.`,
    trailers: [
      [Trailer.issue, `#${target.issue.number}`],
      [Trailer.appliedPlanHash, target.hash],
      [by.mode === "quickfix" ? Trailer.quickFixBy : Trailer.approvedBy, by.actor],
    ],
  });
  const headSha = commit.commitSha ?? commit.headSha;
  ctx.log(
    `committed ${result.written.length} file(s) to ${target.branch}: ${headSha.slice(0, 12)}`,
  );
  const changes = renderChanges({
    written: result.written,
    stats,
    syntax: result.syntax,
    check: result.check,
    checkCommand: ctx.settings.checkCommand,
    commitSha: headSha,
    model: checked.model,
    shownInPart: checked.shownInPart,
    mode: by.mode,
    actor: by.actor,
  });
  const { data: pr } = await ctx.client.rest.pulls.get({
    ...ctx.repo(),
    pull_number: target.pullRequest.number,
  });
  const body = replaceChangesSection(pr.body ?? "", changes, MAX_BODY_CHARS);
  if (body !== pr.body)
    await ctx.client.rest.pulls.update({ ...ctx.repo(), pull_number: pr.number, body });
  return { headSha, changes };
}

/**
 * The Git mode of a file as the checkout has it: an edited script stays executable. The
 * branch would keep the parent's mode anyway, but a repository too large for one tree
 * listing cannot show it; the working tree always can.
 */
function fileMode(path: string): "100644" | "100755" | undefined {
  const mode = statSync(path, { throwIfNoEntry: false })?.mode;
  if (mode === undefined) return undefined;
  return (mode & 0o100) !== 0 ? "100755" : "100644";
}
