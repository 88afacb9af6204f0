/**
 * Files a plan would change that hold uncommitted work. `apply` writes over and deletes
 * files in place, as `/approve` does on a fresh checkout; on a developer's working tree
 * that would lose their own edits, so those files are refused unless asked otherwise.
 */
import { execFileSync } from "node:child_process";

/**
 * The paths among `paths` that differ from HEAD or are untracked, per `git status`; empty
 * when `dir` is not a git checkout (there is nothing to compare with).
 */
export function dirtyFiles(dir: string, paths: readonly string[]): string[] {
  if (paths.length === 0) return [];
  let status: string;
  try {
    status = execFileSync(
      "git",
      ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", ...paths],
      { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
    );
  } catch {
    return [];
  }
  // Entries are "XY path", NUL-separated; a rename adds its source as one more entry.
  const dirty: string[] = [];
  const entries = status.split("\0");
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] ?? "";
    if (entry.length < 4) continue;
    dirty.push(entry.slice(3));
    if (entry[0] === "R" || entry[0] === "C") i++;
  }
  return dirty;
}

/** Whether `dir` is inside a git work tree. */
export function isGitCheckout(dir: string): boolean {
  try {
    execFileSync("git", ["rev-parse", "--is-inside-work-tree"], {
      cwd: dir,
      stdio: ["ignore", "pipe", "ignore"],
    });
    return true;
  } catch {
    return false;
  }
}
