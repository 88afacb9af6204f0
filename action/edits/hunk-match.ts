import type { EditHunk } from "../../protocol/index.js";

/**
 * How a hunk's search text was found, from strictest to loosest. Each level is tried only
 * when the stricter ones found nothing; at every level, two candidates mean refusal.
 */
export type MatchLevel =
  "exact" | "line-endings" | "trailing-whitespace" | "indentation" | "blank-lines";

export type HunkOutcome =
  | { ok: true; text: string; level: MatchLevel; /** 1-based first line replaced */ line: number }
  | { ok: false; reason: "empty-search" | "ambiguous" | "not-found"; message: string };

/** A text split into lines, each with the terminator it had ("\n", "\r\n" or "" at EOF). */
interface Lines {
  body: string[];
  eol: string[];
}

/** Where one search line landed in the file, for the line-based levels. */
interface LineMatch {
  start: number;
  /** File line index for each non-dropped search line (blank search lines may map to -1). */
  map: number[];
  end: number;
  shift: Shift;
}

/** A uniform indentation difference: the file's lines carry `prefix` more (add) or less (remove). */
type Shift = { kind: "none" } | { kind: "add" | "remove"; prefix: string };

/**
 * Applies one search/replace hunk to `text`. The ladder: exact substring; the same after
 * converting the hunk's line endings to the file's; then whole-line matching that
 * tolerates trailing whitespace, a uniform indentation shift (the replacement is
 * re-indented by the same shift) and differing blank lines. Never picks between two
 * candidates: ambiguity at any level is a refusal naming the lines.
 */
export function applyHunk(text: string, hunk: EditHunk): HunkOutcome {
  // A byte order mark is not part of the first line: matched with it, a loose match would
  // take it for indentation and copy it onto new lines, where it is an invalid character.
  if (!text.startsWith(BOM)) return applyHunkToText(text, hunk);
  const outcome = applyHunkToText(text.slice(BOM.length), hunk);
  return outcome.ok ? { ...outcome, text: BOM + outcome.text } : outcome;
}

const BOM = "\uFEFF";

function applyHunkToText(text: string, hunk: EditHunk): HunkOutcome {
  if (hunk.search.trim() === "") {
    return {
      ok: false,
      reason: "empty-search",
      message: "search text is empty or only whitespace; anchor the change on existing lines",
    };
  }

  const eol = dominantEol(text);
  // An exact match gets the file's line endings in its replacement (a CRLF file must not
  // gain LF lines), unless the search itself mixes endings: then the file does too, and
  // the replacement is taken as written.
  const replace = mixedEol(hunk.search) ? hunk.replace : withEol(hunk.replace, eol);
  // A substring found inside a line's indentation (the model wrote the line indented too
  // little) places the replacement's first line right and its later lines too shallow:
  // the line-based levels below re-indent them all, so they are asked first.
  let insideIndentation: HunkOutcome | undefined;
  const exact = substringMatch(text, hunk.search, replace, "exact");
  if (exact && !startsInsideIndentation(text, hunk.search, hunk.replace)) return exact;
  insideIndentation = exact;
  const search = withEol(hunk.search, eol);
  if (search !== hunk.search && !insideIndentation) {
    const converted = substringMatch(text, search, withEol(hunk.replace, eol), "line-endings");
    if (converted && !startsInsideIndentation(text, search, hunk.replace)) return converted;
    insideIndentation = converted;
  }

  const file = splitLines(text);
  const searchLines = splitLines(normalizeEol(hunk.search)).body;
  const replaceLines = splitLines(normalizeEol(hunk.replace)).body;
  trimTrailingEmpty(searchLines);
  trimTrailingEmpty(replaceLines);
  // Blank lines at the search's edges are matched loosely: the core is located without
  // them, then they are consumed only where the file has them (see withBlankEdges).
  const allSearch = [...searchLines];
  const { lead, trail } = trimBlankEdges(searchLines);

  const levels: [MatchLevel, (f: string[], s: string[], at: number) => LineMatch | undefined][] = [
    ["trailing-whitespace", matchTrailing],
    ["indentation", matchIndented],
    ["blank-lines", matchSkippingBlanks],
  ];
  for (const [level, matcher] of levels) {
    const found = findAll(file.body, searchLines, matcher);
    if (found.length > 1) return ambiguous(found.map((m) => m.start + 1));
    const only = found[0];
    if (only) {
      const edged = withBlankEdges(file.body, only, allSearch, replaceLines, lead, trail);
      const replacement = buildReplacement(file, edged.match, edged.search, edged.replace, level);
      const finalEol =
        endsWithEol(hunk.replace) === endsWithEol(hunk.search)
          ? undefined
          : endsWithEol(hunk.replace)
            ? eol
            : "";
      return {
        ok: true,
        text: splice(file, edged.match, replacement, eol, finalEol),
        level,
        line: only.start + 1,
      };
    }
  }
  return (
    insideIndentation ?? {
      ok: false,
      reason: "not-found",
      message: notFoundMessage(file.body, searchLines),
    }
  );
}

/**
 * Whether a substring match begins after nothing but whitespace on its line, and not at
 * the line's start, while the replacement spans several lines.
 */
function startsInsideIndentation(text: string, search: string, replace: string): boolean {
  if (!/\n./.test(normalizeEol(replace).trimEnd())) return false;
  const found = occurrences(text, search);
  const at = found[0];
  if (at === undefined || found.length !== 1) return false;
  const lineStart = text.lastIndexOf("\n", at - 1) + 1;
  return at > lineStart && text.slice(lineStart, at).trim() === "";
}

/**
 * Widens a core match over the blank lines the search had at its edges, as far as the
 * file has blank lines there, so a hunk that deletes a blank line deletes it. Edge lines
 * the file lacks are dropped from the replacement's edges as well, so blank lines a model
 * wrapped around both sides do not multiply.
 */
function withBlankEdges(
  file: string[],
  core: LineMatch,
  search: string[],
  replace: string[],
  lead: number,
  trail: number,
): { match: LineMatch; search: string[]; replace: string[] } {
  let above = 0;
  while (above < lead && (file[core.start - above - 1] ?? "x").trim() === "") above++;
  let below = 0;
  while (below < trail && (file[core.end + below] ?? "x").trim() === "") below++;
  const match: LineMatch = {
    start: core.start - above,
    end: core.end + below,
    shift: core.shift,
    map: [
      ...Array.from({ length: above }, (_, k) => core.start - above + k),
      ...core.map,
      ...Array.from({ length: below }, (_, k) => core.end + k),
    ],
  };
  return {
    match,
    search: search.slice(lead - above, search.length - (trail - below)),
    replace: dropBlankEdges(replace, lead - above, trail - below),
  };
}

/** Every start index of `needle` in `haystack`, overlapping ones included. */
export function occurrences(haystack: string, needle: string): number[] {
  const found: number[] = [];
  if (needle === "") return found;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    found.push(at);
  }
  return found;
}

function substringMatch(
  text: string,
  search: string,
  replace: string,
  level: MatchLevel,
): HunkOutcome | undefined {
  const at = occurrences(text, search);
  if (at.length > 1) return ambiguous(at.map((i) => lineOf(text, i)));
  const first = at[0];
  if (first === undefined) return undefined;
  return {
    ok: true,
    text: text.slice(0, first) + replace + text.slice(first + search.length),
    level,
    line: lineOf(text, first),
  };
}

function ambiguous(lines: number[]): HunkOutcome {
  const shown = lines.slice(0, 5);
  const list =
    shown.length === 2
      ? `${shown[0]} and ${shown[1]}`
      : `${shown.join(", ")}${lines.length > shown.length ? ", …" : ""}`;
  return {
    ok: false,
    reason: "ambiguous",
    message: `search text matches ${lines.length} places (lines ${list}); add surrounding lines to make it unique`,
  };
}

function findAll(
  file: string[],
  search: string[],
  matcher: (f: string[], s: string[], at: number) => LineMatch | undefined,
): LineMatch[] {
  const found: LineMatch[] = [];
  const firstKey = search.find((l) => l.trim() !== "")?.trim();
  for (let at = 0; at < file.length; at++) {
    // Cheap filter: a window starts on a line whose text equals the first search line
    // (blank edge lines were dropped from the search, so that line is not blank).
    if (file[at]?.trim() !== firstKey) continue;
    const m = matcher(file, search, at);
    if (m && !found.some((f) => f.start === m.start)) found.push(m);
  }
  return found;
}

function matchTrailing(file: string[], search: string[], at: number): LineMatch | undefined {
  if (at + search.length > file.length) return undefined;
  const map: number[] = [];
  for (let j = 0; j < search.length; j++) {
    if ((file[at + j] ?? "").trimEnd() !== (search[j] ?? "").trimEnd()) return undefined;
    map.push(at + j);
  }
  return { start: at, end: at + search.length, map, shift: { kind: "none" } };
}

function matchIndented(file: string[], search: string[], at: number): LineMatch | undefined {
  if (at + search.length > file.length) return undefined;
  const map: number[] = [];
  let shift: Shift | undefined;
  for (let j = 0; j < search.length; j++) {
    const f = file[at + j] ?? "";
    const s = search[j] ?? "";
    map.push(at + j);
    if (s.trim() === "" && f.trim() === "") continue;
    const lineShift = shiftBetween(f, s);
    if (lineShift === undefined) return undefined;
    shift ??= lineShift;
    if (!sameShift(shift, lineShift)) return undefined;
  }
  if (shift === undefined || shift.kind === "none") return undefined;
  return { start: at, end: at + search.length, map, shift };
}

function matchSkippingBlanks(file: string[], search: string[], at: number): LineMatch | undefined {
  const wanted = search.map((s, j) => ({ s, j })).filter(({ s }) => s.trim() !== "");
  const map: number[] = search.map(() => -1);
  let shift: Shift | undefined;
  let i = at;
  for (const { s, j } of wanted) {
    while (i < file.length && (file[i] ?? "").trim() === "") {
      // Leading blank lines belong before the window, not in it.
      if (i === at) return undefined;
      i++;
    }
    const f = file[i];
    if (f === undefined) return undefined;
    const lineShift = shiftBetween(f, s);
    if (lineShift === undefined) return undefined;
    shift ??= lineShift;
    if (!sameShift(shift, lineShift)) return undefined;
    map[j] = i;
    i++;
  }
  if (shift === undefined) return undefined;
  return { start: at, end: i, map, shift };
}

/** How `fileLine`'s indentation relates to `searchLine`'s, if their text is otherwise equal. */
function shiftBetween(fileLine: string, searchLine: string): Shift | undefined {
  const f = fileLine.trimEnd();
  const s = searchLine.trimEnd();
  const fIndent = f.length - f.trimStart().length;
  const sIndent = s.length - s.trimStart().length;
  if (f.slice(fIndent) !== s.slice(sIndent)) return undefined;
  const fPrefix = f.slice(0, fIndent);
  const sPrefix = s.slice(0, sIndent);
  if (fPrefix === sPrefix) return { kind: "none" };
  if (fPrefix.endsWith(sPrefix))
    return { kind: "add", prefix: fPrefix.slice(0, fIndent - sIndent) };
  if (sPrefix.endsWith(fPrefix))
    return { kind: "remove", prefix: sPrefix.slice(0, sIndent - fIndent) };
  return undefined;
}

function sameShift(a: Shift, b: Shift): boolean {
  if (a.kind === "none" || b.kind === "none") return a.kind === b.kind;
  return a.kind === b.kind && a.prefix === b.prefix;
}

function reindent(line: string, shift: Shift): string {
  if (line.trim() === "" || shift.kind === "none") return line;
  if (shift.kind === "add") return shift.prefix + line;
  if (line.startsWith(shift.prefix)) return line.slice(shift.prefix.length);
  // A replacement line indented less than the hunk's base cannot lose the whole shift;
  // flush left is the closest reading of the model's intent.
  return line.trimStart();
}

/** A replacement line; context lines keep the terminator they had in the file. */
interface ReplacementLine {
  text: string;
  eol?: string;
}

/**
 * The replacement lines for a line-based match. Lines the replacement shares with the
 * search at its start and end are context: they keep the file's exact text. The others are
 * re-indented by the match's shift, and lose trailing whitespace when the search showed the
 * model's trailing whitespace is unreliable.
 */
function buildReplacement(
  file: Lines,
  match: LineMatch,
  search: string[],
  replace: string[],
  level: MatchLevel,
): ReplacementLine[] {
  // Context is a line the model copied unchanged into both sides, judged on the exact
  // text: a line re-indented on purpose (wrapped in a new block) or a blank line that lost
  // its whitespace is a changed line, not context.
  const slip = trailingSlip(file, match, search);
  const newLine = (r: string): string => {
    const shifted = reindent(r, match.shift);
    if (slip === undefined && level !== "blank-lines") return shifted;
    // A model that added the same trailing whitespace to every line it copied added it
    // to its new lines too: take off exactly that, keeping whitespace the code really has.
    if (slip !== undefined && slip !== "" && shifted.endsWith(slip)) {
      return shifted.slice(0, -slip.length);
    }
    return shifted.trimEnd();
  };
  const out: ReplacementLine[] = replace.map((r) => ({ text: newLine(r) }));
  let head = 0;
  while (head < replace.length && head < search.length && replace[head] === search[head]) {
    const fi = match.map[head];
    if (fi !== undefined && fi >= 0) out[head] = { text: file.body[fi] ?? "", eol: file.eol[fi] };
    head++;
  }
  for (let k = 1; k <= Math.min(replace.length - head, search.length - head); k++) {
    const r = replace[replace.length - k] ?? "";
    const s = search[search.length - k] ?? "";
    if (r !== s) break;
    const fi = match.map[search.length - k];
    if (fi !== undefined && fi >= 0) {
      out[replace.length - k] = { text: file.body[fi] ?? "", eol: file.eol[fi] };
    }
  }
  return out;
}

/**
 * The trailing whitespace the search carries beyond the file's lines: `undefined` when
 * the search's line ends agree with the file, the common suffix when every differing line
 * gained the same one, or "" when they differ in no single way.
 */
function trailingSlip(file: Lines, match: LineMatch, search: string[]): string | undefined {
  let suffix: string | undefined;
  let consistent = true;
  search.forEach((s, j) => {
    const fi = match.map[j];
    const f = fi !== undefined && fi >= 0 ? file.body[fi] : undefined;
    if (f === undefined) return;
    const fEnd = f.slice(f.trimEnd().length);
    const sEnd = s.slice(s.trimEnd().length);
    if (fEnd === sEnd) return;
    const gained = sEnd.startsWith(fEnd) ? sEnd.slice(fEnd.length) : undefined;
    if (gained === undefined || (suffix !== undefined && suffix !== gained)) consistent = false;
    suffix ??= gained;
  });
  if (suffix === undefined && consistent) return undefined;
  return consistent ? suffix : "";
}

function endsWithEol(text: string): boolean {
  return text.endsWith("\n");
}

/**
 * Replaces the matched lines. `finalEol` applies when the match reaches the end of the
 * file and the hunk adds or removes the final newline (search and replace disagree on it).
 */
function splice(
  file: Lines,
  match: LineMatch,
  replacement: ReplacementLine[],
  eol: string,
  finalEol?: string,
): string {
  const before = file.body.slice(0, match.start).map((l, i) => l + (file.eol[i] ?? ""));
  const after = file.body.slice(match.end).map((l, i) => l + (file.eol[match.end + i] ?? ""));
  // The region's last terminator ("" when it reached the end of a file without a final
  // newline) ends the replacement, so the file's ending is unchanged.
  const atEnd = match.end === file.body.length;
  const lastEol = atEnd && finalEol !== undefined ? finalEol : (file.eol[match.end - 1] ?? eol);
  const middle = replacement.map(
    (l, i) => l.text + (i === replacement.length - 1 ? lastEol : (l.eol ?? eol)),
  );
  return [...before, ...middle, ...after].join("");
}

function notFoundMessage(file: string[], search: string[]): string {
  const wanted = search.filter((l) => l.trim() !== "");
  if (wanted.length === 0) return "search text not found";
  let best = { at: -1, score: 0 };
  const last = Math.max(0, file.length - wanted.length);
  for (let at = 0; at <= last && at < file.length; at++) {
    let score = 0;
    for (let j = 0; j < wanted.length; j++) {
      if ((file[at + j] ?? "").trim() === (wanted[j] ?? "").trim()) score++;
    }
    if (score > best.score) best = { at, score };
  }
  if (best.at < 0) {
    const first = wanted[0] ?? "";
    const near = mostSimilarLine(file, first);
    const hint = near ? `; the most similar line is ${near.line + 1}: ${quote(near.text)}` : "";
    return `search text not found; no line of it occurs in the file (first line: ${quote(first)})${hint}`;
  }
  const end = Math.min(best.at + wanted.length, file.length);
  let differs = "";
  for (let j = 0; j < wanted.length; j++) {
    const got = file[best.at + j];
    if (got === undefined) {
      differs = ` at line ${best.at + j + 1}: expected ${quote(wanted[j] ?? "")}, found the end of the file`;
      break;
    }
    if (got.trim() !== (wanted[j] ?? "").trim()) {
      differs = ` at line ${best.at + j + 1}: expected ${quote(wanted[j] ?? "")}, found ${quote(got)}`;
      break;
    }
  }
  return `search text not found; closest region lines ${best.at + 1}–${end} (${best.score} of ${wanted.length} lines equal) differs${differs}`;
}

/** The file line sharing the longest prefix plus suffix with `target`, if at least half of it. */
function mostSimilarLine(
  file: string[],
  target: string,
): { line: number; text: string } | undefined {
  const t = target.trim();
  let best: { line: number; text: string; score: number } | undefined;
  file.forEach((raw, line) => {
    const f = raw.trim();
    if (f === "") return;
    let prefix = 0;
    while (prefix < f.length && prefix < t.length && f[prefix] === t[prefix]) prefix++;
    let suffix = 0;
    while (
      suffix < f.length - prefix &&
      suffix < t.length - prefix &&
      f[f.length - 1 - suffix] === t[t.length - 1 - suffix]
    ) {
      suffix++;
    }
    const score = (prefix + suffix) / Math.max(f.length, t.length);
    if (score >= 0.5 && (best === undefined || score > best.score))
      best = { line, text: raw, score };
  });
  return best;
}

function quote(line: string): string {
  const t = line.trim();
  return JSON.stringify(t.length > 100 ? `${t.slice(0, 99)}…` : t);
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let at = text.indexOf("\n"); at !== -1 && at < index; at = text.indexOf("\n", at + 1))
    line++;
  return line;
}

function dominantEol(text: string): string {
  const crlf = occurrences(text, "\r\n").length;
  const lf = occurrences(text, "\n").length - crlf;
  return crlf > lf ? "\r\n" : "\n";
}

function mixedEol(text: string): boolean {
  const crlf = occurrences(text, "\r\n").length;
  return crlf > 0 && occurrences(text, "\n").length > crlf;
}

function normalizeEol(text: string): string {
  return text.replace(/\r\n/g, "\n");
}

function withEol(text: string, eol: string): string {
  const lf = normalizeEol(text);
  return eol === "\n" ? lf : lf.replace(/\n/g, eol);
}

function splitLines(text: string): Lines {
  const body: string[] = [];
  const eol: string[] = [];
  const re = /\r?\n/g;
  let from = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    body.push(text.slice(from, m.index));
    eol.push(m[0]);
    from = m.index + m[0].length;
  }
  if (from < text.length) {
    body.push(text.slice(from));
    eol.push("");
  }
  return { body, eol };
}

function trimTrailingEmpty(lines: string[]): void {
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
}

function trimBlankEdges(lines: string[]): { lead: number; trail: number } {
  let lead = 0;
  while (lines.length > 0 && (lines[0] ?? "x").trim() === "") {
    lines.shift();
    lead++;
  }
  let trail = 0;
  while (lines.length > 0 && (lines[lines.length - 1] ?? "x").trim() === "") {
    lines.pop();
    trail++;
  }
  return { lead, trail };
}

function dropBlankEdges(lines: string[], lead: number, trail: number): string[] {
  const out = [...lines];
  for (let k = 0; k < lead && out.length > 0 && (out[0] ?? "x").trim() === ""; k++) out.shift();
  for (let k = 0; k < trail && out.length > 0 && (out[out.length - 1] ?? "x").trim() === ""; k++) {
    out.pop();
  }
  return out;
}
