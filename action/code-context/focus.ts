/**
 * Where in a file the code step should look: the regions the issue and the approved plan
 * point at (definitions of the names they use, lines their stack traces and steps name,
 * lines holding their error messages and words), each widened to its enclosing function
 * or class, best first; and an outline of every definition with its line number, so that
 * a model shown only part of a large file still knows what the rest holds.
 *
 * The regions are the same ranked excerpts the plan's context uses (excerpts.ts), asked
 * with the plan's words added to the issue's: what the plan names is what gets changed.
 * A changelog's first regions are where its next entry goes (changelog.ts).
 */
import {
  MAX_SOURCE_FOCUS,
  type FocusRegion,
  type OutlineEntry,
  type Plan,
} from "../../protocol/index.js";
import { entryRegions, isChangelogPath } from "../context/changelog.js";
import { findDefinitions } from "../context/definitions.js";
import type { ExcerptQuery } from "../context/excerpts.js";
import { fileRegions } from "../context/file-regions.js";
import { importHeader, withImportHeader } from "../context/import-header.js";
import { readIssueSignals, type IssueSignals } from "../context/issue-signals.js";

/**
 * Regions per file, best first; the worker shows as many as its window holds. A region
 * whose documentation comes after all code (doc-blocks.ts) counts once per part.
 */
export const MAX_FOCUS_REGIONS = 120;
/** Outline entries per file (a definition each); longer outlines keep the top-level ones. */
export const MAX_OUTLINE_ENTRIES = 1500;
const MAX_OUTLINE_TEXT = 160;

/** The issue's and the plan's signals, read once per request. */
export interface CodeQuery {
  issue: IssueSignals;
  plan: IssueSignals;
  /** Per path: 1-based lines the plan's steps name for it ("line 120", "L120", ":120"). */
  planLines: Map<string, number[]>;
}

export function codeQuery(issue: { title: string; body: string }, plan: Plan): CodeQuery {
  const planText = [
    ...plan.steps.map((step) => `${step.title}\n${step.detail}`),
    ...plan.files.map((file) => `${file.path}: ${file.reason}`),
  ].join("\n\n");
  const planLines = new Map<string, number[]>();
  for (const step of plan.steps) {
    const lines = linesNamed(`${step.title}\n${step.detail}`);
    if (lines.length === 0) continue;
    for (const path of step.files) planLines.set(path, [...(planLines.get(path) ?? []), ...lines]);
  }
  return {
    issue: readIssueSignals(issue.title, issue.body),
    plan: readIssueSignals(plan.summary, planText),
    planLines,
  };
}

/** "line 120", "lines 120-130", "L120", "file.py:120". */
function linesNamed(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(/\b(?:lines?\s+|L)(\d{1,6})(?:\s*[-–]\s*(\d{1,6}))?\b/gi)) {
    out.push(Number(m[1]));
    if (m[2] !== undefined) out.push(Number(m[2]));
  }
  for (const m of text.matchAll(/\.[A-Za-z]{1,6}:(\d{1,6})\b/g)) out.push(Number(m[1]));
  return out;
}

/** The focus regions and the outline of one file the plan changes. */
export async function fileFocus(
  path: string,
  text: string,
  query: CodeQuery,
): Promise<{ regions: FocusRegion[]; outline: OutlineEntry[] }> {
  const name = path.split("/").pop() ?? path;
  const frameLines = [
    ...query.issue.frames
      .filter((frame) => frame.line !== undefined && frame.path.split("/").pop() === name)
      .map((frame) => frame.line ?? 0),
    ...(query.planLines.get(path) ?? []),
  ];
  const terms = new Map(query.issue.terms);
  for (const [term, weight] of query.plan.terms) terms.set(term, (terms.get(term) ?? 0) + weight);
  const excerptQuery: ExcerptQuery = {
    terms,
    identifiers: new Set([...query.issue.identifiers.keys(), ...query.plan.identifiers.keys()]),
    messages: [...query.issue.messages, ...query.plan.messages],
    frameLines,
  };
  // Parsed whatever its size: the code step must show whole functions of the files it
  // changes, and waits on a model that takes far longer than the parse.
  const matched = (await fileRegions(path, text, excerptQuery)).map(({ startLine, endLine }) => ({
    startLine,
    endLine,
  }));
  // The file's imports right after its best region: a change that calls something new
  // adds an import there, and the model can only quote lines it was shown.
  const header = importHeader(text.split("\n"));
  const withImports = withImportHeader(
    matched,
    header && { startLine: header.startLine, endLine: header.endLine },
  );
  // A changelog is changed where its entries are added, which no word of the issue names.
  const regions = [...(isChangelogPath(path) ? entryRegions(text) : []), ...withImports];
  return {
    regions: regions.slice(0, Math.min(MAX_FOCUS_REGIONS, MAX_SOURCE_FOCUS)),
    outline: outlineOf(path, text),
  };
}

/** Every definition's first line with its line number, in file order. */
export function outlineOf(path: string, text: string): OutlineEntry[] {
  const lineStarts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const seen = new Set<number>();
  let entries: (OutlineEntry & { topLevel: boolean })[] = [];
  for (const definition of findDefinitions(text, path)) {
    const row = lineOf(definition.offset);
    if (seen.has(row)) continue;
    seen.add(row);
    const start = lineStarts[row] ?? 0;
    const end = text.indexOf("\n", start);
    const line = text.slice(start, end < 0 ? undefined : end).replace(/\s+$/, "");
    entries.push({
      line: row + 1,
      text: line.slice(0, MAX_OUTLINE_TEXT),
      topLevel: definition.topLevel,
    });
  }
  entries.sort((a, b) => a.line - b.line);
  if (entries.length > MAX_OUTLINE_ENTRIES) {
    const top = entries.filter((e) => e.topLevel);
    entries = top.length <= MAX_OUTLINE_ENTRIES ? top : top.slice(0, MAX_OUTLINE_ENTRIES);
  }
  return entries.map(({ line, text: signature }) => ({ line, text: signature }));
}
