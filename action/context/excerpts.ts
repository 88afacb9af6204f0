/**
 * Excerpts that follow the ranking: the lines where the evidence is (frame
 * lines, definitions of mentioned symbols, verbatim messages, dense query terms), each
 * widened to its enclosing function or class, rather than the first N lines of a file.
 * Block boundaries come from definitions and indentation, which holds for indented and
 * braced languages alike (the closing brace sits at the opening line's indentation).
 */
import { findDefinitions } from "./definitions.js";
import type { SyntaxBlock } from "./syntax-blocks.js";
import { splitIdentifier } from "./tokens.js";

export interface Excerpt {
  startLine: number;
  endLine: number;
  text: string;
}

export interface ExcerptQuery {
  terms: ReadonlyMap<string, number>;
  identifiers: ReadonlySet<string>;
  messages: readonly string[];
  /** 1-based lines named by stack frames for this file. */
  frameLines: readonly number[];
}

/** A candidate region of a file, scored by the evidence inside it. */
export interface Region {
  startLine: number;
  endLine: number;
  score: number;
}

/** Longest block shown whole; longer ones are cut to a window around the evidence. */
const MAX_BLOCK_LINES = 80;
const WINDOW_BEFORE = 12;
const WINDOW_AFTER = 28;

/** What a file's lines say about the query: a score per line and where definitions start. */
export interface LineEvidence {
  lines: readonly string[];
  scores: Float64Array;
  /** 0-based rows of definitions, ascending. */
  definitionLines: readonly number[];
  /** 0-based rows scoring at least 1, best first: the regions grow from these. */
  hits: readonly number[];
}

/**
 * Candidate regions of a file, best first, not overlapping. Every region is a whole
 * enclosing block or a window around evidence inside a long block.
 */
export function excerptRegions(
  text: string,
  query: ExcerptQuery,
  blocks?: readonly SyntaxBlock[],
): Region[] {
  return regionsAround(lineEvidence(text, query), blocks);
}

/** Scores every line of `text` for the query (the cheap half of {@link excerptRegions}). */
export function lineEvidence(text: string, query: ExcerptQuery): LineEvidence {
  const lines = text.split("\n");
  const lineScores = new Float64Array(lines.length);
  const lineOf = lineIndexer(text);

  for (const line of query.frameLines) {
    if (line >= 1 && line <= lines.length) lineScores[line - 1] = (lineScores[line - 1] ?? 0) + 10;
  }
  const definitionLines: number[] = [];
  for (const definition of findDefinitions(text)) {
    const line = lineOf(definition.offset);
    definitionLines.push(line);
    if (query.identifiers.has(definition.name)) lineScores[line] = (lineScores[line] ?? 0) + 8;
  }
  lines.forEach((line, i) => {
    let score = 0;
    for (const message of query.messages) if (line.includes(message)) score += 8;
    const seen = new Set<string>();
    for (const word of line.match(/[A-Za-z_$][\w$]*/g) ?? []) {
      if (query.identifiers.has(word) && !seen.has(word)) score += 2;
      for (const part of splitIdentifier(word)) {
        if (seen.has(part)) continue;
        seen.add(part);
        score += Math.min(query.terms.get(part) ?? 0, 3) * 0.3;
      }
    }
    lineScores[i] = (lineScores[i] ?? 0) + score;
  });

  definitionLines.sort((a, b) => a - b);
  const hits = [...lineScores.keys()]
    .filter((i) => (lineScores[i] ?? 0) >= 1)
    .sort((a, b) => (lineScores[b] ?? 0) - (lineScores[a] ?? 0) || a - b);
  return { lines, scores: lineScores, definitionLines, hits };
}

/**
 * The regions around the evidence's hits, each the innermost parsed block holding it
 * (with `blocks`) or the block that definitions and indentation put around it.
 */
export function regionsAround(evidence: LineEvidence, blocks?: readonly SyntaxBlock[]): Region[] {
  const { lines, scores: lineScores, definitionLines } = evidence;
  const regions: Region[] = [];
  const covered = new Uint8Array(lines.length);
  for (const hit of evidence.hits.slice(0, 200)) {
    if (covered[hit]) continue;
    const [start, end] =
      (blocks && innermostBlock(blocks, hit)) ?? enclosingBlock(lines, definitionLines, hit);
    let from = start;
    let to = end;
    if (to - from + 1 > MAX_BLOCK_LINES) {
      from = Math.max(start, hit - WINDOW_BEFORE);
      to = Math.min(end, hit + WINDOW_AFTER);
    }
    let score = 0;
    for (let i = from; i <= to; i++) {
      if (!covered[i]) score += lineScores[i] ?? 0;
      covered[i] = 1;
    }
    regions.push({ startLine: from + 1, endLine: to + 1, score: score / Math.sqrt(to - from + 1) });
  }
  return regions.sort((a, b) => b.score - a.score || a.startLine - b.startLine);
}

/** The text of a region (1-based, inclusive lines). */
export function regionText(lines: readonly string[], region: Region): Excerpt {
  return {
    startLine: region.startLine,
    endLine: region.endLine,
    text: lines.slice(region.startLine - 1, region.endLine).join("\n"),
  };
}

/** Orders excerpts by position and merges touching ones. */
export function mergeExcerpts(lines: readonly string[], regions: readonly Region[]): Excerpt[] {
  const sorted = [...regions].sort((a, b) => a.startLine - b.startLine);
  const merged: Region[] = [];
  for (const region of sorted) {
    const last = merged[merged.length - 1];
    if (last && region.startLine <= last.endLine + 1) {
      last.endLine = Math.max(last.endLine, region.endLine);
    } else merged.push({ ...region });
  }
  return merged.map((region) => regionText(lines, region));
}

/**
 * The smallest parsed definition (of at least three lines: not a one-line lambda) that
 * contains row `hit`, with decorators already part of the node in most grammars.
 */
function innermostBlock(blocks: readonly SyntaxBlock[], hit: number): [number, number] | undefined {
  let best: SyntaxBlock | undefined;
  for (const block of blocks) {
    if (block.startRow > hit || block.endRow < hit || block.endRow - block.startRow < 2) continue;
    if (!best || block.endRow - block.startRow < best.endRow - best.startRow) best = block;
  }
  return best ? [best.startRow, best.endRow] : undefined;
}

/**
 * The innermost definition above `hit` whose block, of three lines or more, reaches it;
 * the block ends before the first later non-blank line indented no deeper than the
 * definition (a closing brace at that indentation is included). Without one, a window
 * around the hit.
 */
function enclosingBlock(
  lines: readonly string[],
  definitionLines: readonly number[],
  hit: number,
): [number, number] {
  const hitIndent = indentOf(lines[hit] ?? "");
  for (let d = upperBound(definitionLines, hit) - 1; d >= 0; d--) {
    const start = definitionLines[d] ?? 0;
    if (hit - start > 2000) break;
    const indent = indentOf(lines[start] ?? "");
    if (start !== hit && indent >= hitIndent && (lines[hit] ?? "").trim() !== "") continue;
    const end = blockEnd(lines, start, indent);
    // As with parsed blocks, a definition of one or two lines is too small to show alone.
    if (end >= hit && end - start >= 2) return [includeDecorators(lines, start), end];
  }
  return [Math.max(0, hit - 5), Math.min(lines.length - 1, hit + 10)];
}

function blockEnd(lines: readonly string[], start: number, indent: number): number {
  let last = start;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.trim() === "") continue;
    const lineIndent = indentOf(line);
    if (lineIndent <= indent) {
      // A continuation of the signature (`) -> int:`) or the closing brace/`end`.
      if (/^\s*([)\]}]|end\b)/.test(line)) return i;
      return last;
    }
    last = i;
  }
  return last;
}

function includeDecorators(lines: readonly string[], start: number): number {
  let s = start;
  while (s > 0 && /^\s*(@|#\[|\[\w)/.test(lines[s - 1] ?? "")) s--;
  return s;
}

function indentOf(line: string): number {
  let n = 0;
  for (const ch of line) {
    if (ch === " ") n++;
    else if (ch === "\t") n += 4;
    else break;
  }
  return n;
}

function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? 0) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lineIndexer(text: string): (offset: number) => number {
  const starts: number[] = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return (offset) => upperBound(starts, offset) - 1;
}
