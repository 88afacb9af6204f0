/**
 * Who may drive the Action: a user's permission on the repository, read from
 * `GET /repos/{owner}/{repo}/collaborators/{username}/permission`.
 */
import { errorStatus, type GitHubClient } from "./octokit.js";

/** Repository roles, weakest first. */
export type RepoPermission = "none" | "read" | "triage" | "write" | "maintain" | "admin";

const ORDER: readonly RepoPermission[] = ["none", "read", "triage", "write", "maintain", "admin"];

/**
 * The user's role on the repository. `role_name` carries the fine-grained role
 * (maintain/triage); the legacy `permission` field folds them into write/read and is used
 * only when the role is a custom one. A user GitHub does not know has no access.
 */
export async function getRepoPermission(
  client: GitHubClient,
  target: { owner: string; repo: string; username: string },
): Promise<RepoPermission> {
  try {
    const { data } = await client.rest.repos.getCollaboratorPermissionLevel({
      owner: target.owner,
      repo: target.repo,
      username: target.username,
    });
    const role = data.role_name as RepoPermission;
    if (ORDER.includes(role)) return role;
    const legacy = data.permission as RepoPermission;
    return ORDER.includes(legacy) ? legacy : "none";
  } catch (error) {
    if (errorStatus(error) === 404) return "none";
    throw error;
  }
}

/** True when `permission` is at least write (write, maintain or admin). */
export function isWriteLevel(permission: RepoPermission): boolean {
  return ORDER.indexOf(permission) >= ORDER.indexOf("write");
}

/** Whether the user can push to the repository (admin, maintain or write). */
export async function hasWriteAccess(
  client: GitHubClient,
  target: { owner: string; repo: string; username: string },
): Promise<boolean> {
  return isWriteLevel(await getRepoPermission(client, target));
}
