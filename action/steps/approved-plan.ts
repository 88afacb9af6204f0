/**
 * The plan a code run applies, proved to be the one the bot wrote, and what to apply it
 * to: its branch checked out, its pull request, the issue text.
 */
import { PlanSchema, type Plan } from "../../protocol/index.js";
import { checkoutRemoteBranch } from "../checkout.js";
import { issueBranchName, planFilePaths, Trailer } from "../conventions.js";
import { ActionFailure } from "../failure.js";
import { errorStatus } from "../github/octokit.js";
import { findOpenPullRequest } from "../github/pull-request.js";
import { findTrackingComment } from "../github/tracking-comment.js";
import { planHash } from "../plan/plan-hash.js";
import type { RunContext } from "../run-context.js";
import { checkoutDefaultBranch } from "./checkout-default-branch.js";
import { readIssue, type IssueText } from "./read-issue.js";

/** A plan with everything the code pipeline needs to apply it. */
export interface PlanToApply {
  plan: Plan;
  hash: string;
  branch: string;
  /** The commit the plan was made against ("" when unknown). */
  baseSha: string;
  pullRequest: { number: number; url: string };
  checkoutDir: string;
  /** The branch head checked out in `checkoutDir`: what the edits apply to. */
  branchHead: string;
  issue: IssueText;
  defaultBranch: string;
}

/** The plan `/approve` refers to, checked, with its branch checked out. */
export async function planForApproval(ctx: RunContext): Promise<PlanToApply> {
  const approved = await loadApprovedPlan(ctx);
  const pr = await findOpenPullRequest(ctx.client, { ...ctx.repo(), head: approved.branch });
  if (!pr)
    throw new ActionFailure(
      `The plan's pull request for ${approved.branch} is not open any more.`,
      "Comment `/plan` to make a new plan and pull request.",
    );
  // The code step works from the issue text the plan was made from, as recorded with it:
  // an issue edited after review does not reach the model.
  const live = await readIssue(ctx);
  const issue = {
    ...live,
    title: approved.issueText.title,
    body: approved.issueText.body,
    bodyCut: false,
  };
  if (live.title !== issue.title || live.body !== issue.body)
    ctx.log(
      "the issue was edited since the plan was made; the code step uses the text the plan was made from",
    );
  const checkout = await checkoutDefaultBranch(ctx);
  const branchHead = await checkoutRemoteBranch(
    checkout.dir,
    approved.branch,
    ctx.settings.githubToken,
  );
  return {
    ...approved,
    baseSha: approved.baseSha || checkout.sha,
    pullRequest: { number: pr.number, url: pr.html_url },
    checkoutDir: checkout.dir,
    branchHead,
    issue,
    defaultBranch: checkout.defaultBranch,
  };
}

interface ApprovedPlan {
  plan: Plan;
  hash: string;
  branch: string;
  baseSha: string;
  /** The issue text the plan was made from. */
  issueText: { title: string; body: string };
}

/**
 * Loads the plan an `/approve` refers to and proves it is exactly the plan the bot wrote:
 * the hash the bot recorded in its own tracking comment (a comment only the bot can have
 * written, found by author) must equal the hash of `plan.json` on the branch now. Anyone
 * who edited the plan file on the branch since, or planted a look-alike comment, is
 * refused.
 */
async function loadApprovedPlan(ctx: RunContext): Promise<ApprovedPlan> {
  const again =
    "Comment `/plan` on the issue to make a fresh plan, review it, then `/approve` again.";
  const tracking = await findTrackingComment(ctx.client, ctx.trackingTarget());
  const recorded = tracking?.record?.planHash;
  if (!recorded)
    throw new ActionFailure(
      "There is no plan to approve on this issue yet.",
      "Add the trigger label or comment `/plan` first.",
      { relabel: false },
    );

  const branch = issueBranchName(ctx.settings.branchPrefix, ctx.issueNumber);
  const planJsonPath = planFilePaths(ctx.issueNumber).json;
  let text: string;
  try {
    const { data } = await ctx.client.rest.repos.getContent({
      ...ctx.repo(),
      path: planJsonPath,
      ref: `refs/heads/${branch}`,
    });
    if (Array.isArray(data) || data.type !== "file" || !("content" in data))
      throw new Error("not a file");
    text = Buffer.from(data.content, "base64").toString("utf8");
  } catch (error) {
    if (errorStatus(error) === 404)
      throw new ActionFailure(
        `The plan file ${planJsonPath} is missing from branch ${branch}.`,
        again,
      );
    throw error;
  }
  let parsed: {
    plan?: unknown;
    baseSha?: unknown;
    issueText?: { title?: unknown; body?: unknown };
  };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new ActionFailure(
      `The plan file on ${branch} is no longer valid JSON: it was changed after the bot wrote it.`,
      again,
    );
  }
  const plan = PlanSchema.safeParse(parsed.plan);
  if (!plan.success)
    throw new ActionFailure(
      `The plan file on ${branch} no longer matches the plan format: it was changed after the bot wrote it.`,
      again,
    );
  const hash = planHash(plan.data);
  if (hash !== recorded) {
    throw new ActionFailure(
      `The plan on ${branch} is not the plan the bot wrote: its hash is \`${hash.slice(0, 16)}\`, the bot recorded \`${recorded.slice(0, 16)}\`. Someone changed it since, so this approval is refused.`,
      again,
    );
  }
  const baseSha =
    typeof parsed.baseSha === "string" && /^[0-9a-f]{40,64}$/.test(parsed.baseSha)
      ? parsed.baseSha
      : "";
  const { title, body } = parsed.issueText ?? {};
  if (typeof title !== "string" || typeof body !== "string")
    throw new ActionFailure(
      `The plan file on ${branch} does not record the issue text it was made from.`,
      again,
    );
  return { plan: plan.data, hash, branch, baseSha, issueText: { title, body } };
}

/**
 * The commit on the plan's branch that already applied it, if any: walks first parents
 * from the head back to the plan's base (at most 50 commits).
 */
export async function findApplyingCommit(
  ctx: RunContext,
  target: Pick<PlanToApply, "branch" | "hash" | "baseSha">,
): Promise<string | undefined> {
  const { client } = ctx;
  let sha: string | undefined;
  try {
    sha = (await client.rest.git.getRef({ ...ctx.repo(), ref: `heads/${target.branch}` })).data
      .object.sha;
  } catch (error) {
    if (errorStatus(error) === 404) return undefined;
    throw error;
  }
  for (let i = 0; i < 50 && sha && sha !== target.baseSha; i++) {
    const { data }: { data: { sha: string; message: string; parents: { sha: string }[] } } =
      await client.rest.git.getCommit({ ...ctx.repo(), commit_sha: sha });
    if (data.message.includes(`${Trailer.appliedPlanHash}: ${target.hash}`)) return data.sha;
    sha = data.parents[0]?.sha;
  }
  return undefined;
}
