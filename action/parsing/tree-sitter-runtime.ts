import { createRequire } from "node:module";

/**
 * web-tree-sitter, loaded through `require`: its ES module build imports Node's `module`
 * with a dynamic `import()` that does not survive bundling, while its CommonJS build
 * bundles cleanly (ncc resolves this `require` at build time). Types come from the
 * package as usual.
 */
const require = createRequire(import.meta.url);
const runtime = require("web-tree-sitter") as typeof import("web-tree-sitter");

export const { Language, Parser, Query } = runtime;
export type Language = import("web-tree-sitter").Language;
export type Parser = import("web-tree-sitter").Parser;
export type Query = import("web-tree-sitter").Query;
