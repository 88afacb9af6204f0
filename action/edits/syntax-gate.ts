import { languageForPath, parseAs, parseSource, type LanguageId } from "../parsing/index.js";
import type { ParsedSource, SyntaxErrorSite } from "../parsing/index.js";

/** A changed file as the gate sees it: text before (undefined: new) and after (undefined: deleted). */
export interface GateInput {
  path: string;
  before: string | undefined;
  after: string | undefined;
}

export interface GateFileResult {
  path: string;
  status: "passed" | "failed" | "skipped";
  language?: LanguageId;
  /** Syntax errors the change introduced (empty unless failed). */
  newErrors: SyntaxErrorSite[];
  /** Why a file was skipped, or what was tolerated. */
  note?: string;
}

export interface GateResult {
  ok: boolean;
  files: GateFileResult[];
  /** One readable line per introduced error, for the PR comment and the repair round. */
  failures: string[];
}

const SHOWN_PER_FILE = 5;

/**
 * Parses every changed file in a language with a bundled grammar and fails those whose
 * new text has ERROR or MISSING nodes that the original did not have. Errors already in
 * the original (grammars lag behind languages) are tolerated: they are matched by kind and
 * text, not position, since the edit moves lines. Other files pass with a note.
 */
export async function syntaxGate(inputs: readonly GateInput[]): Promise<GateResult> {
  const files: GateFileResult[] = [];
  for (const input of inputs) files.push(await checkFile(input));
  const failures = files.flatMap((f) => {
    const lines = f.newErrors
      .slice(0, SHOWN_PER_FILE)
      .map((e) => `${f.path}:${e.line}:${e.column}: ${describe(e)}`);
    if (f.newErrors.length > SHOWN_PER_FILE) {
      lines.push(`${f.path}: ${f.newErrors.length - SHOWN_PER_FILE} more syntax errors`);
    }
    return lines;
  });
  return { ok: files.every((f) => f.status !== "failed"), files, failures };
}

async function checkFile(input: GateInput): Promise<GateFileResult> {
  const { path, before, after } = input;
  if (after === undefined) return { path, status: "skipped", newErrors: [], note: "deleted" };
  if (/\.json$/i.test(path)) return checkJson(path, before, after);
  const declared = languageForPath(path);
  if (declared === undefined) {
    return {
      path,
      status: "skipped",
      newErrors: [],
      note: `not syntax-checked (${describeType(path)})`,
    };
  }
  let original: ParsedSource | undefined;
  let changed: ParsedSource | undefined;
  try {
    original = before === undefined ? undefined : await parseSource(path, before);
    // Parse the new text with the grammar chosen for the old one (matters for `.h`).
    changed =
      original === undefined
        ? await parseSource(path, after)
        : await parseAs(path, after, original.language);
    if (changed === undefined)
      return { path, status: "skipped", newErrors: [], note: "not syntax-checked" };
    const language = changed.language;
    if (!changed.hasErrors) return { path, status: "passed", language, newErrors: [] };
    const introduced = subtract(changed.errors(), original?.errors() ?? []);
    if (introduced.length === 0) {
      return {
        path,
        status: "passed",
        language,
        newErrors: [],
        note: "syntax errors already present in the original were left as they were",
      };
    }
    return { path, status: "failed", language, newErrors: introduced };
  } finally {
    original?.dispose();
    changed?.dispose();
  }
}

/**
 * A `.json` file must stay JSON: a manifest or a lock file a trailing comma breaks fails
 * every install after it. A file that was not strict JSON before (a `tsconfig.json` with
 * comments) is not held to it.
 */
function checkJson(path: string, before: string | undefined, after: string): GateFileResult {
  const problem = (text: string): string | undefined => {
    try {
      JSON.parse(text.replace(/^\uFEFF/, ""));
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
  if (before !== undefined && problem(before) !== undefined)
    return { path, status: "skipped", newErrors: [], note: "not strict JSON before the change" };
  const message = problem(after);
  if (message === undefined) return { path, status: "passed", newErrors: [], note: "JSON" };
  // Node gives the offset ("at position 81"), newer versions the line and column as well.
  const offset = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
  const upTo = after
    .replace(/^\uFEFF/, "")
    .slice(0, offset)
    .split("\n");
  return {
    path,
    status: "failed",
    newErrors: [
      {
        line: upTo.length,
        column: (upTo[upTo.length - 1]?.length ?? 0) + 1,
        kind: "ERROR",
        snippet: message.replace(/\s*\(line \d+ column \d+\)$/, ""),
      },
    ],
  };
}

/** The sites of `after` beyond those of `before`, counted per (kind, snippet). */
function subtract(after: SyntaxErrorSite[], before: SyntaxErrorSite[]): SyntaxErrorSite[] {
  const budget = new Map<string, number>();
  for (const e of before) budget.set(key(e), (budget.get(key(e)) ?? 0) + 1);
  return after.filter((e) => {
    const left = budget.get(key(e)) ?? 0;
    if (left > 0) {
      budget.set(key(e), left - 1);
      return false;
    }
    return true;
  });
}

function key(e: SyntaxErrorSite): string {
  return `${e.kind}\u0000${e.snippet}`;
}

function describe(e: SyntaxErrorSite): string {
  return e.kind === "MISSING"
    ? `syntax error: ${e.snippet}`
    : `syntax error near ${JSON.stringify(e.snippet)}`;
}

function describeType(path: string): string {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  return dot > 0
    ? `.${base.slice(dot + 1)} files have no parser here`
    : "no parser for this file type";
}
