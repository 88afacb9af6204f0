/**
 * A real bare git repository driven through the `git` CLI. The emulator's refs, commits,
 * trees and blobs live here, so what the Git Data API writes is what `git clone` reads
 * and what `git push` writes is what the API serves.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { appendFile, mkdtemp, rm, mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** Raised when git refuses an operation; carries git's own words. */
export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.join(" ")} failed (${code ?? "signal"}): ${stderr.trim()}`);
    this.name = "GitCommandError";
  }
}

/** One entry of a tree, with the path relative to the tree that was listed. */
export interface TreeEntry {
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  path: string;
  /** Blob size in bytes; undefined for trees and submodules. */
  size: number | undefined;
}

/** A git identity with its time. */
export interface GitSignature {
  name: string;
  email: string;
  /** ISO 8601, UTC, no fraction: the form GitHub serves. */
  date: string;
}

/** A parsed commit object. */
export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  author: GitSignature;
  committer: GitSignature;
  message: string;
}

/** A change to apply to a tree, in the Git Data API's terms. */
export interface TreeChange {
  path: string;
  mode: string;
  type: "blob" | "tree" | "commit";
  /** Object to place at `path`; `null` deletes the path (and anything under it). */
  sha: string | null;
}

const SHA = /^[0-9a-f]{40}$/;

/** True when `value` is a full hexadecimal object id. */
export function isSha(value: string): boolean {
  return SHA.test(value);
}

/** Environment that isolates git from the machine's and the user's configuration. */
export function isolatedGitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: os.tmpdir(),
    LANG: "C",
    LC_ALL: "C",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    ...extra,
  };
}

/** Runs git and resolves with stdout; rejects with {@link GitCommandError}. */
export function runGit(
  args: readonly string[],
  options: { cwd?: string; input?: string | Buffer; env?: Record<string, string> } = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd: options.cwd,
      env: isolatedGitEnv(options.env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new GitCommandError(args, code, Buffer.concat(err).toString("utf8")));
    });
    child.stdin.on("error", () => {
      // git may exit before reading all input; the exit code tells what happened.
    });
    child.stdin.end(options.input ?? "");
  });
}

/** A bare repository on disk. */
export class GitRepository {
  private constructor(readonly gitDir: string) {}

  /** Creates an empty bare repository whose HEAD points at `defaultBranch`. */
  static async init(gitDir: string, defaultBranch: string): Promise<GitRepository> {
    await mkdir(gitDir, { recursive: true });
    await runGit(["init", "--quiet", "--bare", `--initial-branch=${defaultBranch}`, gitDir]);
    // Pushes over smart HTTP arrive as the authenticated user: allow them. GitHub serves
    // fetches by sha (actions/checkout does this) and partial clones. Appended directly
    // rather than through `git config`: three fewer processes per repository.
    await appendFile(
      path.join(gitDir, "config"),
      "[http]\n\treceivepack = true\n" +
        "[uploadpack]\n\tallowReachableSHA1InWant = true\n\tallowFilter = true\n",
    );
    return new GitRepository(gitDir);
  }

  /** Runs git against this repository. */
  async git(
    args: readonly string[],
    options: { input?: string | Buffer; env?: Record<string, string> } = {},
  ): Promise<string> {
    return (await runGit(["--git-dir", this.gitDir, ...args], options)).toString("utf8");
  }

  /**
   * Commits the contents of `directory` (or of `files`) as a root commit on `branch`.
   * Returns the commit sha.
   */
  async seed(
    branch: string,
    source: { directory: string } | { files: Record<string, string | Buffer> },
    signature: GitSignature,
    message = "Initial commit",
  ): Promise<string> {
    const scratch = await mkdtemp(path.join(os.tmpdir(), "gh-emulator-seed-"));
    try {
      let directory: string;
      if ("directory" in source) {
        directory = source.directory;
      } else {
        directory = path.join(scratch, "tree");
        for (const [file, content] of Object.entries(source.files)) {
          const target = path.join(directory, file);
          await mkdir(path.dirname(target), { recursive: true });
          await writeFile(target, content);
        }
        await mkdir(directory, { recursive: true });
      }
      const env = { GIT_INDEX_FILE: path.join(scratch, "index") };
      await this.git(["--work-tree", directory, "add", "--all", "."], { env });
      const tree = (await this.git(["write-tree"], { env })).trim();
      const sha = await this.createCommit({
        tree,
        parents: [],
        message,
        author: signature,
        committer: signature,
      });
      await this.git(["update-ref", `refs/heads/${branch}`, sha]);
      return sha;
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /** The sha a full ref name points at, or null. */
  async resolveRef(ref: string): Promise<string | null> {
    const refs = await this.listRefs(ref);
    return refs.find((r) => r.ref === ref)?.sha ?? null;
  }

  /** Refs whose full name starts with `prefix`, sorted by name. */
  async listRefs(prefix = "refs/"): Promise<{ ref: string; sha: string; type: string }[]> {
    const out = await this.git(["for-each-ref", "--format=%(refname) %(objectname) %(objecttype)"]);
    return out
      .split("\n")
      .filter((line) => line.length > 0)
      .map((line) => {
        const [ref = "", sha = "", type = ""] = line.split(" ");
        return { ref, sha, type };
      })
      .filter((r) => r.ref.startsWith(prefix))
      .sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  }

  /**
   * Points `ref` at `sha`; with `expectedOld` the update is atomic compare-and-swap
   * (use the zero id for "must not exist").
   */
  async updateRef(ref: string, sha: string, expectedOld?: string): Promise<void> {
    const args = ["update-ref", ref, sha];
    if (expectedOld !== undefined) args.push(expectedOld);
    await this.git(args);
  }

  /** Deletes `ref`. */
  async deleteRef(ref: string): Promise<void> {
    await this.git(["update-ref", "-d", ref]);
  }

  /** The type of an object, or null when it does not exist. */
  async objectType(sha: string): Promise<"blob" | "tree" | "commit" | "tag" | null> {
    if (!isSha(sha)) return null;
    try {
      return (await this.git(["cat-file", "-t", sha])).trim() as "blob" | "tree" | "commit";
    } catch {
      return null;
    }
  }

  /** Writes a blob and returns its sha. */
  async writeBlob(content: Buffer): Promise<string> {
    return (await this.git(["hash-object", "-w", "--stdin"], { input: content })).trim();
  }

  /** Reads a blob's bytes. */
  async readBlob(sha: string): Promise<Buffer> {
    return runGit(["--git-dir", this.gitDir, "cat-file", "blob", sha]);
  }

  /** Lists a tree (recursively with `recursive`, trees included as GitHub does). */
  async listTree(treeish: string, recursive: boolean): Promise<TreeEntry[]> {
    const args = ["ls-tree", "-l", "-z", ...(recursive ? ["-r", "-t"] : []), treeish];
    const out = await this.git(args);
    return out
      .split("\0")
      .filter((line) => line.length > 0)
      .map((line) => {
        const tab = line.indexOf("\t");
        const [mode = "", type = "", sha = "", size = ""] = line.slice(0, tab).split(/\s+/);
        return {
          mode,
          type: type as TreeEntry["type"],
          sha,
          path: line.slice(tab + 1),
          size: size === "-" ? undefined : Number(size),
        };
      });
  }

  /** The entry at `filePath` inside `treeish`, or null. An empty path means the root. */
  async entryAt(treeish: string, filePath: string): Promise<TreeEntry | null> {
    if (filePath === "") {
      const sha = (await this.git(["rev-parse", `${treeish}^{tree}`])).trim();
      return { mode: "040000", type: "tree", sha, path: "", size: undefined };
    }
    const out = await this.git(["ls-tree", "-l", "-z", treeish, "--", filePath]);
    const line = out.split("\0").find((l) => l.length > 0);
    if (line === undefined) return null;
    const tab = line.indexOf("\t");
    const [mode = "", type = "", sha = "", size = ""] = line.slice(0, tab).split(/\s+/);
    if (line.slice(tab + 1) !== filePath) return null;
    return {
      mode,
      type: type as TreeEntry["type"],
      sha,
      path: filePath,
      size: size === "-" ? undefined : Number(size),
    };
  }

  /**
   * Builds a tree from `base` (or nothing) plus `changes`, the way `POST /git/trees`
   * does: later entries win, a null sha deletes a path and everything below it.
   */
  async buildTree(base: string | null, changes: readonly TreeChange[]): Promise<string> {
    const entries = new Map<string, { mode: string; type: string; sha: string }>();
    if (base !== null) {
      for (const e of await this.listTree(base, true)) {
        if (e.type !== "tree") entries.set(e.path, e);
      }
    }
    const removeUnder = (prefix: string): void => {
      for (const key of [...entries.keys()]) {
        if (key === prefix || key.startsWith(`${prefix}/`)) entries.delete(key);
      }
    };
    for (const change of changes) {
      removeUnder(change.path);
      // A file replacing a directory's parent path: drop the file that was in the way.
      const segments = change.path.split("/");
      for (let i = 1; i < segments.length; i += 1) entries.delete(segments.slice(0, i).join("/"));
      if (change.sha === null) continue;
      if (change.type === "tree") {
        for (const e of await this.listTree(change.sha, true)) {
          if (e.type !== "tree") entries.set(`${change.path}/${e.path}`, e);
        }
      } else {
        entries.set(change.path, { mode: change.mode, type: change.type, sha: change.sha });
      }
    }
    const scratch = path.join(os.tmpdir(), `gh-emulator-index-${randomUUID()}`);
    try {
      const env = { GIT_INDEX_FILE: scratch };
      await this.git(["read-tree", "--empty"], { env });
      // NUL-terminated records: a path may hold a newline, as git allows.
      const records = [...entries].map(([p, e]) => `${e.mode} ${e.sha}\t${p}\0`).join("");
      if (records.length > 0) {
        await this.git(["update-index", "-z", "--add", "--index-info"], { input: records, env });
      }
      return (await this.git(["write-tree"], { env })).trim();
    } finally {
      await rm(scratch, { force: true });
    }
  }

  /** Writes a commit object and returns its sha. */
  async createCommit(commit: {
    tree: string;
    parents: readonly string[];
    message: string;
    author: GitSignature;
    committer: GitSignature;
  }): Promise<string> {
    const args = ["commit-tree", commit.tree];
    for (const parent of commit.parents) args.push("-p", parent);
    const out = await this.git(args, {
      input: commit.message,
      env: {
        GIT_AUTHOR_NAME: commit.author.name,
        GIT_AUTHOR_EMAIL: commit.author.email,
        GIT_AUTHOR_DATE: commit.author.date,
        GIT_COMMITTER_NAME: commit.committer.name,
        GIT_COMMITTER_EMAIL: commit.committer.email,
        GIT_COMMITTER_DATE: commit.committer.date,
      },
    });
    return out.trim();
  }

  /** Reads and parses a commit object. */
  async readCommit(sha: string): Promise<CommitInfo> {
    const raw = await this.git(["cat-file", "commit", sha]);
    const split = raw.indexOf("\n\n");
    const header = split === -1 ? raw : raw.slice(0, split);
    const message = split === -1 ? "" : raw.slice(split + 2);
    const info: CommitInfo = {
      sha,
      tree: "",
      parents: [],
      author: { name: "", email: "", date: "" },
      committer: { name: "", email: "", date: "" },
      message,
    };
    for (const line of header.split("\n")) {
      const space = line.indexOf(" ");
      const key = line.slice(0, space);
      const value = line.slice(space + 1);
      if (key === "tree") info.tree = value;
      else if (key === "parent") info.parents.push(value);
      else if (key === "author") info.author = parseSignature(value);
      else if (key === "committer") info.committer = parseSignature(value);
    }
    return info;
  }

  /** Commits reachable from `head` but not from `base`, oldest first. */
  async commitsBetween(base: string, head: string): Promise<string[]> {
    const out = await this.git(["rev-list", "--reverse", `${base}..${head}`]);
    return out.split("\n").filter((line) => line.length > 0);
  }

  /** The best common ancestor of two commits, or null. */
  async mergeBase(a: string, b: string): Promise<string | null> {
    try {
      return (await this.git(["merge-base", a, b])).trim();
    } catch {
      return null;
    }
  }

  /** True when `ancestor` is reachable from `descendant`. */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    try {
      await this.git(["merge-base", "--is-ancestor", ancestor, descendant]);
      return true;
    } catch {
      return false;
    }
  }
}

function parseSignature(value: string): GitSignature {
  const match = /^(.*) <([^>]*)> (\d+) ([+-]\d{4})$/.exec(value);
  if (match === null) return { name: value, email: "", date: new Date(0).toISOString() };
  const [, name = "", email = "", seconds = "0"] = match;
  return { name, email, date: isoSeconds(new Date(Number(seconds) * 1000)) };
}

/** ISO 8601 in UTC without milliseconds, the form GitHub's API uses. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
