/**
 * The path index looks up trailing components on demand. It must answer exactly as an
 * index of every trailing part built up front (kept below as the specification), on a
 * real repository's paths and on the awkward ones: case, extensions, dot files, deep
 * paths beyond the six components matched, packages' __init__/index/mod files.
 */
import { describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { PathIndex, push, snakeCase, type PathMatch } from "../../../action/context/path-index.js";

const MAX_SUFFIX = 6;

function stemOf(lowerPath: string): string {
  const slash = lowerPath.lastIndexOf("/");
  const dot = lowerPath.lastIndexOf(".");
  return dot > slash + 1 ? lowerPath.slice(0, dot) : lowerPath;
}

/** The index as it was built before: every trailing part of every path, up front. */
class EagerPathIndex {
  /** Trailing components with extension → file indexes. */
  private readonly withExt = new Map<string, number[]>();
  /** Trailing components without the extension → file indexes. */
  private readonly withoutExt = new Map<string, number[]>();

  /** Each file's lowercase path without its extension. */
  private readonly stems: string[];

  constructor(paths: readonly string[]) {
    this.stems = paths.map((path) => stemOf(path.toLowerCase()));
    paths.forEach((path, index) => {
      const lower = path.toLowerCase();
      const parts = lower.split("/");
      const last = parts[parts.length - 1] ?? "";
      const dot = last.lastIndexOf(".");
      const stemParts = [...parts.slice(0, -1), dot > 0 ? last.slice(0, dot) : last];
      for (let k = 1; k <= Math.min(MAX_SUFFIX, parts.length); k++) {
        push(this.withExt, parts.slice(-k).join("/"), index);
        push(this.withoutExt, stemParts.slice(-k).join("/"), index);
      }
    });
  }

  /**
   * Files whose path ends with the longest possible trailing part of `written`
   * (with its extension).
   */
  matchPath(written: string): PathMatch | undefined {
    const parts = written
      .toLowerCase()
      .split("/")
      .filter((part) => part !== "" && part !== "." && part !== "..");
    for (let k = Math.min(MAX_SUFFIX, parts.length); k >= 1; k--) {
      const hits = this.withExt.get(parts.slice(-k).join("/"));
      if (hits) return { indexes: hits, components: k };
    }
    return undefined;
  }

  /**
   * Files for a qualified name: the longest leading run of its components that names
   * a file (`a.b.c.Cls.meth` → `a/b/c`), or a package's `__init__`/`index`/`mod` file.
   * Components are tried as written and in snake_case (`RedundantSelf` → `redundant_self`).
   */
  matchQualified(parts: readonly string[]): PathMatch | undefined {
    for (let length = parts.length; length >= 2; length--) {
      const head = parts.slice(0, length);
      for (const variant of [head.map((p) => p.toLowerCase()), head.map(snakeCase)]) {
        const keys = [variant.slice(-MAX_SUFFIX).join("/")];
        for (const file of ["__init__", "index", "mod"]) {
          keys.push([...variant.slice(-(MAX_SUFFIX - 1)), file].join("/"));
        }
        for (const key of keys) {
          const hits = this.withoutExt.get(key);
          if (hits) return { indexes: hits, components: Math.min(length, MAX_SUFFIX) };
        }
      }
    }
    return undefined;
  }

  /** Files with the same path but another extension (`foo.c` ↔ `foo.h`). */
  siblings(path: string): number[] {
    const stem = stemOf(path.toLowerCase());
    const parts = stem.split("/");
    const candidates = this.withoutExt.get(
      parts.slice(-Math.min(MAX_SUFFIX, parts.length)).join("/"),
    );
    return (candidates ?? []).filter((i) => this.stems[i] === stem);
  }
}

const AWKWARD = [
  "src/Pkg/Mod.py",
  "src/pkg/mod.pyi",
  "src/pkg/__init__.py",
  "lib/pkg/mod/index.ts",
  "crates/ruff/src/rules/mod.rs",
  "a/b/c/d/e/f/g/h/deep.c",
  "a/b/c/d/e/f/g/h/deep.h",
  "x/b/c/d/e/f/g/h/deep.c",
  ".bashrc",
  "conf/.env.example",
  "Makefile",
  "docs/Makefile",
  "src/redundant_self.py",
  "src/RedundantSelf.java",
  "tests/test_mod.py",
  "weird/name.with.dots.tar.gz",
];

function queriesFor(paths: readonly string[]): { written: string[]; qualified: string[][] } {
  const written = new Set<string>(["", "/", "..", "mod", "MOD.PY", "./src/pkg/mod.py"]);
  const qualified: string[][] = [
    ["pkg", "mod", "Cls"],
    ["a", "b"],
    ["Pkg", "RedundantSelf"],
  ];
  for (const path of paths) {
    const parts = path.split("/");
    written.add(path);
    written.add(parts.slice(-2).join("/"));
    written.add(`/home/u/venv/lib/site-packages/${parts.slice(-3).join("/")}`);
    written.add(parts[parts.length - 1] ?? "");
    const stem = (parts[parts.length - 1] ?? "").split(".")[0] ?? "";
    qualified.push([...parts.slice(0, -1), stem, "Thing", "method"]);
    qualified.push([...parts.slice(-3, -1).map((p) => p.toUpperCase()), stem]);
  }
  return { written: [...written], qualified };
}

function expectSameAnswers(paths: readonly string[]): void {
  const lazy = new PathIndex(paths);
  const eager = new EagerPathIndex(paths);
  const { written, qualified } = queriesFor(paths);
  for (const w of written) expect([w, lazy.matchPath(w)]).toEqual([w, eager.matchPath(w)]);
  for (const q of qualified)
    expect([q, lazy.matchQualified(q)]).toEqual([q, eager.matchQualified(q)]);
  for (const path of [...paths, "src/pkg/mod.c", "nothing/here.txt"])
    expect([path, lazy.siblings(path)]).toEqual([path, eager.siblings(path)]);
}

describe("PathIndex", () => {
  it("answers as an index of every trailing part would, on awkward paths", () => {
    expectSameAnswers(AWKWARD);
  });

  it("answers as an index of every trailing part would, on this repository's files", () => {
    const tracked = execFileSync("git", ["ls-files"], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean);
    expect(tracked.length).toBeGreaterThan(200);
    expectSameAnswers([...tracked, ...AWKWARD]);
  });

  it("finds by longest trailing part, and by qualified names in snake_case", () => {
    const index = new PathIndex(AWKWARD);
    expect(index.matchPath("/tmp/x/pkg/MOD.py")).toEqual({ indexes: [0], components: 2 });
    expect(index.matchPath("deep.c")).toEqual({ indexes: [5, 7], components: 1 });
    expect(index.matchQualified(["Pkg", "RedundantSelf"])).toBeUndefined();
    expect(index.matchQualified(["src", "RedundantSelf"])).toEqual({
      indexes: [13],
      components: 2,
    });
    expect(index.siblings("a/b/c/d/e/f/g/h/deep.c")).toEqual([5, 6]);
  });
});
