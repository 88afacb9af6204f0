/**
 * Edit-apply benchmark over the real fixes in shared/bench/gold-patches-dev.jsonl:
 *   npx tsx test/bench/edit-apply/run.ts [--limit N] [--repo owner/name]
 * Needs the repositories as bare git mirrors in the directory BENCH_MIRRORS names; the
 * others are skipped and counted. Writes results/edit-apply.json and results/edit-apply.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { format } from "prettier";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findMirror, mirrorRoot, noMirrorsReason } from "../bench-data.js";
import { evaluateGoldPatch, loadGoldPatches, type InstanceResult } from "./gold.js";
import { BREAKAGES, PERTURBATIONS } from "./variants.js";

const args = process.argv.slice(2);
const limit = Number(args[args.indexOf("--limit") + 1] ?? NaN);
const onlyRepo = args.includes("--repo") ? args[args.indexOf("--repo") + 1] : undefined;

async function main(): Promise<void> {
  if (mirrorRoot() === undefined)
    throw new Error(`no benchmark repositories: ${noMirrorsReason()}`);
  const rows = loadGoldPatches().filter((r) => onlyRepo === undefined || r.repo === onlyRepo);
  const results: InstanceResult[] = [];
  const unavailable = new Map<string, number>();
  const started = performance.now();
  for (const row of rows) {
    if (args.includes("--limit") && results.length >= limit) break;
    const gitDir = findMirror(row.repo);
    if (gitDir === undefined) {
      unavailable.set(row.repo, (unavailable.get(row.repo) ?? 0) + 1);
      continue;
    }
    const r = await evaluateGoldPatch(row, gitDir);
    results.push(r);
    if (!r.exact || r.skipped) console.log(`${r.instance_id}: ${r.skipped ?? r.exactFailure}`);
  }
  const summary = summarize(results, unavailable, performance.now() - started);
  const out = join(dirname(fileURLToPath(import.meta.url)), "results");
  mkdirSync(out, { recursive: true });
  // Formatted as the repository's Prettier check expects, so a fresh run stays lint-clean.
  const json = await format(JSON.stringify({ summary, results }), { parser: "json" });
  writeFileSync(join(out, "edit-apply.json"), json);
  writeFileSync(join(out, "edit-apply.md"), markdown(summary));
  console.log(markdown(summary));
}

interface Summary {
  date: string;
  node: string;
  instances: {
    total: number;
    evaluated: number;
    skipped: number;
    unavailable: number;
    unavailableRepos: Record<string, number>;
  };
  files: number;
  hunks: number;
  exact: { applied: number; of: number };
  perturbed: Record<string, { applied: number; of: number; levels: Record<string, number> }>;
  minimal: {
    applied: number;
    refused: number;
    wrong: number;
    unbuildable: number;
    wrongIds: string[];
  };
  gate: {
    filesChecked: number;
    toleratedFiles: number;
    falseAlarmFiles: number;
    falseAlarms: string[];
  };
  breakage: Record<string, { caught: number; of: number }>;
  ms: {
    applyMean: number;
    applyP95: number;
    gateMean: number;
    gateP95: number;
    convertMean: number;
    wall: number;
  };
}

function summarize(
  results: InstanceResult[],
  unavailable: Map<string, number>,
  wall: number,
): Summary {
  const evaluated = results.filter((r) => !r.skipped);
  const sum = (f: (r: InstanceResult) => number): number => evaluated.reduce((n, r) => n + f(r), 0);
  const perturbed = Object.fromEntries(
    PERTURBATIONS.map((p) => {
      const levels: Record<string, number> = {};
      for (const r of evaluated) {
        for (const [level, n] of Object.entries(r.perturbed[p].levels)) {
          levels[level] = (levels[level] ?? 0) + n;
        }
      }
      return [
        p,
        {
          applied: sum((r) => r.perturbed[p].applied),
          of: sum((r) => r.perturbed[p].total),
          levels,
        },
      ];
    }),
  );
  const breakage = Object.fromEntries(
    BREAKAGES.map((b) => [
      b,
      { caught: sum((r) => r.breakage[b].caught), of: sum((r) => r.breakage[b].total) },
    ]),
  );
  const stat = (f: (r: InstanceResult) => number): { mean: number; p95: number } => {
    const xs = evaluated.map(f).sort((a, b) => a - b);
    const mean = xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
    return { mean, p95: xs[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))] ?? 0 };
  };
  const apply = stat((r) => r.ms.apply);
  const gate = stat((r) => r.ms.gate);
  return {
    date: new Date().toISOString(),
    node: process.version,
    instances: {
      total: results.length + [...unavailable.values()].reduce((a, b) => a + b, 0),
      evaluated: evaluated.length,
      skipped: results.length - evaluated.length,
      unavailable: [...unavailable.values()].reduce((a, b) => a + b, 0),
      unavailableRepos: Object.fromEntries(unavailable),
    },
    files: sum((r) => r.files),
    hunks: sum((r) => r.hunks),
    exact: { applied: evaluated.filter((r) => r.exact).length, of: evaluated.length },
    perturbed,
    minimal: {
      applied: sum((r) => r.minimal.applied),
      refused: sum((r) => r.minimal.refused),
      wrong: sum((r) => r.minimal.wrong),
      unbuildable: sum((r) => r.minimal.unbuildable),
      wrongIds: evaluated.flatMap((r) => r.minimal.wrongIds),
    },
    gate: {
      filesChecked: sum((r) => r.gate.checked),
      toleratedFiles: sum((r) => r.gate.tolerated),
      falseAlarmFiles: evaluated.filter((r) => r.gate.falseAlarms.length > 0).length,
      falseAlarms: evaluated.flatMap((r) =>
        r.gate.falseAlarms.map((a) => `${r.instance_id}: ${a}`),
      ),
    },
    breakage,
    ms: {
      applyMean: apply.mean,
      applyP95: apply.p95,
      gateMean: gate.mean,
      gateP95: gate.p95,
      convertMean: stat((r) => r.ms.convert).mean,
      wall,
    },
  };
}

function pct(n: number, of: number): string {
  return of === 0 ? "n/a" : `${((100 * n) / of).toFixed(1)}% (${n}/${of})`;
}

function markdown(s: Summary): string {
  const lines = [
    "# Edit-apply benchmark",
    "",
    `Run ${s.date} on Node ${s.node}. Instances: ${s.instances.total} gold patches; ${s.instances.evaluated} evaluated, ` +
      `${s.instances.unavailable} skipped (repository not available: ${
        Object.entries(s.instances.unavailableRepos)
          .map(([r, n]) => `${r} ${n}`)
          .join(", ") || "none"
      }), ${s.instances.skipped} not evaluable. ${s.files} files, ${s.hunks} hunks.`,
    "",
    "| measure | result | target |",
    "| --- | --- | --- |",
    `| real patches applied exactly (result equals \`git apply\`) | ${pct(s.exact.applied, s.exact.of)} | 100% |`,
    ...Object.entries(s.perturbed).map(
      ([k, v]) => `| applied after perturbation: ${k} | ${pct(v.applied, v.of)} | ≥ 95% |`,
    ),
    `| no context + all three perturbations: applied correctly / refused / applied wrongly | ${s.minimal.applied} / ${s.minimal.refused} / ${s.minimal.wrong} (${s.minimal.unbuildable} patches with a pure insertion left out) | wrongly: 0 |`,
    `| patched files with syntax errors already in the base (tolerated) | ${s.gate.toleratedFiles} of ${s.gate.filesChecked} | |`,
    `| syntax gate false alarms (patched files with a reported error) | ${s.gate.falseAlarmFiles} of ${s.gate.filesChecked} files checked | 0 |`,
    ...Object.entries(s.breakage).map(
      ([k, v]) => `| injected breakage caught: ${k} | ${pct(v.caught, v.of)} | ≥ 99% |`,
    ),
    `| time to apply one patch (mean / p95) | ${s.ms.applyMean.toFixed(2)} ms / ${s.ms.applyP95.toFixed(2)} ms | |`,
    `| time to syntax-check one patch (mean / p95) | ${s.ms.gateMean.toFixed(2)} ms / ${s.ms.gateP95.toFixed(2)} ms | |`,
    `| whole run (wall) | ${(s.ms.wall / 1000).toFixed(1)} s | |`,
    "",
  ];
  lines.push(
    "How the perturbed hunks were matched (level of the matching ladder: hunk count):",
    "",
    ...Object.entries(s.perturbed).map(
      ([k, v]) =>
        `- ${k}: ${Object.entries(v.levels)
          .map(([level, n]) => `${level} ${n}`)
          .join(", ")}`,
    ),
    "",
  );
  if (s.gate.falseAlarms.length > 0) {
    lines.push("False alarms:", "", ...s.gate.falseAlarms.slice(0, 30).map((a) => `- ${a}`), "");
  }
  return lines.join("\n");
}

await main();
