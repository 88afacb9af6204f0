/**
 * What an issue says about where the code is, read the way a maintainer reads it:
 * stack-trace frames, paths and file names, qualified names (modules, classes,
 * namespaces), identifiers, quoted error messages, and weighted search terms.
 */
import { identifiersIn, isStopWord, splitIdentifier, termsOf } from "./tokens.js";

export interface StackFrame {
  /** The path as written in the trace (may be absolute or from another machine). */
  path: string;
  line?: number;
  /** Function or method named by the frame, when the format gives one. */
  symbol?: string;
  /** 0 for the outermost frame; larger is deeper (closer to where it failed). */
  depth: number;
}

export interface IssueSignals {
  frames: StackFrame[];
  /** File paths or file names written in the issue (outside stack frames). */
  paths: string[];
  /** Qualified names split into components: `django.forms.URLField` → [django, forms, URLField]. */
  qualifiedNames: string[][];
  /** Identifiers that look like code, with a weight (title, code spans and repeats count more). */
  identifiers: Map<string, number>;
  /** Error messages and quoted strings worth finding verbatim in the code. */
  messages: string[];
  /** Lowercase search terms with weights (title terms count more). */
  terms: Map<string, number>;
  /** Frames run outermost first, innermost last (Python's "most recent call last"). */
  innermostFrameLast: boolean;
  /**
   * Two adjacent words of prose that may name one identifier ("the Dataset repr" →
   * `dataset_repr`, `datasetRepr`): key is the words joined, lowercase.
   */
  phrases: Map<string, string>;
  /** The issue mentions tests (so test files are fair candidates). */
  aboutTests: boolean;
  /** The issue is about documentation. */
  aboutDocs: boolean;
}

const FILE_EXT = "[A-Za-z][A-Za-z0-9_+-]{0,9}";
const PATH_RE = new RegExp(
  `(?:[A-Za-z]:)?(?:[\\w.@+-]*[\\\\/])*[\\w@+-][\\w.@+-]*\\.${FILE_EXT}(?![\\w/])`,
  "g",
);

/** File extensions that mean "this token is a file", not a version or a domain. */
const SOURCE_EXTENSIONS = new Set(
  (
    "py pyi pyx pxd js jsx mjs cjs ts tsx mts cts vue svelte java kt kts scala groovy go rs " +
    "c h cc cpp cxx hpp hh hxx m mm cs fs swift rb rake erb php phtml lua pl pm r jl ex exs " +
    "erl hrl clj hs ml mli dart zig nim sh bash zsh ps1 sql proto thrift graphql gql json " +
    "yml yaml toml ini cfg conf xml html htm css scss sass less md rst txt tex " +
    "gradle cmake mk mak dockerfile tpl twig blade liquid hbs mustache"
  ).split(/\s+/),
);

/**
 * Reads an issue's title and body into ranking signals. Pure: no file system access.
 */
export function readIssueSignals(title: string, rawBody: string): IssueSignals {
  // Bodies typed in GitHub's editor arrive with CRLF line ends, which `.` and `$` in the
  // patterns below do not cross. HTML comments are issue-template guidance GitHub never
  // shows; they say nothing about this issue.
  const body = dropPackageListings(
    rawBody
      .replace(/\r\n?/g, "\n")
      .replace(/<!--[\s\S]*?(-->|$)/g, " ")
      // "- [x] I have searched the existing issues", "- [X] I've read the contributing
      // guide (link)": an issue template's pledges, the same in every issue of the project.
      .replace(TEMPLATE_PLEDGE, ""),
  )
    // A fence's language tag (```python) names the highlighting, not the code.
    .replace(/^([ \t>]*(?:```+|~~~+))[^\n`]*$/gm, "$1");
  const text = `${title}\n${body}`;
  const frames = stackFrames(text);
  const framePaths = new Set(frames.map((frame) => frame.path));
  const paths: string[] = [];
  for (const match of text.matchAll(PATH_RE)) {
    const path = normalisePath(match[0]);
    const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
    if (!SOURCE_EXTENSIONS.has(ext) || framePaths.has(match[0])) continue;
    // `foo.py` counts; `e.g`, `v1.2` and `www.example.com` do not.
    if (!path.includes("/") && /^(www|e|i|v\d)/i.test(path)) continue;
    if (!paths.includes(path)) paths.push(path);
  }

  const spans = codeSpans(body);
  const identifiers = new Map<string, number>();
  const addIdentifier = (name: string, weight: number): void => {
    if (name.length < 3 || isStopWord(name.toLowerCase())) return;
    identifiers.set(name, (identifiers.get(name) ?? 0) + weight);
  };
  for (const name of identifiersIn(title)) if (looksLikeCode(name, title)) addIdentifier(name, 3);
  for (const name of identifiersIn(body)) if (looksLikeCode(name, body)) addIdentifier(name, 1);
  // A span that is just a name (`refine()`, `Matrix.col_insert`) is the issue pointing at
  // code; inside longer spans only what reads as code counts (output and banners do not).
  for (const span of spans) {
    const bare = /^\s*[A-Za-z_$][\w$.:]*(\(\))?\s*$/.test(span);
    for (const name of identifiersIn(span)) {
      if (name.length < 3) continue;
      if (bare) addIdentifier(name, 1);
      else if (looksLikeCode(name, span)) addIdentifier(name, 0.5);
    }
  }
  for (const frame of frames) if (frame.symbol) addIdentifier(frame.symbol, 1);
  // A method called in code is a name even when short or a common word (`$d->is(...)`,
  // `x.to(...)`); the length and stop-word filters are for prose.
  for (const span of spans) {
    for (const match of span.matchAll(/(?:->|\.|::)([A-Za-z_]\w?)\(/g)) {
      const name = match[1] ?? "";
      identifiers.set(name, (identifiers.get(name) ?? 0) + 0.5);
    }
  }
  // Command-line and configuration names written as code (`--import-mode`,
  // `max-line-length`) are read by code under their snake_case or camelCase spelling.
  for (const match of text.matchAll(/(?:--|`)([a-z][a-z0-9]*(?:-[a-z0-9]+)+)/g)) {
    const parts = (match[1] ?? "").split("-");
    addIdentifier(parts.join("_"), 1);
    addIdentifier(
      parts.map((p, i) => (i === 0 ? p : p.charAt(0).toUpperCase() + p.slice(1))).join(""),
      1,
    );
  }

  const qualifiedNames: string[][] = [];
  const seenQualified = new Set<string>();
  const addQualified = (parts: string[]): void => {
    const key = parts.join(".");
    if (parts.length < 2 || seenQualified.has(key)) return;
    // `setup.py` is read as a path above; read as a module too, it finds nothing, but
    // `format="ascii.rst"` names the module ascii/rst.py.
    const fileLike = parts.length === 2 && SOURCE_EXTENSIONS.has((parts[1] ?? "").toLowerCase());
    seenQualified.add(key);
    qualifiedNames.push(parts);
    if (fileLike) return;
    // Components of `a.b.Cls.method` name symbols too: the last most surely.
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      if (looksLikeCode(part, "") || (last && /^[A-Z]/.test(part)))
        addIdentifier(part, last ? 0.5 : 0.3);
    });
  };
  // Links are addresses, not code; their paths with extensions were read above.
  const prose = text.replace(/\b[a-z][a-z+.-]*:\/\/\S+/gi, " ");
  for (const match of prose.matchAll(/[A-Za-z_$][\w$]*(?:(?:\.|::|\\{1,2}|#)[A-Za-z_$][\w$]*)+/g)) {
    addQualified(match[0].split(/\.|::|\\{1,2}|#/).filter((part) => part.length > 0));
  }
  // `from a.b import C, D` (Python) names a.b.C and a.b.D.
  for (const match of prose.matchAll(/\bfrom\s+([\w.]+)\s+import\s+([\w, ]+)/g)) {
    const base = (match[1] ?? "").split(".").filter((part) => part !== "");
    for (const name of (match[2] ?? "").split(",")) {
      const clean = name.trim().split(/\s+/)[0] ?? "";
      if (/^\w+$/.test(clean)) addQualified([...base, clean]);
    }
  }
  // Slash-separated names without an extension: `Style/RedundantSelf`, `src/compiler/lexer`.
  for (const match of prose.matchAll(
    /(?<![\w./-])[A-Za-z_][\w-]*(?:\/[A-Za-z_][\w-]*)+(?![\w./])/g,
  )) {
    const parts = match[0].split("/");
    if (parts.some((part) => /[A-Z_]/.test(part) || part.length > 2)) addQualified(parts);
  }

  const terms = new Map<string, number>();
  for (const term of termsOf(title)) terms.set(term, (terms.get(term) ?? 0) + 2);
  // A link's words are an address (a site, a slug, a commit), not the reporter's: the
  // paths it names were read above.
  for (const term of termsOf(body.replace(URL_RE, " ")))
    terms.set(term, (terms.get(term) ?? 0) + 1);

  const lowerTitle = title.toLowerCase();
  return {
    phrases: wordPairs(`${title}\n${body.replace(/```[\s\S]*?```/g, "\n")}`),
    frames,
    paths,
    qualifiedNames,
    identifiers,
    messages: errorMessages(text, spans),
    innermostFrameLast: /most recent call last/i.test(text),
    terms,
    aboutTests: /\b(tests?|unit ?tests?|test suite|testing|spec|specs)\b/.test(lowerTitle),
    aboutDocs: /\b(docs?|documentation|docstring|readme|typo|changelog)\b/.test(lowerTitle),
  };
}

/** `aiohttp   3.6.2`, `numpy==1.19.0`, `rails (7.0.4)`: one installed package per line. */
const PACKAGE_LINE = /^\s*[@\w][\w.\-/@]*(\s+|==|@|\s*\()v?\d+(\.\d+)+\S*\)?(\s+\S+)?\s*$/;

/**
 * Drops code blocks that list installed packages and their versions (`pip list`,
 * `conda list`, `npm ls`, `gem list`): hundreds of names of other projects that would
 * drown the issue's own words. Tracebacks and logs in the same issue stay.
 */
function dropPackageListings(body: string): string {
  return body.replace(/```[^\n]*\n([\s\S]*?)```/g, (block, inner: string) => {
    const lines = inner.split("\n").filter((line) => line.trim() !== "");
    if (lines.length < 8) return block;
    const listed = lines.filter((line) => PACKAGE_LINE.test(line)).length;
    return listed >= lines.length * 0.6 ? "\n" : block;
  });
}

/** A task-list line in the first person: what a template asks every reporter to confirm. */
const TEMPLATE_PLEDGE =
  /^[ \t>]*[-*+][ \t]+\[[ xX]\][ \t]+(\*\*)?(I|I'(ve|m|d)|I’(ve|m|d)|We|My|Yes)\b.*$/gm;

/** A web address (`https://…`), up to whitespace or the bracket or quote that ends it. */
const URL_RE = /\b[a-z][a-z+.-]*:\/\/[^\s)\]>"'`]+/gi;

/** Most word pairs kept: the title's come first. */
const MAX_PHRASES = 80;

/** Adjacent prose words, neither a stop word, joined: candidates for a compound name. */
function wordPairs(text: string): Map<string, string> {
  const phrases = new Map<string, string>();
  // "the `Dataset` repr" is a phrase too: backticks mark code, not a break.
  for (const sentence of text.replace(/`/g, " ").split(/[\n.;:!?,()[\]{}"]+/)) {
    const words = sentence.split(/\s+/).filter((word) => word !== "");
    for (let i = 0; i + 1 < words.length && phrases.size < MAX_PHRASES; i++) {
      const [a = "", b = ""] = [words[i], words[i + 1]];
      if (!/^[A-Za-z]{3,}$/.test(a) || !/^[A-Za-z]{3,}$/.test(b)) continue;
      if (isStopWord(a.toLowerCase()) || isStopWord(b.toLowerCase())) continue;
      phrases.set(`${a}${b}`.toLowerCase(), `${a} ${b}`);
    }
  }
  return phrases;
}

/** `./a/b.py`, `a\\b.py`, `b/a/b.py` (diff prefix) → `a/b.py`. */
function normalisePath(raw: string): string {
  return raw
    .replace(/\\+/g, "/")
    .replace(/^[A-Za-z]:/, "")
    .replace(/^(\.\/)+/, "");
}

/**
 * An identifier looks like code when it is compound (snake_case, camelCase, digits),
 * is called (`name(`), or is quoted in backticks.
 */
function looksLikeCode(name: string, context: string): boolean {
  if (name.includes("_") && /[A-Za-z]/.test(name.replace(/_/g, ""))) return true;
  if (/[a-z][A-Z]|[A-Z]{2,}[a-z]|[A-Z][a-z]+[A-Z]/.test(name)) return true;
  if (splitIdentifier(name).length > 1 && /\d/.test(name) && /[A-Za-z]{3}/.test(name)) return true;
  if (context === "") return false;
  const escaped = name.replace(/\$/g, "\\$");
  return new RegExp(`(?:\`${escaped}\\b|\\b${escaped}\\(|[.:]${escaped}\\b)`).test(context);
}

/** Inline code and fenced blocks (their contents). */
function codeSpans(text: string): string[] {
  const spans: string[] = [];
  for (const match of text.matchAll(/```[^\n]*\n([\s\S]*?)```/g)) spans.push(match[1] ?? "");
  const withoutFences = text.replace(/```[\s\S]*?```/g, " ");
  for (const match of withoutFences.matchAll(/`([^`\n]{2,200})`/g)) spans.push(match[1] ?? "");
  return spans;
}

/**
 * Stack frames in the formats of the common runtimes: Python (`File "x", line n, in f`),
 * Java/Kotlin (`at a.b.C.m(C.java:12)`), JavaScript (`at f (x.js:1:2)`), Ruby
 * (`x.rb:12:in 'm'`), and the generic `path.ext:line` of Go, Rust, C and compilers.
 */
export function stackFrames(text: string): StackFrame[] {
  const frames: StackFrame[] = [];
  const seen = new Set<string>();
  const add = (path: string, line: number | undefined, symbol: string | undefined): void => {
    const normalised = normalisePath(path.trim());
    const key = `${normalised}:${line ?? ""}:${symbol ?? ""}`;
    if (seen.has(key) || normalised.length === 0) return;
    seen.add(key);
    const frame: StackFrame = { path: normalised, depth: frames.length };
    if (line !== undefined) frame.line = line;
    if (symbol !== undefined && /^[A-Za-z_$][\w$]*$/.test(symbol)) frame.symbol = symbol;
    frames.push(frame);
  };
  for (const match of text.matchAll(/File "([^"\n]+)", line (\d+)(?:, in ([\w<>$]+))?/g)) {
    add(match[1] ?? "", Number(match[2]), match[3]);
  }
  for (const match of text.matchAll(
    /\bat ((?:[\w$]+\.)+)([\w$<>]+)\(([\w$]+\.(?:java|kt|scala|groovy)):(\d+)\)/g,
  )) {
    // `com.acme.Foo.bar(Foo.java:12)` → com/acme/Foo.java
    const owner = (match[1] ?? "").replace(/\.$/, "").split(".");
    owner.pop();
    const dir = owner.filter((part) => /^[a-z]/.test(part)).join("/");
    add(dir ? `${dir}/${match[3] ?? ""}` : (match[3] ?? ""), Number(match[4]), match[2]);
  }
  for (const match of text.matchAll(
    /\bat (?:(?:async )?([\w$.<>]+) \()?((?:[A-Za-z]:)?[^\s():]+\.[A-Za-z]{1,5}):(\d+)(?::\d+)?\)?/g,
  )) {
    const symbol = match[1]?.split(".").pop();
    add(match[2] ?? "", Number(match[3]), symbol);
  }
  for (const match of text.matchAll(
    /((?:[A-Za-z]:)?[\w.@/\\+-]*[\w@+-]\.(?:rb|go|rs|c|cc|cpp|h|hpp|php|py|js|ts|tsx|jsx|mjs|java|kt|swift|cs|lua|ex|exs|scala|zig)):(\d+)(?::\d+)?(?::in [`'"]?(?:[\w:]+[#.])?([\w?!]+))?/g,
  )) {
    add(match[1] ?? "", Number(match[2]), match[3]);
  }
  for (const match of text.matchAll(
    /((?:[A-Za-z]:)?[\w.@/\\+-]*[\w@+-]\.(?:php|rb|py)) (?:on )?line (\d+)/g,
  )) {
    add(match[1] ?? "", Number(match[2]), undefined);
  }
  return frames;
}

/**
 * Error messages and quoted strings long enough to be distinctive, split at the parts
 * a program fills in (quoted values, numbers), so the constant text can be found in
 * the source verbatim.
 */
function errorMessages(text: string, spans: string[]): string[] {
  const candidates: string[] = [];
  for (const match of text.matchAll(
    /^[ \t>]*(?:[\w.$]*(?:Error|Exception|Warning|Panic|panic|Fatal|FATAL|ERROR|WARN(?:ING)?|error|warning|fatal))(?:\[[\w-]+\])?:\s*(.{8,300})$/gm,
  )) {
    candidates.push(match[1] ?? "");
  }
  for (const match of text.matchAll(/"([^"\n]{12,200})"|'([^'\n]{12,200})'/g)) {
    candidates.push(match[1] ?? match[2] ?? "");
  }
  for (const span of spans) {
    for (const line of span.split("\n")) {
      // A diagnostic after its location (`docs/x.rst:4: Malformed ...`, `a.c:3:7: ...`).
      const located = /\S:\d+:(?:\d+:)?\s*(.{12,300})$/.exec(line);
      if (located?.[1] !== undefined) candidates.push(located[1]);
      if (
        /\b(error|exception|warning|failed|invalid|cannot|can't|unable|must|expected)\b/i.test(line)
      ) {
        candidates.push(line);
      }
    }
  }
  const fragments = new Set<string>();
  for (const candidate of candidates) {
    for (const piece of candidate.split(
      /['"`]|\b0x[0-9a-f]+\b|\b\d+(?:\.\d+)*\b|[()[\]{}<>]|\s{2,}/i,
    )) {
      const fragment = piece.trim().replace(/[.:,;]+$/, "");
      if (fragment.length >= 12 && /\s/.test(fragment) && /[a-z]{3}/i.test(fragment)) {
        fragments.add(fragment);
      }
    }
  }
  return [...fragments].slice(0, 40);
}
