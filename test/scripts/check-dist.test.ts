import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../../scripts/check-dist.mjs", import.meta.url));

function check(files: Record<string, string>): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "check-dist-"));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, ".."), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const result = spawnSync(process.execPath, [SCRIPT, dir], { encoding: "utf8" });
    return { status: result.status, output: result.stdout + result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("scripts/check-dist.mjs", () => {
  it("passes the committed dist/", () => {
    const result = spawnSync(process.execPath, [SCRIPT], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("names a package a bundle would resolve at run time, however the require is spelled", () => {
    for (const code of [
      'const runtime = tree_sitter_runtime_require("web-tree-sitter");',
      'import { createRequire } from "module"; createRequire(import.meta.url)("web-tree-sitter");',
      'const m = await import("web-tree-sitter");',
      'const m = await import(/* webpackIgnore: true */ "web-tree-sitter");',
      'import "web-tree-sitter";',
    ]) {
      const result = check({ "index.js": code });
      expect([code, result.status]).toEqual([code, 1]);
      expect(result.output).toMatch(/requires module 'web-tree-sitter' at run time/);
    }
  });

  it("accepts built-ins, files inside dist/, mentions in comments and strings, and listed packages", () => {
    const result = check({
      "index.js": [
        'import fs from "node:fs";',
        'const { join } = require("path");',
        'import("./chunk.js");',
        '// require("web-tree-sitter") in a comment',
        "const text = 'require(\"left-pad\")';",
      ].join("\n"),
      "chunk.js": "export {};",
      "worker/index.js": 'await import("node-llama-cpp");',
    });
    expect(result.output).toMatch(/self-contained/);
    expect(result.status).toBe(0);
  });

  it("refuses a listed package outside the bundle that lists it, and a missing local file", () => {
    const result = check({
      "index.js": 'await import("node-llama-cpp"); import("./gone.js");',
    });
    expect(result.status).toBe(1);
    expect(result.output).toMatch(/'node-llama-cpp'/);
    expect(result.output).toMatch(/gone\.js, which is not in dist/);
  });
});
