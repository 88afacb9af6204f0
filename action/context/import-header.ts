/**
 * The block of imports a source file starts with. A file sent in part shows it beside
 * its matched regions: which names the file takes from where is what a plan needs to
 * say "use X" or "import Y", and adding or changing an import is among the commonest
 * lines a real fix touches (in the plan-reach benchmark, about one in six of the hunks
 * that were in a file sent in part yet missed its excerpts).
 */
import type { Region } from "./excerpts.js";

/**
 * A line that imports, includes or declares the file's package, in the common languages:
 * Python `import` / `from … import`, Java/Kotlin/Scala/Go/JS/TS `import` and `package`,
 * C/C++ `#include`, Rust `use`/`extern crate`/`mod x;`, PHP `namespace`/`use`/`require`,
 * Ruby `require`, C# `using`, CommonJS `const x = require(…)`. At the start of the line
 * only: an indented `use` is a PHP trait or a Rust import inside a function.
 */
const IMPORT_LINE =
  /^(?:import\b|from\s+[\w.]+\s+import\b|package\s|#\s*include\b|#\s*import\b|(?:pub(?:\([\w:]+\))?\s+)?use\s|extern\s+crate\b|mod\s+\w+;|namespace\s|require(?:_relative|_once)?\b|include(?:_once)?\s|using\s+[\w.]+\s*;|(?:const|let|var)\s+[\w{}\s,]+=\s*require\()/;
/** How far into a file the import block is looked for. */
const SCAN_LINES = 400;
/** Lines of other code between two imports that end the block (a function, a class). */
const MAX_GAP = 12;

/**
 * The lines (1-based, inclusive) from the file's first import to the last one that
 * follows it without a longer stretch of other code in between; a statement spanning
 * lines (`from x import (`, Go's `import (`) runs to its closing parenthesis. Undefined
 * when the file starts with no imports.
 */
export function importHeader(lines: readonly string[]): Region | undefined {
  let first = -1;
  let last = -1;
  let sinceLast = 0;
  const limit = Math.min(lines.length, SCAN_LINES);
  for (let row = 0; row < limit; row++) {
    const line = lines[row] ?? "";
    if (IMPORT_LINE.test(line)) {
      if (first < 0) first = row;
      last = closingRow(lines, row, limit);
      row = last;
      sinceLast = 0;
    } else if (first >= 0 && line.trim() !== "" && ++sinceLast > MAX_GAP) break;
  }
  return first < 0 ? undefined : { startLine: first + 1, endLine: last + 1, score: 0 };
}

/** The row where the statement starting at `row` ends: its parenthesis closed. */
function closingRow(lines: readonly string[], row: number, limit: number): number {
  let depth = 0;
  for (let r = row; r < limit; r++) {
    for (const ch of lines[r] ?? "") {
      if (ch === "(" || ch === "{") depth++;
      else if (ch === ")" || ch === "}") depth--;
    }
    if (depth <= 0) return r;
  }
  return row;
}
