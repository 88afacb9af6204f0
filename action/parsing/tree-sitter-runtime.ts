import { createRequire } from "node:module";
import type * as WebTreeSitter from "web-tree-sitter";

/**
 * web-tree-sitter, loaded through `require`: its ES module build imports Node's `module`
 * with a dynamic `import()` that does not survive bundling, while its CommonJS build
 * bundles cleanly (ncc resolves this `require` at build time). Types come from the
 * package as usual.
 */
const require = createRequire(import.meta.url);
const runtime = require("web-tree-sitter") as typeof WebTreeSitter;

export const { Language, Parser, Query } = runtime;
export type Language = WebTreeSitter.Language;
export type Parser = WebTreeSitter.Parser;
export type Query = WebTreeSitter.Query;
