import { describe, expect, it } from "@jest/globals";
import type { Region } from "../../../action/context/excerpts.js";
import { growRegions } from "../../../action/context/region-growth.js";

/** One token per line shown, overlapping regions counted once. */
function linesShown(regions: readonly Region[]): number {
  const shown = new Set<number>();
  for (const region of regions)
    for (let line = region.startLine; line <= region.endLine; line++) shown.add(line);
  return shown.size;
}

describe("growRegions", () => {
  it("widens every region by the largest radius that fits", () => {
    const regions = [
      { startLine: 20, endLine: 24, score: 2 },
      { startLine: 60, endLine: 60, score: 1 },
    ];
    // 6 lines now; 26 allowed: 5 lines more on each side of each region.
    const grown = growRegions(100, regions, 26, linesShown);
    expect(grown).toEqual([
      { startLine: 15, endLine: 29, score: 2 },
      { startLine: 55, endLine: 65, score: 1 },
    ]);
    expect(linesShown(growRegions(100, regions, 27, linesShown))).toBeLessThanOrEqual(27);
  });

  it("stops at the file's ends and shows a small file whole", () => {
    const grown = growRegions(30, [{ startLine: 3, endLine: 5, score: 1 }], 1000, linesShown);
    expect(grown).toEqual([{ startLine: 1, endLine: 30, score: 1 }]);
  });

  it("leaves the regions as they are when nothing more fits", () => {
    const regions = [{ startLine: 10, endLine: 12, score: 1 }];
    expect(growRegions(100, regions, 4, linesShown)).toEqual(regions);
    expect(growRegions(100, [], 50, linesShown)).toEqual([]);
  });
});
