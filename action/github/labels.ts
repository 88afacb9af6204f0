/**
 * Labels as a visible state machine: the repository's labels are created when missing,
 * and an issue carries exactly one of the state labels at a time.
 */
import { errorStatus, GitHubErrorText, isGitHubError, type GitHubClient } from "./octokit.js";

/** A label the Action relies on. */
export interface LabelDefinition {
  name: string;
  /** Six hex digits, no '#'. */
  color: string;
  description: string;
}

/** Where the labels live. */
export interface RepoTarget {
  owner: string;
  repo: string;
}

/**
 * Creates each label in `labels` that the repository lacks (names compare
 * case-insensitively, as on GitHub). A label created concurrently is fine. Returns the
 * names this call created.
 */
export async function ensureLabels(
  client: GitHubClient,
  target: RepoTarget,
  labels: readonly LabelDefinition[],
): Promise<string[]> {
  const existing = await client.paginate(client.rest.issues.listLabelsForRepo, {
    owner: target.owner,
    repo: target.repo,
    per_page: 100,
  });
  const names = new Set(existing.map((l) => l.name.toLowerCase()));
  const created: string[] = [];
  for (const label of labels) {
    if (names.has(label.name.toLowerCase())) continue;
    try {
      await client.rest.issues.createLabel({
        owner: target.owner,
        repo: target.repo,
        name: label.name,
        color: label.color.replace(/^#/, ""),
        description: label.description,
      });
      created.push(label.name);
    } catch (error) {
      if (!isGitHubError(error, 422, GitHubErrorText.alreadyExists)) throw error;
    }
    names.add(label.name.toLowerCase());
  }
  return created;
}

/**
 * Puts `state` on the issue and takes every other label of `states` off it; labels
 * outside `states` are left alone. Passing `state: null` only removes. Returns the
 * issue's label names afterwards.
 */
export async function setStateLabel(
  client: GitHubClient,
  target: RepoTarget & { issueNumber: number },
  state: string | null,
  states: readonly string[],
): Promise<string[]> {
  const base = { owner: target.owner, repo: target.repo, issue_number: target.issueNumber };
  let current: string[];
  if (state === null) {
    const { data } = await client.rest.issues.listLabelsOnIssue({ ...base, per_page: 100 });
    current = data.map((l) => l.name);
  } else {
    const { data } = await client.rest.issues.addLabels({ ...base, labels: [state] });
    current = data.map((l) => l.name);
  }
  const keep = state?.toLowerCase();
  const stale = new Set(states.map((s) => s.toLowerCase()).filter((s) => s !== keep));
  for (const name of current) {
    if (!stale.has(name.toLowerCase())) continue;
    try {
      await client.rest.issues.removeLabel({ ...base, name });
    } catch (error) {
      // Already gone (someone else removed it): that is the state we wanted.
      if (errorStatus(error) !== 404) throw error;
    }
  }
  return current.filter((name) => !stale.has(name.toLowerCase()));
}
