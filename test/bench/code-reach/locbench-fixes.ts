/**
 * Real fixes for Loc-Bench issues, recovered from their repositories' history, so that
 * code reach can be measured on repositories nothing was ever tuned on.
 *
 * `locbench-dev.jsonl` gives each issue's base commit and the files its fix changed, but
 * no patch. A mirror holds the fix: the commit whose message names the instance's number
 * (`#1117`: a squash merge's "(#1117)", a merge's "pull request #1117", a "fixes #1117")
 * and which changes every one of the gold files (merges included, hence no path filter). Its change to those files (against its
 * first parent) is the fix; it is kept only when every hunk's pre-image lines stand in
 * the file at the base commit, as they did for the real fix. The fixes are written to a
 * file outside the repository (they are the repositories' code, never committed).
 *
 *   BENCH_MIRRORS=<dir> npx tsx test/bench/code-reach/locbench-fixes.ts --out <file>
 *
 * Prints how many issues had a mirror, a fix found, and a fix that fits its base.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { parseUnifiedDiff } from "../../../action/edits/diff-to-hunks.js";
import { BENCH_DATA_DIR, findMirror, mirrorRoot, noMirrorsReason } from "../bench-data.js";
import { loadInstances, type Instance } from "../localization/instances.js";
import { readBaseFiles, type GoldPatch } from "../edit-apply/gold.js";
import { preImages } from "./hunks.js";

function git(gitDir: string, args: string[]): string {
  return execFileSync("git", ["--git-dir", gitDir, ...args], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    stdio: ["ignore", "pipe", "ignore"],
  });
}

/** The fix of `row` in `gitDir`, as a unified diff of its gold files, or why there is none. */
export function recoverFix(gitDir: string, row: Instance): { patch: string } | { why: string } {
  const number = /-(\d+)$/.exec(row.instance_id)?.[1];
  if (!number) return { why: "no number in the instance id" };
  const gold = row.gold_files.filter((f) => !row.gold_new_files.includes(f));
  if (gold.length === 0) return { why: "only new files" };
  let candidates: string[];
  try {
    candidates = git(gitDir, [
      "log",
      "--all",
      "-E",
      `--grep=#${number}([^0-9]|$)`,
      "--format=%H",
      "-n",
      "40",
    ])
      .split("\n")
      .filter(Boolean);
  } catch {
    return { why: "history not readable" };
  }
  for (const commit of candidates) {
    let patch: string;
    try {
      patch = git(gitDir, [
        "diff",
        "--no-color",
        "--no-renames",
        `${commit}^1`,
        commit,
        "--",
        ...gold,
      ]);
    } catch {
      continue;
    }
    const files = parseUnifiedDiff(patch);
    if (files.length !== gold.length || files.some((f) => f.oldPath === undefined)) continue;
    const base = readBaseFiles(gitDir, row.base_commit, gold);
    const fits = files.every((file) => {
      const text = base.get(file.oldPath as string);
      if (text === undefined) return false;
      const lines = new Set(text.split("\n"));
      return preImages(file).every((hunk) => hunk.every((line) => lines.has(line)));
    });
    if (fits) return { patch };
  }
  return { why: candidates.length === 0 ? "no commit names it" : "no fix fits the base" };
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const { values } = parseArgs({ options: { out: { type: "string" } } });
  const root = mirrorRoot();
  if (!root || !values.out) {
    console.error(`locbench-fixes: ${root ? "--out <file> is required" : noMirrorsReason()}`);
    process.exit(2);
  }
  const out: GoldPatch[] = [];
  const why = new Map<string, number>();
  const issues = loadInstances(BENCH_DATA_DIR, "loc");
  for (const row of issues) {
    const gitDir = findMirror(row.repo, root);
    const found = gitDir ? recoverFix(gitDir, row) : { why: "no mirror" };
    if ("patch" in found) {
      out.push({
        instance_id: row.instance_id,
        repo: row.repo,
        base_commit: row.base_commit,
        patch: found.patch,
      });
    } else why.set(found.why, (why.get(found.why) ?? 0) + 1);
  }
  writeFileSync(values.out, out.map((r) => JSON.stringify(r)).join("\n") + "\n");
  console.log(
    `locbench-fixes: ${out.length} fixes recovered of ${issues.length} issues; ` +
      [...why].map(([k, n]) => `${k} ${n}`).join(", "),
  );
}
