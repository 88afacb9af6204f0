/**
 * Model-like perturbations of correct hunks, and deliberate syntax breakage of correct
 * files, shared by the edit-apply benchmark and the tests.
 */
import type { EditHunk } from "../../../protocol/index.js";
import type { LanguageId, ParsedSource } from "../../../action/parsing/index.js";
import type { Node } from "web-tree-sitter";

export type Perturbation = "indent-shift" | "trailing-whitespace" | "crlf" | "all-three";
export const PERTURBATIONS: readonly Perturbation[] = [
  "indent-shift",
  "trailing-whitespace",
  "crlf",
  "all-three",
];

/** Applies one perturbation to both sides of a hunk, as a model slip would. */
export function perturbHunk(hunk: EditHunk, kind: Perturbation): EditHunk {
  switch (kind) {
    case "indent-shift":
      return shiftIndent(hunk);
    case "trailing-whitespace":
      return { search: addTrailing(hunk.search), replace: addTrailing(hunk.replace) };
    case "crlf":
      return { search: toCrlf(hunk.search), replace: toCrlf(hunk.replace) };
    case "all-three":
      return perturbHunk(
        perturbHunk(perturbHunk(hunk, "indent-shift"), "trailing-whitespace"),
        "crlf",
      );
  }
}

/**
 * Removes the indentation common to every non-blank line of search and replace (the
 * usual slip: a snippet pasted flush left); when there is none, indents everything by four
 * spaces instead.
 */
function shiftIndent(hunk: EditHunk): EditHunk {
  const lines = [...hunk.search.split("\n"), ...hunk.replace.split("\n")].filter(
    (l) => l.trim() !== "",
  );
  const indents = lines.map((l) => /^[ \t]*/.exec(l)?.[0] ?? "");
  let common = indents[0] ?? "";
  for (const i of indents) while (!i.startsWith(common)) common = common.slice(0, -1);
  const map = (text: string): string =>
    text
      .split("\n")
      .map((l) => {
        if (l.trim() === "") return l;
        return common === "" ? `    ${l}` : l.slice(common.length);
      })
      .join("\n");
  return { search: map(hunk.search), replace: map(hunk.replace) };
}

function addTrailing(text: string): string {
  return text
    .split("\n")
    .map((l, i, all) => {
      if (i === all.length - 1 && l === "") return l;
      return l.endsWith("\r") ? `${l.slice(0, -1)}  \r` : `${l}  `;
    })
    .join("\n");
}

function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, "\r\n");
}

export type Breakage = "drop-closing-bracket" | "unterminated-string" | "stray-keyword";
export const BREAKAGES: readonly Breakage[] = [
  "drop-closing-bracket",
  "unterminated-string",
  "stray-keyword",
];

/**
 * Breaks `parsed` (a correct file) inside the 1-based line range `[from, to]`: drops a
 * real closing bracket token, removes the closing quote of a real string literal, or
 * inserts a line with a keyword that cannot stand there. Returns `undefined` when the
 * region has no place for that breakage (no bracket, no single-line string).
 */
export function breakSyntax(
  parsed: ParsedSource,
  kind: Breakage,
  from: number,
  to: number,
): string | undefined {
  const text = parsed.text;
  const inRegion = (n: Node): boolean =>
    n.startPosition.row + 1 >= from && n.endPosition.row + 1 <= to;
  switch (kind) {
    case "drop-closing-bracket": {
      const closers = leaves(parsed.root).filter(
        (n) =>
          (n.type === ")" || n.type === "]" || n.type === "}") && n.text === n.type && inRegion(n),
      );
      const pick = closers[Math.floor(closers.length / 2)];
      if (!pick) return undefined;
      return text.slice(0, pick.startIndex) + text.slice(pick.endIndex);
    }
    case "unterminated-string": {
      const strings = descendants(parsed.root).filter(
        (n) =>
          STRING_TYPES.has(n.type) &&
          n.startPosition.row === n.endPosition.row &&
          inRegion(n) &&
          /["'`]$/.test(n.text) &&
          n.text.length >= 2,
      );
      const pick = strings[Math.floor(strings.length / 2)];
      if (!pick) return undefined;
      // Drop the closing delimiter and everything after it on the line, so a doubled
      // quote ('' or "") cannot reclose the literal.
      const lineEnd = text.indexOf("\n", pick.endIndex);
      return text.slice(0, pick.endIndex - 1) + text.slice(lineEnd === -1 ? text.length : lineEnd);
    }
    case "stray-keyword": {
      const lines = text.split("\n");
      for (let row = from - 1; row < Math.min(to, lines.length); row++) {
        const line = lines[row] ?? "";
        const col = line.length - line.trimStart().length;
        if (line.trim() === "") continue;
        const node = parsed.root.descendantForPosition({ row, column: col });
        const context = `${node?.type ?? ""} ${node?.parent?.type ?? ""}`;
        // Inside a literal, a comment or PHP's inline HTML, inserted text is still valid;
        // so it is in a Rust macro's token tree, which the parser does not interpret.
        if (/string|comment|heredoc|template|raw|\btext\b/.test(context)) continue;
        if (
          node &&
          hasAncestor(node, /^(token_tree|token_tree_pattern|macro_rule|macro_definition)$/)
        )
          continue;
        const inserted = `${line.slice(0, col)}${STRAY[parsed.language]}`;
        return [...lines.slice(0, row), inserted, ...lines.slice(row)].join("\n");
      }
      return undefined;
    }
  }
}

const STRING_TYPES = new Set([
  "string",
  "string_literal",
  "interpreted_string_literal",
  "char_literal",
  "character_literal",
  "encapsed_string",
  "template_string",
]);

const STRAY: Record<LanguageId, string> = {
  python: "return return",
  javascript: "return return;",
  typescript: "return return;",
  tsx: "return return;",
  go: "func func",
  java: "return return;",
  c: "return return;",
  cpp: "return return;",
  // `return return;` is a valid (if unreachable) Rust expression statement.
  rust: "fn fn;",
  // A surplus `end`, the usual Ruby slip.
  ruby: "end",
  php: "return return;",
};

function descendants(root: Node): Node[] {
  const out: Node[] = [];
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const n = stack.pop();
    if (!n) continue;
    out.push(n);
    for (let i = n.childCount - 1; i >= 0; i--) {
      const c = n.child(i);
      if (c) stack.push(c);
    }
  }
  return out;
}

function leaves(root: Node): Node[] {
  return descendants(root).filter((n) => n.childCount === 0);
}

function hasAncestor(node: Node, type: RegExp): boolean {
  for (let p = node.parent; p !== null; p = p.parent) if (type.test(p.type)) return true;
  return false;
}
