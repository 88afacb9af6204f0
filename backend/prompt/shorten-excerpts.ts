/**
 * One ranked file's excerpts cut down to a token budget. The Action sizes its context for
 * a generous budget (the best file can take most of 48,000 tokens); a worker whose window
 * is smaller must shorten that file rather than drop it, or the model plans without
 * seeing any code. Kept first, whole and best first, are the regions the Action matched
 * (the file's `focus`: found on the whole file, with its parse and the issue's stack
 * frames and names), then lines that name the issue's words, each with a few lines
 * around it; then all of them are widened alike while the budget lasts. Only lines that
 * were sent are shown, at their own line numbers.
 */
import { estimateTokens, type ContextFile } from "../../protocol/index.js";

type Excerpt = ContextFile["excerpts"][number];

/** Lines kept on each side of a line that names the issue's words, before widening. */
const HIT_RADIUS = 2;
/** Most lines looked at as hits per file (the best scoring first). */
const MAX_HITS = 60;
/** A word on more than this share of a file's lines says nothing about where to look. */
const COMMON_LINE_SHARE = 0.2;
/** Words too common in issues and code to point anywhere. */
const STOP_WORDS = new Set(
  (
    "the and for with this that from are was were but not have has had when then than " +
    "into onto what which where while will would should could can cannot does did doing " +
    "there their they them these those you your our its also just only some any all more " +
    "most other such same very like use used using get gets set sets new old one two " +
    "def class return self import none true false null undefined var let const function " +
    "public private static void int str string list dict type value values file files " +
    "error errors issue bug fix expected actual version example code line lines test tests"
  ).split(" "),
);

/** The issue's words that can point at lines, with a weight: names weigh more than words. */
export function focusWords(issueText: string): Map<string, number> {
  const words = new Map<string, number>();
  for (const match of issueText.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
    const word = match[0];
    if (word.length < 3) continue;
    const lower = word.toLowerCase();
    if (STOP_WORDS.has(lower)) continue;
    // snake_case, camelCase, digits: a name from the code, not an English word.
    const isName = /_|[a-z][A-Z]|\d/.test(word);
    words.set(lower, Math.max(words.get(lower) ?? 0, isName ? 3 : 1));
  }
  return words;
}

interface Span {
  excerpt: number;
  start: number;
  end: number;
}

/**
 * `file` with excerpts that cost at most `maxTokens` as `render` renders it, or
 * undefined when not even one line around its best match fits. The file is returned
 * unchanged when it already fits.
 */
export function shortenExcerpts(
  file: ContextFile,
  words: ReadonlyMap<string, number>,
  maxTokens: number,
  render: (file: ContextFile) => string,
): ContextFile | undefined {
  if (estimateTokens(render(file)) <= maxTokens) return file;
  if (file.excerpts.length === 0) return undefined;
  // Split once: every probe below slices these (splitting a large excerpt per probe made
  // one schema-valid request of a million lines take minutes).
  const lines = file.excerpts.map((excerpt) => excerpt.text.split("\n"));
  const cost = (spans: readonly Span[]) => estimateTokens(render(withSpans(file, lines, spans)));
  const hits = hitLines(lines, words);
  // The Action's own regions first, whole, best first: it matched them on the whole file
  // and the issue's structure (stack frames, definitions), more than words can say here.
  // Then the lines naming the issue's words; with neither, how the file starts, as the
  // Action shows a file chosen by its path.
  const seeds: Span[] = [
    ...focusSpans(file, lines),
    ...(hits.length > 0
      ? hits.map((hit) => around(hit.excerpt, hit.line, HIT_RADIUS, lines))
      : [{ excerpt: 0, start: 0, end: Math.min(lines[0]?.length ?? 1, 2 * HIT_RADIUS + 1) - 1 }]),
  ];
  const chosen: Span[] = [];
  for (const seed of seeds) {
    if (cost([...chosen, seed]) <= maxTokens) chosen.push(seed);
  }
  if (chosen.length === 0) {
    // Not even the best window: its one line, if that fits.
    const first = seeds[0];
    if (!first) return undefined;
    const line = hits[0]?.line ?? 0;
    const single = { excerpt: first.excerpt, start: line, end: line };
    if (cost([single]) > maxTokens) return undefined;
    chosen.push(single);
  }
  // Widen every span alike, the largest step that fits (cost grows with the step).
  const widen = (by: number) =>
    chosen.map((span) => ({
      excerpt: span.excerpt,
      start: Math.max(0, span.start - by),
      end: Math.min((lines[span.excerpt]?.length ?? 1) - 1, span.end + by),
    }));
  let fits = 0;
  let tooBig = Math.max(...lines.map((l) => l.length)) + 1;
  while (tooBig - fits > 1) {
    const mid = Math.floor((fits + tooBig) / 2);
    if (cost(widen(mid)) <= maxTokens) fits = mid;
    else tooBig = mid;
  }
  return withSpans(file, lines, widen(fits));
}

/** Lines naming the issue's words, best first (ties in file order). */
function hitLines(
  lines: readonly string[][],
  words: ReadonlyMap<string, number>,
): { excerpt: number; line: number }[] {
  const total = lines.reduce((n, l) => n + l.length, 0);
  const found: { excerpt: number; line: number; words: string[] }[] = [];
  const linesWith = new Map<string, number>();
  lines.forEach((excerptLines, excerpt) =>
    excerptLines.forEach((text, line) => {
      const here = new Set<string>();
      for (const match of text.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
        const lower = match[0].toLowerCase();
        if (words.has(lower)) here.add(lower);
      }
      if (here.size === 0) return;
      for (const word of here) linesWith.set(word, (linesWith.get(word) ?? 0) + 1);
      found.push({ excerpt, line, words: [...here] });
    }),
  );
  const scored = found
    .map((hit) => ({
      ...hit,
      score: hit.words.reduce(
        (sum, word) =>
          (linesWith.get(word) ?? 0) > Math.max(2, total * COMMON_LINE_SHARE)
            ? sum
            : sum + (words.get(word) ?? 0),
        0,
      ),
    }))
    .filter((hit) => hit.score > 0);
  scored.sort((a, b) => b.score - a.score || a.excerpt - b.excerpt || a.line - b.line);
  return scored.slice(0, MAX_HITS);
}

/** The file's focus regions as spans of the excerpts holding their first lines, clipped. */
function focusSpans(file: ContextFile, lines: readonly string[][]): Span[] {
  const spans: Span[] = [];
  for (const region of file.focus ?? []) {
    const excerpt = file.excerpts.findIndex(
      (e) => e.startLine <= region.startLine && region.startLine <= e.endLine,
    );
    const source = file.excerpts[excerpt];
    if (!source) continue;
    const last = (lines[excerpt]?.length ?? 1) - 1;
    spans.push({
      excerpt,
      start: region.startLine - source.startLine,
      end: Math.min(last, region.endLine - source.startLine),
    });
  }
  return spans;
}

function around(excerpt: number, line: number, radius: number, lines: readonly string[][]): Span {
  const last = (lines[excerpt]?.length ?? 1) - 1;
  return { excerpt, start: Math.max(0, line - radius), end: Math.min(last, line + radius) };
}

/**
 * The file showing only `spans` (indices into `lines`, each excerpt's text split into
 * lines), merged, in order.
 */
function withSpans(
  file: ContextFile,
  lines: readonly string[][],
  spans: readonly Span[],
): ContextFile {
  const sorted = [...spans].sort((a, b) => a.excerpt - b.excerpt || a.start - b.start);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && last.excerpt === span.excerpt && span.start <= last.end + 1) {
      last.end = Math.max(last.end, span.end);
    } else merged.push({ ...span });
  }
  const excerpts: Excerpt[] = merged.map((span) => {
    const source = file.excerpts[span.excerpt] as Excerpt;
    const text = (lines[span.excerpt] ?? []).slice(span.start, span.end + 1).join("\n");
    return {
      startLine: source.startLine + span.start,
      endLine: source.startLine + span.end,
      text,
    };
  });
  return { ...file, excerpts };
}
