import { describe, expect, it } from "@jest/globals";
import { importHeader } from "../../../action/context/import-header.js";

/** The header's lines of `text`, or undefined. */
function header(text: string): string[] | undefined {
  const lines = text.split("\n");
  const region = importHeader(lines);
  return region && lines.slice(region.startLine - 1, region.endLine);
}

describe("importHeader", () => {
  it("spans a Python module's imports, a parenthesised one to its closing line", () => {
    const text = [
      '"""Pricing."""',
      "from __future__ import annotations",
      "",
      "import os",
      "from shop.money import (",
      "    Money,",
      "    round_half_up,",
      ")",
      "",
      "RATE = 0.2",
      "",
      "def price(x):",
      "    import json",
      "    return x",
    ].join("\n");
    expect(header(text)).toEqual(text.split("\n").slice(1, 8));
  });

  it("starts a Java file's block at its package line, after the licence", () => {
    const text = [
      "/*",
      " * Copyright (C) 2020 The Authors.",
      " */",
      "package lombok.javac.handlers;",
      "",
      "import static lombok.core.handlers.HandlerUtil.*;",
      "",
      "import java.util.List;",
      "import com.sun.tools.javac.tree.JCTree;",
      "",
      "public class HandleBuilder {",
      "}",
    ].join("\n");
    expect(importHeader(text.split("\n"))).toEqual({ startLine: 4, endLine: 9, score: 0 });
  });

  it("runs a Go import group to its parenthesis and a Rust use to its brace", () => {
    const go = [
      "package gin",
      "",
      "import (",
      '\t"net/http"',
      '\t"strings"',
      ")",
      "",
      "func f() {}",
    ];
    expect(importHeader(go)).toEqual({ startLine: 1, endLine: 6, score: 0 });
    const rust = [
      "use std::fmt;",
      "use crate::routing::{",
      "    Route,",
      "    Router,",
      "};",
      "",
      "pub fn f() {}",
    ];
    expect(importHeader(rust)).toEqual({ startLine: 1, endLine: 5, score: 0 });
  });

  it("takes a C file's includes after its licence, and not a trait used inside a PHP class", () => {
    const c = ["/* licence */", '#include "server.h"', "#include <math.h>", "", "static int x;"];
    expect(importHeader(c)).toEqual({ startLine: 2, endLine: 3, score: 0 });
    const php = [
      "<?php",
      "",
      "namespace Carbon;",
      "",
      "use DateTime;",
      "",
      "class Carbon",
      "{",
      "    use Traits\\Date;",
      "}",
    ];
    expect(importHeader(php)).toEqual({ startLine: 3, endLine: 5, score: 0 });
  });

  it("does not let a bracket that never closes swallow the file", () => {
    const php = ["<?php", "namespace App {", "use Foo\\Bar;", "use Foo\\Baz;", ""];
    const classBody = Array.from({ length: 120 }, (_, i) => `    public $f${i};`);
    const braced = [...php, "class A {", ...classBody, "}", "}"];
    expect(importHeader(braced)).toEqual({ startLine: 2, endLine: 4, score: 0 });
    const stray = ["import (", ...Array.from({ length: 300 }, (_, i) => `x${i} = ${i}`)];
    expect(importHeader(stray)).toEqual({ startLine: 1, endLine: 1, score: 0 });
    // Every line opening a bracket: each is read a bounded number of times.
    const hostile = Array.from({ length: 2000 }, () => `import (${"a".repeat(2000)}`);
    expect(importHeader(hostile)).toEqual({ startLine: 1, endLine: 400, score: 0 });
  });

  it("ends the block at a stretch of other code, and finds none in a file without imports", () => {
    const body = Array.from({ length: 20 }, (_, i) => `    x = ${i}`);
    const text = ["import os", "", "def f():", ...body, "", "import late"].join("\n");
    expect(header(text)).toEqual(["import os"]);
    expect(importHeader(["def f():", "    return 1"])).toBeUndefined();
    expect(importHeader([])).toBeUndefined();
  });
});
