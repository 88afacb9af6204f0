import { fitContext } from "../../backend/prompt/fit-context.js";
import { renderCodeUserMessage } from "../../backend/prompt/code-prompt.js";
import { estimateTokens, PlanSchema } from "../../protocol/index.js";
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
