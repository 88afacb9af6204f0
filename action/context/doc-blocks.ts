/**
 * Long documentation in a file shown in part (the plan context's excerpts, the code
 * step's views): docstrings, block comments, runs of line comments. A fix changes the
 * code of a function far more often than the prose around it, and in a well-documented
 * file the prose is half the lines (sympy's docstrings with their examples, PHP and Java
 * doc blocks), so beyond the best regions a region's code is offered first and its
 * documentation after every region's code. The best regions keep theirs in place: the
 * function a fix changes is usually among them, and a fix there often updates its
 * docstring too (measured: moving every region's documentation lost more fixes than it
 * won on repositories never tuned on).
 */
import type { FocusRegion } from "../../protocol/index.js";
import type { SyntaxBlock } from "./syntax-blocks.js";

/** Shorter blocks stay with their code: moving them saves less than a range costs. */
export const MIN_DOC_LINES = 6;
/** The best regions, whose documentation stays in place. */
export const DOCS_KEPT_IN_PLACE = 3;

/**
 * 1-based inclusive line spans of documentation blocks of MIN_DOC_LINES lines or more,
 * from a parse's comment and docstring nodes (syntax-blocks.ts), adjacent ones joined.
 */
export function docSpans(docs: readonly SyntaxBlock[]): FocusRegion[] {
  const joined: SyntaxBlock[] = [];
  for (const doc of [...docs].sort((a, b) => a.startRow - b.startRow)) {
    const last = joined[joined.length - 1];
    if (last && doc.startRow <= last.endRow + 1) last.endRow = Math.max(last.endRow, doc.endRow);
    else joined.push({ ...doc });
  }
  return joined
    .filter((s) => s.endRow - s.startRow + 1 >= MIN_DOC_LINES)
    .map((s) => ({ startLine: s.startRow + 1, endLine: s.endRow + 1 }));
}

/**
 * `regions` (best first) with the documentation inside all but the best
 * DOCS_KEPT_IN_PLACE of them moved after every region's code, in the same order.
 */
export function codeBeforeDocs<R extends FocusRegion>(
  regions: readonly R[],
  docs: readonly FocusRegion[],
): R[] {
  const code: R[] = [];
  const prose: R[] = [];
  regions.forEach((region, rank) => {
    const inside = docs.filter(
      (d) => d.startLine <= region.endLine && d.endLine >= region.startLine,
    );
    if (rank < DOCS_KEPT_IN_PLACE || inside.length === 0) {
      code.push({ ...region });
      return;
    }
    let next = region.startLine;
    for (const doc of inside) {
      if (doc.startLine > next)
        code.push({ ...region, startLine: next, endLine: doc.startLine - 1 });
      prose.push({
        ...region,
        startLine: Math.max(doc.startLine, region.startLine),
        endLine: Math.min(doc.endLine, region.endLine),
      });
      next = doc.endLine + 1;
    }
    if (next <= region.endLine) code.push({ ...region, startLine: next, endLine: region.endLine });
  });
  return [...code, ...prose];
}
