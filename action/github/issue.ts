/**
 * The issue the Action works on, as the trigger gate and the context builder need it.
 * Text fields are returned as GitHub has them; cleaning is the caller's decision
 * (see markdown-safety.ts).
 */
import type { GitHubClient } from "./octokit.js";

/** An issue's facts. */
export interface IssueDetails {
  number: number;
  title: string;
  /** Empty string when the issue has no body. */
  body: string;
  state: "open" | "closed";
  labels: string[];
  author: { login: string; type: string } | null;
  /** OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, FIRST_TIME_CONTRIBUTOR, FIRST_TIMER, MANNEQUIN or NONE. */
  authorAssociation: string;
  /** Pull requests are issues too; the Action ignores them. */
  isPullRequest: boolean;
  url: string;
}

/** Fetches one issue. */
export async function getIssue(
  client: GitHubClient,
  target: { owner: string; repo: string; issueNumber: number },
): Promise<IssueDetails> {
  const { data } = await client.rest.issues.get({
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
  });
  return {
    number: data.number,
    title: data.title,
    body: data.body ?? "",
    state: data.state === "closed" ? "closed" : "open",
    labels: data.labels
      .map((label) => (typeof label === "string" ? label : (label.name ?? "")))
      .filter((name) => name.length > 0),
    author: data.user === null ? null : { login: data.user.login, type: data.user.type },
    authorAssociation: data.author_association ?? "NONE",
    isPullRequest: data.pull_request !== undefined && data.pull_request !== null,
    url: data.html_url,
  };
}
