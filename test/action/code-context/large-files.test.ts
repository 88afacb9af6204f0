/**
 * Large files reach the model: the Action sends a planned file whole with the regions the
 * issue and plan point at and its outline; the worker, when the file does not fit its
 * window, shows the outline and those regions in full; the model's edit, quoting them,
 * applies against the whole file.
 */
import { describe, expect, it } from "@jest/globals";
import {
  codeBeforeDocs,
  DOCS_KEPT_IN_PLACE,
  docSpans,
} from "../../../action/context/doc-blocks.js";
import { fileBlocks } from "../../../action/context/syntax-blocks.js";
import { codeQuery, fileFocus, outlineOf } from "../../../action/code-context/focus.js";
import { bestMatchLine, withQuotedCode } from "../../../action/code-context/quoted-code.js";
import { applyEdits, memoryReader } from "../../../action/edits/apply-edits.js";
import { renderCodeUserMessage } from "../../../backend/prompt/code-prompt.js";
import { fitFiles, renderView } from "../../../backend/prompt/file-views.js";
import {
  estimateTokens,
  type FocusRegion,
  type Plan,
  type SourceFile,
} from "../../../protocol/index.js";
import { sampleCodeRequest } from "../../support/fixtures.js";

/** A Python module of `count` small functions, with `target` somewhere in the middle. */
function bigModule(count: number, target: { at: number; name: string; body: string[] }): string {
  const out: string[] = ["import math", ""];
  for (let i = 0; i < count; i++) {
    if (i === target.at) out.push(`def ${target.name}(values):`, ...target.body, "");
    out.push(
      `def helper_${i}(x):`,
      `    """Helper number ${i}."""`,
      `    y = x * ${i} + math.sqrt(${i})`,
      `    return y - ${i}`,
      "",
    );
  }
  return out.join("\n");
}

const TARGET_BODY = [
  "    total = 0",
  "    for value in values:",
  "        total += value",
  "    return total / len(values)",
];

function planFor(path: string, step: { title: string; detail: string }): Plan {
  return {
    summary: step.title,
    steps: [{ ...step, files: [path] }],
    files: [{ path, change: "modify", reason: "the bug is here" }],
    risks: [],
    tests: [],
    openQuestions: [],
  };
}

async function sourceFile(
  path: string,
  content: string,
  issue: { title: string; body: string },
  plan: Plan,
): Promise<SourceFile> {
  return { path, content, ...(await fileFocus(path, content, codeQuery(issue, plan))) };
}

describe("a 5,000-line file with the fix in the middle", () => {
  const content = bigModule(1000, { at: 500, name: "mean_of", body: TARGET_BODY });
  const issue = {
    title: "mean_of divides by zero on an empty list",
    body: "Calling `mean_of([])` raises ZeroDivisionError instead of returning 0.",
  };
  const plan = planFor("stats/core.py", {
    title: "Return 0 for an empty list in mean_of",
    detail: "Guard the division in mean_of.",
  });

  it("reaches the model as an outline plus the region, and the edit applies", async () => {
    expect(content.split("\n").length).toBeGreaterThan(5000);
    const file = await sourceFile("stats/core.py", content, issue, plan);
    const request = sampleCodeRequest({ plan, files: [file] });
    const budget = 6000;
    const message = renderCodeUserMessage(request, budget);
    expect(estimateTokens(message.text)).toBeLessThanOrEqual(budget);
    // The whole file is about 40k tokens: it cannot go whole.
    expect(estimateTokens(content)).toBeGreaterThan(budget * 5);
    expect(message.text).toContain("shown in part");
    expect(message.trimmed).toEqual([
      {
        path: "stats/core.py",
        reason: expect.stringMatching(/^shown in part: the outline and lines/),
      },
    ]);
    const shownLines = new Set(message.text.split("\n"));
    for (const line of ["def mean_of(values):", ...TARGET_BODY])
      expect(shownLines.has(line)).toBe(true);
    // The outline lists definitions with their line numbers, and says what it left out
    // (a thousand definitions do not fit its share of the room).
    expect(message.text).toMatch(/^\d+: def helper_\d+\(x\):$/m);
    expect(message.text).toMatch(/… \d+ more definitions not listed/);

    // An edit quoting the shown lines applies against the whole file, exactly once.
    const result = await applyEdits(
      [
        {
          path: "stats/core.py",
          change: "modify",
          hunks: [
            {
              search: "    return total / len(values)\n",
              replace: "    return total / len(values) if values else 0\n",
            },
          ],
        },
      ],
      memoryReader({ "stats/core.py": content }),
    );
    expect(result.failures).toEqual([]);
    expect(result.changes[0]?.after).toContain("return total / len(values) if values else 0");
    expect(result.changes[0]?.after?.split("\n").length).toBe(content.split("\n").length);
  });

  it("shows the file's imports beside the region, so that an edit can add one", async () => {
    const file = await sourceFile("stats/core.py", content, issue, plan);
    const message = renderCodeUserMessage(sampleCodeRequest({ plan, files: [file] }), 6000);
    const shownLines = message.text.split("\n");
    // Shown as code (an outline entry would read "1: import math"), next to the target.
    expect(shownLines).toContain("import math");
    expect(shownLines).toContain("def mean_of(values):");
    const result = await applyEdits(
      [
        {
          path: "stats/core.py",
          change: "modify",
          hunks: [{ search: "import math\n", replace: "import math\nimport statistics\n" }],
        },
      ],
      memoryReader({ "stats/core.py": content }),
    );
    expect(result.failures).toEqual([]);
  });

  it("does not show the region when nothing points at it (the measure can fail)", async () => {
    const unrelated = planFor("stats/core.py", { title: "Tidy up", detail: "Reformat." });
    const file = await sourceFile(
      "stats/core.py",
      content,
      { title: "Tidy up", body: "Formatting only." },
      unrelated,
    );
    const message = renderCodeUserMessage(
      sampleCodeRequest({ plan: unrelated, files: [file] }),
      6000,
    );
    expect(message.text).not.toContain("    return total / len(values)");
  });
});

describe("a plan step naming a method", () => {
  it("pulls that method's body, even when the issue never names it", async () => {
    const lines: string[] = ["class Store:"];
    for (let i = 0; i < 400; i++) lines.push(`    def op_${i}(self):`, `        return ${i}`, "");
    lines.splice(
      600,
      0,
      "    def compact_segments(self, limit):",
      "        kept = self.segments[:limit]",
      "        self.segments = kept",
      "",
    );
    const content = lines.join("\n");
    const plan = planFor("store.py", {
      title: "Change compact_segments",
      detail: "In Store.compact_segments keep the newest segments, not the oldest.",
    });
    const file = await sourceFile(
      "store.py",
      content,
      {
        title: "Old data survives compaction",
        body: "After compaction the newest writes are gone.",
      },
      plan,
    );
    expect(file.regions?.[0]).toBeDefined();
    const message = renderCodeUserMessage(sampleCodeRequest({ plan, files: [file] }), 2500);
    expect(message.text).toContain("shown in part");
    expect(message.text.split("\n")).toContain("        kept = self.segments[:limit]");
  });
});

describe("a changelog the plan changes", () => {
  it("shows where its next entry goes, not the old entries the issue's words match", async () => {
    // Old releases: the entries that share the issue's words are far down the file.
    const old = Array.from({ length: 1500 }, (_, i) =>
      i < 1400
        ? `- Speed up syntax loading, part ${i}, see #${i} (@someone)`
        : `- Fix \`--wrap\` with tabs in case ${i}, see #${i} (@someone)`,
    );
    const content = [
      "# unreleased",
      "",
      "## Bugfixes",
      "",
      "- Fix `NO_COLOR` support, see #2767 (@acuteenvy)",
      "",
      "## Other",
      "",
      "- Bump MSRV, see #2790",
      "",
      "# v0.24.0",
      "",
      ...old,
    ].join("\n");
    const issue = { title: "`--wrap` breaks long file names", body: "Wrapping with tabs fails." };
    const plan = planFor("CHANGELOG.md", {
      title: "Record the wrap fix in the changelog",
      detail: "Add a bugfix entry for --wrap with tabs.",
    });
    const file = await sourceFile("CHANGELOG.md", content, issue, plan);
    const message = renderCodeUserMessage(sampleCodeRequest({ plan, files: [file] }), 2000);
    expect(message.text).toContain("shown in part");
    const shown = new Set(message.text.split("\n"));
    for (const line of ["## Bugfixes", "- Fix `NO_COLOR` support, see #2767 (@acuteenvy)"])
      expect(shown.has(line)).toBe(true);
  });
});

describe("the window", () => {
  it("is never exceeded, whatever the files, and small files go whole", async () => {
    const plan = planFor("a.py", {
      title: "Fix helper_10 and helper_700",
      detail: "helper_10, helper_700",
    });
    const issue = { title: "helper_10 is wrong", body: "helper_700 too" };
    const files = [
      await sourceFile(
        "a.py",
        bigModule(800, { at: 1, name: "f", body: ["    pass"] }),
        issue,
        plan,
      ),
      await sourceFile(
        "b.py",
        bigModule(300, { at: 1, name: "g", body: ["    pass"] }),
        issue,
        plan,
      ),
      { path: "small.py", content: "x = 1\n" },
    ];
    for (const budget of [1500, 3000, 6000, 12000, 24000, 48000, 200000]) {
      const shown = fitFiles(files, budget);
      const used = shown.reduce((n, f) => n + (f.shown ? estimateTokens(f.block) + 1 : 0), 0);
      expect(used).toBeLessThanOrEqual(budget);
      expect(shown.find((f) => f.path === "small.py")?.block).toContain("x = 1");
    }
    // With room for everything, everything goes whole.
    expect(fitFiles(files, 1_000_000).every((f) => f.note === undefined)).toBe(true);
  });

  it("shows the part of a region that a better region overlapping it leaves out", () => {
    // The best region (a method, lines 100–120) lies inside the second (the loop that
    // runs it, lines 100–200): the loop's other lines are shown too, not dropped as a
    // duplicate, and a region the two do not touch still gets its turn.
    const content = Array.from({ length: 400 }, (_, i) => `line_${i + 1} = ${i + 1}`).join("\n");
    const file: SourceFile = {
      path: "m.py",
      content,
      regions: [
        { startLine: 100, endLine: 120 },
        { startLine: 100, endLine: 200 },
        { startLine: 300, endLine: 310 },
      ],
    };
    const view = renderView(file, 800);
    const shown = new Set(view?.block.split("\n"));
    for (const line of [100, 121, 200, 300, 310]) expect(shown).toContain(`line_${line} = ${line}`);
  });

  it("spends the room left after the regions on lines not yet shown", () => {
    // Forty regions two lines apart: growing each by a few lines covers its neighbours'
    // lines, which must not be paid for twice. The room goes to new lines until the
    // view is nearly full, reaching lines far from every region.
    const content = Array.from({ length: 2000 }, (_, i) => `line_${i + 1} = ${i + 1}`).join("\n");
    const regions = Array.from({ length: 40 }, (_, i) => ({
      startLine: 1000 + i * 7,
      endLine: 1004 + i * 7,
    }));
    const budget = 6000;
    const view = renderView({ path: "m.py", content, regions }, budget);
    expect(estimateTokens(view?.block ?? "")).toBeGreaterThan(budget * 0.95);
    const shown = new Set(view?.block.split("\n"));
    expect(shown).toContain("line_700 = 700");
  });

  it("outlines list each definition once, in file order", () => {
    const outline = outlineOf(
      "m.py",
      "class A:\n    def b(self):\n        pass\n\ndef c():\n    pass\n",
    );
    expect(outline).toEqual([
      { line: 1, text: "class A:" },
      { line: 2, text: "    def b(self):" },
      { line: 5, text: "def c():" },
    ]);
  });
});

describe("documentation inside the regions", () => {
  const docBlocksOf = async (path: string, text: string) =>
    docSpans((await fileBlocks(path, text))?.docs ?? []);

  /** Functions `f0`…: each a 30-line docstring, then a 3-line body. */
  function documented(count: number): { content: string; regions: FocusRegion[] } {
    const out: string[] = [];
    const regions: FocusRegion[] = [];
    for (let i = 0; i < count; i++) {
      const start = out.length + 1;
      const prose = Array.from({ length: 28 }, (_, k) => `    Prose ${i}.${k} about f${i}.`);
      out.push(`def f${i}(x):`, '    """', ...prose, '    """');
      out.push(`    y = x + ${i}`, `    z = y * ${i}`, `    return z  # body of f${i}`, "");
      regions.push({ startLine: start, endLine: out.length - 1 });
    }
    return { content: out.join("\n"), regions };
  }

  it("shows more regions' code by moving lower regions' docstrings after all code", async () => {
    const { content, regions } = documented(8);
    const docs = await docBlocksOf("m.py", content);
    expect(docs).toHaveLength(8);
    // The best regions stay whole: a fix there often updates the docstring too.
    const ordered = codeBeforeDocs(regions, docs);
    expect(ordered.slice(0, DOCS_KEPT_IN_PLACE)).toEqual(regions.slice(0, DOCS_KEPT_IN_PLACE));
    // Room for the best regions whole and the bodies of the rest, not for every docstring.
    const view = renderView({ path: "m.py", content, regions: ordered }, 1400);
    const shown = new Set(view?.block.split("\n"));
    for (let i = 0; i < 8; i++) expect(shown).toContain(`    return z  # body of f${i}`);
    for (let i = 0; i < DOCS_KEPT_IN_PLACE; i++)
      expect(shown).toContain(`    Prose ${i}.5 about f${i}.`);
    expect(shown).not.toContain("    Prose 7.5 about f7.");
  });

  it("finds docstrings and comment blocks, not strings in code or comments after code", async () => {
    const python = [
      "QUERY = '''",
      ...Array.from({ length: 8 }, (_, k) => `select ${k}`),
      "'''",
      "def f():",
      ...Array.from({ length: 8 }, (_, k) => `    x${k} = ${k}  # note ${k}`),
      "    # why the next lines",
      ...Array.from({ length: 6 }, (_, k) => `    # are written this way (${k})`),
      "    return x0",
    ].join("\n");
    expect(await docBlocksOf("m.py", python)).toEqual([{ startLine: 20, endLine: 26 }]);
    const java = [
      "class A {",
      "  /**",
      ...Array.from({ length: 6 }, (_, k) => `   * Line ${k}.`),
      "   */",
      "  int f() { return 1; }",
      '  String s = "/* not a comment */";',
      "}",
    ].join("\n");
    expect(await docBlocksOf("A.java", java)).toEqual([{ startLine: 2, endLine: 9 }]);
  });
});

describe("the follow-up round", () => {
  it("shows the code a failed hunk quoted, which the first view left out", async () => {
    const content = bigModule(1000, { at: 800, name: "mean_of", body: TARGET_BODY });
    const plan = planFor("stats/core.py", { title: "Fix helper_3", detail: "helper_3 is wrong" });
    const file = await sourceFile(
      "stats/core.py",
      content,
      { title: "helper_3", body: "helper_3" },
      plan,
    );
    const first = renderCodeUserMessage(sampleCodeRequest({ plan, files: [file] }), 4000);
    expect(first.text).not.toContain("    for value in values:");
    // The model guessed at mean_of's body (one line wrong): the hunk does not apply.
    const edits = {
      summary: "guard",
      edits: [
        {
          path: "stats/core.py",
          change: "modify" as const,
          hunks: [
            {
              search: "    total = 0\n    for value in values:\n        total = total + value\n",
              replace: "    total = 0\n",
            },
          ],
        },
      ],
    };
    const applied = await applyEdits(edits.edits, memoryReader({ "stats/core.py": content }));
    expect(applied.ok).toBe(false);
    const files = withQuotedCode([file], edits, applied.failures);
    const second = renderCodeUserMessage(sampleCodeRequest({ plan, files }), 4000);
    const shown = new Set(second.text.split("\n"));
    for (const line of TARGET_BODY) expect(shown.has(line)).toBe(true);
    expect(estimateTokens(second.text)).toBeLessThanOrEqual(4000);
  });

  // With two edits of one file, the failure of the second's first hunk looked up the
  // first edit's hunk, and the follow-up showed the wrong place.
  it("finds the quoted place of a failed hunk in any of the file's edits", () => {
    const content = [
      "a = 1",
      ...Array.from({ length: 200 }, (_, i) => `v${i} = ${i}`),
      "z = 0",
    ].join("\n");
    const file: SourceFile = { path: "m.py", content, regions: [] };
    const edits = {
      summary: "two edits",
      edits: [
        { path: "m.py", change: "modify" as const, hunks: [{ search: "a = 1", replace: "a = 2" }] },
        {
          path: "m.py",
          change: "modify" as const,
          hunks: [{ search: "v150 = 150", replace: "x" }],
        },
      ],
    };
    const [shown] = withQuotedCode([file], edits, [
      { path: "m.py", hunk: 1, message: "not found" },
    ]);
    expect(shown?.regions?.some((r) => r.startLine <= 152 && 152 <= r.endLine)).toBe(true);
  });

  it("finds nothing for a quote that resembles no line", () => {
    expect(bestMatchLine("a = 1\nb = 2\n", "zzzz = 9\n")).toBeUndefined();
    expect(bestMatchLine("x\n  alpha = 1\n  beta = 2\n", "alpha = 1\nbeta = 2")).toBe(2);
  });
});
