/**
 * What the code-reach benchmarks share: the issue texts, the split by repository, and
 * what counts as a real hunk's pre-image and as reaching it. Both the code request
 * (`run.ts`) and the plan request (`plan-reach.ts`) are judged by these, so their
 * figures compare.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { FilePatch } from "../../../action/edits/diff-to-hunks.js";
import { BENCH_DATA_DIR } from "../bench-data.js";

export interface IssueRow {
  instance_id: string;
  title: string;
  body: string;
  language?: string;
}

/** The issue texts of the data sets, by instance id. */
export function loadIssues(): Map<string, IssueRow> {
  const out = new Map<string, IssueRow>();
  for (const file of [
    "swebench-lite.jsonl",
    "swebench-multilingual-dev.jsonl",
    "locbench-dev.jsonl",
  ]) {
    for (const line of readFileSync(path.join(BENCH_DATA_DIR, file), "utf8").split("\n")) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as IssueRow;
      out.set(row.instance_id, row);
    }
  }
  return out;
}

/** A quarter of the repositories, by a hash of the name, held out from any tuning. */
export function heldOutRepo(repo: string): boolean {
  return (createHash("sha256").update(repo.toLowerCase()).digest()[0] ?? 0) < 64;
}

/** Pre-image lines per hunk: removed lines, or the line a pure insertion follows. */
export function preImages(file: FilePatch): string[][] {
  return file.hunks.map((hunk) => {
    const out: string[] = [];
    let lastContext: string | undefined;
    let inserted = false;
    for (const line of hunk.lines) {
      if (line.op === "-") out.push(line.text);
      else if (line.op === " ") {
        if (inserted && out.length === 0 && lastContext !== undefined) out.push(lastContext);
        lastContext = line.text;
        inserted = false;
      } else if (line.op === "+") inserted = true;
    }
    if (inserted && out.length === 0 && lastContext !== undefined) out.push(lastContext);
    return out.filter((text) => text.trim() !== "");
  });
}

/** How many hunks have every pre-image line among `shown` (whole lines, verbatim). */
export function hunksReached(shown: ReadonlySet<string>, hunks: readonly string[][]): number {
  return hunks.filter((lines) => lines.every((l) => shown.has(l))).length;
}
