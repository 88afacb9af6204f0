/**
 * Measures secret redaction: planted secrets detected or missed, per family; false
 * redactions in secret-free files; time per MB. Prints a table; with --write, also writes
 * test/bench/secrets/results/latest.md.
 *
 *   node --import tsx test/bench/secrets/run.ts [--write]
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { redactSecrets } from "../../../action/context/redact-secrets.js";
import { findSecrets } from "../../../action/context/secret-rules.js";
import { cleanFiles, evaluate, ROOT } from "./corpus.js";

const { planted, clean } = evaluate(
  (text, path) => redactSecrets(text, { path }).text,
  (text, path) => findSecrets(text, path),
);

const lines: string[] = [];
const say = (line = "") => {
  lines.push(line);
  console.log(line);
};

say("# Secret redaction: planted secrets and secret-free files");
say();
say(`node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
say();
say("## Planted secrets, one sample per family");
say();
say("| family | expected rule | found by | result |");
say("| --- | --- | --- | --- |");
for (const p of planted) {
  say(
    `| ${p.family} | ${p.rule} | ${p.foundBy.join(", ") || "nothing"} | ${p.detected ? "detected" : `MISSED (${p.leaked.length} value(s) left)`} |`,
  );
}
const detected = planted.filter((p) => p.detected).length;
say();
say(`Planted: ${detected}/${planted.length} detected, ${planted.length - detected} missed.`);
const byLayer = (prefix: string) => planted.filter((p) => p.rule.startsWith(prefix));
for (const [name, prefix] of [
  ["secretlint preset", "secretlint/"],
  ["hand-written layer", "hand/"],
] as const) {
  const group = byLayer(prefix);
  say(
    `- families expected from the ${name}: ${group.filter((p) => p.detected).length}/${group.length} detected`,
  );
}

say();
say("## Secret-free files");
say();
const falseFiles = clean.filter((c) => c.changed.length > 0);
for (const source of ["snippets", "project"] as const) {
  const files = clean.filter((c) => c.source === source);
  const changed = files.filter((c) => c.changed.length > 0);
  const linesChanged = changed.reduce((n, c) => n + c.changed.length, 0);
  say(
    `- ${source === "snippets" ? "look-alike snippets (test/bench/secrets/clean)" : "the project's own sources, docs and examples"}: ${files.length} files, ${changed.length} with a false redaction (${linesChanged} lines)`,
  );
}
for (const c of falseFiles) {
  for (const l of c.changed)
    say(`  - ${c.path}:${l.line}: \`${l.before.trim()}\` -> \`${l.after.trim()}\``);
}
say();
say(`False redactions: ${falseFiles.length}/${clean.length} clean files.`);

say();
say("## Speed");
say();
const texts = cleanFiles().map((f) => ({ text: f.text, path: f.path }));
const typescript = readFileSync(join(ROOT, "node_modules/typescript/lib/typescript.js"), "utf8");
for (const [name, inputs] of [
  ["the clean files", texts],
  ["typescript.js (large real JavaScript)", [{ text: typescript, path: "typescript.js" }]],
] as const) {
  const bytes = inputs.reduce((n, i) => n + Buffer.byteLength(i.text), 0);
  // One warm-up pass, then the best of three.
  for (const i of inputs) redactSecrets(i.text, { path: i.path });
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    for (const i of inputs) redactSecrets(i.text, { path: i.path });
    best = Math.min(best, performance.now() - started);
  }
  const mb = bytes / (1024 * 1024);
  say(`- ${name}: ${mb.toFixed(2)} MiB in ${best.toFixed(0)} ms, ${(best / mb).toFixed(0)} ms/MiB`);
}

if (process.argv.includes("--write")) {
  const dir = join(ROOT, "test/bench/secrets/results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "latest.md"), `${lines.join("\n")}\n`);
}
