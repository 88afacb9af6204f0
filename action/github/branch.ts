/**
 * The working branch, written through the Git Data API (blobs, tree on a base
 * tree, commit, ref) so no checkout or push credentials are needed. Idempotent: writing
 * the same files again makes no commit, and a branch created concurrently by another run
 * is reconciled with, never duplicated.
 */
import { createHash } from "node:crypto";
import { sanitizeForCommit } from "./markdown-safety.js";
import { errorStatus, GitHubErrorText, isGitHubError, type GitHubClient } from "./octokit.js";

/** A file to write: text (UTF-8) or bytes. */
export interface BranchFile {
  path: string;
  content: string | Uint8Array;
  /**
   * "100755" for executables, "100644" otherwise. Absent: the mode the file has on the
   * parent commit (an edited script stays executable), "100644" for a new file.
   */
  mode?: "100644" | "100755";
}

/** What to commit, and where. */
export interface BranchCommitRequest {
  owner: string;
  repo: string;
  /** Branch name without refs/heads/, e.g. "ai-agent/issue-12". */
  branch: string;
  /** Commit to start the branch from when it does not exist yet. */
  baseSha: string;
  files: readonly BranchFile[];
  /** Paths to delete (absent paths are ignored). */
  deletions?: readonly string[];
  message: string;
  /** Trailers appended to the message ("Key: value" lines), in order. */
  trailers?: readonly (readonly [string, string])[];
  author?: { name: string; email: string };
  /**
   * Compare-and-swap: commit only if the branch head is still this commit. When it moved
   * (another run committed meanwhile), nothing is written and BranchMovedError is thrown
   * instead of building on top of the other run's commit.
   */
  expectedHead?: string;
}

/** The branch was not where `expectedHead` said: someone else committed first. */
export class BranchMovedError extends Error {
  constructor(
    readonly branch: string,
    readonly head: string | null,
  ) {
    super(`branch ${branch} moved to ${head ?? "(deleted)"} while this run worked`);
    this.name = "BranchMovedError";
  }
}

/** What happened. */
export interface BranchCommitResult {
  branch: string;
  /** The branch head after the call. */
  headSha: string;
  /** The new commit, or null when the branch already held exactly these files. */
  commitSha: string | null;
  /** True when this call created the branch. */
  createdBranch: boolean;
}

/**
 * A commit message with trailers, formatted as git expects: subject and body, a blank
 * line, then one "Key: value" per line. Trailer values are kept to one line.
 */
export function formatCommitMessage(
  message: string,
  trailers: readonly (readonly [string, string])[] = [],
): string {
  const text = message.replace(/\s+$/, "");
  if (trailers.length === 0) return `${text}\n`;
  const lines = trailers.map(([key, value]) => {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(key)) throw new Error(`invalid trailer key '${key}'`);
    return `${key}: ${value.replace(/\s*\n\s*/g, " ").trim()}`;
  });
  return `${text}\n\n${lines.join("\n")}\n`;
}

/**
 * `text` cut to at most `max` characters at a word boundary, with "…" where it was cut;
 * only a single word longer than half the limit is cut inside. Counts code points, so
 * no surrogate pair is split.
 */
export function shortenAtWord(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max - 1).join("");
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * A commit subject from untrusted text (the model's summary, an issue title): its first
 * line, spaces collapsed, at most `max` characters, closing keywords and mentions broken
 * (see sanitizeForCommit).
 */
export function commitSubject(text: string, max = 72): string {
  const line = (sanitizeForCommit(text).trim().split(/\r?\n/, 1)[0] ?? "")
    .replace(/\s+/g, " ")
    .trim();
  return shortenAtWord(line, max);
}

/** The git blob id of `content`, computed locally (sha1 over "blob <size>\0<bytes>"). */
export function gitBlobSha(content: string | Uint8Array): string {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

// A concurrent writer can win the race a couple of times in a row; more means something
// else is wrong.
const MAX_ATTEMPTS = 4;

/**
 * Creates or reuses `branch` and commits `files` (and `deletions`) onto it. Makes no
 * commit when the branch head already has exactly this content. When another run creates
 * the branch or moves it between our read and our write, re-reads it and tries again on
 * top of it.
 */
export async function commitToBranch(
  client: GitHubClient,
  request: BranchCommitRequest,
): Promise<BranchCommitResult> {
  const { owner, repo, branch } = request;
  for (let attempt = 1; ; attempt += 1) {
    const current = await readBranch(client, owner, repo, branch);
    if (request.expectedHead !== undefined && current !== request.expectedHead)
      throw new BranchMovedError(branch, current);
    const parentSha = current ?? request.baseSha;
    const { data: parent } = await client.rest.git.getCommit({
      owner,
      repo,
      commit_sha: parentSha,
    });
    const changes = await pendingChanges(client, request, parent.tree.sha);
    try {
      if (changes === null) {
        // Nothing to write. Still make sure the branch exists.
        if (current === null) await createRef(client, request, parentSha);
        return { branch, headSha: parentSha, commitSha: null, createdBranch: current === null };
      }
      const { data: tree } = await client.rest.git.createTree({
        owner,
        repo,
        base_tree: parent.tree.sha,
        tree: changes,
      });
      if (tree.sha === parent.tree.sha) {
        if (current === null) await createRef(client, request, parentSha);
        return { branch, headSha: parentSha, commitSha: null, createdBranch: current === null };
      }
      const { data: commit } = await client.rest.git.createCommit({
        owner,
        repo,
        message: formatCommitMessage(request.message, request.trailers),
        tree: tree.sha,
        parents: [parentSha],
        ...(request.author === undefined ? {} : { author: request.author }),
      });
      if (current === null) {
        await createRef(client, request, commit.sha);
      } else {
        await client.rest.git.updateRef({
          owner,
          repo,
          ref: `heads/${branch}`,
          sha: commit.sha,
          force: false,
        });
      }
      return {
        branch,
        headSha: commit.sha,
        commitSha: commit.sha,
        createdBranch: current === null,
      };
    } catch (error) {
      const raced =
        isGitHubError(error, 422, GitHubErrorText.referenceExists) ||
        isGitHubError(error, 422, GitHubErrorText.notFastForward);
      if (!raced || attempt >= MAX_ATTEMPTS) throw error;
      if (request.expectedHead !== undefined)
        throw new BranchMovedError(branch, await readBranch(client, owner, repo, branch));
      // Another run got there first: re-read the branch and build on what it wrote.
    }
  }
}

async function readBranch(
  client: GitHubClient,
  owner: string,
  repo: string,
  branch: string,
): Promise<string | null> {
  try {
    const { data } = await client.rest.git.getRef({ owner, repo, ref: `heads/${branch}` });
    return data.object.sha;
  } catch (error) {
    if (isGitHubError(error, 404)) return null;
    throw error;
  }
}

/**
 * Creates the branch at `sha`, without blind retries: a 5xx or a dropped connection can
 * come after GitHub made the branch, and a retry would then be told "Reference already
 * exists", as if another run had made it (and this run would not remove a branch it
 * made when its pull request cannot be opened). So look first: at `sha`, it is ours;
 * otherwise ask once more.
 */
async function createRef(
  client: GitHubClient,
  request: BranchCommitRequest,
  sha: string,
): Promise<void> {
  const create = () =>
    client.rest.git.createRef({
      owner: request.owner,
      repo: request.repo,
      ref: `refs/heads/${request.branch}`,
      sha,
      request: { retries: 0 },
    });
  try {
    await create();
  } catch (error) {
    const status = errorStatus(error);
    if (status !== undefined && status < 500) throw error;
    if ((await readBranch(client, request.owner, request.repo, request.branch)) === sha) return;
    // Absent: made now. Elsewhere: "already exists", and commitToBranch builds on it.
    await create();
  }
}

type TreeItem = {
  path: string;
  mode: "100644" | "100755";
  type: "blob";
} & ({ sha: string | null } | { content: string });

/**
 * The tree entries that would change the parent's tree, with blobs uploaded; null when
 * nothing would change. Comparing locally computed blob ids against the parent's tree
 * means a re-run uploads nothing at all.
 */
async function pendingChanges(
  client: GitHubClient,
  request: BranchCommitRequest,
  parentTree: string,
): Promise<TreeItem[] | null> {
  const { owner, repo } = request;
  const { data: listing } = await client.rest.git.getTree({
    owner,
    repo,
    tree_sha: parentTree,
    recursive: "1",
  });
  // A truncated listing cannot prove absence; then write everything and let the tree
  // comparison decide.
  const known = new Map<string, { sha: string; mode: string }>();
  for (const entry of listing.tree) {
    if (entry.type === "blob" && entry.path !== undefined && entry.sha !== undefined) {
      known.set(entry.path, { sha: entry.sha, mode: entry.mode ?? "100644" });
    }
  }
  const complete = !listing.truncated;
  const items: TreeItem[] = [];
  for (const file of request.files) {
    const path = normalisePath(file.path);
    const existing = known.get(path);
    const mode = file.mode ?? (existing?.mode === "100755" ? "100755" : "100644");
    const sha = gitBlobSha(file.content);
    if (complete && existing?.sha === sha && existing.mode === mode) continue;
    if (typeof file.content === "string") {
      // Text goes inline in the tree: one write fewer per file than a blob upload, and
      // writes are what GitHub's secondary rate limits count.
      items.push({ path, mode, type: "blob", content: file.content });
      continue;
    }
    const { data: blob } = await client.rest.git.createBlob({
      owner,
      repo,
      content: Buffer.from(file.content).toString("base64"),
      encoding: "base64",
    });
    items.push({ path, mode, type: "blob", sha: blob.sha });
  }
  for (const raw of request.deletions ?? []) {
    const path = normalisePath(raw);
    if (complete && !known.has(path)) continue;
    items.push({ path, mode: "100644", type: "blob", sha: null });
  }
  return items.length === 0 ? null : items;
}

function normalisePath(path: string): string {
  const clean = path.replace(/\\/g, "/").replace(/^\/+/, "");
  if (clean === "" || clean.split("/").some((s) => s === "" || s === "." || s === "..")) {
    throw new Error(`invalid repository path '${path}'`);
  }
  return clean;
}
