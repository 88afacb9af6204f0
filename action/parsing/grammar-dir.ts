import { existsSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { GRAMMAR_FILES, type LanguageId } from "./languages.js";

/** File name of the tree-sitter runtime's own WASM module (from `web-tree-sitter`). */
export const RUNTIME_WASM = "tree-sitter.wasm";

let override: string | undefined;

/**
 * Points the loader at a directory holding `tree-sitter.wasm` and the grammar files
 * (tests, the CLI, unusual install layouts). `undefined` restores the default search.
 */
export function setGrammarDir(dir: string | undefined): void {
  override = dir;
}

/**
 * The directory of bundled WASM files, or `undefined` when running from sources, where
 * each file is taken from its npm package instead. Resolution order:
 *
 * 1. the directory given to {@link setGrammarDir};
 * 2. `grammars/` beside the entry script (`process.argv[1]`): for `dist/index.js`,
 *    `dist/cli.js` and `dist/worker.js` that is `dist/grammars/`, which the build fills
 *    from {@link bundledWasmFiles};
 * 3. `grammars/` beside this module (sources laid out like the bundle);
 * 4. none: files are resolved from `node_modules` by {@link wasmPath}.
 *
 * A directory only counts when it holds the runtime's `tree-sitter.wasm`.
 */
export function grammarDir(): string | undefined {
  if (override !== undefined) return override;
  // In a bundle, import.meta.url is frozen at build time, so the running entry script
  // (dist/index.js, dist/cli.js) locates dist/grammars; from sources, the module's own
  // directory is right.
  for (const candidate of [
    entryDir() && join(entryDir() ?? "", "grammars"),
    join(moduleDir(), "grammars"),
  ]) {
    if (!candidate) continue;
    if (existsSync(join(candidate, RUNTIME_WASM))) return candidate;
  }
  return undefined;
}

/** Absolute path of the runtime WASM, or of the grammar of `language`. */
export function wasmPath(language: LanguageId | "runtime"): string {
  const dir = grammarDir();
  const entry =
    language === "runtime"
      ? { pkg: "web-tree-sitter", file: RUNTIME_WASM }
      : GRAMMAR_FILES[language];
  if (dir !== undefined) return join(dir, entry.file);
  return resolveFromPackage(entry.pkg, entry.file);
}

/**
 * Every WASM file the parsers need, as `{ from, to }` pairs: `from` inside `node_modules`,
 * `to` the bare file name to place in `dist/grammars/`. For the build script.
 */
export function bundledWasmFiles(): { from: string; to: string }[] {
  const entries = [{ pkg: "web-tree-sitter", file: RUNTIME_WASM }, ...Object.values(GRAMMAR_FILES)];
  return entries.map((e) => ({ from: resolveFromPackage(e.pkg, e.file), to: e.file }));
}

function entryDir(): string | undefined {
  const entry = process.argv[1];
  if (!entry) return undefined;
  try {
    return dirname(realpathSync(entry));
  } catch {
    return undefined;
  }
}

function moduleDir(): string {
  return dirname(fileURLToPath(import.meta.url));
}

function resolveFromPackage(pkg: string, file: string): string {
  // Resolve the file itself rather than the package's entry point: grammar packages point
  // `main` at a native binding that may not be built, and web-tree-sitter's `exports`
  // map exposes its WASM but not its manifest.
  const require = createRequire(import.meta.url);
  try {
    return require.resolve(`${pkg}/${file}`);
  } catch (error) {
    throw new Error(
      `Cannot find ${file}: no grammars/ directory beside ${moduleDir()} and package ${pkg} ` +
        "is not installed. The build must copy the files of bundledWasmFiles() there.",
      { cause: error },
    );
  }
}
