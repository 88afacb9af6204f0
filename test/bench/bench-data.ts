import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * Where the benchmarks find their inputs. Nothing here names a machine's paths: the data
 * sets sit in `shared/bench/` beside the repository checkout (or `BENCH_DATA`), and the
 * benchmark repositories are bare git mirrors in the directory `BENCH_MIRRORS` names,
 * one folder per repository, `<owner>+<name>/repo` (a bare directory or a clone's `.git`).
 */
const ROOT = resolve(import.meta.dirname, "../..");

/** The benchmark data sets (`*.jsonl`). */
export const BENCH_DATA_DIR = process.env.BENCH_DATA ?? join(ROOT, "..", "shared", "bench");

/** The mirrors directory, or undefined when `BENCH_MIRRORS` is unset or names nothing. */
export function mirrorRoot(): string | undefined {
  const root = process.env.BENCH_MIRRORS;
  return root && existsSync(root) ? root : undefined;
}

/** Why benchmark repositories are unavailable, for skip messages. */
export function noMirrorsReason(): string {
  return process.env.BENCH_MIRRORS
    ? `BENCH_MIRRORS=${process.env.BENCH_MIRRORS} does not exist`
    : "BENCH_MIRRORS is not set (a directory of <owner>+<name>/repo git mirrors)";
}

/** The git directory of `owner/name`'s mirror, matched case-insensitively, if present. */
export function findMirror(repo: string, root = mirrorRoot()): string | undefined {
  if (root === undefined) return undefined;
  const wanted = repo.replace("/", "+").toLowerCase();
  const dir = readdirSync(root).find((d) => d.toLowerCase() === wanted);
  if (dir === undefined) return undefined;
  for (const gitDir of [join(root, dir, "repo", ".git"), join(root, dir, "repo")]) {
    if (existsSync(join(gitDir, "HEAD")) && existsSync(join(gitDir, "objects"))) return gitDir;
  }
  return undefined;
}
