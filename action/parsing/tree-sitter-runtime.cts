/*
 * web-tree-sitter's CommonJS build, loaded with a plain `require` so that the bundler
 * follows it into dist/ (a `createRequire(...)` call is left for run time, where a
 * runner has no node_modules). Its ES module build cannot be bundled instead: it loads
 * Node's `module` with `await import("module")`, and the bundler's namespace for that
 * built-in (a function, not an object) lacks `createRequire`.
 * Types come from the package as usual: `import type ... from "web-tree-sitter"`.
 */
import WebTreeSitter = require("web-tree-sitter");

export = WebTreeSitter;
