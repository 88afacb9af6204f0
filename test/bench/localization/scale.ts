/**
 * Growth curve of `issue-agent context` on synthetic repositories of 10k, 30k and 100k
 * files (Python, TypeScript and Go mixed, nested directories, realistic identifier
 * vocabulary). One file defines the symbol the issue names; the run reports time, peak
 * memory and where that file ranked.
 *
 *   npx tsx test/bench/localization/scale.ts [--sizes 10000,30000,100000] [--scratch /tmp/bench-scale]
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { bundleCli, runCli } from "./run-cli.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "10000,30000,100000" },
    scratch: { type: "string", default: "/tmp/bench-scale" },
    out: { type: "string", default: join(import.meta.dirname, "results") },
  },
});

const WORDS = (
  "account cache client config connection context data event factory field filter format " +
  "handler index item key layout list loader manager message model node option order page " +
  "parser path policy pool query queue record registry request resource response result " +
  "route schema session settings shape source state store stream table task token tree " +
  "user value view worker buffer channel codec cursor decoder encoder frame header lexer " +
  "matrix metric module network packet plugin printer reader render scheduler scope signal " +
  "socket span symbol thread timer trace writer"
).split(" ");

/** Small deterministic PRNG (mulberry32) so every run builds the same repository. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(dir: string, files: number): string {
  const rand = prng(files);
  const pick = (): string => WORDS[Math.floor(rand() * WORDS.length)] ?? "item";
  const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);
  const target = Math.floor(files * 0.618);
  let targetPath = "";
  for (let i = 0; i < files; i++) {
    const depth = 2 + (i % 3);
    const parts = ["src"];
    for (let d = 0; d < depth; d++)
      parts.push(`${pick()}${d === 0 ? "" : `_${Math.floor(i / 97) % 40}`}`);
    const kind = i % 3;
    const ext = kind === 0 ? "py" : kind === 1 ? "ts" : "go";
    const name = `${pick()}_${pick()}_${i}.${ext}`;
    const path = [...parts, name].join("/");
    const lines: string[] = [];
    const functions = 4 + Math.floor(rand() * 6);
    for (let f = 0; f < functions; f++) {
      const fn = `${pick()}${cap(pick())}${cap(pick())}`;
      const body = [
        `${pick()} = ${pick()}_${pick()}(${pick()}, ${pick()})`,
        `return ${pick()}.${pick()}()`,
      ];
      if (i === target && f === 1) {
        lines.push(
          ext === "py"
            ? "def reconcile_ledger_drift(entries):"
            : "function reconcileLedgerDrift() {",
        );
        lines.push('    raise ValueError("ledger drift exceeds tolerance")');
      }
      if (ext === "py")
        lines.push(`def ${fn}(${pick()}, ${pick()}):`, ...body.map((b) => `    ${b}`), "");
      else if (ext === "ts")
        lines.push(
          `export function ${fn}(${pick()}: number) {`,
          ...body.map((b) => `  ${b};`),
          "}",
          "",
        );
      else
        lines.push(`func ${cap(fn)}(${pick()} int) int {`, ...body.map((b) => `\t${b}`), "}", "");
    }
    if (i === target) targetPath = path;
    mkdirSync(join(dir, ...parts), { recursive: true });
    writeFileSync(join(dir, path), lines.join("\n"));
  }
  writeFileSync(`${dir}.target`, targetPath);
  return targetPath;
}

async function main(): Promise<void> {
  const cli = await bundleCli(ROOT);
  const rows: {
    files: number;
    seconds: number;
    cpuSeconds: number;
    peakRssMb: number;
    targetRank: number;
  }[] = [];
  for (const size of values.sizes.split(",").map(Number)) {
    const dir = join(values.scratch, String(size));
    const marker = `${dir}.target`;
    const target = existsSync(marker) ? readFileSync(marker, "utf8") : generate(dir, size);
    const titleFile = join(values.scratch, "title.txt");
    const bodyFile = join(values.scratch, "body.txt");
    writeFileSync(titleFile, "Ledger drift check raises even within tolerance");
    writeFileSync(
      bodyFile,
      "After the upgrade `reconcile_ledger_drift` fails with\n\nValueError: ledger drift exceeds tolerance\n",
    );
    const run = await runCli(cli, ROOT, dir, titleFile, bodyFile, 10);
    const rank = run.files.findIndex((f) => f.path === target) + 1;
    rows.push({
      files: size,
      seconds: run.seconds,
      cpuSeconds: run.cpuSeconds,
      peakRssMb: run.peakRssMb,
      targetRank: rank,
    });
    process.stderr.write(
      `${size} files: ${run.seconds}s, ${run.peakRssMb} MB, target rank ${rank}\n`,
    );
  }
  rmSync(dirname(cli), { recursive: true, force: true });
  const table = [
    "| files | time s | CPU s | peak RSS MB | planted file's rank |",
    "|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.files} | ${r.seconds} | ${r.cpuSeconds} | ${r.peakRssMb} | ${r.targetRank || "-"} |`,
    ),
  ].join("\n");
  mkdirSync(values.out, { recursive: true });
  writeFileSync(join(values.out, "scale.json"), `${JSON.stringify(rows, null, 1)}\n`);
  writeFileSync(join(values.out, "scale.md"), `${table}\n`);
  process.stdout.write(`${table}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
