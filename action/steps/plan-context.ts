import { buildContext, type BuiltContext } from "../context/build-context.js";
import type { RunContext } from "../run-context.js";
import type { IssueText } from "./read-issue.js";

/** The ranked context for the plan request, logged file by file with the reasons. */
export async function buildPlanContext(
  ctx: RunContext,
  repoDir: string,
  issue: IssueText,
): Promise<{ context: BuiltContext; ms: number }> {
  const started = Date.now();
  const context = await ctx.group("Context", async () => {
    const built = await buildContext({
      repoDir,
      title: issue.title,
      body: issue.body,
      tokenBudget: ctx.settings.contextTokens,
      ignoreFile: ctx.settings.ignoreFile || undefined,
    });
    ctx.log(
      `${built.files.length} files in context (about ${built.tokenEstimate} tokens) out of ${built.tree.totalFiles}; ${built.omitted.length} left out`,
    );
    for (const file of built.files)
      ctx.log(`  ${file.score.toFixed(2)}  ${file.path}  (${file.reasons.join("; ")})`);
    return built;
  });
  return { context, ms: Date.now() - started };
}
