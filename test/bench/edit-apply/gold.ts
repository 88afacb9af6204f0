/**
 * Gold-patch evaluation shared by the benchmark and its test: turn a real fix into the
 * model's edit format, apply it through the Action's code path, and compare with what
 * `git apply` makes of the same patch.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { applyEdits, memoryReader } from "../../../action/edits/apply-edits.js";
import { diffToEdits, parseUnifiedDiff } from "../../../action/edits/diff-to-hunks.js";
import { syntaxGate } from "../../../action/edits/syntax-gate.js";
import { languageForPath, parseSource } from "../../../action/parsing/index.js";
import type { FileEdit } from "../../../protocol/index.js";
import {
  BREAKAGES,
  PERTURBATIONS,
  breakSyntax,
  perturbHunk,
  type Breakage,
  type Perturbation,
} from "./variants.js";
import { BENCH_DATA_DIR } from "../bench-data.js";

export interface GoldPatch {
  instance_id: string;
  repo: string;
  base_commit: string;
  patch: string;
}

/** The real fixes, beside the issue data sets. */
export const GOLD_FILE = join(BENCH_DATA_DIR, "gold-patches-dev.jsonl");

export function loadGoldPatches(file = GOLD_FILE): GoldPatch[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as GoldPatch);
}

function hasCommit(gitDir: string, sha: string): boolean {
  try {
    execFileSync("git", ["--git-dir", gitDir, "cat-file", "-e", `${sha}^{commit}`], {
      stdio: "ignore",
    });
    return true;
  } catch {
    return false;
  }
}

/** Base texts of `paths` at `sha`; absent files map to undefined. */
export function readBaseFiles(
  gitDir: string,
  sha: string,
  paths: readonly string[],
): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const path of paths) {
    try {
      const text = execFileSync("git", ["--git-dir", gitDir, "show", `${sha}:${path}`], {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
        stdio: ["ignore", "pipe", "ignore"],
      });
      out.set(path, text);
    } catch {
      out.set(path, undefined);
    }
  }
  return out;
}

/** What `git apply` makes of `patch` over `base`, or an error string. */
export function gitApplyTruth(
  base: ReadonlyMap<string, string | undefined>,
  patch: string,
  paths: readonly string[],
): Map<string, string | undefined> | string {
  const dir = mkdtempSync(join(tmpdir(), "gold-truth-"));
  try {
    for (const [path, text] of base) {
      if (text === undefined) continue;
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    writeFileSync(join(dir, ".patch"), patch);
    execFileSync("git", ["apply", "--whitespace=nowarn", ".patch"], {
      cwd: dir,
      stdio: ["ignore", "ignore", "pipe"],
    });
    const out = new Map<string, string | undefined>();
    for (const path of paths) {
      const file = join(dir, path);
      out.set(path, existsSync(file) ? readFileSync(file, "utf8") : undefined);
    }
    return out;
  } catch (error) {
    return `git apply failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface InstanceResult {
  instance_id: string;
  repo: string;
  files: number;
  hunks: number;
  /** Why the instance could not be evaluated, if so. */
  skipped?: string;
  exact: boolean;
  exactFailure?: string;
  perturbed: Record<
    Perturbation,
    { applied: number; total: number; failures: string[]; levels: Record<string, number> }
  >;
  /**
   * Safety: the change blocks with no context at all (search = removed lines only), then
   * all three perturbations. Such anchors are often ambiguous and must then be refused;
   * `wrong` counts edit sets that applied but differ from the real fix (must stay 0).
   */
  minimal: {
    applied: number;
    refused: number;
    wrong: number;
    unbuildable: number;
    wrongIds: string[];
  };
  /** `tolerated`: patched files whose errors were all present in the base already. */
  gate: { checked: number; tolerated: number; falseAlarms: string[] };
  breakage: Record<Breakage, { caught: number; total: number; missed: string[] }>;
  ms: { convert: number; apply: number; gate: number };
}

/** Evaluates one gold patch against the base files of its repository. */
export async function evaluateGoldPatch(row: GoldPatch, gitDir: string): Promise<InstanceResult> {
  const paths = [
    ...new Set(parseUnifiedDiff(row.patch).flatMap((f) => [f.oldPath, f.newPath])),
  ].filter((p): p is string => p !== undefined);
  const result: InstanceResult = {
    instance_id: row.instance_id,
    repo: row.repo,
    files: paths.length,
    hunks: 0,
    exact: false,
    perturbed: tallies(PERTURBATIONS, () => ({
      applied: 0,
      total: 0,
      failures: [] as string[],
      levels: {},
    })),
    minimal: { applied: 0, refused: 0, wrong: 0, unbuildable: 0, wrongIds: [] },
    gate: { checked: 0, tolerated: 0, falseAlarms: [] },
    breakage: tallies(BREAKAGES, () => ({ caught: 0, total: 0, missed: [] as string[] })),
    ms: { convert: 0, apply: 0, gate: 0 },
  };
  if (!hasCommit(gitDir, row.base_commit)) {
    return { ...result, skipped: "base commit not in the fetched history" };
  }
  const base = readBaseFiles(gitDir, row.base_commit, paths);
  const truth = gitApplyTruth(base, row.patch, paths);
  if (typeof truth === "string") return { ...result, skipped: truth };

  let t = performance.now();
  const converted = diffToEdits(row.patch, (p) => base.get(p));
  result.ms.convert = performance.now() - t;
  if (converted.problems.length > 0) return { ...result, skipped: converted.problems.join("; ") };
  result.hunks = converted.edits.reduce((n, e) => n + e.hunks.length, 0);

  t = performance.now();
  const applied = await applyEdits(converted.edits, readerOf(base), {
    policy: { protected: [], allow: [] },
  });
  result.ms.apply = performance.now() - t;
  const mismatch = compare(applied, truth);
  result.exact = mismatch === undefined;
  if (mismatch !== undefined) result.exactFailure = mismatch;

  for (const kind of PERTURBATIONS) {
    const edits: FileEdit[] = converted.edits.map((e) => ({
      ...e,
      hunks: e.hunks.map((h) => perturbHunk(h, kind)),
    }));
    const tally = result.perturbed[kind];
    tally.total++;
    const outcome = await applyEdits(edits, readerOf(base), {
      policy: { protected: [], allow: [] },
    });
    for (const level of outcome.changes.flatMap((c) => c.hunks.map((h) => h.level))) {
      tally.levels[level] = (tally.levels[level] ?? 0) + 1;
    }
    const miss = compare(outcome, truth);
    if (miss === undefined) tally.applied++;
    else tally.failures.push(miss);
  }

  // The syntax gate on the real patched files: every error it reports is a false alarm.
  t = performance.now();
  const inputs = paths.map((p) => ({ path: p, before: base.get(p), after: truth.get(p) }));
  const gate = await syntaxGate(inputs);
  result.ms.gate = performance.now() - t;
  result.gate.checked = gate.files.filter((f) => f.status !== "skipped").length;
  result.gate.falseAlarms = gate.failures;
  result.gate.tolerated = gate.files.filter((f) => f.note?.includes("already present")).length;

  const minimal = minimalEdits(row.patch);
  if (minimal === undefined) {
    result.minimal.unbuildable++;
  } else {
    const outcome = await applyEdits(
      minimal.map((e) => ({ ...e, hunks: e.hunks.map((h) => perturbHunk(h, "all-three")) })),
      readerOf(base),
      { policy: { protected: [], allow: [] } },
    );
    if (!outcome.ok) result.minimal.refused++;
    else if (compare(outcome, truth) === undefined) result.minimal.applied++;
    else {
      result.minimal.wrong++;
      result.minimal.wrongIds.push(row.instance_id);
    }
  }

  await breakVariants(row.patch, base, truth, result);
  return result;
}

/**
 * Edits whose search text is only the lines a change block removes (no context), or
 * `undefined` when some block removes nothing but blank lines (an insertion has no
 * anchor without context).
 */
function minimalEdits(patch: string): FileEdit[] | undefined {
  const edits: FileEdit[] = [];
  for (const file of parseUnifiedDiff(patch)) {
    if (file.oldPath === undefined || file.newPath === undefined) {
      // New and deleted files carry no anchors: take them as the full conversion does.
      edits.push(
        ...diffToEdits(sectionOf(patch, file.oldPath ?? file.newPath), () => undefined).edits,
      );
      continue;
    }
    if (file.oldPath !== file.newPath) return undefined;
    const hunks: { search: string; replace: string }[] = [];
    for (const hunk of file.hunks) {
      let removed: string[] = [];
      let added: string[] = [];
      const flush = (): boolean => {
        if (removed.length === 0 && added.length === 0) return true;
        if (removed.every((l) => l.trim() === "")) return false;
        hunks.push({ search: removed.join(""), replace: added.join("") });
        removed = [];
        added = [];
        return true;
      };
      for (const line of hunk.lines) {
        const text = line.text + (line.noEol ? "" : "\n");
        if (line.op === "-") removed.push(text);
        else if (line.op === "+") added.push(text);
        else if (!flush()) return undefined;
      }
      if (!flush()) return undefined;
    }
    edits.push({ path: file.oldPath, change: "modify", hunks });
  }
  return edits;
}

async function breakVariants(
  patch: string,
  base: ReadonlyMap<string, string | undefined>,
  truth: ReadonlyMap<string, string | undefined>,
  result: InstanceResult,
): Promise<void> {
  for (const file of parseUnifiedDiff(patch)) {
    const path = file.newPath;
    if (path === undefined || languageForPath(path) === undefined) continue;
    const after = truth.get(path);
    if (after === undefined) continue;
    const parsed = await parseSource(path, after);
    if (parsed === undefined) continue;
    try {
      for (const hunk of file.hunks) {
        const from = hunk.newStart;
        const to = hunk.newStart + Math.max(hunk.newLines, 1) - 1;
        for (const kind of BREAKAGES) {
          const broken = breakSyntax(parsed, kind, from, to);
          if (broken === undefined) continue;
          const tally = result.breakage[kind];
          tally.total++;
          const gate = await syntaxGate([{ path, before: base.get(path), after: broken }]);
          if (!gate.ok) tally.caught++;
          else tally.missed.push(`${path}:${from}-${to}`);
        }
      }
    } finally {
      parsed.dispose();
    }
  }
}

/** The `diff --git` section of `patch` that concerns `path`. */
function sectionOf(patch: string, path: string | undefined): string {
  const sections = patch.split(/(?=^diff --git )/m);
  return (
    sections.find(
      (s) =>
        path !== undefined && (s.startsWith(`diff --git a/${path} `) || s.includes(` b/${path}\n`)),
    ) ?? ""
  );
}

function tallies<K extends string, V>(keys: readonly K[], make: () => V): Record<K, V> {
  const out = {} as Record<K, V>;
  for (const k of keys) out[k] = make();
  return out;
}

function readerOf(
  base: ReadonlyMap<string, string | undefined>,
): (path: string) => Promise<string | undefined> {
  const files = new Map<string, string>();
  for (const [p, t] of base) if (t !== undefined) files.set(p, t);
  return memoryReader(files);
}

function compare(
  applied: Awaited<ReturnType<typeof applyEdits>>,
  truth: ReadonlyMap<string, string | undefined>,
): string | undefined {
  if (!applied.ok) return applied.failures.map((f) => f.message).join(" | ");
  for (const [path, expected] of truth) {
    const change = applied.changes.find((c) => c.path === path);
    const got = change ? change.after : undefined;
    if (got !== expected) return `${path}: result differs from git apply`;
  }
  return undefined;
}
