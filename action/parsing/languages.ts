/**
 * The languages the syntax gate and the context builder parse, and how a repository path
 * maps to one. The mapping is by file name only: content sniffing would make the answer
 * depend on text the model wrote.
 */

export const LANGUAGE_IDS = [
  "python",
  "javascript",
  "typescript",
  "tsx",
  "go",
  "java",
  "c",
  "cpp",
  "rust",
  "ruby",
  "php",
] as const;

export type LanguageId = (typeof LANGUAGE_IDS)[number];

/**
 * Where each grammar's WASM file comes from: the npm package that ships it and the file
 * name inside that package. The bundled build copies these files, under the same names,
 * into `dist/grammars/`.
 */
export const GRAMMAR_FILES: Readonly<Record<LanguageId, { pkg: string; file: string }>> = {
  python: { pkg: "tree-sitter-python", file: "tree-sitter-python.wasm" },
  javascript: { pkg: "tree-sitter-javascript", file: "tree-sitter-javascript.wasm" },
  typescript: { pkg: "tree-sitter-typescript", file: "tree-sitter-typescript.wasm" },
  tsx: { pkg: "tree-sitter-typescript", file: "tree-sitter-tsx.wasm" },
  go: { pkg: "tree-sitter-go", file: "tree-sitter-go.wasm" },
  java: { pkg: "tree-sitter-java", file: "tree-sitter-java.wasm" },
  c: { pkg: "tree-sitter-c", file: "tree-sitter-c.wasm" },
  cpp: { pkg: "tree-sitter-cpp", file: "tree-sitter-cpp.wasm" },
  rust: { pkg: "tree-sitter-rust", file: "tree-sitter-rust.wasm" },
  ruby: { pkg: "tree-sitter-ruby", file: "tree-sitter-ruby.wasm" },
  php: { pkg: "tree-sitter-php", file: "tree-sitter-php.wasm" },
};

const BY_EXTENSION: Readonly<Record<string, LanguageId>> = {
  py: "python",
  pyi: "python",
  pyw: "python",
  js: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  jsx: "javascript",
  ts: "typescript",
  mts: "typescript",
  cts: "typescript",
  tsx: "tsx",
  go: "go",
  java: "java",
  c: "c",
  // `.h` is shared by C and C++; parseSource falls back to C++ when C cannot read a header.
  h: "c",
  cc: "cpp",
  cpp: "cpp",
  cxx: "cpp",
  "c++": "cpp",
  hh: "cpp",
  hpp: "cpp",
  hxx: "cpp",
  "h++": "cpp",
  ipp: "cpp",
  tpp: "cpp",
  rs: "rust",
  rb: "ruby",
  rake: "ruby",
  gemspec: "ruby",
  ru: "ruby",
  php: "php",
  phtml: "php",
};

const BY_BASENAME: Readonly<Record<string, LanguageId>> = {
  Rakefile: "ruby",
  Gemfile: "ruby",
  Guardfile: "ruby",
  Vagrantfile: "ruby",
};

/**
 * The language of a repository path, judged by its file name, or `undefined` when no
 * bundled grammar covers it.
 */
export function languageForPath(path: string): LanguageId | undefined {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const byName = BY_BASENAME[base];
  if (byName) return byName;
  const dot = base.lastIndexOf(".");
  // A leading dot marks a hidden file (".rubocop"), not an extension.
  if (dot <= 0) return undefined;
  return BY_EXTENSION[base.slice(dot + 1).toLowerCase()];
}
