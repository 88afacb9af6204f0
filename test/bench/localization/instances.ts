/**
 * The benchmark's instances: which data sets exist, how Loc-Bench is sampled, how the
 * held-out splits are drawn, and how a base tree is extracted from a mirror. Shared by
 * the CLI run (`run.ts`) and the in-process ablation (`ablation.ts`).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { findMirror } from "../bench-data.js";

export interface Instance {
  instance_id: string;
  repo: string;
  base_commit: string;
  title: string;
  body: string;
  gold_files: string[];
  gold_new_files: string[];
  language?: string;
}

export const DATASETS: Record<string, string> = {
  lite: "swebench-lite.jsonl",
  multi: "swebench-multilingual-dev.jsonl",
  loc: "locbench-dev.jsonl",
};

export const DATASET_NAMES: Record<string, string> = {
  lite: "SWE-bench Lite (python)",
  multi: "Multilingual dev (all)",
  loc: "Loc-Bench dev (sample)",
};

/** Loc-Bench is split by repository: its point is repositories the ranking never saw. */
export const SPLIT_BY_REPOSITORY = new Set(["loc"]);

/**
 * A fixed quarter is held out, chosen by a SHA-256 of the instance id (Lite,
 * multilingual: few repositories, many issues each) or of the repository name
 * (Loc-Bench: many repositories, so whole repositories can be kept unseen).
 */
export function isHeldOut(dataset: string, inst: { id: string; repo: string }): boolean {
  const key = SPLIT_BY_REPOSITORY.has(dataset) ? inst.repo : inst.id;
  const digest = createHash("sha256").update(key).digest();
  return (digest[0] ?? 0) % 4 === 0;
}

export function inSplit(
  dataset: string,
  inst: { id: string; repo: string },
  split: string,
): boolean {
  if (split === "all") return true;
  if (split === "dev") return !isHeldOut(dataset, inst);
  if (split === "held-out") return isHeldOut(dataset, inst);
  throw new Error(`--split must be all, dev or held-out, not ${split}`);
}

/**
 * The instances of a data set, in file order. `cap` keeps at most that many issues per
 * repository (the first ones in the file), so that a few large repositories do not
 * dominate a data set meant to reward generality.
 */
export function loadInstances(dataDir: string, dataset: string, cap = Infinity): Instance[] {
  const file = DATASETS[dataset];
  if (!file) throw new Error(`unknown dataset ${dataset}`);
  const perRepo = new Map<string, number>();
  return readFileSync(join(dataDir, file), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Instance)
    .filter((inst) => {
      const seen = perRepo.get(inst.repo) ?? 0;
      perRepo.set(inst.repo, seen + 1);
      return seen < cap;
    });
}

/**
 * Extracts `commit` of `gitDir` into `tree` (or reuses it when `keep` and its marker says
 * it is whole and of this commit). Returns false when the commit is missing from the
 * mirror.
 */
export function extractTree(gitDir: string, commit: string, tree: string, keep: boolean): boolean {
  // The marker holds the commit and is written once the tree is whole; a tree that a
  // run without --keep deleted, or one of another commit, is extracted again.
  const marker = `${tree}.extracted`;
  if (keep && existsSync(tree) && existsSync(marker) && readFileSync(marker, "utf8") === commit)
    return true;
  rmSync(marker, { force: true });
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(tree, { recursive: true });
  // The archive goes to a file first: in a pipe, tar would take the archive that
  // `git archive` cut short at a missing blob for a whole (smaller) tree.
  const archive = `${tree}.tar`;
  try {
    execFileSync("git", ["--git-dir", gitDir, "archive", "-o", archive, commit], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    execFileSync("tar", ["-x", "-C", tree, "-f", archive], {
      stdio: ["ignore", "ignore", "pipe"],
    });
  } catch {
    // Snapshots leave out their largest blobs, and `git archive` stops at the first one
    // missing: write the tree file by file instead, without the absent blobs.
    rmSync(tree, { recursive: true, force: true });
    mkdirSync(tree, { recursive: true });
    try {
      extractPresentBlobs(gitDir, commit, tree);
    } catch (error) {
      process.stderr.write(`${tree}: cannot extract ${commit}: ${String(error)}\n`);
      rmSync(tree, { recursive: true, force: true });
      return false;
    }
  } finally {
    rmSync(archive, { force: true });
  }
  // Beside the tree, not in it: the ranking must not see it.
  if (keep) writeFileSync(marker, commit);
  return true;
}

/** Writes every blob of `commit` that the mirror holds (symbolic links as files). */
function extractPresentBlobs(gitDir: string, commit: string, tree: string): void {
  const listing = execFileSync("git", ["--git-dir", gitDir, "ls-tree", "-r", "-z", commit], {
    maxBuffer: 1 << 30,
  })
    .toString("utf8")
    .split("\0")
    .filter((line) => line !== "");
  const entries = listing
    .map((line) => /^(\d+) blob ([0-9a-f]+)\t([\s\S]*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && m[1] !== "160000");
  const out = execFileSync("git", ["--git-dir", gitDir, "cat-file", "--batch"], {
    input: entries.map((m) => m[2]).join("\n") + "\n",
    maxBuffer: 2 ** 31,
  });
  let at = 0;
  for (const m of entries) {
    const end = out.indexOf(10, at);
    const header = out.subarray(at, end).toString("utf8");
    at = end + 1;
    const size = /^[0-9a-f]+ blob (\d+)$/.exec(header);
    if (!size) continue; // "<sha> missing"
    const length = Number(size[1]);
    const file = join(tree, m[3] ?? "");
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, out.subarray(at, at + length));
    at += length + 1;
  }
}

/** Gold files that exist at the base commit (files the fix created cannot be found). */
export function retrievableGold(inst: Instance, tree: string): string[] {
  return inst.gold_files.filter(
    (g) => !inst.gold_new_files.includes(g) && existsSync(join(tree, g)),
  );
}

export interface RunnableInstance {
  dataset: string;
  inst: Instance;
  /** The extracted base tree. */
  tree: string;
  /** Gold files that exist at the base commit (never empty). */
  gold: string[];
  /** The repository's mirror (a bare git directory), history included. */
  gitDir: string;
}

/**
 * The instances of `datasets` (comma-separated) in `split` whose repository is mirrored,
 * whose base tree can be extracted into `scratch` and which have a retrievable gold file,
 * in file order. Loc-Bench keeps at most `locCap` issues per repository. Each tree is
 * removed once the caller is done with it, unless `keep`. The in-process tools
 * (`ablation.ts`, `misses.ts`) walk the data through this.
 */
export function* runnableInstances(options: {
  data: string;
  datasets: string;
  split: string;
  locCap: number;
  mirrors: string;
  scratch: string;
  keep: boolean;
}): Generator<RunnableInstance> {
  for (const dataset of options.datasets.split(",")) {
    const cap = dataset === "loc" ? options.locCap : Infinity;
    for (const inst of loadInstances(options.data, dataset, cap)) {
      if (!inSplit(dataset, { id: inst.instance_id, repo: inst.repo }, options.split)) continue;
      const gitDir = findMirror(inst.repo, options.mirrors);
      if (gitDir === undefined) continue;
      const tree = join(options.scratch, inst.instance_id);
      if (!extractTree(gitDir, inst.base_commit, tree, options.keep)) continue;
      const gold = retrievableGold(inst, tree);
      if (gold.length > 0) yield { dataset, inst, tree, gold, gitDir };
      if (!options.keep) rmSync(tree, { recursive: true, force: true });
    }
  }
}
