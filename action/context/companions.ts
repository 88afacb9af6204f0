/**
 * Files a project changes together with the file a fix is about, by its own conventions
 * (its changelog, its hand-written API reference). A companion joins the ranking right
 * after the best file it goes with: the entry is as sure a part of the change as the fix
 * itself. One place for where companions go, so that the conventions agree.
 */
import type { RankedFile } from "./rank.js";

export interface Companion {
  path: string;
  reason: string;
}

/**
 * The best files whose companions join the ranking, and how close to the best score a
 * file must be to count as one.
 */
const ANCHORS = 3;
const SCORE_SHARE = 0.5;

/**
 * Adds each best file's companions (`companionsOf`) to the ranking, right after that
 * file: halfway between its score and the next file's. A companion already ranked
 * higher keeps its place. Returns a re-sorted copy.
 */
export function joinCompanions(
  ranked: readonly RankedFile[],
  companionsOf: (anchor: RankedFile) => readonly Companion[],
): RankedFile[] {
  if (ranked.length === 0) return [];
  const byPath = new Map(
    ranked.map((file) => [file.path, { ...file, reasons: [...file.reasons] }]),
  );
  const best = ranked[0]?.score ?? 0;
  ranked.slice(0, ANCHORS).forEach((anchor, rank) => {
    if (anchor.score < best * SCORE_SHARE) return;
    const next = ranked[rank + 1]?.score ?? 0;
    const score = (anchor.score + next) / 2;
    for (const companion of companionsOf(anchor)) {
      const entry = byPath.get(companion.path);
      if (!entry) {
        byPath.set(companion.path, { path: companion.path, score, reasons: [companion.reason] });
      } else if (entry.score < score) {
        entry.score = score;
        if (!entry.reasons.includes(companion.reason)) entry.reasons.unshift(companion.reason);
      }
    }
  });
  return [...byPath.values()].sort(
    (a, b) => b.score - a.score || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
}
