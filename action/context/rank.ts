/**
 * Combines the signals into one score per file, keeping the reasons. Explicit evidence
 * (a stack frame, a written path, a definition of a mentioned symbol, an error message
 * found verbatim) scores on a fixed scale; lexical similarity (BM25 over content, path
 * and defined symbols, each normalised to the best file) fills in where the issue
 * names nothing exact. Priors then hold back tests, docs and vendored code.
 */
import { isCodePath } from "./scan-files.js";
import type { FileStats } from "./scan-files.js";
import type { IssueSignals } from "./issue-signals.js";
import { push } from "./path-index.js";
import type { PathIndex } from "./path-index.js";
import { isExamplePath, isTestPath, priorFor } from "./priors.js";
import { signalOn } from "./signal-switch.js";
import { splitIdentifier, termsOf } from "./tokens.js";

export interface RankedFile {
  path: string;
  score: number;
  reasons: string[];
}

/** Weights of the signals; exported so the benchmark and tests read the same numbers. */
export const WEIGHTS = {
  frame: 6,
  deepestFrameBonus: 2,
  path: 6,
  fileName: 4,
  qualified: 4,
  definition: 4,
  memberDefinition: 0.6,
  declarationOnly: 0.4,
  phraseDefinition: 2,
  fileNamedAfter: 2,
  fileNameContains: 1.5,
  rareMention: 2.5,
  message: 4,
  content: 4,
  pathTerms: 2.5,
  symbolTerms: 2,
  importedBy: 0.05,
  composedInto: 0.5,
  sibling: 0.15,
  twin: 0.2,
  sameDirectory: 0.12,
  sameDirectoryAnchors: 3,
} as const;

/** A definition shared by more files than this says little about any of them. */
const MAX_DEFINING_FILES = 12;
/** An identifier mentioned by more files than this is not rare. */
const MAX_MENTIONING_FILES = 5;
const TRANSLATION_CATALOG = /\.(po|pot|xliff?|strings)$/i;
/** An error message found in more files than this is boilerplate. */
const MAX_MESSAGE_FILES = 8;

interface Accumulator {
  score: number;
  reasons: string[];
  named: boolean;
}

/**
 * Scores every scanned file for the issue and returns them best first (ties by path),
 * files without any evidence left out.
 */
export function rankFiles(
  files: readonly FileStats[],
  signals: IssueSignals,
  index: PathIndex,
): RankedFile[] {
  const acc: (Accumulator | undefined)[] = new Array<Accumulator | undefined>(files.length);
  const get = (i: number): Accumulator => (acc[i] ??= { score: 0, reasons: [], named: false });
  const add = (i: number, points: number, reason: string, named = false): void => {
    const entry = get(i);
    entry.score += points;
    // Reasons are shown to people and sent in requests: keep each short and the list bounded.
    const shown = reason.length > 200 ? `${reason.slice(0, 197)}...` : reason;
    if (entry.reasons.length < 12 && !entry.reasons.includes(shown)) entry.reasons.push(shown);
    if (named) entry.named = true;
  };

  // Stack frames: in-repo frames; the deepest one is where it failed.
  // Python prints the innermost call last ("most recent call last"); Java, JavaScript,
  // Go, Ruby and Rust print it first. The innermost in-repo frame is where it failed.
  const innermostLast = signals.innermostFrameLast;
  let deepest = -1;
  const frameHits: { indexes: number[]; frame: IssueSignals["frames"][number]; k: number }[] = [];
  for (const frame of signals.frames) {
    const match = index.matchPath(frame.path);
    if (!match || !specificEnough(frame.path, match, index)) continue;
    frameHits.push({ indexes: match.indexes, frame, k: match.components });
    deepest =
      deepest < 0
        ? frame.depth
        : innermostLast
          ? Math.max(deepest, frame.depth)
          : Math.min(deepest, frame.depth);
  }
  for (const { indexes, frame, k } of signalOn("frames") ? frameHits : []) {
    const share = k >= 2 ? 1 : 0.5;
    const bonus = frame.depth === deepest ? WEIGHTS.deepestFrameBonus : 0;
    const where = `${frame.path}${frame.line !== undefined ? `:${frame.line}` : ""}`;
    const what = frame.symbol ? ` in ${frame.symbol}` : "";
    for (const i of indexes) {
      const named = k >= 3 || signals.aboutTests || !isElsewhere(files[i]?.path ?? "");
      add(
        i,
        (WEIGHTS.frame * share + bonus) / indexes.length,
        `stack frame ${where}${what}`,
        named,
      );
    }
  }

  // Paths and file names written in the issue.
  for (const written of signalOn("paths") ? signals.paths : []) {
    const match = index.matchPath(written);
    if (!match || !specificEnough(written, match, index)) continue;
    const weight = match.components >= 2 ? WEIGHTS.path : WEIGHTS.fileName;
    for (const i of match.indexes) {
      // A short path (`Foo.java`, `src/main.rs`) that only a test or an example here
      // carries is most likely the reporter's own project: it does not lift the prior.
      const path = files[i]?.path ?? "";
      const named = match.components >= 3 || signals.aboutTests || !isElsewhere(path);
      add(i, weight / Math.sqrt(match.indexes.length), `path mentioned: ${written}`, named);
    }
  }

  // Qualified names: modules, packages, namespaces.
  for (const parts of signalOn("qualified") ? signals.qualifiedNames : []) {
    const match = index.matchQualified(parts);
    if (!match || match.indexes.length > 4) continue;
    const points = (WEIGHTS.qualified * Math.min(match.components, 4)) / 4;
    for (const i of match.indexes) {
      add(i, points / match.indexes.length, `qualified name ${parts.join(".")}`);
    }
  }

  // Definitions of identifiers the issue mentions; a module-level definition is what a
  // bare name in an issue usually means, a member of the same name less so.
  const definers = new Map<string, { index: number; topLevel: boolean; declared: boolean }[]>();
  files.forEach((file, index) => {
    for (const { name, topLevel, declarationOnly } of file.defines) {
      push(definers, name, { index, topLevel, declared: declarationOnly });
    }
  });
  for (const [name, sites] of definers) {
    if (sites.length > MAX_DEFINING_FILES || !signalOn("definitions")) continue;
    const weight = identifierWeight(name, signals);
    const points = (WEIGHTS.definition * Math.sqrt(weight)) / Math.sqrt(sites.length);
    // Where a name is both declared (a header, an interface) and implemented, the
    // implementation is where a fix lands; a declaration alone still counts in full.
    const implemented = sites.some((site) => !site.declared);
    for (const { index, topLevel, declared } of sites) {
      let share = topLevel ? 1 : WEIGHTS.memberDefinition;
      if (declared && implemented) share *= WEIGHTS.declarationOnly;
      add(index, points * share, declared ? `declares ${name}` : `defines ${name}`);
    }
  }

  // Compound names that two adjacent words of the issue spell out ("the Dataset repr"
  // → dataset_repr): weaker than a name written as code.
  const phraseDefiners = new Map<string, number[]>();
  files.forEach((file, index) => {
    for (const { name, phrase } of file.phraseDefines)
      push(phraseDefiners, `${name}\u0000${phrase}`, index);
  });
  for (const [key, indexes] of phraseDefiners) {
    if (indexes.length > MAX_DEFINING_FILES || !signalOn("phrases")) continue;
    const [name = "", phrase = ""] = key.split("\u0000");
    for (const i of indexes) {
      add(i, WEIGHTS.phraseDefinition / Math.sqrt(indexes.length), `defines ${name} ("${phrase}")`);
    }
  }

  // Files named after a mentioned identifier (`refine()` → refine.py, `URLField` →
  // url_field.rb): the convention of most languages for the main definition.
  // Tests named after a thing are expected to exist; unless the issue is about tests,
  // only other files count (and score) here. So does only source: `bat.bash.in` or
  // `bat.1` is named after the program, not after a symbol in it.
  const byStem = new Map<string, number[]>();
  files.forEach((file, index) => {
    if (!signals.aboutTests && isTestPath(file.path)) return;
    if (!isCodePath(file.path)) return;
    const stem = stemKey(file.path);
    if (stem.length < 3) return;
    push(byStem, stem, index);
  });
  const stems = [...byStem.keys()];
  for (const name of signalOn("fileNames") ? signals.identifiers.keys() : []) {
    const key = name.toLowerCase().replace(/[_-]/g, "");
    const weight = identifierWeight(name, signals);
    const indexes = byStem.get(key);
    if (indexes && indexes.length <= MAX_DEFINING_FILES) {
      const points = (WEIGHTS.fileNamedAfter * Math.sqrt(weight)) / Math.sqrt(indexes.length);
      for (const i of indexes) add(i, points, `file named after ${name}`);
    }
    // `HandleFieldDefaults.java` for `FieldDefaults`: the code that implements a named thing.
    if (splitIdentifier(name).length < 2 || key.length < 6) continue;
    const containing: number[] = [];
    for (const stem of stems) {
      if (stem !== key && stem.includes(key)) containing.push(...(byStem.get(stem) ?? []));
    }
    if (containing.length === 0 || containing.length > MAX_DEFINING_FILES) continue;
    const points = (WEIGHTS.fileNameContains * Math.sqrt(weight)) / Math.sqrt(containing.length);
    for (const i of containing) add(i, points, `file name contains ${name}`);
  }

  // Rare identifiers from the issue found in a file's text (what a maintainer would grep).
  for (const name of signalOn("rareMentions") ? signals.identifiers.keys() : []) {
    if (splitIdentifier(name).length < 2 || name.length < 5) continue;
    const term = name.toLowerCase();
    const holders: number[] = [];
    files.forEach((file, i) => {
      if (file.contentTf?.has(term)) holders.push(i);
    });
    if (holders.length === 0 || holders.length > MAX_MENTIONING_FILES) continue;
    const points =
      (WEIGHTS.rareMention * Math.sqrt(identifierWeight(name, signals))) /
      Math.sqrt(holders.length);
    for (const i of holders) add(i, points, `mentions ${name}`);
  }

  // Error messages found verbatim.
  const messageFiles = new Map<number, number[]>();
  files.forEach((file, i) => {
    // Translation catalogs repeat every message once per language: copies, not sources.
    if (TRANSLATION_CATALOG.test(file.path)) return;
    for (const m of file.messageHits) {
      push(messageFiles, m, i);
    }
  });
  for (const [m, indexes] of messageFiles) {
    if (indexes.length > MAX_MESSAGE_FILES || !signalOn("messages")) continue;
    const text = signals.messages[m] ?? "";
    const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
    for (const i of indexes) {
      add(i, WEIGHTS.message / Math.sqrt(indexes.length), `message "${shown}"`);
    }
  }

  // Lexical similarity: content, path and defined-symbol fields, BM25 each.
  const content = bm25(
    files.map((f) => ({ tf: f.contentTf, length: f.length })),
    signals.terms,
  );
  const componentTerms = new Map<string, readonly string[]>();
  const pathDocs = files.map((f) => pathField(f.path, signals.terms, componentTerms));
  const pathScores = bm25(pathDocs, signals.terms);
  const symbolScores = bm25(
    files.map((f) => ({ tf: f.symbolTf, length: sumValues(f.symbolTf) + 10 })),
    signals.terms,
  );
  const lexical: [number[], number, string][] = [
    [content.scores, signalOn("content") ? WEIGHTS.content : 0, "content terms"],
    [pathScores.scores, signalOn("pathTerms") ? WEIGHTS.pathTerms : 0, "path terms"],
    [symbolScores.scores, signalOn("symbolTerms") ? WEIGHTS.symbolTerms : 0, "symbol terms"],
  ];
  const details = [content, pathScores, symbolScores];
  lexical.forEach(([scores, weight, label], field) => {
    const max = Math.max(0, ...scores);
    if (max <= 0 || weight === 0) return;
    scores.forEach((s, i) => {
      if (s <= 0) return;
      const normalised = s / max;
      const points = weight * normalised;
      if (normalised >= 0.25) {
        const top = details[field]?.topTerms(i, 3).join(", ") ?? "";
        add(i, points, `${label}: ${top} (${normalised.toFixed(2)})`);
      } else {
        get(i).score += points;
      }
    });
  });

  const ranked: RankedFile[] = [];
  acc.forEach((entry, i) => {
    const file = files[i];
    if (!entry || !file || entry.score <= 0) return;
    const prior = priorFor(file.path, signals, entry.named);
    const reasons = [...entry.reasons];
    if (prior.label) reasons.push(`prior: ${prior.label} ×${prior.factor.toFixed(2)}`);
    ranked.push({ path: file.path, score: entry.score * prior.factor, reasons });
  });
  ranked.sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return ranked;
}

/** Tests and examples: where a reporter's own file names (`src/main.rs`) also occur. */
function isElsewhere(path: string): boolean {
  return isTestPath(path) || isExamplePath(path);
}

/**
 * Whether a written path picks out files: a bare file name shared by many files
 * (`__init__.py`) does not, nor does a path from elsewhere (`/home/u/proj/app/util.py`)
 * whose directories match nothing here and whose name several files share, nor another
 * project's installed file: `site-packages/boto3/dynamodb/types.py` is boto3's, not the
 * `moto/transfer/types.py` this repository has.
 */
function specificEnough(
  written: string,
  match: { indexes: number[]; components: number },
  index: PathIndex,
): boolean {
  if (match.components >= 2) return true;
  const bare = !written.includes("/");
  if (match.indexes.length > (bare ? 3 : 1)) return false;
  const installed = installedPackage(written);
  return (
    installed === undefined ||
    match.indexes.every((i) => index.componentsOf(i).includes(installed.toLowerCase()))
  );
}

/** Folders that hold other projects' installed code, the package's folder next. */
const INSTALLED_DIRS = new Set(["site-packages", "dist-packages", "node_modules"]);

/**
 * The package a path under an install folder belongs to (`boto3` in
 * `…/site-packages/boto3/dynamodb/types.py`, `@scope/pkg`'s `pkg`), or undefined when the
 * path is not under one or names a module file directly in it.
 */
function installedPackage(written: string): string | undefined {
  const parts = written.replace(/\\/g, "/").split("/");
  for (let i = parts.length - 3; i >= 0; i--) {
    if (!INSTALLED_DIRS.has((parts[i] ?? "").toLowerCase())) continue;
    const next = parts[i + 1] ?? "";
    return next.startsWith("@") && i + 2 < parts.length - 1 ? parts[i + 2] : next;
  }
  return undefined;
}

interface Doc {
  tf: Map<string, number> | undefined;
  length: number;
}

interface Bm25Result {
  scores: number[];
  /** The query terms that contributed most to a document's score. */
  topTerms(doc: number, n: number): string[];
}

/**
 * Okapi BM25 (k1 = 1.2, b = 0.75) with query-term weights, over documents that carry
 * only the counts of query terms.
 */
export function bm25(docs: readonly Doc[], query: ReadonlyMap<string, number>): Bm25Result {
  const k1 = 1.2;
  const b = 0.75;
  const n = docs.length;
  const df = new Map<string, number>();
  let total = 0;
  for (const doc of docs) {
    total += doc.length;
    if (doc.tf) for (const term of doc.tf.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  }
  const avg = n > 0 ? Math.max(1, total / n) : 1;
  const idf = new Map<string, number>();
  for (const [term, count] of df) idf.set(term, Math.log(1 + (n - count + 0.5) / (count + 0.5)));
  const contribution = (doc: Doc, term: string, tf: number): number => {
    const weight = query.get(term) ?? 0;
    const norm = tf * (k1 + 1);
    const denom = tf + k1 * (1 - b + (b * doc.length) / avg);
    return (idf.get(term) ?? 0) * Math.min(weight, 4) * (norm / denom);
  };
  const scores = docs.map((doc) => {
    let s = 0;
    if (doc.tf) for (const [term, tf] of doc.tf) s += contribution(doc, term, tf);
    return s;
  });
  return {
    scores,
    topTerms(i, count) {
      const doc = docs[i];
      if (!doc?.tf) return [];
      return [...doc.tf]
        .map(([term, tf]) => [term, contribution(doc, term, tf)] as const)
        .sort((x, y) => y[1] - x[1])
        .slice(0, count)
        .map(([term]) => term);
    },
  };
}

/**
 * A path's terms (its extension aside) as a BM25 document. Terms never span a `/`, so
 * they are read per component, each directory once per ranking however many files it
 * holds.
 */
function pathField(
  path: string,
  query: ReadonlyMap<string, number>,
  componentTerms: Map<string, readonly string[]>,
): Doc {
  let tf: Map<string, number> | undefined;
  let length = 0;
  for (const component of path.replace(/\.[^./]+$/, "").split("/")) {
    let terms = componentTerms.get(component);
    if (terms === undefined) {
      terms = termsOf(component);
      componentTerms.set(component, terms);
    }
    length += terms.length;
    for (const term of terms) {
      if (!query.has(term)) continue;
      tf ??= new Map();
      tf.set(term, (tf.get(term) ?? 0) + 1);
    }
  }
  return { tf, length };
}

/**
 * How much an issue identifier says: compound names (`parse_expr`, `URLField`) are
 * specific, a capitalised word (`Symbol`) less so, a plain word (`config`) least.
 */
function identifierWeight(name: string, signals: IssueSignals): number {
  const base = Math.min(signals.identifiers.get(name) ?? 1, 4);
  if (splitIdentifier(name).length > 1) return base;
  return /^[A-Z]/.test(name) ? base * 0.75 : base * 0.4;
}

/** A file's name without extension, lowercase, without `_`/`-` (`url_field.rb` → urlfield). */
function stemKey(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  const dot = name.indexOf(".");
  return (dot > 0 ? name.slice(0, dot) : name).replace(/[_-]/g, "");
}

function sumValues(map: Map<string, number> | undefined): number {
  let s = 0;
  if (map) for (const v of map.values()) s += v;
  return s;
}
