/**
 * Repository routes: the repository itself, branches, contents, compare, and collaborator
 * permissions.
 */
import { collaboratorPermission, contentItem, repository, restCommit } from "./representations.js";
import { HttpError, type RouteContext, type RouteDefinition } from "./router.js";

/** The repository routes. */
export const repoRoutes: RouteDefinition[] = [
  {
    method: "GET",
    template: "/repos/{owner}/{repo}",
    scope: "metadata",
    handler: (context) =>
      Promise.resolve({
        status: 200,
        body: repository(context.urls, context.store, context.repo),
      }),
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/branches/{branch}",
    scope: "contents",
    handler: async (context) => {
      const branch = context.params.branch ?? "";
      const sha = await context.repo.git.resolveRef(`refs/heads/${branch}`);
      if (sha === null) throw new HttpError(404, "Branch not found");
      const commit = await context.repo.git.readCommit(sha);
      const api = `${context.urls.api}/repos/${context.repo.owner}/${context.repo.name}`;
      return {
        status: 200,
        body: {
          name: branch,
          commit: restCommit(context.urls, context.repo, commit),
          _links: {
            self: `${api}/branches/${encodeURIComponent(branch)}`,
            html: `${context.urls.html}/${context.repo.owner}/${context.repo.name}/tree/${branch}`,
          },
          protected: false,
          protection: {
            enabled: false,
            required_status_checks: { enforcement_level: "off", contexts: [], checks: [] },
          },
          protection_url: `${api}/branches/${encodeURIComponent(branch)}/protection`,
        },
      };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/contents/{path}",
    scope: "contents",
    handler: async (context) => {
      const ref = context.query.ref ?? context.repo.defaultBranch;
      const commit = await resolveCommit(context, ref);
      if (commit === null) throw new HttpError(404, `No commit found for the ref ${ref}`);
      const filePath = (context.params.path ?? "").replace(/^\/+|\/+$/g, "");
      const entry = await context.repo.git.entryAt(commit, filePath);
      if (entry === null) throw new HttpError(404, "Not Found");
      if (entry.type === "tree") {
        const children = await context.repo.git.listTree(entry.sha, false);
        return {
          status: 200,
          body: children.map((child) =>
            contentItem(context.urls, context.repo, ref, {
              ...child,
              path: filePath === "" ? child.path : `${filePath}/${child.path}`,
            }),
          ),
        };
      }
      const bytes = await context.repo.git.readBlob(entry.sha);
      return { status: 200, body: contentItem(context.urls, context.repo, ref, entry, bytes) };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/compare/{basehead}",
    scope: "contents",
    handler: async (context) => {
      const basehead = context.params.basehead ?? "";
      const split = basehead.indexOf("...");
      if (split === -1) throw new HttpError(404, "Not Found");
      const base = await resolveCommit(context, basehead.slice(0, split));
      const head = await resolveCommit(context, basehead.slice(split + 3));
      if (base === null || head === null) throw new HttpError(404, "Not Found");
      const git = context.repo.git;
      const mergeBase = (await git.mergeBase(base, head)) ?? base;
      const ahead = await git.commitsBetween(mergeBase, head);
      const behind = await git.commitsBetween(mergeBase, base);
      const status =
        ahead.length === 0 && behind.length === 0
          ? "identical"
          : behind.length === 0
            ? "ahead"
            : ahead.length === 0
              ? "behind"
              : "diverged";
      const api = `${context.urls.api}/repos/${context.repo.owner}/${context.repo.name}`;
      const html = `${context.urls.html}/${context.repo.owner}/${context.repo.name}`;
      const toJson = async (sha: string): Promise<Record<string, unknown>> =>
        restCommit(context.urls, context.repo, await git.readCommit(sha));
      return {
        status: 200,
        body: {
          url: `${api}/compare/${basehead}`,
          html_url: `${html}/compare/${basehead}`,
          permalink_url: `${html}/compare/${base}...${head}`,
          diff_url: `${html}/compare/${basehead}.diff`,
          patch_url: `${html}/compare/${basehead}.patch`,
          base_commit: await toJson(base),
          merge_base_commit: await toJson(mergeBase),
          status,
          ahead_by: ahead.length,
          behind_by: behind.length,
          total_commits: ahead.length,
          commits: await Promise.all(ahead.map(toJson)),
          files: [],
        },
      };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/collaborators/{username}/permission",
    scope: "metadata",
    handler: (context) => {
      const username = context.params.username ?? "";
      const user = context.store.users.get(username.toLowerCase());
      if (user === undefined) throw new HttpError(404, "Not Found");
      const permission = context.store.permission(context.repo, user.login);
      return Promise.resolve({
        status: 200,
        body: collaboratorPermission(context.urls, user, permission),
      });
    },
  },
];

/** Resolves a branch, tag or sha to a commit sha, or null. */
export async function resolveCommit(context: RouteContext, ref: string): Promise<string | null> {
  if (ref.startsWith("-")) return null;
  try {
    const out = await context.repo.git.git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
    return out.trim();
  } catch {
    return null;
  }
}
