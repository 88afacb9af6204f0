/**
 * Git Data API routes (refs, blobs, trees, commits), each backed by the repository's real
 * bare git directory.
 */
import { isSha, isoSeconds, type GitSignature, type TreeChange } from "./git-repository.js";
import { gitCommit, gitRef, nodeId, treeEntry } from "./representations.js";
import { bodyOf, HttpError, type RouteContext, type RouteDefinition } from "./router.js";

const ZERO_SHA = "0".repeat(40);

/** The Git Data API routes. */
export const gitRoutes: RouteDefinition[] = [
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/git/ref/{ref}",
    scope: "contents",
    handler: async (context) => {
      const ref = `refs/${context.params.ref ?? ""}`;
      const found = (await context.repo.git.listRefs(ref)).find((r) => r.ref === ref);
      if (found === undefined) throw new HttpError(404, "Not Found");
      return { status: 200, body: gitRef(context.urls, context.repo, ref, found.sha, found.type) };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/git/matching-refs/{ref}",
    scope: "contents",
    handler: async (context) => {
      const prefix = `refs/${context.params.ref ?? ""}`;
      const refs = await context.repo.git.listRefs(prefix);
      return {
        status: 200,
        body: refs.map((r) => gitRef(context.urls, context.repo, r.ref, r.sha, r.type)),
      };
    },
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/git/refs",
    scope: "contents",
    handler: async (context) => {
      const { ref, sha } = bodyOf<{ ref: string; sha: string }>(context);
      if (!/^refs\/[^/]+\/.+/.test(ref) || !(await validRefName(context, ref))) {
        throw new HttpError(422, `${ref} is not a valid ref name.`);
      }
      if ((await context.repo.git.objectType(sha)) === null) {
        throw new HttpError(422, "Object does not exist");
      }
      try {
        // Compare-and-swap against "absent": two concurrent creates cannot both win.
        await context.repo.git.updateRef(ref, sha, ZERO_SHA);
      } catch {
        throw new HttpError(422, "Reference already exists");
      }
      const type = (await context.repo.git.objectType(sha)) ?? "commit";
      return { status: 201, body: gitRef(context.urls, context.repo, ref, sha, type) };
    },
  },
  {
    method: "PATCH",
    template: "/repos/{owner}/{repo}/git/refs/{ref}",
    scope: "contents",
    handler: async (context) => {
      const ref = `refs/${context.params.ref ?? ""}`;
      const { sha, force } = bodyOf<{ sha: string; force?: boolean }>(context);
      const current = await context.repo.git.resolveRef(ref);
      if (current === null) throw new HttpError(422, "Reference does not exist");
      const type = await context.repo.git.objectType(sha);
      if (type === null) throw new HttpError(422, "Object does not exist");
      if (force !== true && !(await context.repo.git.isAncestor(current, sha))) {
        throw new HttpError(422, "Update is not a fast forward");
      }
      try {
        await context.repo.git.updateRef(ref, sha, current);
      } catch {
        // Someone moved the ref between our read and our write.
        throw new HttpError(422, "Update is not a fast forward");
      }
      return { status: 200, body: gitRef(context.urls, context.repo, ref, sha, type) };
    },
  },
  {
    method: "DELETE",
    template: "/repos/{owner}/{repo}/git/refs/{ref}",
    scope: "contents",
    handler: async (context) => {
      const ref = `refs/${context.params.ref ?? ""}`;
      if ((await context.repo.git.resolveRef(ref)) === null) {
        throw new HttpError(422, "Reference does not exist");
      }
      await context.repo.git.deleteRef(ref);
      return { status: 204 };
    },
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/git/blobs",
    scope: "contents",
    handler: async (context) => {
      const { content, encoding } = bodyOf<{ content: string; encoding?: string }>(context);
      if (encoding !== undefined && encoding !== "utf-8" && encoding !== "base64") {
        throw new HttpError(422, `encoding must be one of: utf-8, base64`);
      }
      const bytes = Buffer.from(content, encoding === "base64" ? "base64" : "utf8");
      const sha = await context.repo.git.writeBlob(bytes);
      return { status: 201, body: { url: blobUrl(context, sha), sha } };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/git/blobs/{file_sha}",
    scope: "contents",
    handler: async (context) => {
      const sha = context.params.file_sha ?? "";
      if ((await context.repo.git.objectType(sha)) !== "blob")
        throw new HttpError(404, "Not Found");
      const bytes = await context.repo.git.readBlob(sha);
      return {
        status: 200,
        body: {
          sha,
          node_id: nodeId("Blob", sha),
          size: bytes.length,
          url: blobUrl(context, sha),
          content: bytes.toString("base64").replace(/.{60}/g, "$&\n"),
          encoding: "base64",
        },
      };
    },
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/git/trees",
    scope: "contents",
    handler: async (context) => {
      const { tree, base_tree: baseTree } = bodyOf<{
        tree: {
          path?: string;
          mode?: string;
          type?: string;
          sha?: string | null;
          content?: string;
        }[];
        base_tree?: string;
      }>(context);
      const git = context.repo.git;
      if (baseTree !== undefined && (await git.objectType(baseTree)) !== "tree") {
        throw new HttpError(422, "base_tree is not a valid tree oid");
      }
      const changes: TreeChange[] = [];
      for (const [i, entry] of tree.entries()) {
        const path = entry.path ?? "";
        if (
          path === "" ||
          path.startsWith("/") ||
          path.endsWith("/") ||
          /(^|\/)\.\.?(\/|$)/.test(path)
        ) {
          throw new HttpError(422, `tree.path contains a malformed path component`, {
            errors: [`tree[${i}].path is invalid`],
          });
        }
        if (entry.mode === undefined || entry.type === undefined) {
          throw new HttpError(422, "Invalid tree info", {
            errors: [`tree[${i}] needs mode and type`],
          });
        }
        if (entry.content !== undefined && entry.sha !== undefined) {
          throw new HttpError(422, "Invalid tree info", {
            errors: [`tree[${i}] must not have both sha and content`],
          });
        }
        let sha: string | null;
        if (entry.content !== undefined) {
          sha = await git.writeBlob(Buffer.from(entry.content, "utf8"));
        } else if (entry.sha === null) {
          sha = null;
        } else if (entry.sha !== undefined && (await git.objectType(entry.sha)) === entry.type) {
          sha = entry.sha;
        } else if (entry.type === "commit" && entry.sha !== undefined && isSha(entry.sha)) {
          sha = entry.sha; // a submodule points into another repository
        } else {
          throw new HttpError(
            422,
            `tree.sha ${entry.sha ?? "(missing)"} is not a valid ${entry.type}`,
          );
        }
        changes.push({ path, mode: entry.mode, type: entry.type as TreeChange["type"], sha });
      }
      const sha = await git.buildTree(baseTree ?? null, changes);
      const entries = await git.listTree(sha, false);
      return {
        status: 201,
        body: {
          sha,
          url: `${repoApi(context)}/git/trees/${sha}`,
          tree: entries.map((e) => treeEntry(context.urls, context.repo, e)),
          truncated: false,
        },
      };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/git/trees/{tree_sha}",
    scope: "contents",
    handler: async (context) => {
      const treeish = context.params.tree_sha ?? "";
      let sha: string;
      try {
        // GitHub accepts a tree sha, a commit sha or a ref name here.
        sha = (
          await context.repo.git.git([
            "rev-parse",
            "--verify",
            "--end-of-options",
            `${treeish}^{tree}`,
          ])
        ).trim();
      } catch {
        throw new HttpError(404, "Not Found");
      }
      const recursive = context.query.recursive !== undefined && context.query.recursive !== "";
      const entries = await context.repo.git.listTree(sha, recursive);
      return {
        status: 200,
        body: {
          sha,
          url: `${repoApi(context)}/git/trees/${sha}`,
          tree: entries.map((e) => treeEntry(context.urls, context.repo, e)),
          truncated: false,
        },
      };
    },
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/git/commits",
    scope: "contents",
    handler: async (context) => {
      const body = bodyOf<{
        message: string;
        tree: string;
        parents?: string[];
        author?: { name: string; email: string; date?: string };
        committer?: { name?: string; email?: string; date?: string };
      }>(context);
      const git = context.repo.git;
      if ((await git.objectType(body.tree)) !== "tree") {
        throw new HttpError(422, "Tree SHA does not exist");
      }
      for (const parent of body.parents ?? []) {
        if ((await git.objectType(parent)) !== "commit") {
          throw new HttpError(422, "Parent SHA does not exist or is not a commit object");
        }
      }
      const now = isoSeconds(new Date());
      const actor: GitSignature = {
        name: context.actor.login,
        email: `${context.actor.id}+${context.actor.login}@users.noreply.github.com`,
        date: now,
      };
      const author: GitSignature =
        body.author === undefined
          ? actor
          : { name: body.author.name, email: body.author.email, date: body.author.date ?? now };
      const committer: GitSignature =
        body.committer === undefined
          ? { ...author, date: now }
          : {
              name: body.committer.name ?? author.name,
              email: body.committer.email ?? author.email,
              date: body.committer.date ?? now,
            };
      const sha = await git.createCommit({
        tree: body.tree,
        parents: body.parents ?? [],
        message: body.message,
        author,
        committer,
      });
      const commit = await git.readCommit(sha);
      return { status: 201, body: gitCommit(context.urls, context.repo, commit) };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/git/commits/{commit_sha}",
    scope: "contents",
    handler: async (context) => {
      const sha = context.params.commit_sha ?? "";
      if ((await context.repo.git.objectType(sha)) !== "commit") {
        throw new HttpError(404, "Not Found");
      }
      const commit = await context.repo.git.readCommit(sha);
      return { status: 200, body: gitCommit(context.urls, context.repo, commit) };
    },
  },
];

function repoApi(context: RouteContext): string {
  return `${context.urls.api}/repos/${context.repo.owner}/${context.repo.name}`;
}

function blobUrl(context: RouteContext, sha: string): string {
  return `${repoApi(context)}/git/blobs/${sha}`;
}

async function validRefName(context: RouteContext, ref: string): Promise<boolean> {
  try {
    await context.repo.git.git(["check-ref-format", ref]);
    return true;
  } catch {
    return false;
  }
}
