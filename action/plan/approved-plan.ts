import { PlanSchema, type Plan } from "../../backend/protocol/plan.js";
import { ActionFailure } from "../failure.js";
import { issueBranchName } from "../github/branch.js";
import { errorStatus, type GitHubClient } from "../github/octokit.js";
import { findTrackingComment } from "../github/tracking-comment.js";
import { planHash } from "./plan-hash.js";

export interface ApprovedPlan {
  plan: Plan;
  hash: string;
  branch: string;
  /** The commit the plan was made against. */
  baseSha: string;
}

interface Target {
  client: GitHubClient;
  owner: string;
  repo: string;
  issueNumber: number;
  branchPrefix: string;
  planJsonPath: string;
}

/**
 * Loads the plan an `/approve` refers to and proves it is exactly the plan the bot wrote:
 * the hash the bot recorded in its own tracking comment (a comment only the bot can have
 * written, found by author) must equal the hash of `plan.json` on the branch now. Anyone
 * who edited the plan file on the branch since, or planted a look-alike comment, is
 * refused.
 */
export async function loadApprovedPlan(target: Target): Promise<ApprovedPlan> {
  const again =
    "Comment `/plan` on the issue to make a fresh plan, review it, then `/approve` again.";
  const tracking = await findTrackingComment(target.client, {
    owner: target.owner,
    repo: target.repo,
    issueNumber: target.issueNumber,
  });
  const recorded = tracking?.record?.planHash;
  if (!recorded)
    throw new ActionFailure(
      "There is no plan to approve on this issue yet.",
      "Add the trigger label or comment `/plan` first.",
      { relabel: false },
    );

  const branch = issueBranchName(target.branchPrefix, target.issueNumber);
  let text: string;
  try {
    const { data } = await target.client.rest.repos.getContent({
      owner: target.owner,
      repo: target.repo,
      path: target.planJsonPath,
      ref: `refs/heads/${branch}`,
    });
    if (Array.isArray(data) || data.type !== "file" || !("content" in data))
      throw new Error("not a file");
    text = Buffer.from(data.content, "base64").toString("utf8");
  } catch (error) {
    if (errorStatus(error) === 404)
      throw new ActionFailure(
        `The plan file ${target.planJsonPath} is missing from branch ${branch}.`,
        again,
      );
    throw error;
  }
  let parsed: { plan?: unknown; baseSha?: unknown };
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
  return { plan: plan.data, hash, branch, baseSha };
}

/** Trailer that marks the commit applying a plan; re-approving finds it and stops. */
export const APPLIED_TRAILER = "Applied-Plan-Hash";

/**
 * The commit on `branch` that already applied plan `hash`, if any: walks first parents
 * from the head back to the plan's base (at most 50 commits).
 */
export async function findApplyingCommit(
  client: GitHubClient,
  owner: string,
  repo: string,
  branch: string,
  hash: string,
  stopAt: string,
): Promise<string | undefined> {
  let sha: string | undefined;
  try {
    sha = (await client.rest.git.getRef({ owner, repo, ref: `heads/${branch}` })).data.object.sha;
  } catch (error) {
    if (errorStatus(error) === 404) return undefined;
    throw error;
  }
  for (let i = 0; i < 50 && sha && sha !== stopAt; i++) {
    const { data }: { data: { sha: string; message: string; parents: { sha: string }[] } } =
      await client.rest.git.getCommit({ owner, repo, commit_sha: sha });
    if (data.message.includes(`${APPLIED_TRAILER}: ${hash}`)) return data.sha;
    sha = data.parents[0]?.sha;
  }
  return undefined;
}
