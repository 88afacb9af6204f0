/**
 * Source parsing with tree-sitter (WASM grammars): language detection by path, parsing,
 * and the syntax-error sites the edit gate compares. Used by the syntax gate and by the
 * context builder for symbol definitions.
 */
export { languageForPath, LANGUAGE_IDS, GRAMMAR_FILES, type LanguageId } from "./languages.js";
export { parseSource, parseAs, loadLanguage, type ParsedSource } from "./parse-source.js";
export { syntaxErrors, type SyntaxErrorSite } from "./syntax-errors.js";
export {
  grammarDir,
  setGrammarDir,
  wasmPath,
  bundledWasmFiles,
  RUNTIME_WASM,
} from "./grammar-dir.js";
