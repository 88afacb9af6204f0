import { describe, expect, it } from "@jest/globals";
import {
  LANGUAGE_IDS,
  bundledWasmFiles,
  languageForPath,
  parseSource,
  type LanguageId,
} from "../../../action/parsing/index.js";
import { existsSync } from "node:fs";

// One valid and one broken snippet per language, written the way real files in that
// language look, so that a grammar which loads but reads nothing would fail here.
const SAMPLES: Record<LanguageId, { path: string; valid: string; broken: string }> = {
  python: {
    path: "pkg/mod.py",
    valid:
      'import os\n\n\nclass A:\n    def f(self, x: int) -> str:\n        return f"{x}" if x else os.sep\n',
    broken: "class A:\n    def f(self, x:\n        return x\n",
  },
  javascript: {
    path: "src/app.jsx",
    valid: "export const App = ({ items }) => <ul>{items.map((i) => <li key={i}>{i}</li>)}</ul>;\n",
    broken: "function f(a, b {\n  return a + b;\n}\n",
  },
  typescript: {
    path: "src/a.ts",
    valid:
      "export interface P<T> { x: T }\nexport function f<T>(p: P<T>): T {\n  return p.x as T;\n}\n",
    broken: "export function f(p: number: string {\n  return p;\n}\n",
  },
  tsx: {
    path: "src/View.tsx",
    valid:
      "export const V = (p: { n: number }): JSX.Element => <div title={`${p.n}`}>{p.n}</div>;\n",
    broken: "export const V = () => <div>{1 + }</div;\n",
  },
  go: {
    path: "cmd/main.go",
    valid:
      'package main\n\nimport "fmt"\n\nfunc main() {\n\tfor i := range 3 {\n\t\tfmt.Println(i)\n\t}\n}\n',
    broken: "package main\n\nfunc main() {\n\tif x := 1; x > 0 {\n\t\tfmt.Println(x\n\t}\n}\n",
  },
  java: {
    path: "src/main/java/A.java",
    valid:
      'package a;\n\npublic class A<T> {\n  @Override\n  public String toString() { return "A" + 1; }\n}\n',
    broken: "public class A {\n  void f() { int x = ; }\n}\n",
  },
  c: {
    path: "src/server.c",
    valid:
      '#include <stdio.h>\n\nstatic int add(int a, int b) { return a + b; }\n\nint main(void) { printf("%d\\n", add(1, 2)); return 0; }\n',
    broken: "int main(void) {\n  int x = (1 + 2;\n  return x;\n}\n",
  },
  cpp: {
    path: "include/json.hpp",
    valid:
      "namespace n {\ntemplate <typename T>\nclass Box {\n public:\n  explicit Box(T v) : v_(std::move(v)) {}\n private:\n  T v_;\n};\n}  // namespace n\n",
    broken: "namespace n {\nclass Box {\n  Box(int v) : v_(v {}\n};\n}\n",
  },
  rust: {
    path: "src/lib.rs",
    valid: "pub fn f<'a>(s: &'a str) -> Option<&'a str> {\n    s.split(',').next()\n}\n",
    broken: "pub fn f(s: &str) -> Option<&str> {\n    s.split(',').next(\n}\n",
  },
  ruby: {
    path: "lib/cop.rb",
    valid:
      "module M\n  class C < Base\n    def on_send(node)\n      return unless node.method?(:foo)\n\n      add_offense(node) { |c| c.replace(node, 'x') }\n    end\n  end\nend\n",
    broken: "module M\n  class C\n    def on_send(node\n      node.x(\n    end\n  end\nend\n",
  },
  php: {
    path: "src/Support/Str.php",
    valid:
      "<?php\n\nnamespace A;\n\nclass Str\n{\n    public static function f(?string $s): string\n    {\n        return $s ?? '';\n    }\n}\n",
    broken:
      "<?php\n\nclass Str\n{\n    public function f($s\n    {\n        return $s;\n    }\n}\n",
  },
};

describe("languageForPath", () => {
  it.each([
    ["a/b.py", "python"],
    ["x.PY", "python"],
    ["web/app.mjs", "javascript"],
    ["src/a.ts", "typescript"],
    ["src/a.d.ts", "typescript"],
    ["src/a.tsx", "tsx"],
    ["server.c", "c"],
    ["server.h", "c"],
    ["json.hpp", "cpp"],
    ["lib/x.rb", "ruby"],
    ["Rakefile", "ruby"],
    ["a.php", "php"],
    ["src/main.rs", "rust"],
    ["A.java", "java"],
    ["main.go", "go"],
  ])("%s → %s", (path, expected) => {
    expect(languageForPath(path)).toBe(expected);
  });

  it.each(["README.md", "Makefile", ".rubocop", "config.yml", "a.pyc", "noext"])(
    "%s has no parser",
    (path) => {
      expect(languageForPath(path)).toBeUndefined();
    },
  );
});

describe("parseSource", () => {
  it("covers every declared language with a sample", () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...LANGUAGE_IDS].sort());
  });

  it.each(LANGUAGE_IDS.map((id) => [id]))(
    "%s: valid parses clean, broken reports errors",
    async (id) => {
      const sample = SAMPLES[id];
      const valid = await parseSource(sample.path, sample.valid);
      expect(valid?.language).toBe(id);
      expect(valid?.errors()).toEqual([]);
      expect(valid?.hasErrors).toBe(false);
      // The tree has real structure, not one opaque node.
      expect(valid?.root.descendantCount).toBeGreaterThan(10);
      valid?.dispose();

      const broken = await parseSource(sample.path, sample.broken);
      expect(broken?.hasErrors).toBe(true);
      const errors = broken?.errors() ?? [];
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors) {
        expect(["ERROR", "MISSING"]).toContain(e.kind);
        expect(e.line).toBeGreaterThanOrEqual(1);
        expect(e.line).toBeLessThanOrEqual(sample.broken.split("\n").length);
        expect(e.column).toBeGreaterThanOrEqual(1);
      }
      broken?.dispose();
    },
  );

  it("returns undefined for a language without grammar", async () => {
    await expect(parseSource("notes.md", "# hi")).resolves.toBeUndefined();
  });

  it("reports the line and a readable snippet", async () => {
    const parsed = await parseSource("m.py", "x = 1\n\ndef f(:\n    pass\n");
    const errors = parsed?.errors() ?? [];
    expect(errors[0]?.line).toBe(3);
    expect(errors.map((e) => e.snippet).join(" ")).toMatch(/\(|\)|:/);
    parsed?.dispose();
  });

  it("reports a missing token the grammar keeps hidden (Python's newline)", async () => {
    const parsed = await parseSource("m.py", "def f():\n    x = 1\n    return return\n");
    expect(parsed?.errors()).toEqual([
      { line: 3, column: 11, kind: "MISSING", snippet: 'missing token in "return return"' },
    ]);
    parsed?.dispose();
  });

  it("flags a surplus Ruby `end`, which the grammar reads as an identifier", async () => {
    const text = "class A\n  def f(x)\n    x.end\n  end\n  end\n\n  def end_of(r) = r.end\nend\n";
    const parsed = await parseSource("a.rb", text);
    expect(parsed?.errors()).toEqual([{ line: 8, column: 1, kind: "ERROR", snippet: "end" }]);
    parsed?.dispose();
    const clean = await parseSource("a.rb", "h = { end: 1 }\nsym = :end\nr.end\n");
    expect(clean?.hasErrors).toBe(false);
    clean?.dispose();
  });

  it.each([
    ["a.c", "int f(void) {\n  return return;\n}\n"],
    ["a.cc", "int f() {\n  return return;\n}\n"],
    ["A.java", "class A {\n  return return;\n}\n"],
    ["a.php", "<?php\nfunction f() { return return; }\n"],
    ["a.ts", "function f() {\n  const x = return;\n}\n"],
    ["a.js", "function f() {\n  const x = return;\n}\n"],
    ["a.rs", "fn f() {\n    let x = if;\n}\n"],
  ])("flags a reserved word the %s grammar reads as an identifier", async (path, text) => {
    const parsed = await parseSource(path, text);
    expect(parsed?.errors().map((e) => [e.line, e.kind])).toEqual([[2, "ERROR"]]);
    parsed?.dispose();
  });

  it.each([
    ["a.php", "<?php\n$function = 'f';\n$function($this->list(), default: 1);\necho Foo::class;\n"],
    ["a.js", "export { x as default };\nobj.return();\nconst o = { if: 1, return: 2 };\n"],
    ["a.rb", "r.end\nh = { end: 1 }\ns = :end\n"],
    [
      "a.rs",
      "macro_rules! m {\n    () => { fn x() {} };\n}\nquote! { fn y() -> u8 { return 1; } }\n",
    ],
    [
      "a.go",
      "package p\n\ntype T struct{ Type string }\n\nfunc (t T) Func() string { return t.Type }\n",
    ],
  ])("accepts keyword-spelled names where %s allows them", async (path, text) => {
    const parsed = await parseSource(path, text);
    expect(parsed?.errors()).toEqual([]);
    parsed?.dispose();
  });

  it("reads a C++ header named .h with the C++ grammar when C cannot", async () => {
    const text =
      "#pragma once\ntemplate <class T> class Box { public: T get() const { return v; } T v; };\n";
    const parsed = await parseSource("include/box.h", text);
    expect(parsed?.language).toBe("cpp");
    expect(parsed?.hasErrors).toBe(false);
    parsed?.dispose();
    const plainC = await parseSource(
      "include/list.h",
      "struct list { int n; struct list *next; };\n",
    );
    expect(plainC?.language).toBe("c");
    plainC?.dispose();
  });

  it("parses the same language many times with one loaded grammar", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        parseSource(`f${i}.go`, `package p\n\nvar X${i} = ${i}\n`),
      ),
    );
    expect(results.every((r) => r?.hasErrors === false)).toBe(true);
    for (const r of results) r?.dispose();
  });
});

describe("bundledWasmFiles", () => {
  it("lists the runtime and every grammar, all present on disk", () => {
    const files = bundledWasmFiles();
    expect(files.map((f) => f.to)).toContain("tree-sitter.wasm");
    expect(files.length).toBe(LANGUAGE_IDS.length + 1);
    for (const f of files) expect(existsSync(f.from)).toBe(true);
  });
});
