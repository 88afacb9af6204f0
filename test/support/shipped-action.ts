import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The Action as a runner gets it: `uses: owner/issue-agent@ref` downloads the repository
 * at that ref — no `node_modules`, no build step — and runs `dist/index.js` with the
 * Node of `runs.using`. This extracts the same tree (`git archive`, so `export-ignore`
 * and everything not committed stay out) into a directory under the system temp
 * directory, once per tree, and returns it.
 *
 * With a clean working tree the tree is exactly `HEAD`'s; with uncommitted changes
 * (a developer rebuilding dist/ before committing) it is the tree that committing
 * everything would make, built in a scratch index so that nothing is staged.
 */
export function shippedTree(): string {
  const tree = workingTree();
  const dir = path.join(os.tmpdir(), `issue-agent-shipped-${tree.slice(0, 16)}`);
  if (!existsSync(path.join(dir, "action.yml"))) {
    // Parallel test processes may extract at once: each writes its own copy, and the
    // first rename wins.
    const part = mkdtempSync(`${dir}.part-`);
    execFileSync("sh", ["-c", `git archive --format=tar "$1" | tar -x -C "$2"`, "sh", tree, part], {
      cwd: ROOT,
    });
    try {
      renameSync(part, dir);
    } catch {
      rmSync(part, { recursive: true, force: true });
    }
  }
  assertNoModulesAbove(dir);
  return dir;
}

/** The tree object of the working tree as it would be committed (tracked and new files). */
function workingTree(): string {
  const git = (args: string[], env?: NodeJS.ProcessEnv) =>
    execFileSync("git", args, {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, ...env },
    }).trim();
  if (git(["status", "--porcelain"]) === "") return git(["rev-parse", "HEAD^{tree}"]);
  const scratch = mkdtempSync(path.join(os.tmpdir(), "issue-agent-index-"));
  try {
    const env = { GIT_INDEX_FILE: path.join(scratch, "index") };
    git(["read-tree", "HEAD"], env);
    git(["add", "--all", "."], env);
    return git(["write-tree"], env);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Node resolves a bare `require("x")` through every `node_modules` above the script: one
 * anywhere up the path would let a bundle that is not self-contained pass.
 */
function assertNoModulesAbove(dir: string): void {
  for (let at = dir; ; at = path.dirname(at)) {
    if (existsSync(path.join(at, "node_modules")))
      throw new Error(
        `${at} holds node_modules: the shipped Action must run where none is reachable`,
      );
    if (path.dirname(at) === at) break;
  }
}
