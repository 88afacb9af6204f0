import type { PlanResult } from "../../protocol/index.js";
import { collectRepositoryFiles, type BuiltContext } from "../context/build-context.js";
import { issueBranchName, planFilePaths, Trailer } from "../conventions.js";
import { commitSubject, commitToBranch } from "../github/branch.js";
import { sanitizeForPost } from "../github/markdown-safety.js";
import { upsertPullRequest } from "../github/pull-request.js";
import { groundPlan } from "../plan/ground-plan.js";
import { planHash } from "../plan/plan-hash.js";
import {
  renderPlanMarkdown,
  renderPullRequestBody,
  type PlanDocument,
} from "../plan/render-plan.js";
import type { RunContext } from "../run-context.js";
import type { IssueText } from "./read-issue.js";

/** The plan as published: on its branch and in its draft pull request. */
export interface PublishedPlan {
  branch: string;
  pullRequest: { number: number; url: string };
  document: PlanDocument;
  /** The plan rendered as Markdown, as `plan.md` holds it. */
  markdown: string;
}

/**
 * Grounds the plan's paths against the tree, commits `plan.md` and `plan.json` to the
 * issue's branch, and opens or updates the draft pull request. A branch this run created
 * is removed again if its pull request cannot be opened or the run is cancelled before it
 * is: no branch without a PR.
 */
export async function publishPlan(
  ctx: RunContext,
  input: {
    issue: IssueText;
    result: PlanResult;
    checkout: { dir: string; sha: string; defaultBranch: string };
    context: BuiltContext;
    timings: PlanDocument["timings"];
  },
): Promise<PublishedPlan> {
  const { issue, result, checkout, context } = input;
  const hash = planHash(result.plan);
  // Ground against every file that exists, including those kept out of the context.
  const files = await collectRepositoryFiles(checkout.dir, {
    ignoreFile: ctx.settings.ignoreFile || undefined,
  });
  const grounding = groundPlan(
    result.plan,
    new Set([...files.paths, ...files.excluded.map((e) => e.path)]),
  );
  for (const problem of grounding)
    ctx.log(`plan path not in the repository: ${problem.path} (${problem.problem})`);
  const document: PlanDocument = {
    issueNumber: issue.number,
    issueTitle: issue.title,
    plan: result.plan,
    hash,
    grounding,
    usage: result.usage,
    context: {
      files: context.files,
      omitted: context.omitted,
      trimmedByWorker: result.trimmed,
      totalFiles: context.tree.totalFiles,
      tokenEstimate: context.tokenEstimate,
    },
    timings: input.timings,
  };
  const markdown = renderPlanMarkdown(document, sanitizeForPost);
  const paths = planFilePaths(issue.number);
  const branch = issueBranchName(ctx.settings.branchPrefix, issue.number);
  // The issue text goes with the plan: an approval binds to what the plan was made from.
  const planJson = `${JSON.stringify({ issue: issue.number, planHash: hash, baseSha: checkout.sha, model: result.usage.model, issueText: { title: issue.title, body: issue.body }, plan: result.plan }, null, 2)}\n`;
  const commit = await commitToBranch(ctx.client, {
    ...ctx.repo(),
    branch,
    baseSha: checkout.sha,
    files: [
      {
        path: paths.markdown,
        content: `# Plan for #${issue.number}: ${sanitizeForPost(issue.title)}\n\n${markdown}\n`,
      },
      { path: paths.json, content: planJson },
    ],
    message: commitSubject(`Plan for #${issue.number}: ${issue.title}`),
    trailers: [
      [Trailer.issue, `#${issue.number}`],
      [Trailer.planHash, hash],
    ],
  });
  ctx.log(
    commit.commitSha
      ? `committed the plan to ${branch} (${commit.commitSha.slice(0, 12)})`
      : `${branch} already holds this plan`,
  );
  // A branch without its pull request helps nobody: the one this run created goes again
  // if the pull request cannot be opened, or if the run was cancelled before opening it.
  const removeCreatedBranch = async () => {
    if (!commit.createdBranch) return;
    ctx.log(`removing ${branch}, which this run created, since no pull request was opened`);
    await ctx.client.rest.git
      .deleteRef({ ...ctx.repo(), ref: `heads/${branch}` })
      .catch(() => undefined);
  };
  // On a branch that was already there (a re-plan), the pull request is still brought in
  // line with the commit just made; the pipeline reports the cancellation right after.
  if (ctx.env.cancellation.requested && commit.createdBranch) {
    await removeCreatedBranch();
    ctx.throwIfCancelled();
  }
  let pullRequest;
  try {
    pullRequest = await upsertPullRequest(ctx.client, {
      ...ctx.repo(),
      head: branch,
      base: checkout.defaultBranch,
      // The title is the default squash-merge subject: closing keywords in it would close issues.
      title: commitSubject(`Plan for #${issue.number}: ${issue.title}`, 256),
      body: renderPullRequestBody(document, sanitizeForPost),
      draft: true,
    });
  } catch (error) {
    await removeCreatedBranch();
    throw error;
  }
  ctx.log(
    `${pullRequest.created ? "opened" : "updated"} ${pullRequest.draft ? "draft " : ""}pull request #${pullRequest.number}: ${pullRequest.url}${pullRequest.created && !pullRequest.draft ? " (not a draft: this repository's plan does not allow draft pull requests)" : ""}`,
  );
  return {
    branch,
    pullRequest: { number: pullRequest.number, url: pullRequest.url },
    document,
    markdown,
  };
}
