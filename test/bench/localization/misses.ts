/**
 * Where multi-file fixes lose their second file: for instances with two or more gold
 * files, how far down the missing ones rank and what links them to the gold files the
 * ranking did find; then, over every instance of the split, whether those links single
 * out gold files among the runners-up (ranks 6-50) at all, or are as common among the
 * files the fix did not touch. The links include the repository's history: files changed
 * together with an anchor in the commits before the base (co-change.ts), with what
 * boosting them by that share would do to Acc@5 and Acc@10. Run it on the tuning split:
 * the held-out split is for judging a change, not for finding one.
 *
 *   BENCH_MIRRORS=DIR npx tsx test/bench/localization/misses.ts [--datasets loc]
 *     [--split dev] [--loc-cap 3] [--keep]
 */
import { mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { rankScanned, scanRepository } from "../../../action/context/build-context.js";
import type { ScannedRepository } from "../../../action/context/build-context.js";
import { isTestPath } from "../../../action/context/priors.js";
import { MAX_FILE_BYTES, isCodePath } from "../../../action/context/scan-files.js";
import { BENCH_DATA_DIR, mirrorRoot, noMirrorsReason } from "../bench-data.js";
import { coChangeShare, coChanges } from "./co-change.js";
import { directory, fileFacts, fileLinks } from "./file-links.js";
import type { FileFacts, FileLinks } from "./file-links.js";
import { runnableInstances } from "./instances.js";

const { values } = parseArgs({
  options: {
    scratch: { type: "string", default: join(tmpdir(), "bench-trees") },
    data: { type: "string", default: BENCH_DATA_DIR },
    datasets: { type: "string", default: "loc" },
    split: { type: "string", default: "dev" },
    "loc-cap": { type: "string", default: "3" },
    keep: { type: "boolean", default: false },
  },
});

/** The files proximity lends weight from: the best three within 60% of the best score. */
const ANCHORS = 3;
const ANCHOR_SHARE = 0.6;
/** Runners-up: below the top 5, within the top 50. */
const RUNNERS_UP = { from: 6, to: 50 };
const BUCKETS: [string, number][] = [
  ["6-10", 10],
  ["11-20", 20],
  ["21-50", 50],
  ["51-200", 200],
  [">200", Infinity],
];

/** Each link as a yes/no, by the name the tables use. */
const LINKS: [string, (l: FileLinks) => boolean][] = [
  ["same directory", (l) => l.sameDirectory],
  ["import either way", (l) => l.aImportsB || l.bImportsA],
  ["found/anchor imports it", (l) => l.aImportsB],
  ["it imports found/anchor", (l) => l.bImportsA],
  ["found/anchor uses a name it defines", (l) => l.aUsesB > 0],
  ["it uses a name found/anchor defines", (l) => l.bUsesA > 0],
  ["both define a name", (l) => l.sharedDefinitions > 0],
];

interface Missing {
  path: string;
  rank: number | undefined;
  /** Links from each found gold file (a) to this one (b). */
  links: FileLinks[];
  besideOtherGold: boolean;
}

interface RunnerUp {
  gold: boolean;
  /** Links from each anchor (a) to this file (b). */
  links: FileLinks[];
  /** The largest share of an anchor's past commits that changed this file too. */
  coChange: number;
}

/** An instance's top 50 with scores, for re-ranking by a co-change boost. */
interface TopFiles {
  gold: string[];
  files: { path: string; score: number; coChange: number }[];
}

/** Boosts tried: a file's score plus weight × best score × its co-change share. */
const CO_CHANGE_WEIGHTS = [0, 0.05, 0.1, 0.2, 0.5, 1];
/** Shares at or above this count as "changed together" in the lift table. */
const CO_CHANGE_LINK = 0.2;

async function main(): Promise<void> {
  const mirrors = mirrorRoot();
  if (mirrors === undefined) throw new Error(`no benchmark repositories: ${noMirrorsReason()}`);
  mkdirSync(values.scratch, { recursive: true });
  const byGoldCount = new Map<number, { n: number; all5: number; all10: number; some: number }>();
  const missing: Missing[] = [];
  const runnersUp: RunnerUp[] = [];
  const tops: TopFiles[] = [];
  const runnable = runnableInstances({
    data: values.data,
    datasets: values.datasets,
    split: values.split,
    locCap: Number(values["loc-cap"]),
    mirrors,
    scratch: values.scratch,
    keep: values.keep,
  });
  for (const { inst, tree, gold, gitDir } of runnable) {
    const scanned = await scanRepository({ repoDir: tree, title: inst.title, body: inst.body });
    const ranking = rankScanned(tree, scanned, Number.MAX_SAFE_INTEGER);
    const facts = factsReader(tree, scanned);
    const rankOf = new Map(ranking.map((file, i) => [file.path, i + 1]));
    const ranks = gold.map((g) => rankOf.get(g));
    if (gold.length >= 2) {
      const row = byGoldCount.get(gold.length) ?? { n: 0, all5: 0, all10: 0, some: 0 };
      row.n++;
      if (ranks.every((r) => r !== undefined && r <= 5)) row.all5++;
      if (ranks.every((r) => r !== undefined && r <= 10)) row.all10++;
      const found = gold.filter((_, i) => (ranks[i] ?? Infinity) <= 5);
      if (found.length > 0 && found.length < gold.length) {
        row.some++;
        gold.forEach((path, i) => {
          if ((ranks[i] ?? Infinity) <= 5) return;
          const b = facts(path);
          missing.push({
            path,
            rank: ranks[i],
            links: found.flatMap((f) => {
              const a = facts(f);
              return a && b ? [fileLinks(a, b)] : [];
            }),
            besideOtherGold: gold.some((g) => g !== path && directory(g) === directory(path)),
          });
        });
      }
      byGoldCount.set(gold.length, row);
    }
    const best = ranking[0]?.score ?? 0;
    const anchors = ranking
      .slice(0, ANCHORS)
      .filter((file) => file.score >= best * ANCHOR_SHARE)
      .flatMap((file) => facts(file.path) ?? []);
    const history = coChanges(gitDir, inst.base_commit);
    const anchorPaths = anchors.map((a) => a.path);
    for (const file of ranking.slice(RUNNERS_UP.from - 1, RUNNERS_UP.to)) {
      const b = facts(file.path);
      if (!b) continue;
      const links = anchors.map((a) => fileLinks(a, b));
      const coChange = coChangeShare(history, anchorPaths, file.path);
      runnersUp.push({ gold: gold.includes(file.path), links, coChange });
    }
    tops.push({
      gold,
      files: ranking.slice(0, RUNNERS_UP.to).map((file) => ({
        path: file.path,
        score: file.score,
        coChange: coChangeShare(history, anchorPaths, file.path),
      })),
    });
  }
  const lines = [...report(byGoldCount, missing, runnersUp), ...coChangeReport(runnersUp, tops)];
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** Reads a file's facts once per instance; undefined when unreadable or too large. */
function factsReader(
  tree: string,
  scanned: ScannedRepository,
): (path: string) => FileFacts | undefined {
  const cache = new Map<string, FileFacts | undefined>();
  return (path) => {
    if (cache.has(path)) return cache.get(path);
    let facts: FileFacts | undefined;
    try {
      const text = readFileSync(join(tree, path), "utf8");
      const position = scanned.paths.indexOf(path);
      if (text.length <= MAX_FILE_BYTES && position >= 0) {
        facts = fileFacts(path, position, text, scanned.index);
      }
    } catch {
      facts = undefined;
    }
    cache.set(path, facts);
    return facts;
  };
}

function report(
  byGoldCount: Map<number, { n: number; all5: number; all10: number; some: number }>,
  missing: Missing[],
  runnersUp: RunnerUp[],
): string[] {
  const lines = [
    `Split: ${values.split}. Instances with two or more gold files, by how many:`,
    "",
    "| gold files | n | all in top 5 | all in top 10 | some but not all in top 5 |",
    "|---:|---:|---:|---:|---:|",
  ];
  for (const [count, row] of [...byGoldCount].sort((x, y) => x[0] - y[0])) {
    lines.push(`| ${count} | ${row.n} | ${row.all5} | ${row.all10} | ${row.some} |`);
  }
  const count = (test: (m: Missing) => boolean): number => missing.filter(test).length;
  lines.push(
    "",
    `Gold files missing from the top 5 where another gold file is in it: ${missing.length}.`,
    "",
    "| rank | files |",
    "|---|---:|",
  );
  let from = 6;
  for (const [label, to] of BUCKETS) {
    lines.push(
      `| ${label} | ${count((m) => m.rank !== undefined && m.rank >= from && m.rank <= to)} |`,
    );
    from = to + 1;
  }
  lines.push(
    `| no evidence (not ranked) | ${count((m) => m.rank === undefined)} |`,
    "",
    "| kind or link (to any found gold file) | files |",
    "|---|---:|",
    `| test | ${count((m) => isTestPath(m.path))} |`,
    `| not code (documentation, configuration, data) | ${count((m) => !isCodePath(m.path))} |`,
    `| same directory as any other gold file | ${count((m) => m.besideOtherGold)} |`,
    ...LINKS.map(([name, test]) => `| ${name} | ${count((m) => m.links.some(test))} |`),
    `| none of these links | ${count((m) => !m.links.some((l) => LINKS.some(([, t]) => t(l))))} |`,
  );
  const gold = runnersUp.filter((r) => r.gold);
  const other = runnersUp.filter((r) => !r.gold);
  lines.push(
    "",
    `Ranks ${RUNNERS_UP.from}-${RUNNERS_UP.to}, every instance: share of gold (n=${gold.length}) and other files (n=${other.length}) linked to an anchor; lift = gold share / other share (1 = the link says nothing).`,
    "",
    "| link to an anchor | gold % | other % | lift |",
    "|---|---:|---:|---:|",
  );
  const share = (set: RunnerUp[], test: (l: FileLinks) => boolean): number =>
    set.length === 0 ? 0 : set.filter((r) => r.links.some(test)).length / set.length;
  for (const [name, test] of LINKS) {
    const g = share(gold, test);
    const o = share(other, test);
    const lift = o > 0 ? (g / o).toFixed(2) : "-";
    lines.push(`| ${name} | ${(100 * g).toFixed(1)} | ${(100 * o).toFixed(1)} | ${lift} |`);
  }
  return lines;
}

/** The co-change link's lift, and Acc@5/10 with the top 50 re-ranked by it. */
function coChangeReport(runnersUp: RunnerUp[], tops: TopFiles[]): string[] {
  const gold = runnersUp.filter((r) => r.gold);
  const other = runnersUp.filter((r) => !r.gold);
  const share = (set: RunnerUp[], test: (r: RunnerUp) => boolean): number =>
    set.length === 0 ? 0 : set.filter(test).length / set.length;
  const lines = [
    "",
    "| changed with an anchor (its last commits) | gold % | other % | lift |",
    "|---|---:|---:|---:|",
  ];
  for (const [name, test] of [
    [`in ${100 * CO_CHANGE_LINK}% or more of them`, (r: RunnerUp) => r.coChange >= CO_CHANGE_LINK],
    ["in any of them", (r: RunnerUp) => r.coChange > 0],
  ] as const) {
    const g = share(gold, test);
    const o = share(other, test);
    lines.push(
      `| ${name} | ${(100 * g).toFixed(1)} | ${(100 * o).toFixed(1)} | ${o > 0 ? (g / o).toFixed(2) : "-"} |`,
    );
  }
  lines.push("", "| co-change boost weight | Acc@5 | Acc@10 |", "|---:|---:|---:|");
  for (const weight of CO_CHANGE_WEIGHTS) {
    let at5 = 0;
    let at10 = 0;
    for (const top of tops) {
      const best = top.files[0]?.score ?? 0;
      const order = top.files
        .map((file, i) => ({
          path: file.path,
          // The leader keeps its place: the boost is for the files after it.
          score: i === 0 ? file.score : file.score + weight * best * file.coChange,
        }))
        .sort((x, y) => y.score - x.score)
        .map((file) => file.path);
      if (top.gold.every((g) => order.slice(0, 5).includes(g))) at5++;
      if (top.gold.every((g) => order.slice(0, 10).includes(g))) at10++;
    }
    const pct = (n: number) => (tops.length === 0 ? "-" : ((100 * n) / tops.length).toFixed(1));
    lines.push(`| ${weight} | ${pct(at5)} | ${pct(at10)} |`);
  }
  return lines;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
