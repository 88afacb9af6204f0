/**
 * The hand-written reference convention. A project that documents its API by hand in
 * reStructuredText (`.. class:: UrlDispatcher()`, `.. method:: add_get(...)`, a setting
 * as a definition-list term: `PAPERLESS_TASK_WORKERS=<num>` over its indented text) has
 * to change that entry when the documented name changes: a new parameter, another
 * default, a type that is not what the page says. A reviewer asks for it as for a
 * changelog entry. Entries Sphinx generates (`.. autoclass::`, `.. autofunction::`,
 * autosummary lists) follow the docstrings and never need a hand, so they do not count.
 *
 * When one of the best files names a compound identifier the issue names and a
 * hand-written reference documents that identifier, the reference joins the ranking
 * right after the file (companions.ts). On 170 Loc-Bench issues it names a page for 3,
 * each changed by the real fix; Markdown headings read as the same evidence named a page
 * for 38 more issues, none of them changed by the fix, and are not read.
 */
import { isChangelogPath } from "./changelog.js";
import type { Companion } from "./companions.js";
import { isTestPath } from "./priors.js";
import { readRepositoryText } from "./scan-files.js";
import type { FileStats } from "./scan-files.js";
import { splitIdentifier } from "./tokens.js";

export const REFERENCE_REASON = "reference: the project documents this name here by hand";

/**
 * A hand-written entry: `.. class:: Name`, `.. py:method:: Name.method(x)`,
 * `.. c:function:: PyObject* PyDict_GetItem(PyObject *p)`; what follows `::` is its
 * signature.
 */
const ENTRY_DIRECTIVE =
  /^\s*\.\.\s+(?:[a-z]+:)?(?:class|function|method|attribute|data|exception|decorator|property|classmethod|staticmethod|envvar|option|setting|confval|describe|member|macro|type|struct)::\s*(.*)$/;
/** A definition-list term at the margin: `NAME=<num>`, ``name``, `name : type`. */
const TERM_START = /^`{0,2}([A-Za-z_]\w*)/;
/** The names looked for, its weightiest first: an issue can name thousands. */
const MAX_NAMES = 200;

/**
 * The references a ranking's best files go with, for an issue naming `identifiers`:
 * returns, per best file, its companion (at most one: the page documenting the most of
 * the names the file names). Reads each best file and only the reST pages whose
 * scanned words include one of the names.
 */
export function referenceCompanions(
  repoDir: string,
  files: readonly FileStats[],
  identifiers: ReadonlyMap<string, number>,
): (anchor: string) => Companion[] {
  const names = [...identifiers]
    .filter(([name]) => isCompoundName(name))
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_NAMES)
    .map(([name]) => name);
  const pages = files.filter(
    (file) =>
      /\.rst$/i.test(file.path) &&
      !isChangelogPath(file.path) &&
      !isTestPath(file.path) &&
      names.some((name) => (file.contentTf?.get(name.toLowerCase()) ?? 0) > 0),
  );
  if (pages.length === 0) return () => [];
  const documentedIn = new Map<string, Set<string>>();
  const documented = (page: string): Set<string> => {
    let found = documentedIn.get(page);
    if (found === undefined) {
      found = documentedNames(readRepositoryText(repoDir, page) ?? "", names);
      documentedIn.set(page, found);
    }
    return found;
  };
  return (anchor) => {
    if (/\.(rst|md)$/i.test(anchor)) return [];
    const text = readRepositoryText(repoDir, anchor);
    if (text === undefined) return [];
    const words = new Set(text.match(/[A-Za-z_]\w*/g));
    const named = new Set(names.filter((name) => words.has(name)));
    if (named.size === 0) return [];
    let chosen: { path: string; count: number } | undefined;
    for (const page of pages) {
      let count = 0;
      for (const name of documented(page.path)) if (named.has(name)) count++;
      if (count > (chosen?.count ?? 0)) chosen = { path: page.path, count };
    }
    return chosen ? [{ path: chosen.path, reason: REFERENCE_REASON }] : [];
  };
}

/** Which of `names` a reST page documents in an entry written by hand. */
export function documentedNames(text: string, names: readonly string[]): Set<string> {
  const wanted = new Set(names);
  const found = new Set<string>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const entry = ENTRY_DIRECTIVE.exec(line);
    if (entry) {
      const name = documentedName(entry[1] ?? "");
      if (name !== undefined && wanted.has(name)) found.add(name);
      continue;
    }
    // A definition list: a term at the margin, its definition indented on the next line.
    const term = TERM_START.exec(line);
    if (term && wanted.has(term[1] ?? "") && /^\s+\S/.test(lines[i + 1] ?? "")) {
      found.add(term[1] ?? "");
    }
  }
  return found;
}

/**
 * Names of two sub-words or more (`RequestInfo`, `fill_value`, `TASK_WORKERS`), not
 * dunders: single words (`request`, `Session`) are documented on many pages for reasons
 * of their own.
 */
function isCompoundName(name: string): boolean {
  return /^[A-Za-z_]\w*$/.test(name) && !/^__\w+__$/.test(name) && splitIdentifier(name).length > 1;
}

/**
 * The name an entry's signature documents: the last name before its parameters
 * (`PyObject* PyDict_GetItem(PyObject *p)` → `PyDict_GetItem`, `Client.get(url)` →
 * `get`), or without parameters the last part of the last word
 * (`aiohttp.RequestInfo`, `PyObject* PyTypeObject.tp_base` → `tp_base`).
 */
function documentedName(signature: string): string | undefined {
  const open = signature.indexOf("(");
  const head = open >= 0 ? signature.slice(0, open) : signature.trim().split(/\s+/).pop();
  return head?.match(/[A-Za-z_]\w*/g)?.pop();
}
