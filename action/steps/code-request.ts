import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { estimateTokens, type CodeRequest } from "../../protocol/index.js";
import { buildContext, collectRepositoryFiles } from "../context/build-context.js";
import { redactSecrets } from "../context/redact-secrets.js";
import type { RunContext } from "../run-context.js";
import type { PlanToApply } from "./approved-plan.js";
import { codeRequest } from "./work-request.js";

/** The code request: the plan, the full text of the files it changes (within budget), and context. */
export async function buildCodeRequest(ctx: RunContext, target: PlanToApply): Promise<CodeRequest> {
  const budget = ctx.settings.contextTokens;
  const files: { path: string; content: string }[] = [];
  const omitted: { path: string; reason: string }[] = [];
  // A path from the plan is read only if the context could have shown it: listed in the
  // tree, not a symlink, not a secret or binary file, not in the ignore file.
  const listing = await collectRepositoryFiles(target.checkoutDir, {
    ignoreFile: ctx.settings.ignoreFile || undefined,
  });
  const readable = new Set(listing.paths);
  const keptOut = new Map(listing.excluded.map((e) => [e.path, e.reason]));
  let used = 0;
  for (const change of target.plan.files) {
    if (change.change === "create") continue;
    if (!readable.has(change.path)) {
      const why = keptOut.get(change.path);
      omitted.push({
        path: change.path,
        reason: why
          ? `kept from the model like any context file (${why})`
          : "named by the plan but not in the repository",
      });
      continue;
    }
    // Secrets in the file never reach the model; a hunk that needed them fails to apply.
    const raw = await readFile(join(target.checkoutDir, change.path), "utf8").catch(
      () => undefined,
    );
    const content = raw === undefined ? undefined : redactSecrets(raw, { path: change.path }).text;
    if (content === undefined) {
      omitted.push({ path: change.path, reason: "named by the plan but not in the repository" });
      continue;
    }
    const cost = estimateTokens(content);
    if (used + cost > budget) {
      omitted.push({
        path: change.path,
        reason: `full text (about ${cost} tokens) did not fit the ${budget}-token budget`,
      });
      continue;
    }
    used += cost;
    files.push({ path: change.path, content });
  }
  for (const item of omitted) ctx.log(`not sent in full: ${item.path} (${item.reason})`);
  const context = await buildContext({
    repoDir: target.checkoutDir,
    title: target.issue.title,
    body: target.issue.body,
    tokenBudget: Math.max(1000, Math.floor(budget / 2)),
    ignoreFile: ctx.settings.ignoreFile || undefined,
  });
  return codeRequest({
    repo: {
      owner: ctx.owner,
      name: ctx.repoName,
      defaultBranch: target.defaultBranch,
      sha: target.branchHead,
    },
    issue: target.issue,
    context: {
      tree: context.tree,
      files: context.files,
      omitted: [...omitted, ...context.omitted],
      tokenEstimate: context.tokenEstimate + used,
    },
    model: ctx.settings.model,
    guidance: ctx.env.guidance,
    timeoutMinutes: ctx.settings.timeoutMinutes,
    idempotencyKey: `${ctx.owner}/${ctx.repoName}#${target.issue.number}@${target.hash}`,
    plan: target.plan,
    planHash: target.hash,
    files,
  });
}
