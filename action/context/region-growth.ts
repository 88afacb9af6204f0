/**
 * Widening a file's chosen excerpt regions to fill the share of the budget its rank
 * earns. The lines a fix changes are often a few dozen lines from where the issue's
 * words hit (the caller, the next branch, the helper above), so spare budget is better
 * spent on the surroundings of the best files' regions than left unused or given to
 * files less likely to need changing.
 */
import type { Region } from "./excerpts.js";

/**
 * `regions` each widened by the same number of lines on both sides (clamped to the
 * file), the most that keeps `cost` of the result within `maxTokens`; `regions`
 * unchanged when even one line more would not fit.
 */
export function growRegions(
  lineCount: number,
  regions: readonly Region[],
  maxTokens: number,
  cost: (regions: readonly Region[]) => number,
): Region[] {
  const widen = (by: number): Region[] =>
    regions.map((region) => ({
      startLine: Math.max(1, region.startLine - by),
      endLine: Math.min(lineCount, region.endLine + by),
      score: region.score,
    }));
  if (regions.length === 0 || cost(widen(1)) > maxTokens) return [...regions];
  // Cost grows with the radius, so the largest radius that fits is found by bisection.
  let fits = 1;
  let tooBig = lineCount + 1;
  while (tooBig - fits > 1) {
    const mid = Math.floor((fits + tooBig) / 2);
    if (cost(widen(mid)) <= maxTokens) fits = mid;
    else tooBig = mid;
  }
  return widen(fits);
}
