/**
 * Long documentation in a file the code step shows in part: docstrings, block comments,
 * runs of line comments. A fix changes the code of a function far more often than the
 * prose around it, and in a well-documented file the prose is half the lines (sympy's
 * docstrings with their examples, PHP and Java doc blocks), so beyond the best regions a
 * region's code is offered first and its documentation after every region's code. The
 * best regions keep theirs in place: the function a fix changes is usually among them,
 * and a fix there often updates its docstring too (measured: moving every region's
 * documentation lost more fixes than it won on repositories never tuned on).
 */
import type { FocusRegion } from "../../protocol/index.js";
import { parseSource } from "../parsing/index.js";

/** Shorter blocks stay with their code: moving them saves less than a range costs. */
export const MIN_DOC_LINES = 6;
/** The best regions, whose documentation stays in place. */
export const DOCS_KEPT_IN_PLACE = 3;

const COMMENT_TYPE = /comment/;
const MAX_WALK_NODES = 400_000;

/**
 * 1-based inclusive line spans of the file's documentation blocks of MIN_DOC_LINES lines
 * or more: comments that start their line (adjacent ones joined) and Python docstrings (a
 * string standing alone as a statement). Empty when the file's language has no grammar.
 */
export async function docBlocks(path: string, text: string): Promise<FocusRegion[]> {
  let parsed;
  try {
    parsed = await parseSource(path, text);
  } catch {
    return [];
  }
  if (!parsed) return [];
  const lines = text.split("\n");
  const startsLine = (row: number, column: number) =>
    (lines[row] ?? "").slice(0, column).trim() === "";
  const spans: { startRow: number; endRow: number }[] = [];
  try {
    const cursor = parsed.root.walk();
    let visited = 0;
    let descend = true;
    for (;;) {
      let leaf = false;
      if (descend) {
        visited++;
        // A block ends before a row it shares with code (`*/ int x;`): that row is code.
        const type = cursor.nodeType;
        const docstring =
          type === "expression_statement" &&
          parsed.language === "python" &&
          cursor.currentNode.namedChildCount === 1 &&
          /^(?:string|concatenated_string)$/.test(cursor.currentNode.namedChild(0)?.type ?? "");
        if (COMMENT_TYPE.test(type) || docstring) {
          leaf = true;
          const start = cursor.startPosition;
          const end = cursor.endPosition;
          const codeAfter = (lines[end.row] ?? "").slice(end.column).trim() !== "";
          if (startsLine(start.row, start.column))
            spans.push({ startRow: start.row, endRow: codeAfter ? end.row - 1 : end.row });
        }
      }
      if (visited > MAX_WALK_NODES) break;
      if (descend && !leaf && cursor.gotoFirstChild()) continue;
      if (cursor.gotoNextSibling()) {
        descend = true;
        continue;
      }
      if (!cursor.gotoParent()) break;
      descend = false;
    }
    cursor.delete();
  } finally {
    parsed.dispose();
  }
  const joined: { startRow: number; endRow: number }[] = [];
  for (const span of spans.sort((a, b) => a.startRow - b.startRow)) {
    const last = joined[joined.length - 1];
    if (last && span.startRow <= last.endRow + 1) last.endRow = Math.max(last.endRow, span.endRow);
    else joined.push({ ...span });
  }
  return joined
    .filter((s) => s.endRow - s.startRow + 1 >= MIN_DOC_LINES)
    .map((s) => ({ startLine: s.startRow + 1, endLine: s.endRow + 1 }));
}

/**
 * `regions` (best first) with the documentation inside all but the best
 * DOCS_KEPT_IN_PLACE of them moved after every region's code, in the same order.
 */
export function codeBeforeDocs(
  regions: readonly FocusRegion[],
  docs: readonly FocusRegion[],
): FocusRegion[] {
  const code: FocusRegion[] = [];
  const prose: FocusRegion[] = [];
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
      if (doc.startLine > next) code.push({ startLine: next, endLine: doc.startLine - 1 });
      prose.push({
        startLine: Math.max(doc.startLine, region.startLine),
        endLine: Math.min(doc.endLine, region.endLine),
      });
      next = doc.endLine + 1;
    }
    if (next <= region.endLine) code.push({ startLine: next, endLine: region.endLine });
  });
  return [...code, ...prose];
}
