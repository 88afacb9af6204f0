/**
 * Proximity to the best-matched files: what they import, their header/source siblings,
 * same-named files in parallel directories, and their directory mates get a share of
 * their score (fixes cluster), provided they already carry some evidence of their own.
 * Proximity alone never brings in a file.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { resolveComposition, resolveImports } from "./imports.js";
import { twins } from "./path-index.js";
import type { PathIndex } from "./path-index.js";
import type { RankedFile } from "./rank.js";
import { WEIGHTS } from "./rank.js";
import { MAX_FILE_BYTES } from "./scan-files.js";
import { signalOn } from "./signal-switch.js";

/** How many of the best files have their imports followed. */
const ANCHORS = 3;

/**
 * Returns a re-sorted copy of `ranked` with proximity boosts applied. `paths` is the
 * list `index` was built from.
 */
export function applyProximity(
  repoDir: string,
  ranked: readonly RankedFile[],
  paths: readonly string[],
  index: PathIndex,
): RankedFile[] {
  const byPath = new Map(
    ranked.map((file) => [file.path, { ...file, reasons: [...file.reasons] }]),
  );
  const best = ranked[0]?.score ?? 0;
  for (const [rank, anchor] of ranked.slice(0, ANCHORS).entries()) {
    // Only clear leaders lend weight; a crowd of weak matches says little about imports.
    if (anchor.score < best * 0.6) break;
    let text: string;
    try {
      text = readFileSync(join(repoDir, anchor.path), "utf8");
    } catch {
      continue;
    }
    if (text.length > MAX_FILE_BYTES) continue;
    const boost = (i: number, weight: number, reason: string, on: boolean): void => {
      if (!on) return;
      const path = paths[i];
      const target = path === undefined ? undefined : byPath.get(path);
      if (!target || path === anchor.path) return;
      target.score += anchor.score * weight;
      if (target.reasons.length < 14) target.reasons.push(reason);
    };
    // The ablation can limit imports to the leader's: runners-up are weaker evidence.
    const imports = signalOn("imports") && (rank === 0 || signalOn("importsBeyondLeader"));
    for (const i of resolveImports(anchor.path, text, index)) {
      boost(i, WEIGHTS.importedBy, `imported by ${anchor.path}`, imports);
    }
    for (const i of resolveComposition(anchor.path, text, index)) {
      boost(i, WEIGHTS.composedInto, `trait or mixin of ${anchor.path}`, signalOn("composition"));
    }
    for (const i of index.siblings(anchor.path)) {
      boost(i, WEIGHTS.sibling, `same name as ${anchor.path}`, signalOn("siblings"));
    }
    for (const i of twins(index, anchor.path, 3)) {
      boost(i, WEIGHTS.twin, `same file name as ${anchor.path}`, signalOn("twins"));
    }
    if (rank < WEIGHTS.sameDirectoryAnchors && signalOn("sameDirectory")) {
      const dir = anchor.path.slice(0, anchor.path.lastIndexOf("/") + 1);
      for (const file of byPath.values()) {
        const own = file.path.slice(0, file.path.lastIndexOf("/") + 1);
        if (own !== dir || file.path === anchor.path) continue;
        file.score += anchor.score * WEIGHTS.sameDirectory;
        if (file.reasons.length < 14) file.reasons.push(`same directory as ${anchor.path}`);
      }
    }
  }
  return [...byPath.values()].sort(
    (a, b) => b.score - a.score || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
}
