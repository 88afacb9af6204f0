import { describe, expect, it } from "@jest/globals";
import { syntaxGate } from "../../../action/edits/syntax-gate.js";

const GOOD_PY = "def f(x):\n    return x + 1\n";

describe("syntaxGate", () => {
  it("passes a clean change", async () => {
    const r = await syntaxGate([
      { path: "a.py", before: GOOD_PY, after: GOOD_PY.replace("+ 1", "+ 2") },
    ]);
    expect(r).toEqual({
      ok: true,
      files: [{ path: "a.py", status: "passed", language: "python", newErrors: [] }],
      failures: [],
    });
  });

  it("fails a change that breaks the syntax, with line numbers", async () => {
    const after = "def f(x):\n    return x + 1\n\n\ndef g(y:\n    return y\n";
    const r = await syntaxGate([{ path: "pkg/a.py", before: GOOD_PY, after }]);
    expect(r.ok).toBe(false);
    expect(r.files[0]?.status).toBe("failed");
    expect(r.files[0]?.newErrors.length).toBeGreaterThan(0);
    expect(r.failures[0]).toMatch(/^pkg\/a\.py:5:\d+: syntax error/);
  });

  it("fails a new file with errors", async () => {
    const r = await syntaxGate([
      { path: "src/x.ts", before: undefined, after: "export const x = {a: 1,;\n" },
    ]);
    expect(r.ok).toBe(false);
  });

  it("tolerates errors the original already had", async () => {
    // A template placeholder filled in by a build step: an ERROR present before the edit.
    const before = "import os\n\nVERSION = $VERSION\n\n\ndef f():\n    return 1\n";
    const after = `${before.replace("return 1", "return 2")}\n\ndef g():\n    return 3\n`;
    const r = await syntaxGate([{ path: "legacy.py", before, after }]);
    expect(r.ok).toBe(true);
    expect(r.files[0]?.note).toMatch(/already present/);
    // ...but not a second, new error next to it.
    const worse = await syntaxGate([
      { path: "legacy.py", before, after: `${after}def h(:\n    pass\n` },
    ]);
    expect(worse.ok).toBe(false);
    expect(worse.files[0]?.newErrors.every((e) => e.line >= 12)).toBe(true);
  });

  it("skips files without a grammar with a note, and deleted files", async () => {
    const r = await syntaxGate([
      { path: "docs/x.md", before: "# a\n", after: "# b (\n" },
      { path: "old.py", before: GOOD_PY, after: undefined },
    ]);
    expect(r.ok).toBe(true);
    expect(r.files.map((f) => [f.status, f.note])).toEqual([
      ["skipped", "not syntax-checked (.md files have no parser here)"],
      ["skipped", "deleted"],
    ]);
  });

  // A trailing comma in package.json passed as "not syntax-checked" and was pushed:
  // every install after it fails.
  it("keeps JSON files JSON, unless they were not strict JSON before", async () => {
    const r = await syntaxGate([
      {
        path: "package.json",
        before: '{\n  "name": "app"\n}\n',
        after: '{\n  "name": "app",\n}\n',
      },
      { path: "data/ok.json", before: undefined, after: '{"a": [1, 2]}\n' },
      {
        path: "tsconfig.json",
        before: '{\n  // comments\n  "strict": true\n}\n',
        after: '{\n  // comments\n  "strict": false,\n}\n',
      },
    ]);
    expect(r.ok).toBe(false);
    expect(r.files.map((f) => [f.path, f.status])).toEqual([
      ["package.json", "failed"],
      ["data/ok.json", "passed"],
      ["tsconfig.json", "skipped"],
    ]);
    expect(r.failures).toEqual([expect.stringMatching(/^package\.json:3:1: syntax error near /)]);
  });

  it("checks every file of a mixed set and fails only the broken one", async () => {
    const r = await syntaxGate([
      { path: "main.go", before: "package main\n", after: "package main\n\nfunc main() {}\n" },
      { path: "lib.rs", before: "fn a() {}\n", after: "fn a() {\n" },
      { path: "A.java", before: "class A {}\n", after: "class A { int x = 1; }\n" },
    ]);
    expect(r.files.map((f) => f.status)).toEqual(["passed", "failed", "passed"]);
    expect(r.failures.every((l) => l.startsWith("lib.rs:"))).toBe(true);
  });
});
