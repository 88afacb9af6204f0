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
/** Longest import statement followed to its closing bracket (a braced PHP namespace is none). */
const MAX_STATEMENT_LINES = 80;

/**
 * The lines (1-based, inclusive) from the file's first import to the last one that
 * follows it without a longer stretch of other code in between; a statement spanning
 * lines (`from x import (`, Go's `import (`) runs to its closing bracket, within
 * {@link MAX_STATEMENT_LINES}. Undefined when the file starts with no imports. Each line
 * of the first {@link SCAN_LINES} is measured once, whatever the file holds.
 */
export function importHeader(lines: readonly string[]): Region | undefined {
  const limit = Math.min(lines.length, SCAN_LINES);
  const balances: (number | undefined)[] = [];
  const balance = (row: number): number => (balances[row] ??= bracketBalance(lines[row] ?? ""));
  let first = -1;
  let last = -1;
  let sinceLast = 0;
  /** Brackets left open by the statement being read, and the row it starts on. */
  let open = 0;
  let statement = -1;
  for (let row = 0; row < limit || open > 0; row++) {
    if (open > 0) {
      if (row < limit && row - statement < MAX_STATEMENT_LINES) {
        open += balance(row);
        if (open <= 0) [open, last] = [0, row];
        continue;
      }
      // Never closed (a braced namespace, a stray bracket): the statement is its first
      // line, and the lines after it are read again as lines of their own.
      [open, last, row] = [0, statement, statement + 1];
      if (row >= limit) break;
    }
    const line = lines[row] ?? "";
    if (IMPORT_LINE.test(line)) {
      if (first < 0) first = row;
      statement = row;
      open = Math.max(0, balance(row));
      if (open === 0) last = row;
      sinceLast = 0;
    } else if (first >= 0 && line.trim() !== "" && ++sinceLast > MAX_GAP) break;
  }
  return first < 0 ? undefined : { startLine: first + 1, endLine: last + 1, score: 0 };
}

/**
 * `regions` (best first) with the import block placed right after the best of them: the
 * one place that says where a file's imports rank among its regions, for the plan
 * context and the code request alike.
 */
export function withImportHeader<R>(regions: readonly R[], header: R | undefined): R[] {
  return header ? [...regions.slice(0, 1), header, ...regions.slice(1)] : [...regions];
}

/** Opening minus closing brackets on a line. */
function bracketBalance(line: string): number {
  let balance = 0;
  for (const ch of line) {
    if (ch === "(" || ch === "{") balance++;
    else if (ch === ")" || ch === "}") balance--;
  }
  return balance;
}
