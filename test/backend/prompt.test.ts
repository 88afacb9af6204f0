import { fitContext } from "../../backend/prompt/fit-context.js";
import { renderCodeUserMessage } from "../../backend/prompt/code-prompt.js";
import {
  estimateTokens,
  MAX_OMITTED_REASON_CHARS,
  OmittedFileSchema,
  PlanSchema,
} from "../../protocol/index.js";
import { parseModelOutput } from "../../backend/jobs/model-output.js";
import { sampleCodeRequest, samplePlan, samplePlanRequest } from "../support/fixtures.js";

describe("prompt budget", () => {
  it("overestimates tokens, counting bytes for non-ASCII text", () => {
    expect(estimateTokens("abcdef")).toBe(2);
    expect(estimateTokens("ééé")).toBe(2);
    expect(estimateTokens("")).toBe(0);
  });

  it("keeps everything when the budget allows", () => {
    const { context } = samplePlanRequest();
    const fitted = fitContext(context, 10_000);
    expect(fitted.trimmed).toEqual([]);
    expect(fitted.text).toContain("src/lexer.py");
  });

  it("drops the lowest-ranked files first and says so", () => {
    const { context } = samplePlanRequest();
    const big = "x".repeat(3000);
    context.files.push({
      path: "src/low.py",
      score: 0.1,
      reasons: [],
      excerpts: [{ startLine: 1, endLine: 1, text: big }],
    });
    const fitted = fitContext(context, 600);
    expect(fitted.tokens).toBeLessThanOrEqual(600);
    expect(fitted.trimmed.map((t) => t.path)).toEqual(["src/low.py"]);
    expect(fitted.text).toContain("src/parser.py");
    expect(fitted.text).toMatch(/src\/low\.py: dropped by the worker/);
  });

  it("shortens a file too large for the window to the lines naming the issue's words, not dropping it", () => {
    const { context } = samplePlanRequest();
    // The Action gives its best file most of a generous budget: 3,000 lines here.
    const lines = Array.from({ length: 3000 }, (_, i) => `    total_${i} = compute(items, rate)`);
    lines[1499] = "def parse_trailing_comma(tokens):";
    context.files.unshift({
      path: "src/grammar.py",
      score: 20,
      reasons: ["defines parse_trailing_comma"],
      excerpts: [{ startLine: 1, endLine: 3000, text: lines.join("\n") }],
    });
    const issue = "Trailing comma rejected\nparse_trailing_comma raises on `f(a, b,)`";
    const fitted = fitContext(context, 1500, issue);
    expect(fitted.tokens).toBeLessThanOrEqual(1500);
    expect(fitted.trimmed).toEqual([]);
    const grammar = fitted.files.find((file) => file.path === "src/grammar.py");
    const excerpt = grammar?.excerpts.find((e) => e.startLine <= 1500 && 1500 <= e.endLine);
    // The matching line, at its own number, with lines around it; not the whole file.
    expect(excerpt?.text.split("\n")[1500 - excerpt.startLine]).toBe(lines[1499]);
    expect(excerpt && excerpt.endLine - excerpt.startLine).toBeGreaterThan(10);
    expect(excerpt && excerpt.endLine - excerpt.startLine).toBeLessThan(1000);
    expect(fitted.text).toContain(`Lines ${excerpt?.startLine}-${excerpt?.endLine}:`);
    expect(fitted.shortened).toEqual([
      { path: "src/grammar.py", reason: expect.stringContaining(`lines ${excerpt?.startLine}-`) },
    ]);
    // The files ranked below it still get their share.
    expect(fitted.text).toContain("### src/parser.py");
  });

  it("shortens a file to the Action's focus regions, whole and best first, before lines naming the issue's words", () => {
    const { context } = samplePlanRequest();
    // The issue's word is on many lines; the function the Action matched (a stack frame
    // into it) names none of the issue's words.
    const lines = Array.from({ length: 2000 }, (_, i) => `    log_value(${i})  # rate`);
    const body = [
      "def settle(account):",
      ...Array.from({ length: 24 }, (_, i) => `    step_${i}(account)`),
    ];
    lines.splice(1199, body.length, ...body);
    const text = lines.join("\n");
    context.files = [
      {
        path: "src/ledger.py",
        score: 9,
        reasons: ["named by a stack frame"],
        excerpts: [{ startLine: 1, endLine: 2000, text }],
        focus: [
          { startLine: 1200, endLine: 1224 },
          { startLine: 5000, endLine: 5010 }, // outside what was sent: ignored
        ],
      },
    ];
    const fitted = fitContext(context, 1200, "The rate is wrong");
    expect(fitted.tokens).toBeLessThanOrEqual(1200);
    const shown = fitted.files[0]?.excerpts ?? [];
    const holding = shown.find((e) => e.startLine <= 1200 && 1224 <= e.endLine);
    expect(
      holding?.text.split("\n").slice(1200 - holding.startLine, 1225 - holding.startLine),
    ).toEqual(body);
    // Without the focus list the same budget shows the word's lines instead.
    const without = fitContext(
      { ...context, files: [{ ...context.files[0]!, focus: undefined }] },
      1200,
      "The rate is wrong",
    );
    expect(without.files[0]?.excerpts.some((e) => e.startLine <= 1200 && 1224 <= e.endLine)).toBe(
      false,
    );
  });

  it("shows how a file starts when none of its lines name the issue's words", () => {
    const { context } = samplePlanRequest();
    const text = Array.from({ length: 2000 }, (_, i) => `row_${i} = build(row_${i - 1})`).join(
      "\n",
    );
    context.files = [
      {
        path: "src/rows.py",
        score: 3,
        reasons: [],
        excerpts: [{ startLine: 41, endLine: 2040, text }],
      },
    ];
    const fitted = fitContext(context, 800, "Something unrelated entirely");
    const shown = fitted.files[0]?.excerpts ?? [];
    expect(shown).toHaveLength(1);
    expect(shown[0]?.startLine).toBe(41);
    expect(shown[0]?.text.split("\n")[0]).toBe("row_0 = build(row_-1)");
    expect(fitted.tokens).toBeLessThanOrEqual(800);
  });

  it("drops, and names, a file with no excerpts whose header alone is over its share", () => {
    const { context } = samplePlanRequest();
    context.files = [{ path: "src/empty.py", score: 1, reasons: ["x".repeat(400)], excerpts: [] }];
    const fitted = fitContext(context, 100, "anything");
    expect(fitted.files).toEqual([]);
    expect(fitted.trimmed).toEqual([
      { path: "src/empty.py", reason: expect.stringMatching(/^dropped by the worker/) },
    ]);
  });

  it("names as many line ranges of a shortened file as the protocol's reason limit allows", () => {
    const { context } = samplePlanRequest();
    // Line numbers as long as the schema allows: fewer ranges fit in a reason.
    const first = Number.MAX_SAFE_INTEGER - 1_000_000;
    const lines = Array.from({ length: 4000 }, (_, i) =>
      i % 50 === 0 ? `hit_marker_call(${i})` : `pad_${i} = ${i}`,
    );
    context.files = [
      {
        path: "src/many.py",
        score: 3,
        reasons: [],
        excerpts: [{ startLine: first, endLine: first + 3999, text: lines.join("\n") }],
      },
    ];
    const fitted = fitContext(context, 3000, "hit_marker_call fails");
    expect(fitted.files[0]?.excerpts.length).toBeGreaterThan(12);
    const [entry] = fitted.shortened;
    expect(entry?.reason).toMatch(
      /^shown in part .*\(lines \d+-\d+, .* and \d+ more ranges of lines\)$/,
    );
    expect(entry?.reason.length).toBeLessThanOrEqual(MAX_OMITTED_REASON_CHARS);
    expect(OmittedFileSchema.safeParse(entry).success).toBe(true);
  });

  it("shortens the best file into the room the names of dropped files leave, rather than drop it", () => {
    const code = Array.from({ length: 3000 }, (_, i) =>
      i === 1500 ? "def frob_x(a):" : `    a[${i}] = b[${i}] + 1`,
    );
    const { context } = samplePlanRequest();
    context.tree = { paths: ["src/best.py"], totalFiles: 1 };
    context.files = [
      {
        path: "src/best.py",
        score: 9,
        reasons: [],
        excerpts: [{ startLine: 1, endLine: 3000, text: code.join("\n") }],
      },
      // Files whose names alone are long: each dropped one is still listed by name.
      ...Array.from({ length: 8 }, (_, i) => ({
        path: `src/${"d".repeat(990)}/${i}.py`,
        score: 1,
        reasons: ["r".repeat(500), "r".repeat(500)],
        excerpts: [{ startLine: 1, endLine: 1, text: "x" }],
      })),
    ];
    for (const budget of [3500, 4000, 4500]) {
      const fitted = fitContext(context, budget, "frob_x is wrong");
      expect(fitted.tokens).toBeLessThanOrEqual(budget);
      expect(fitted.files.map((file) => file.path)).toEqual(["src/best.py"]);
      expect(fitted.text).toContain("def frob_x(a):");
      expect(fitted.trimmed).toHaveLength(8);
    }
  });

  it("reports a shortened file once, not every file that shares its path", () => {
    const { context } = samplePlanRequest();
    const code = Array.from({ length: 3000 }, (_, i) =>
      i === 1500 ? "def frob_x(a):" : `    a[${i}] = b[${i}] + 1`,
    );
    context.files = [
      {
        path: "a.py",
        score: 2,
        reasons: [],
        excerpts: [{ startLine: 1, endLine: 3000, text: code.join("\n") }],
      },
      { path: "a.py", score: 1, reasons: [], excerpts: [{ startLine: 1, endLine: 1, text: "x" }] },
    ];
    const fitted = fitContext(context, 2000, "frob_x");
    expect(fitted.files).toHaveLength(2);
    expect(fitted.shortened).toHaveLength(1);
  });

  it("abridges the tree after the files, and says how many paths are missing", () => {
    const { context } = samplePlanRequest();
    context.tree = {
      paths: Array.from({ length: 2000 }, (_, i) => `pkg/module_${i}.py`),
      totalFiles: 2000,
    };
    context.files = [];
    const fitted = fitContext(context, 2000);
    expect(fitted.tokens).toBeLessThanOrEqual(2000);
    expect(fitted.text).toMatch(/\(\d+ more not listed\)/);
  });

  it("puts full files into the code prompt until the budget is spent, naming the rest", () => {
    const request = sampleCodeRequest({
      files: [
        { path: "a.py", content: "a = 1\n" },
        { path: "b.py", content: "b".repeat(9000) },
      ],
    });
    const message = renderCodeUserMessage(request, 2000);
    expect(message.text).toContain("## a.py");
    expect(message.trimmed).toEqual([
      { path: "b.py", reason: expect.stringMatching(/did not fit/) },
    ]);
  });
});

describe("model output parsing", () => {
  it("accepts clean and fenced JSON", () => {
    const json = JSON.stringify(samplePlan());
    expect(parseModelOutput(json, PlanSchema).ok).toBe(true);
    expect(parseModelOutput("Here you go:\n```json\n" + json + "\n```", PlanSchema).ok).toBe(true);
  });

  it("explains what is wrong", () => {
    const missing = parseModelOutput('{"summary":"x"}', PlanSchema);
    expect(!missing.ok && missing.problem).toMatch(/steps/);
    const truncated = parseModelOutput('{"summary": "x", "steps": [', PlanSchema);
    expect(!truncated.ok && truncated.problem).toMatch(/not valid JSON|no JSON object/);
  });
});
