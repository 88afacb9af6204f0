import { groundPlan } from "../../../action/plan/ground-plan.js";
import { canonicalJson, planHash } from "../../../action/plan/plan-hash.js";
import { renderPullRequestBody } from "../../../action/plan/render-plan.js";
import { replaceChangesSection } from "../../../action/plan/render-changes.js";
import { sanitizeForPost } from "../../../action/github/markdown-safety.js";
import { samplePlan } from "../../support/fixtures.js";

describe("plans", () => {
  it("hashes the same plan the same whatever the key order", () => {
    const plan = samplePlan();
    const reordered = JSON.parse(
      JSON.stringify({
        tests: plan.tests,
        openQuestions: plan.openQuestions,
        risks: plan.risks,
        files: plan.files,
        steps: plan.steps,
        summary: plan.summary,
      }),
    ) as typeof plan;
    expect(planHash(reordered)).toBe(planHash(plan));
    expect(planHash({ ...plan, summary: `${plan.summary} ` })).not.toBe(planHash(plan));
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
  });

  it("flags paths that do not exist and are not marked new", () => {
    const plan = samplePlan({
      files: [
        { path: "src/parser.py", change: "modify", reason: "r" },
        { path: "src/new.py", change: "create", reason: "r" },
        { path: "src/ghost.py", change: "delete", reason: "r" },
        { path: "README.md", change: "create", reason: "r" },
      ],
      steps: [{ title: "t", detail: "d", files: ["src/new.py", "docs/nowhere.md"] }],
    });
    const problems = groundPlan(plan, new Set(["src/parser.py", "README.md"]));
    expect(problems).toEqual([
      { path: "src/ghost.py", problem: "marked to delete, but no such file in the repository" },
      { path: "README.md", problem: "marked to create, but it already exists" },
      {
        path: "docs/nowhere.md",
        problem: 'named in step "t", but no such file and not marked new',
      },
    ]);
  });

  it("renders a pull request body that links without closing and mentions nobody", () => {
    const plan = samplePlan({ summary: "Ping @octocat and @org/team" });
    const body = renderPullRequestBody(
      {
        issueNumber: 7,
        issueTitle: "t",
        plan,
        hash: "f".repeat(64),
        grounding: [
          { path: "src/ghost.py", problem: "marked to modify, but no such file in the repository" },
        ],
        usage: {
          model: "m",
          promptTokens: 10,
          evalTokens: 20,
          totalMs: 1000,
          loadMs: 0,
          promptMs: 100,
          evalMs: 900,
          attempts: 1,
        },
        context: {
          files: [{ path: "a|b.py", score: 1.5, reasons: ["named in the issue"] }],
          omitted: [{ path: "big.py", reason: "budget" }],
          trimmedByWorker: [
            {
              path: "src/core.py",
              reason: "shown in part by the worker to fit the model's context window (lines 10-42)",
            },
          ],
          totalFiles: 3,
          tokenEstimate: 50,
        },
        timings: { contextMs: 10, queueAndModelMs: 2000 },
      },
      sanitizeForPost,
    );
    expect(body).toContain("part of #7");
    expect(body).not.toMatch(/\b(closes|fixes|resolves) #7/i);
    expect(body).toContain("@&#8203;octocat");
    expect(body).not.toMatch(/(^|[^;])@octocat/);
    expect(body).toContain("a\\|b.py");
    expect(body).toContain("Paths not found in the repository");
    expect(body).toContain("1 file sent (about 50 tokens) from 3 in the repository.");
    expect(body).toContain("Not shown to the model in full (2):");
    expect(body).toContain("`big.py`: budget");
    expect(body).toContain("`src/core.py`: shown in part by the worker");
  });

  it("replaces the Changes section instead of adding a second one", () => {
    const once = replaceChangesSection("body", "first");
    const twice = replaceChangesSection(once, "second");
    expect(twice.match(/## Changes/g)).toHaveLength(1);
    expect(twice).toContain("second");
    expect(twice).not.toContain("first");
  });
});
