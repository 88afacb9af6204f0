/**
 * Localization benchmark: runs `issue-agent context` on real issues (SWE-bench Lite, the
 * multilingual dev set and a sample of Loc-Bench) at their base commits and reports
 * Acc@1/3/5/10, any@5, MRR, time and peak memory, with a plain BM25 baseline on the same
 * instances.
 *
 *   BENCH_MIRRORS=DIR npx tsx test/bench/localization/run.ts [--scratch DIR]
 *     [--datasets lite,multi,loc] [--loc-cap 3] [--every N --offset I] [--filter TEXT]
 *     [--no-baseline] [--tag NAME] [--split all|dev|held-out] [--compare results/full.json]
 *
 * Repositories come from bare mirrors `$BENCH_MIRRORS/<owner>+<name>/repo`; instances whose
 * mirror is missing are skipped and counted. Base trees are extracted into the scratch
 * directory and removed after use: no benchmark repository code enters this project.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { parseArgs } from "node:util";
import { BENCH_DATA_DIR, findMirror, mirrorRoot, noMirrorsReason } from "../bench-data.js";
import { bm25Rank } from "./bm25-baseline.js";
import { renderChart } from "./chart.js";
import {
  DATASET_NAMES,
  extractTree,
  inSplit,
  isHeldOut,
  loadInstances,
  retrievableGold,
} from "./instances.js";
import type { Instance } from "./instances.js";
import { percentile, summarise } from "./metrics.js";
import type { InstanceOutcome, Summary } from "./metrics.js";
import { byRepository } from "./repo-metrics.js";
import { bundleCli, runCli } from "./run-cli.js";

interface InstanceResult {
  id: string;
  dataset: string;
  language: string;
  repo: string;
  gold: string[];
  ranked: string[];
  baseline: string[];
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
}

const ROOT = resolve(import.meta.dirname, "../../..");

const { values } = parseArgs({
  options: {
    scratch: { type: "string", default: join(tmpdir(), "bench-trees") },
    data: { type: "string", default: BENCH_DATA_DIR },
    datasets: { type: "string", default: "lite,multi,loc" },
    "loc-cap": { type: "string", default: "3" },
    every: { type: "string", default: "1" },
    offset: { type: "string", default: "0" },
    filter: { type: "string" },
    split: { type: "string", default: "all" },
    "no-baseline": { type: "boolean", default: false },
    tag: { type: "string", default: "full" },
    keep: { type: "boolean", default: false },
    jobs: { type: "string", default: "1" },
    out: { type: "string", default: join(import.meta.dirname, "results") },
    compare: { type: "string" },
    cold: { type: "boolean", default: false },
  },
});

/**
 * `--cold`: the kernel's page cache is dropped before every CLI run, so each issue is
 * timed with nothing read ahead: not the tree, not the node binary, not the bundle. That
 * is harder than a runner right after checkout (which has just written the tree and so
 * holds it in memory) and is the worst case for the 2 s target. Needs root.
 */
const DROP_CACHES = "/proc/sys/vm/drop_caches";
function dropPageCache(): void {
  execFileSync("sync");
  writeFileSync(DROP_CACHES, "1");
}
if (values.cold) {
  try {
    dropPageCache();
  } catch (error) {
    process.stderr.write(`--cold needs to write ${DROP_CACHES} (run as root): ${String(error)}\n`);
    process.exit(2);
  }
}

/**
 * `--compare FILE`: the rankings of an earlier run (its `instances[].ranked`), so a change
 * meant to leave the ranking alone (a refactor) can be shown to: each instance's top 10 is
 * compared with the earlier one as it finishes, and a summary closes the run.
 */
const reference: Map<string, string[]> | undefined = values.compare
  ? new Map(
      (
        JSON.parse(readFileSync(values.compare, "utf8")) as {
          instances: { id: string; ranked: string[] }[];
        }
      ).instances.map((r) => [r.id, r.ranked]),
    )
  : undefined;
const rankingChanged: string[] = [];
let rankingCompared = 0;

function compareRanking(result: InstanceResult): void {
  const before = reference?.get(result.id);
  if (!before) return;
  rankingCompared++;
  if (JSON.stringify(before) === JSON.stringify(result.ranked)) {
    process.stderr.write(`${result.id}: ranking identical to ${values.compare}\n`);
    return;
  }
  rankingChanged.push(result.id);
  process.stderr.write(
    `${result.id}: ranking CHANGED\n  was ${before.join(", ")}\n  now ${result.ranked.join(", ")}\n`,
  );
}

function compareSummary(results: readonly InstanceResult[]): void {
  if (!reference) return;
  const ran = new Set(results.map((r) => r.id));
  const notRun = [...reference.keys()].filter((id) => !ran.has(id));
  const lines = [
    `Rankings compared with ${values.compare}: ${rankingCompared - rankingChanged.length} of ${rankingCompared} identical.`,
  ];
  if (rankingChanged.length > 0) lines.push(`Changed: ${rankingChanged.join(", ")}.`);
  if (notRun.length > 0) lines.push(`In the reference but not run here: ${notRun.length}.`);
  process.stdout.write(`${lines.join("\n")}\n`);
  if (rankingChanged.length > 0) process.exitCode = 1;
}

async function main(): Promise<void> {
  const mirrors = mirrorRoot();
  if (mirrors === undefined) throw new Error(`no benchmark repositories: ${noMirrorsReason()}`);
  const every = Math.max(1, Number(values.every));
  const offset = Number(values.offset);
  const cli = await bundleCli(ROOT);
  mkdirSync(values.scratch, { recursive: true });
  mkdirSync(values.out, { recursive: true });
  const results: InstanceResult[] = [];
  const skipped: Record<string, Record<string, number>> = {};
  let noGold = 0;
  const cliFailed: string[] = [];

  for (const dataset of values.datasets.split(",")) {
    const cap = dataset === "loc" ? Number(values["loc-cap"]) : Infinity;
    const instances = loadInstances(values.data, dataset, cap)
      .filter((_, i) => i % every === offset % every)
      .filter(
        (inst) =>
          !values.filter ||
          inst.instance_id.includes(values.filter) ||
          inst.repo.includes(values.filter),
      )
      .filter((inst) => inSplit(dataset, { id: inst.instance_id, repo: inst.repo }, values.split));
    const runnable: Instance[] = [];
    for (const inst of instances) {
      if (findMirror(inst.repo, mirrors) !== undefined) runnable.push(inst);
      else (skipped[dataset] ??= {})[inst.repo] = ((skipped[dataset] ?? {})[inst.repo] ?? 0) + 1;
    }
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < runnable.length) {
        const inst = runnable[next++];
        if (!inst) break;
        const outcome = await runInstance(inst, dataset, mirrors, cli);
        if (outcome === "no gold") noGold++;
        else if (outcome === "cli failed") cliFailed.push(inst.instance_id);
        else if (outcome === "missing commit") {
          const key = `${inst.repo} (commit missing)`;
          (skipped[dataset] ??= {})[key] = ((skipped[dataset] ?? {})[key] ?? 0) + 1;
        } else results.push(outcome);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Number(values.jobs)) }, worker));
  }
  rmSync(dirname(cli), { recursive: true, force: true });
  writeReport(results, skipped, noGold, cliFailed);
  compareSummary(results);
}

/** Extracts one base tree (or reuses a kept one), runs the CLI and the baseline. */
async function runInstance(
  inst: Instance,
  dataset: string,
  mirrors: string,
  cli: string,
): Promise<InstanceResult | "no gold" | "missing commit" | "cli failed"> {
  const gitDir = findMirror(inst.repo, mirrors) ?? "";
  const tree = join(values.scratch, inst.instance_id);
  if (!extractTree(gitDir, inst.base_commit, tree, values.keep)) return "missing commit";
  const done = (): void => {
    if (!values.keep) rmSync(tree, { recursive: true, force: true });
  };
  const gold = retrievableGold(inst, tree);
  if (gold.length === 0) {
    done();
    return "no gold";
  }
  const titleFile = join(values.scratch, `${inst.instance_id}.title`);
  const bodyFile = join(values.scratch, `${inst.instance_id}.body`);
  writeFileSync(titleFile, inst.title);
  writeFileSync(bodyFile, inst.body);
  let run;
  try {
    if (values.cold) dropPageCache();
    run = await runCliWithRetry(cli, tree, titleFile, bodyFile);
  } catch (error) {
    process.stderr.write(`${inst.instance_id}: the CLI failed: ${String(error)}\n`);
    done();
    return "cli failed";
  }
  const baseline = values["no-baseline"] ? [] : await cachedBaseline(inst, tree);
  done();
  rmSync(titleFile, { force: true });
  rmSync(bodyFile, { force: true });
  const result: InstanceResult = {
    id: inst.instance_id,
    dataset,
    language: inst.language ?? "python",
    repo: inst.repo,
    gold,
    ranked: run.files.map((f) => f.path),
    baseline,
    seconds: run.seconds,
    cpuSeconds: run.cpuSeconds,
    peakRssMb: run.peakRssMb,
  };
  const rank = result.ranked.findIndex((p) => gold.includes(p));
  process.stderr.write(
    `${inst.instance_id}: first gold at ${rank < 0 ? "-" : rank + 1}, ${run.seconds}s ${run.peakRssMb}MB\n`,
  );
  compareRanking(result);
  return result;
}

/**
 * Runs the CLI, retrying twice when the process could not start at all (a shared
 * machine may be replacing the node binary under us: ETXTBSY, exit 126).
 */
async function runCliWithRetry(
  cli: string,
  tree: string,
  titleFile: string,
  bodyFile: string,
): Promise<Awaited<ReturnType<typeof runCli>>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runCli(cli, ROOT, tree, titleFile, bodyFile, 10);
    } catch (error) {
      if (attempt >= 3 || !/Text file busy|status 126/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

/**
 * The BM25 baseline does not change between runs of the ranking: with --keep it is
 * computed once per instance and cached beside the kept tree.
 */
async function cachedBaseline(inst: Instance, tree: string): Promise<string[]> {
  const cache = join(values.scratch, `${inst.instance_id}.bm25.json`);
  if (values.keep && existsSync(cache)) return JSON.parse(readFileSync(cache, "utf8")) as string[];
  const ranked = await bm25Rank(tree, `${inst.title}\n${inst.body}`, 10);
  if (values.keep) writeFileSync(cache, JSON.stringify(ranked));
  return ranked;
}

interface Row {
  name: string;
  ours: Summary;
  repos: ReturnType<typeof byRepository>;
  bm25: Summary;
  p50: number;
  p95: number;
  cpuP95: number;
  rssP95: number;
  rssMax: number;
}

function row(name: string, subset: readonly InstanceResult[]): Row {
  const ours: InstanceOutcome[] = subset.map((r) => ({ gold: r.gold, ranked: r.ranked }));
  const bm25: InstanceOutcome[] = subset.map((r) => ({ gold: r.gold, ranked: r.baseline }));
  return {
    name,
    ours: summarise(ours),
    repos: byRepository(subset.map((r) => ({ repo: r.repo, gold: r.gold, ranked: r.ranked }))),
    bm25: summarise(bm25),
    p50: percentile(
      subset.map((r) => r.seconds),
      50,
    ),
    p95: percentile(
      subset.map((r) => r.seconds),
      95,
    ),
    cpuP95: percentile(
      subset.map((r) => r.cpuSeconds),
      95,
    ),
    rssP95: percentile(
      subset.map((r) => r.peakRssMb),
      95,
    ),
    rssMax: Math.max(0, ...subset.map((r) => r.peakRssMb)),
  };
}

function writeReport(
  results: InstanceResult[],
  skipped: Record<string, Record<string, number>>,
  noGold: number,
  cliFailed: string[],
): void {
  const rows: Row[] = [];
  const heldOut = (r: InstanceResult): boolean => isHeldOut(r.dataset, r);
  for (const dataset of Object.keys(DATASET_NAMES)) {
    const subset = results.filter((r) => r.dataset === dataset);
    if (subset.length === 0) continue;
    rows.push(row(DATASET_NAMES[dataset] ?? dataset, subset));
    const held = subset.filter(heldOut);
    if (held.length > 0 && held.length < subset.length) {
      rows.push(
        row(
          `  tuning split`,
          subset.filter((r) => !heldOut(r)),
        ),
      );
      rows.push(row(`  held-out split`, held));
    }
    if (dataset === "multi") {
      for (const language of [...new Set(subset.map((r) => r.language))].sort()) {
        rows.push(
          row(
            `  ${language}`,
            subset.filter((r) => r.language === language),
          ),
        );
      }
    }
  }
  if (new Set(results.map((r) => r.dataset)).size > 1) {
    rows.push(
      row(
        "All sets, tuning splits",
        results.filter((r) => !heldOut(r)),
      ),
    );
    rows.push(row("All sets, held-out splits", results.filter(heldOut)));
  }
  const tag = values.tag;
  const skippedCount = Object.fromEntries(
    Object.entries(skipped).map(([d, repos]) => [
      d,
      Object.values(repos).reduce((a, b) => a + b, 0),
    ]),
  );
  writeFileSync(
    join(values.out, `${tag}.json`),
    `${JSON.stringify({ rows, skipped, skippedCount, noGold, cliFailed, instances: results }, null, 1)}\n`,
  );
  const lines = [
    "| set | n | repos | Acc@1 | Acc@3 | Acc@5 | Acc@10 | any@5 | MRR | Acc@5/10 by repo | BM25 Acc@1/3/5/10 | BM25 any@5 | BM25 MRR | p50 s | p95 s | CPU p95 s | RSS p95 MB | RSS max MB |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of rows) {
    const b = r.bm25;
    lines.push(
      `| ${r.name.trim()} | ${r.ours.n} | ${r.repos.repos} | ${r.ours.acc[1]} | ${r.ours.acc[3]} | ${r.ours.acc[5]} | ${r.ours.acc[10]} | ${r.ours.any5} | ${r.ours.mrr} | ${r.repos.acc5}/${r.repos.acc10} | ${b.acc[1]}/${b.acc[3]}/${b.acc[5]}/${b.acc[10]} | ${b.any5} | ${b.mrr} | ${r.p50} | ${r.p95} | ${r.cpuP95} | ${r.rssP95} | ${r.rssMax} |`,
    );
  }
  lines.push("");
  for (const [dataset, repos] of Object.entries(skipped)) {
    lines.push(
      `Skipped in ${dataset}: ${skippedCount[dataset] ?? 0} instances (${Object.entries(repos)
        .map(([repo, n]) => `${repo} ${n}`)
        .join(", ")}).`,
    );
  }
  if (noGold > 0) lines.push(`Instances without a retrievable gold file: ${noGold}.`);
  if (cliFailed.length > 0) lines.push(`CLI runs that failed: ${cliFailed.join(", ")}.`);
  writeFileSync(join(values.out, `${tag}.md`), `${lines.join("\n")}\n`);
  renderChart(rows, join(values.out, `${tag}.png`));
  process.stdout.write(`${lines.join("\n")}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
