/**
 * Which files a repository's history changed together, before an instance's base commit:
 * the link a reviewer reaches for when a fix touches several files ("these two always
 * change together"). Read from the mirror's history, which a checkout with history has
 * too, for `misses.ts` to measure whether it singles out the files a fix also touched.
 */
import { spawnSync } from "node:child_process";

/** Commits read back from the base; larger ones (refactors, reformats) link everything. */
export const HISTORY_COMMITS = 1000;
export const MAX_FILES_PER_COMMIT = 20;

export interface CoChanges {
  /** Commits (of those read) that changed the path. */
  changes(path: string): number;
  /** Commits that changed both paths. */
  together(a: string, b: string): number;
}

export function coChanges(gitDir: string, base: string): CoChanges {
  // A snapshot may lack an object deep in the history: git then stops there, and what it
  // printed until then is the history there is.
  const log =
    spawnSync(
      "git",
      [
        "--git-dir",
        gitDir,
        "log",
        "--no-merges",
        `-n${HISTORY_COMMITS}`,
        "--name-only",
        "--format=tformat:@@",
        base,
      ],
      { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "ignore"] },
    ).stdout ?? "";
  const byPath = new Map<string, Set<number>>();
  const commits: Set<string>[] = [];
  for (const line of log.split("\n")) {
    if (line === "@@") commits.push(new Set());
    else if (line.trim() !== "") commits.at(-1)?.add(line.trim());
  }
  commits
    .filter((files) => files.size > 0 && files.size <= MAX_FILES_PER_COMMIT)
    .forEach((files, commit) => {
      for (const path of files) {
        const changed = byPath.get(path) ?? new Set<number>();
        changed.add(commit);
        byPath.set(path, changed);
      }
    });
  return {
    changes: (path) => byPath.get(path)?.size ?? 0,
    together: (a, b) => {
      const [small, large] = [byPath.get(a), byPath.get(b)].sort(
        (x, y) => (x?.size ?? 0) - (y?.size ?? 0),
      );
      if (!small || !large) return 0;
      let both = 0;
      for (const commit of small) if (large.has(commit)) both++;
      return both;
    },
  };
}

/** The largest share of an anchor's commits that also changed `path` (0 to 1). */
export function coChangeShare(
  history: CoChanges,
  anchors: readonly string[],
  path: string,
): number {
  let best = 0;
  for (const anchor of anchors) {
    const changes = history.changes(anchor);
    if (anchor === path || changes < 2) continue;
    best = Math.max(best, history.together(anchor, path) / changes);
  }
  return best;
}
