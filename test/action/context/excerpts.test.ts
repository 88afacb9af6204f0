import { describe, expect, it } from "@jest/globals";
import { excerptRegions, mergeExcerpts } from "../../../action/context/excerpts.js";
import type { ExcerptQuery } from "../../../action/context/excerpts.js";
import { fileBlocks } from "../../../action/context/syntax-blocks.js";

const syntaxBlocks = async (path: string, text: string) =>
  (await fileBlocks(path, text))?.definitions;

function query(identifiers: string[], frameLines: number[] = []): ExcerptQuery {
  return { terms: new Map(), identifiers: new Set(identifiers), messages: [], frameLines };
}

function best(text: string, q: ExcerptQuery, blocks?: Parameters<typeof excerptRegions>[2]) {
  const region = excerptRegions(text, q, blocks)[0];
  if (!region) throw new Error("no region");
  return mergeExcerpts(text.split("\n"), [region])[0]?.text ?? "";
}

const PYTHON = [
  "import os",
  "",
  "def helper():",
  "    return 1",
  "",
  "class Store:",
  "    def load(self, key):",
  "        value = os.environ.get(key)",
  "        if value is None:",
  "            raise KeyError(key)",
  "        return value",
  "",
  "    def save(self, key):",
  "        pass",
  "",
].join("\n");

describe("excerptRegions (indentation fallback)", () => {
  it("shows the enclosing block, not a definition of one or two lines, as parsed blocks do", () => {
    const text = [
      "class Wrapper:",
      "    def first(self):",
      "        return self.a",
      "",
      "    def __repr__(self):",
      "        return str(self.build())",
      "",
      "    def last(self):",
      "        return self.b",
      "",
    ].join("\n");
    const shown = best(text, query(["build"]));
    expect(shown.startsWith("class Wrapper:")).toBe(true);
    expect(shown).toContain("def last");
  });

  it("shows the enclosing method of a match, not the whole file", () => {
    const text = best(PYTHON, query(["load"]));
    expect(text.startsWith("    def load(self, key):")).toBe(true);
    expect(text).toContain("return value");
    expect(text).not.toContain("def save");
    expect(text).not.toContain("def helper");
  });

  it("centres on a stack-frame line", () => {
    const text = best(PYTHON, query([], [10]));
    expect(text).toContain("raise KeyError(key)");
    expect(text).toContain("def load");
  });
});

// One sample per language the parser layer claims; the block around `target` must be
// the whole function and nothing of its neighbours.
const SAMPLES: { path: string; text: string; first: string; last: string }[] = [
  {
    path: "a.py",
    text: "def other():\n    pass\n\ndef target(x):\n    y = x\n    return y\n\nz = 1\n",
    first: "def target(x):",
    last: "    return y",
  },
  {
    path: "a.js",
    text: "function other() {}\nfunction target(x) {\nconst y = x;\n  return y;\n}\nconst z = 1;\n",
    first: "function target(x) {",
    last: "}",
  },
  {
    path: "a.ts",
    text: "export class K {\n  other(): void {}\n  target(x: number): number {\nconst y = x;\n    return y;\n  }\n}\n",
    first: "  target(x: number): number {",
    last: "  }",
  },
  {
    path: "a.go",
    text: "package a\n\nfunc other() {}\n\nfunc target(x int) int {\ny := x\n\treturn y\n}\n",
    first: "func target(x int) int {",
    last: "}",
  },
  {
    path: "A.java",
    text: "class A {\n  void other() {}\n  int target(int x) {\nint y = x;\n    return y;\n  }\n}\n",
    first: "  int target(int x) {",
    last: "  }",
  },
  {
    path: "a.c",
    text: "static void other(void) {}\n\nint target(int x) {\nint y = x;\n  return y;\n}\n",
    first: "int target(int x) {",
    last: "}",
  },
  {
    path: "a.cpp",
    text: "namespace n {\nint other() { return 0; }\nint target(int x) {\nint y = x;\n  return y;\n}\n}\n",
    first: "int target(int x) {",
    last: "}",
  },
  {
    path: "a.rs",
    text: "fn other() {}\n\nfn target(x: i32) -> i32 {\nlet y = x;\n    y\n}\n",
    first: "fn target(x: i32) -> i32 {",
    last: "}",
  },
  {
    path: "a.rb",
    text: "class A\n  def other; end\n  def target(x)\ny = x\n    y\n  end\nend\n",
    first: "  def target(x)",
    last: "  end",
  },
  {
    path: "a.php",
    text: "<?php\nclass A {\n  function other() {}\n  function target($x) {\n$y = $x;\n    return $y;\n  }\n}\n",
    first: "  function target($x) {",
    last: "  }",
  },
];

describe("excerptRegions with tree-sitter blocks", () => {
  it.each(SAMPLES)("encloses the whole function in $path", async ({ path, text, first, last }) => {
    const blocks = await syntaxBlocks(path, text);
    expect(blocks).toBeDefined();
    // The middle line is deliberately mis-indented: only the parser gets this right.
    const excerpt = best(text, query(["target"]), blocks);
    const lines = excerpt.split("\n");
    expect(lines[0]).toBe(first);
    expect(lines[lines.length - 1]).toBe(last);
    expect(excerpt).not.toContain("other");
  });

  it("returns undefined for a language without a grammar", async () => {
    expect(await syntaxBlocks("notes.txt", "def target(): pass")).toBeUndefined();
  });
});
