/**
 * In-process localization runs for tuning and for the ablation table: each instance's
 * repository is listed and read once, then ranked with every signal on and with each
 * signal turned off in turn (`disabledSignals`). No CLI process per issue, so no timing
 * figures here: `run.ts` measures time and memory.
 *
 *   BENCH_MIRRORS=DIR npx tsx test/bench/localization/ablation.ts [--datasets lite,multi,loc]
 *     [--split dev|held-out|all] [--signals all|none|a,b] [--loc-cap 3] [--keep] [--tag NAME]
 *     [--against results/TAG.json]
 *   npx tsx test/bench/localization/ablation.ts --from results/TAG.json [--against FILE]
 *
 * `--from` reports a saved run again without ranking anything; `--against` counts the
 * instances whose top 10 (every signal on) differs from another run's, so a change can be
 * shown to leave a data set's rankings exactly as they were.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { rankScanned, scanRepository } from "../../../action/context/build-context.js";
import { SIGNAL_NAMES, disabledSignals } from "../../../action/context/signal-switch.js";
import type { SignalName } from "../../../action/context/signal-switch.js";
import { BENCH_DATA_DIR, mirrorRoot, noMirrorsReason } from "../bench-data.js";
import { DATASET_NAMES, isHeldOut, runnableInstances } from "./instances.js";
import { summarise } from "./metrics.js";
import { byRepository } from "./repo-metrics.js";

const { values } = parseArgs({
  options: {
    scratch: { type: "string", default: join(tmpdir(), "bench-trees") },
    data: { type: "string", default: BENCH_DATA_DIR },
    datasets: { type: "string", default: "lite,multi,loc" },
    split: { type: "string", default: "dev" },
    signals: { type: "string", default: "all" },
    "loc-cap": { type: "string", default: "3" },
    keep: { type: "boolean", default: false },
    tag: { type: "string" },
    out: { type: "string", default: join(import.meta.dirname, "results") },
    from: { type: "string" },
    against: { type: "string" },
  },
});

interface Outcome {
  id: string;
  dataset: string;
  repo: string;
  language: string;
  gold: string[];
  /** Top 10 per setting: "" is every signal on, otherwise the signal turned off. */
  ranked: Record<string, string[]>;
}

function settings(): string[] {
  if (values.signals === "none") return [""];
  if (values.signals === "all") return ["", ...SIGNAL_NAMES];
  const names = values.signals.split(",");
  for (const name of names) {
    if (!(SIGNAL_NAMES as readonly string[]).includes(name)) throw new Error(`no signal ${name}`);
  }
  return ["", ...names];
}

/** Acc@k for these k: the growth curve of the top-10 list. */
const CURVE = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

async function main(): Promise<void> {
  if (values.from !== undefined) {
    const saved = JSON.parse(readFileSync(values.from, "utf8")) as {
      split: string;
      configs: string[];
      outcomes: Outcome[];
    };
    values.split = saved.split;
    report(saved.outcomes, saved.configs);
    return;
  }
  const mirrors = mirrorRoot();
  if (mirrors === undefined) throw new Error(`no benchmark repositories: ${noMirrorsReason()}`);
  mkdirSync(values.scratch, { recursive: true });
  const configs = settings();
  const outcomes: Outcome[] = [];
  const runnable = runnableInstances({
    data: values.data,
    datasets: values.datasets,
    split: values.split,
    locCap: Number(values["loc-cap"]),
    mirrors,
    scratch: values.scratch,
    keep: values.keep,
  });
  for (const { dataset, inst, tree, gold } of runnable) {
    const scanned = await scanRepository({ repoDir: tree, title: inst.title, body: inst.body });
    const ranked: Record<string, string[]> = {};
    for (const off of configs) {
      disabledSignals.clear();
      if (off !== "") disabledSignals.add(off as SignalName);
      ranked[off] = rankScanned(tree, scanned, 10).map((f) => f.path);
    }
    disabledSignals.clear();
    outcomes.push({
      id: inst.instance_id,
      dataset,
      repo: inst.repo,
      language: inst.language ?? "python",
      gold,
      ranked,
    });
  }
  report(outcomes, configs);
}

function report(outcomes: Outcome[], configs: string[]): void {
  const sets: [string, Outcome[]][] = [];
  for (const dataset of Object.keys(DATASET_NAMES)) {
    const subset = outcomes.filter((o) => o.dataset === dataset);
    if (subset.length === 0) continue;
    sets.push([DATASET_NAMES[dataset] ?? dataset, subset]);
    if (values.split === "all") {
      sets.push(["  tuning split", subset.filter((o) => !isHeldOut(dataset, o))]);
      sets.push(["  held-out split", subset.filter((o) => isHeldOut(dataset, o))]);
    }
  }
  const lines = [
    `Split: ${values.split}. Acc@5 in % with every signal on, then the change when one signal is off.`,
    "",
    `| setting | ${sets.map(([name, s]) => `${name.trim()} (n=${s.length})`).join(" | ")} |`,
    `|---|${sets.map(() => "---:").join("|")}|`,
  ];
  const acc5 = (subset: Outcome[], off: string): number =>
    summarise(subset.map((o) => ({ gold: o.gold, ranked: o.ranked[off] ?? [] }))).acc[5];
  for (const off of configs) {
    const cells = sets.map(([, subset]) => {
      const all = acc5(subset, "");
      if (off === "") return String(all);
      const delta = Math.round((acc5(subset, off) - all) * 10) / 10;
      return delta > 0 ? `+${delta}` : String(delta);
    });
    lines.push(`| ${off === "" ? "all signals on" : `without ${off}`} | ${cells.join(" | ")} |`);
  }
  lines.push(
    "",
    "| set | n | repos | Acc@1 | Acc@3 | Acc@5 | Acc@10 | any@5 | MRR | Acc@5/10 by repo |",
  );
  lines.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
  for (const [name, subset] of sets) {
    const base = subset.map((o) => ({ repo: o.repo, gold: o.gold, ranked: o.ranked[""] ?? [] }));
    const s = summarise(base);
    const r = byRepository(base);
    lines.push(
      `| ${name.trim()} | ${s.n} | ${r.repos} | ${s.acc[1]} | ${s.acc[3]} | ${s.acc[5]} | ${s.acc[10]} | ${s.any5} | ${s.mrr} | ${r.acc5}/${r.acc10} |`,
    );
  }
  lines.push("", ...curve(sets), "", ...languages(outcomes));
  if (values.against !== undefined) lines.push("", ...compare(outcomes, values.against));
  const text = `${lines.join("\n")}\n`;
  process.stdout.write(text);
  if (values.tag) {
    mkdirSync(values.out, { recursive: true });
    writeFileSync(join(values.out, `${values.tag}.md`), text);
    writeFileSync(
      join(values.out, `${values.tag}.json`),
      `${JSON.stringify({ split: values.split, configs, outcomes }, null, 1)}\n`,
    );
  }
}

const acc = (subset: Outcome[], k: number): number =>
  subset.length === 0
    ? 0
    : Math.round(
        (1000 *
          subset.filter((o) => o.gold.every((g) => (o.ranked[""] ?? []).slice(0, k).includes(g)))
            .length) /
          subset.length,
      ) / 10;

/** Acc@k for k = 1..10 (every signal on), one row per set. */
function curve(sets: [string, Outcome[]][]): string[] {
  return [
    "Acc@k in % (every signal on), k = 1..10:",
    "",
    `| set | n | ${CURVE.map((k) => `@${k}`).join(" | ")} |`,
    `|---|---:|${CURVE.map(() => "---:").join("|")}|`,
    ...sets.map(
      ([name, s]) =>
        `| ${name.trim()} | ${s.length} | ${CURVE.map((k) => acc(s, k)).join(" | ")} |`,
    ),
  ];
}

/** Every signal on, by data set and language (Loc-Bench and Lite are Python only). */
function languages(outcomes: Outcome[]): string[] {
  const lines = [
    "| data set | language | n | repos | Acc@1 | Acc@5 | Acc@10 | Acc@5 by repo |",
    "|---|---|---:|---:|---:|---:|---:|---:|",
  ];
  for (const dataset of Object.keys(DATASET_NAMES)) {
    const subset = outcomes.filter((o) => o.dataset === dataset);
    for (const language of [...new Set(subset.map((o) => o.language))].sort()) {
      const group = subset.filter((o) => o.language === language);
      const r = byRepository(group.map((o) => ({ ...o, ranked: o.ranked[""] ?? [] })));
      lines.push(
        `| ${DATASET_NAMES[dataset] ?? dataset} | ${language} | ${group.length} | ${r.repos} | ${acc(group, 1)} | ${acc(group, 5)} | ${acc(group, 10)} | ${r.acc5} |`,
      );
    }
  }
  return lines;
}

/** How many instances rank a different top 10 than in `file` (a run.ts or ablation.ts JSON). */
function compare(outcomes: Outcome[], file: string): string[] {
  const saved = JSON.parse(readFileSync(file, "utf8")) as {
    instances?: { id: string; ranked: string[] }[];
    outcomes?: Outcome[];
  };
  const before = new Map<string, string[]>();
  for (const i of saved.instances ?? []) before.set(i.id, i.ranked);
  for (const o of saved.outcomes ?? []) before.set(o.id, o.ranked[""] ?? []);
  const shared = outcomes.filter((o) => before.has(o.id));
  const changed = shared.filter(
    (o) => (o.ranked[""] ?? []).join("\n") !== (before.get(o.id) ?? []).join("\n"),
  );
  return [
    `Against ${file}: ${changed.length} of ${shared.length} shared instances rank a different top 10` +
      (changed.length > 0 ? ` (${changed.map((o) => o.id).join(", ")}).` : "."),
  ];
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
