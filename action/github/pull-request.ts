/**
 * One pull request per issue branch: found by its head, created as a draft when missing,
 * its title and body brought up to date otherwise. A concurrent run that created it first
 * is found and updated, never duplicated.
 */
import { GitHubErrorText, isGitHubError, type GitHubClient } from "./octokit.js";

/** The pull request the Action wants to exist. */
export interface PullRequestSpec {
  owner: string;
  repo: string;
  /** Head branch name (same repository), e.g. "ai-agent/issue-12". */
  head: string;
  base: string;
  title: string;
  body: string;
  /** Open as a draft (default true). Only applies on creation. */
  draft?: boolean;
}

/** The pull request as it stands after the call. */
export interface PullRequestResult {
  number: number;
  url: string;
  nodeId: string;
  headSha: string;
  draft: boolean;
  created: boolean;
  /** True when an existing pull request's title or body was changed. */
  updated: boolean;
}

interface PullSummary {
  number: number;
  html_url: string;
  node_id: string;
  title: string;
  body: string | null;
  draft?: boolean;
  head: { sha: string };
}

/** The open pull request whose head is `owner:head`, or null. */
export async function findOpenPullRequest(
  client: GitHubClient,
  target: { owner: string; repo: string; head: string },
): Promise<PullSummary | null> {
  const { data } = await client.rest.pulls.list({
    owner: target.owner,
    repo: target.repo,
    head: `${target.owner}:${target.head}`,
    state: "open",
    per_page: 10,
  });
  // Lowest number first: if duplicates ever existed, the original is the one to keep.
  const sorted = [...data].sort((a, b) => a.number - b.number);
  return sorted[0] ?? null;
}

/**
 * Makes sure an open pull request exists for `spec.head` with `spec.title` and
 * `spec.body`: creates a draft if none is open, otherwise updates what differs.
 */
export async function upsertPullRequest(
  client: GitHubClient,
  spec: PullRequestSpec,
): Promise<PullRequestResult> {
  const existing = await findOpenPullRequest(client, spec);
  if (existing !== null) return updateIfChanged(client, spec, existing);
  try {
    const data = await createPullRequest(client, spec);
    return resultOf(data, { created: true, updated: false });
  } catch (error) {
    if (isGitHubError(error, 422, GitHubErrorText.pullRequestExists)) {
      // Another run opened it between our lookup and our create.
      const raced = await findOpenPullRequest(client, spec);
      if (raced !== null) return updateIfChanged(client, spec, raced);
    }
    if (isGitHubError(error, 422, GitHubErrorText.noCommitsBetween)) {
      throw new Error(
        `Cannot open a pull request from ${spec.head} into ${spec.base}: the branch has no commits that ${spec.base} lacks.`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Pauses before asking again for a head branch GitHub does not see yet. */
const HEAD_NOT_VISIBLE_PAUSES_MS = [1000, 3000];

/**
 * Creates the pull request, as a draft when asked, with two answers of GitHub's taken in
 * stride: drafts are refused in private repositories on the Free and Pro plans (opened as
 * a ready pull request instead; the body says it is a plan to review either way), and a
 * branch made a moment ago can be reported as an invalid head until GitHub sees it.
 */
async function createPullRequest(client: GitHubClient, spec: PullRequestSpec) {
  let draft = spec.draft ?? true;
  for (let headRetries = 0; ;) {
    try {
      const { data } = await client.rest.pulls.create({
        owner: spec.owner,
        repo: spec.repo,
        head: spec.head,
        base: spec.base,
        title: spec.title,
        body: spec.body,
        draft,
        maintainer_can_modify: true,
      });
      return data;
    } catch (error) {
      if (draft && isGitHubError(error, 422, GitHubErrorText.draftsUnsupported)) {
        draft = false;
        continue;
      }
      const pause = HEAD_NOT_VISIBLE_PAUSES_MS[headRetries];
      if (pause !== undefined && isHeadNotVisible(error)) {
        headRetries++;
        await new Promise((resolve) => setTimeout(resolve, pause));
        continue;
      }
      throw error;
    }
  }
}

/** GitHub's 422 for a head it cannot resolve: `{ field: "head", code: "invalid" }`. */
function isHeadNotVisible(error: unknown): boolean {
  if (!isGitHubError(error, 422)) return false;
  const errors = (error as { response?: { data?: { errors?: unknown } } }).response?.data?.errors;
  return (
    Array.isArray(errors) &&
    errors.some(
      (e) =>
        e !== null &&
        typeof e === "object" &&
        (e as { field?: unknown }).field === "head" &&
        (e as { code?: unknown }).code === "invalid",
    )
  );
}

async function updateIfChanged(
  client: GitHubClient,
  spec: PullRequestSpec,
  existing: PullSummary,
): Promise<PullRequestResult> {
  const unchanged = existing.title === spec.title && (existing.body ?? "") === spec.body;
  if (unchanged) return resultOf(existing, { created: false, updated: false });
  const { data } = await client.rest.pulls.update({
    owner: spec.owner,
    repo: spec.repo,
    pull_number: existing.number,
    title: spec.title,
    body: spec.body,
  });
  return resultOf(data, { created: false, updated: true });
}

function resultOf(
  pr: Pick<PullSummary, "number" | "html_url" | "node_id" | "draft" | "head">,
  change: { created: boolean; updated: boolean },
): PullRequestResult {
  return {
    number: pr.number,
    url: pr.html_url,
    nodeId: pr.node_id,
    headSha: pr.head.sha,
    draft: pr.draft ?? false,
    ...change,
  };
}
