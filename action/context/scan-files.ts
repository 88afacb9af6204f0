/**
 * One pass over the repository's files that keeps only what the query needs:
 * term frequencies of the query terms in content and in defined symbols, which
 * mentioned identifiers each file defines, and which error messages it contains.
 * File contents are dropped as soon as they are measured, so memory stays flat in the
 * number of files.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { join } from "node:path";
import { findDefinitions, isDeclarationOnly } from "./definitions.js";
import { looksBinary } from "./file-filters.js";
import { forEachIdentifier, splitIdentifier } from "./tokens.js";

/** Files larger than this are not read (generated tables, data dumps, bundles). */
export const MAX_FILE_BYTES = 1_000_000;

export interface ScanQuery {
  /** Lowercase terms (sub-words and whole compound identifiers). */
  terms: Set<string>;
  /** Identifiers as written in the issue, matched exactly against definitions. */
  identifiers: Set<string>;
  /** Lowercase identifiers, for definitions spelled with another case. */
  identifiersLower: Map<string, string>;
  messages: string[];
  /** Adjacent prose words joined, lowercase ("datasetrepr"), see IssueSignals.phrases. */
  phrases: ReadonlyMap<string, string>;
}

export interface FileStats {
  path: string;
  /** Number of identifier tokens in the content. */
  length: number;
  contentTf: Map<string, number> | undefined;
  /** Query-term counts over the names this file defines. */
  symbolTf: Map<string, number> | undefined;
  /**
   * Issue identifiers this file defines (as the issue spells them), whether at top level,
   * and whether every site only declares the name (a prototype or interface method).
   */
  defines: { name: string; topLevel: boolean; declarationOnly: boolean }[];
  /** Indexes into the query's messages found verbatim in the file. */
  messageHits: number[];
  /** Compound names defined here that two adjacent words of the issue spell out. */
  phraseDefines: { name: string; phrase: string }[];
}

export interface ScanResult {
  files: FileStats[];
  skipped: { path: string; reason: string }[];
}

/**
 * Reads and measures every path against the query. Unreadable, binary and oversized
 * files are reported in `skipped` rather than dropped silently.
 */
export function scanFiles(repoDir: string, paths: string[], query: ScanQuery): ScanResult {
  return fileScanner(repoDir, query)(paths);
}

/**
 * A scanner for one repository and query, called once per batch of paths: the read
 * buffer and the identifier cache are made once and kept across batches.
 */
export function fileScanner(repoDir: string, query: ScanQuery): (paths: string[]) => ScanResult {
  const splitCache = new Map<string, readonly string[]>();
  const buffer = Buffer.allocUnsafe(MAX_FILE_BYTES + 1);
  return (paths) => {
    const files: FileStats[] = [];
    const skipped: { path: string; reason: string }[] = [];
    for (const path of paths) {
      const text = readText(join(repoDir, path), buffer);
      if (typeof text !== "string") {
        skipped.push({ path, reason: text.reason });
        continue;
      }
      files.push(measure(path, text, query, splitCache));
    }
    return { files, skipped };
  };
}

function readText(file: string, buffer: Buffer): string | { reason: string } {
  let fd: number | undefined;
  try {
    // O_NOFOLLOW: a path that became a symlink after listing is still not followed.
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { reason: "not a regular file" };
    if (stat.size > MAX_FILE_BYTES) return { reason: `too large (${stat.size} bytes)` };
    const size = readSync(fd, buffer, 0, buffer.length, 0);
    const view = buffer.subarray(0, size);
    if (looksBinary(view)) return { reason: "binary" };
    // Not redacted here: the scan keeps only counts of the issue's own words and names,
    // nothing of a file's text. Text that leaves for the model is redacted where it is
    // read for sending (excerpts in build-context.ts, whole files in code-request.ts),
    // which spares scrubbing every file of the repository on every run.
    return view.toString("utf8");
  } catch (error) {
    return { reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? "error"})` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const NO_TERMS: readonly string[] = [];

/** Characters without whitespace after which a run of text is data (see forEachIdentifier). */
const DATA_RUN_CHARS = 1_000;

/**
 * Files whose definitions mean something: program source. Configuration, data and
 * prose (`name = "x"` in TOML, `key:` in YAML) would read as definitions otherwise.
 */
const NOT_CODE =
  /\.(toml|ya?ml|json|jsonc|ini|cfg|conf|lock|txt|md|mdx|rst|adoc|html?|xml|svg|csv|tsv|in|properties|env|gitignore|gitattributes|editorconfig|fish|zsh|bash|ps1|bat|cmd|mk|cmake|dockerfile|log|out|snap|po|pot|tex|css|scss|less)$/i;

/**
 * A repository file's text for the steps after the scan (excerpts, conventions), or
 * undefined when it cannot be read or is over MAX_FILE_BYTES, as the scan skips it.
 */
export function readRepositoryText(repoDir: string, path: string): string | undefined {
  try {
    const text = readFileSync(join(repoDir, path), "utf8");
    return text.length > MAX_FILE_BYTES ? undefined : text;
  } catch {
    return undefined;
  }
}

export function isCodePath(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return name.includes(".") && !NOT_CODE.test(name) && !name.startsWith(".");
}

/**
 * The query terms an identifier contributes (its sub-words and, when compound, itself),
 * memoised per scan: most identifiers repeat across files and contribute nothing.
 */
function queryTermsOf(
  identifier: string,
  query: ScanQuery,
  cache: Map<string, readonly string[]>,
): readonly string[] {
  let terms = cache.get(identifier);
  if (terms === undefined) {
    const parts = splitIdentifier(identifier);
    if (parts.length > 1) parts.push(identifier.toLowerCase());
    const relevant = parts.filter((part) => query.terms.has(part));
    terms = relevant.length === 0 ? NO_TERMS : relevant;
    if (cache.size < 1_000_000) cache.set(identifier, terms);
  }
  return terms;
}

/** Measures one file's text against the query. Exported for the tests. */
export function measure(
  path: string,
  text: string,
  query: ScanQuery,
  cache: Map<string, readonly string[]> = new Map(),
): FileStats {
  let contentTf: Map<string, number> | undefined;
  let length = 0;
  // Words deep in data (base64 images of notebooks) count toward the length that BM25
  // normalises by, as before, but are not looked up: in random text of that kind only
  // the shortest query terms ("id", "db") turn up, and only by chance.
  const dataWords = forEachIdentifier(
    text,
    (identifier) => {
      length++;
      const terms = queryTermsOf(identifier, query, cache);
      if (terms.length === 0) return;
      contentTf ??= new Map();
      for (const term of terms) contentTf.set(term, (contentTf.get(term) ?? 0) + 1);
    },
    DATA_RUN_CHARS,
  );
  length += dataWords;

  let symbolTf: Map<string, number> | undefined;
  const defines = new Map<string, { topLevel: boolean; declarationOnly: boolean }>();
  const phraseDefines: { name: string; phrase: string }[] = [];
  for (const definition of isCodePath(path) ? findDefinitions(text, path) : []) {
    const exact = query.identifiers.has(definition.name)
      ? definition.name
      : query.identifiersLower.get(definition.name.toLowerCase());
    if (exact !== undefined) {
      const seen = defines.get(exact);
      const declarationOnly =
        (seen?.declarationOnly ?? true) && isDeclarationOnly(text, definition, path);
      defines.set(exact, {
        topLevel: (seen?.topLevel ?? false) || definition.topLevel,
        declarationOnly,
      });
    } else if (
      definition.name.length >= 6 &&
      /[a-z][A-Z]|[A-Za-z]_[A-Za-z]/.test(definition.name)
    ) {
      const phrase = query.phrases.get(definition.name.toLowerCase().replace(/_/g, ""));
      if (phrase !== undefined && !phraseDefines.some((p) => p.name === definition.name))
        phraseDefines.push({ name: definition.name, phrase });
    }
    for (const part of queryTermsOf(definition.name, query, cache)) {
      symbolTf ??= new Map();
      symbolTf.set(part, (symbolTf.get(part) ?? 0) + 1);
    }
  }

  const messageHits: number[] = [];
  query.messages.forEach((message, index) => {
    if (text.includes(message)) messageHits.push(index);
  });
  return {
    path,
    length,
    contentTf,
    symbolTf,
    defines: [...defines].map(([name, site]) => ({ name, ...site })),
    messageHits,
    phraseDefines,
  };
}
