/**
 * Two builds of the CLI timed side by side on the same issues: the measure of a change
 * meant to make `issue-agent context` faster. Timings on one machine drift by a quarter
 * within minutes, and the first run on a tree reads it from disk; so for every issue the
 * tree is read once (as a runner holds it after checkout), then both builds run one
 * after the other, the order swapped from one issue to the next. Rankings must come out
 * identical; any that differ are listed.
 *
 *   BENCH_MIRRORS=DIR npx tsx test/bench/localization/ab-timing.ts --before REF
 *     [--after REF] --filter REPO[,REPO…] [--datasets lite,multi,loc] [--keep]
 *
 * Each build is the committed `dist/` at its git ref (`--after` defaults to the working
 * tree's `dist/`), run with the `node` that runs this script (Node 24 under npx here).
 * Prints, per repository, wall p50 / p95 / max, CPU p95 and peak RSS before and after.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { BENCH_DATA_DIR, findMirror, mirrorRoot, noMirrorsReason } from "../bench-data.js";
import { extractTree, loadInstances } from "./instances.js";
import { percentile } from "./metrics.js";
import { runCli, type CliRun } from "./run-cli.js";

const ROOT = resolve(import.meta.dirname, "../../..");

const { values } = parseArgs({
  options: {
    before: { type: "string" },
    after: { type: "string" },
    filter: { type: "string" },
    datasets: { type: "string", default: "lite,multi,loc" },
    scratch: { type: "string", default: join(tmpdir(), "bench-trees") },
    data: { type: "string", default: BENCH_DATA_DIR },
    keep: { type: "boolean", default: false },
  },
});

/** The committed dist/ at `ref`, extracted into `dir`; returns its CLI entry. */
function buildAt(ref: string, dir: string): string {
  const archive = join(dir, "dist.tar");
  execFileSync("git", ["-C", ROOT, "archive", "-o", archive, ref, "dist"]);
  execFileSync("tar", ["-xf", archive, "-C", dir]);
  return join(dir, "dist", "cli.js");
}

/** Reads every file of the tree once, as a checkout that has just written it leaves it. */
function readTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) readTree(path);
    else if (entry.isFile()) readFileSync(path);
  }
}

interface Timed {
  repo: string;
  before: CliRun;
  after: CliRun;
}

function report(runs: Timed[]): string {
  const lines = [
    "| repository | issues | wall p50 s | wall p95 s | wall max s | CPU p95 s | RSS max MB |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const repo of [...new Set(runs.map((r) => r.repo))].sort()) {
    const mine = runs.filter((r) => r.repo === repo);
    const pair = (pick: (run: CliRun) => number, f: (xs: number[]) => number, digits = 2) =>
      `${f(mine.map((r) => pick(r.before))).toFixed(digits)} → ${f(mine.map((r) => pick(r.after))).toFixed(digits)}`;
    const p50 = (xs: number[]) => percentile(xs, 50);
    const p95 = (xs: number[]) => percentile(xs, 95);
    const max = (xs: number[]) => Math.max(...xs);
    const cells = [
      pair((r) => r.seconds, p50),
      pair((r) => r.seconds, p95),
      pair((r) => r.seconds, max),
      pair((r) => r.cpuSeconds, p95),
      pair((r) => r.peakRssMb, max, 0),
    ];
    lines.push(`| ${repo} | ${mine.length} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  if (values.before === undefined || values.filter === undefined) {
    console.error("ab-timing: --before REF and --filter REPO[,REPO…] are required");
    process.exit(2);
  }
  const mirrors = mirrorRoot();
  if (mirrors === undefined) throw new Error(`no benchmark repositories: ${noMirrorsReason()}`);
  const builds = mkdtempSync(join(tmpdir(), "ab-timing-"));
  mkdirSync(values.scratch, { recursive: true });
  try {
    mkdirSync(join(builds, "before"));
    const before = buildAt(values.before, join(builds, "before"));
    let after = join(ROOT, "dist", "cli.js");
    if (values.after !== undefined) {
      mkdirSync(join(builds, "after"));
      after = buildAt(values.after, join(builds, "after"));
    }
    const repos = values.filter.split(",");
    const runs: Timed[] = [];
    const differing: string[] = [];
    for (const dataset of values.datasets.split(",")) {
      for (const inst of loadInstances(values.data, dataset)) {
        if (!repos.some((repo) => inst.repo.includes(repo))) continue;
        const gitDir = findMirror(inst.repo, mirrors);
        const tree = join(values.scratch, inst.instance_id);
        if (gitDir === undefined || !extractTree(gitDir, inst.base_commit, tree, values.keep))
          continue;
        const title = join(builds, "title");
        const body = join(builds, "body");
        writeFileSync(title, inst.title);
        writeFileSync(body, inst.body);
        readTree(tree);
        const run = (cli: string) => runCli(cli, builds, tree, title, body, 10);
        const beforeFirst = runs.length % 2 === 0;
        const first = await run(beforeFirst ? before : after);
        const second = await run(beforeFirst ? after : before);
        const timed = beforeFirst
          ? { repo: inst.repo, before: first, after: second }
          : { repo: inst.repo, before: second, after: first };
        runs.push(timed);
        const same =
          JSON.stringify(timed.before.files.map((f) => f.path)) ===
          JSON.stringify(timed.after.files.map((f) => f.path));
        if (!same) differing.push(inst.instance_id);
        process.stderr.write(
          `${inst.instance_id}: ${timed.before.seconds}s → ${timed.after.seconds}s${same ? "" : " (ranking differs)"}\n`,
        );
        if (!values.keep) rmSync(tree, { recursive: true, force: true });
      }
    }
    console.log(
      `${values.before} → ${values.after ?? "working tree"}, ${runs.length} issues, node ${process.version}\n`,
    );
    console.log(report(runs));
    console.log(
      differing.length === 0
        ? "\nRankings identical on every issue."
        : `\nRankings differ on: ${differing.join(", ")}.`,
    );
  } finally {
    rmSync(builds, { recursive: true, force: true });
  }
}

await main();
