import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Language, Node, Parser, Tree } from "web-tree-sitter";
import treeSitter from "./tree-sitter-runtime.cjs";
import { wasmPath } from "./grammar-dir.js";
import { languageForPath, type LanguageId } from "./languages.js";
import { syntaxErrors, type SyntaxErrorSite } from "./syntax-errors.js";

/** A parsed file. Call `dispose()` when done: trees live in WASM memory, not the JS heap. */
export interface ParsedSource {
  readonly path: string;
  readonly language: LanguageId;
  readonly text: string;
  readonly tree: Tree;
  readonly root: Node;
  /** Whether {@link errors} finds anything (cheap for a clean tree: read from the root). */
  readonly hasErrors: boolean;
  /** The ERROR and MISSING sites, computed on first call. */
  errors(): SyntaxErrorSite[];
  /** Frees the tree. The object must not be used afterwards. */
  dispose(): void;
}

let runtime: Promise<void> | undefined;
const languages = new Map<LanguageId, Promise<Language>>();
const parsers = new Map<LanguageId, Parser>();

/**
 * Parses `text` as the language of `path`. Resolves to `undefined` when no bundled grammar
 * covers the path. The runtime and each grammar are loaded once, on first use.
 *
 * A `.h` header is read as C first; if C finds errors and C++ finds fewer, the C++ tree
 * is returned (with `language: "cpp"`), since many C++ projects use `.h`.
 */
export async function parseSource(path: string, text: string): Promise<ParsedSource | undefined> {
  const language = languageForPath(path);
  if (language === undefined) return undefined;
  const first = await parseAs(path, text, language);
  // The path is checked before `hasErrors`: listing the errors walks the whole tree, and
  // a `.c` file (read as C whatever its errors) needs none of it.
  if (language !== "c" || !path.toLowerCase().endsWith(".h") || !first.hasErrors) return first;
  const second = await parseAs(path, text, "cpp");
  if (second.hasErrors && second.errors().length >= first.errors().length) {
    second.dispose();
    return first;
  }
  first.dispose();
  return second;
}

/** Parses `text` with the grammar of `language`, whatever the path says. */
export async function parseAs(
  path: string,
  text: string,
  language: LanguageId,
): Promise<ParsedSource> {
  const parser = await parserFor(language);
  const tree = parser.parse(text);
  if (tree === null) throw new Error(`tree-sitter returned no tree for ${path} (${language})`);
  let errors: SyntaxErrorSite[] | undefined;
  const list = (): SyntaxErrorSite[] => (errors ??= syntaxErrors(tree, language));
  return {
    path,
    language,
    text,
    tree,
    root: tree.rootNode,
    get hasErrors() {
      return list().length > 0;
    },
    errors: list,
    dispose: () => tree.delete(),
  };
}

/** Loads (once) the runtime and the grammar of `language`; rejects if a file is missing. */
export async function loadLanguage(language: LanguageId): Promise<Language> {
  let loading = languages.get(language);
  if (loading === undefined) {
    loading = initRuntime().then(async () =>
      treeSitter.Language.load(await readFile(wasmPath(language))),
    );
    // A failed load is not cached, so a later call reports the same error afresh.
    loading.catch(() => languages.delete(language));
    languages.set(language, loading);
  }
  return loading;
}

async function parserFor(language: LanguageId): Promise<Parser> {
  const loaded = await loadLanguage(language);
  let parser = parsers.get(language);
  if (parser === undefined) {
    parser = new treeSitter.Parser();
    parser.setLanguage(loaded);
    parsers.set(language, parser);
  }
  return parser;
}

function initRuntime(): Promise<void> {
  provideDirnameForBundle();
  runtime ??= treeSitter.Parser.init({
    // Without this the runtime looks for its WASM beside its own script, which is wrong
    // once ncc has inlined that script into dist/index.js.
    locateFile: () => wasmPath("runtime"),
  }).catch((error: unknown) => {
    runtime = undefined;
    throw error;
  });
  return runtime;
}

/**
 * ncc bundles web-tree-sitter's CommonJS build even into an ES module bundle, and that
 * build reads the free variable `__dirname` at start-up, which ES modules lack. Define it
 * (only when absent) as the directory the runtime WASM is loaded from; `locateFile` above
 * decides the real path either way.
 */
function provideDirnameForBundle(): void {
  const scope = globalThis as { __dirname?: string };
  if (typeof __dirname === "undefined" && scope.__dirname === undefined) {
    scope.__dirname = dirname(wasmPath("runtime"));
  }
}
