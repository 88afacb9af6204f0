/**
 * Files a plan would change that hold work git could not give back. `apply` writes over
 * and deletes files in place, as `/approve` does on a fresh checkout; on a developer's
 * working tree that would lose their own edits, so those files are refused unless asked
 * otherwise.
 */
import { spawnSync } from "node:child_process";
import { normalizeRepoPath } from "../action/edits/path-policy.js";

/**
 * The plan's paths (as the edits will name them) that differ from HEAD, are untracked,
 * are ignored (git keeps no copy of them), or whose changes git is told to hide
 * (assume-unchanged, skip-worktree); empty when `dir` is not a git checkout. Paths are
 * literal, never pathspec magic: a plan path such as `:!a.txt` is the model's, not ours.
 * Throws when git cannot answer inside a checkout, so that nothing is written unchecked.
 */
export function dirtyFiles(dir: string, rawPaths: readonly string[]): string[] {
  const paths = [
    ...new Set(
      rawPaths.flatMap((raw) => {
        const normal = normalizeRepoPath(raw);
        return normal.ok ? [normal.path] : [];
      }),
    ),
  ];
  if (paths.length === 0 || !isGitCheckout(dir)) return [];
  const git = (args: string[]): string => {
    const run = spawnSync("git", ["--literal-pathspecs", ...args, "--", ...paths], {
      cwd: dir,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0)
      throw new Error(
        `git could not say whether the plan's files hold uncommitted work: ${(run.stderr ?? "").trim().slice(0, 300)}`,
      );
    return run.stdout;
  };
  const dirty = new Set<string>();
  // Entries are "XY path", NUL-separated; a rename or copy adds its source as one more.
  const status = git([
    "status",
    "--porcelain=v1",
    "-z",
    "--untracked-files=all",
    "--ignored=matching",
  ]).split("\0");
  for (let i = 0; i < status.length; i++) {
    const entry = status[i] ?? "";
    if (entry.length < 4) continue;
    dirty.add(entry.slice(3));
    if (entry[0] === "R" || entry[0] === "C") i++;
  }
  // "S": skip-worktree; a lowercase tag: assume-unchanged. git status hides both.
  for (const entry of git(["ls-files", "-v", "-z"]).split("\0")) {
    if (entry.length > 2 && (entry[0] === "S" || /^[a-z]/.test(entry))) dirty.add(entry.slice(2));
  }
  return [...dirty].sort();
}

/** Whether `dir` is inside a git work tree. */
export function isGitCheckout(dir: string): boolean {
  return (
    spawnSync("git", ["rev-parse", "--is-inside-work-tree"], {
      cwd: dir,
      stdio: ["ignore", "pipe", "ignore"],
    }).status === 0
  );
}
