import { join } from "node:path";
import { NotUtf8Error, readUtf8File } from "../edits/utf8-text.js";
import {
  MAX_CODE_FILES_BYTES,
  estimateTokens,
  type CodeRequest,
  type Plan,
  type SourceFile,
} from "../../protocol/index.js";
import { codeQuery, fileFocus } from "../code-context/focus.js";
import { buildContext, collectRepositoryFiles } from "../context/build-context.js";
import { redactSecrets } from "../context/redact-secrets.js";
import type { RunContext } from "../run-context.js";
import type { PlanToApply } from "./approved-plan.js";
import { codeRequest } from "./work-request.js";

/**
 * The code request: the plan, the files it changes and context. Each file goes whole,
 * with the regions the issue and plan point at and an outline of its definitions: the
 * worker knows its model's window and shows a file whole when it fits, else the outline
 * and as many regions as fit. Only the message size bounds what is sent.
 */
export async function buildCodeRequest(ctx: RunContext, target: PlanToApply): Promise<CodeRequest> {
  return codeRequestFor({
    checkoutDir: target.checkoutDir,
    repo: {
      owner: ctx.owner,
      name: ctx.repoName,
      defaultBranch: target.defaultBranch,
      sha: target.branchHead,
    },
    issue: target.issue,
    plan: target.plan,
    planHash: target.hash,
    contextTokens: ctx.settings.contextTokens,
    ignoreFile: ctx.settings.ignoreFile || undefined,
    model: ctx.settings.model,
    guidance: ctx.env.guidance,
    timeoutMinutes: ctx.settings.timeoutMinutes,
    log: (message) => ctx.log(message),
  });
}

export interface CodeRequestInput {
  checkoutDir: string;
  repo: CodeRequest["repo"];
  issue: PlanToApply["issue"];
  plan: Plan;
  planHash: string;
  contextTokens: number;
  ignoreFile: string | undefined;
  model: string;
  guidance: string | undefined;
  timeoutMinutes: number;
  log: (message: string) => void;
}

/**
 * The files a context could show: listed in the tree, not a symlink, not a secret or
 * binary file, not in the ignore file; and why each other listed file is kept out. A path
 * from the plan is read for the model, and changed by its edits, only if shown.
 */
export async function shownPaths(
  checkoutDir: string,
  ignoreFile: string | undefined,
): Promise<{ shown: Set<string>; keptOut: Map<string, string> }> {
  const listing = await collectRepositoryFiles(checkoutDir, { ignoreFile });
  return {
    shown: new Set(listing.paths),
    keptOut: new Map(listing.excluded.map((e) => [e.path, e.reason])),
  };
}

/** The code request for a plan over the checkout in `checkoutDir` (the Action's and the CLI's). */
export async function codeRequestFor(input: CodeRequestInput): Promise<CodeRequest> {
  const files: SourceFile[] = [];
  const query = codeQuery(input.issue, input.plan);
  const omitted: { path: string; reason: string }[] = [];
  const { shown: readable, keptOut } = await shownPaths(input.checkoutDir, input.ignoreFile);
  let bytes = 0;
  for (const change of input.plan.files) {
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
    const raw = await readUtf8File(join(input.checkoutDir, change.path)).catch((error: unknown) =>
      error instanceof NotUtf8Error ? error : undefined,
    );
    if (raw instanceof NotUtf8Error || raw === undefined) {
      omitted.push({
        path: change.path,
        reason: raw === undefined ? "named by the plan but not in the repository" : raw.message,
      });
      continue;
    }
    const content = redactSecrets(raw, { path: change.path }).text;
    const size = Buffer.byteLength(content);
    if (bytes + size > MAX_CODE_FILES_BYTES) {
      omitted.push({
        path: change.path,
        reason: `with the files before it, over the ${MAX_CODE_FILES_BYTES}-byte limit of a request`,
      });
      continue;
    }
    bytes += size;
    files.push({ path: change.path, content, ...(await fileFocus(change.path, content, query)) });
  }
  for (const item of omitted) input.log(`not sent: ${item.path} (${item.reason})`);
  const context = await buildContext({
    repoDir: input.checkoutDir,
    title: input.issue.title,
    body: input.issue.body,
    tokenBudget: Math.max(1000, Math.floor(input.contextTokens / 2)),
    ...(input.ignoreFile === undefined ? {} : { ignoreFile: input.ignoreFile }),
  });
  return codeRequest({
    repo: input.repo,
    issue: input.issue,
    context: {
      tree: context.tree,
      files: context.files,
      omitted: [...omitted, ...context.omitted],
      tokenEstimate:
        context.tokenEstimate + files.reduce((n, f) => n + estimateTokens(f.content), 0),
    },
    model: input.model,
    guidance: input.guidance,
    timeoutMinutes: input.timeoutMinutes,
    idempotencyKey: `${input.repo.owner}/${input.repo.name}#${input.issue.number}@${input.planHash}`,
    plan: input.plan,
    planHash: input.planHash,
    files,
  });
}
