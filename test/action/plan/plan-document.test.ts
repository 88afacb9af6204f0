import { groundPlan } from "../../../action/plan/ground-plan.js";
import { canonicalJson, planHash } from "../../../action/plan/plan-hash.js";
import {
  MAX_BODY_CHARS,
  renderPlanMarkdown,
  renderPullRequestBody,
  type PlanDocument,
} from "../../../action/plan/render-plan.js";
import { renderChanges } from "../../../action/plan/render-changes.js";
import { renderGfm } from "../../support/render-markdown.js";
import { replaceChangesSection } from "../../../action/plan/render-changes.js";
import { sanitizeForPost } from "../../../action/github/markdown-safety.js";
import { samplePlan, sampleUsage } from "../../support/fixtures.js";
import type { Plan } from "../../../protocol/index.js";

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
    expect(body).toContain("Kept from the model (1):");
    expect(body).toContain("Cut by the worker to fit the model's window (1):");
    expect(body).toContain("`big.py`: budget");
    expect(body).toContain("`src/core.py`: shown in part by the worker");
  });

  /** A plan's document with an ordinary context, for the body's rendering. */
  const documentOf = (plan: Plan): PlanDocument => ({
    issueNumber: 9,
    issueTitle: "t",
    plan,
    hash: "a".repeat(64),
    grounding: [{ path: "src/ghost.py", problem: "no such file" }],
    usage: sampleUsage(),
    context: {
      files: [{ path: "src/parser.py", score: 1, reasons: ["named in the issue"] }],
      omitted: [],
      trimmedByWorker: [],
      totalFiles: 1,
      tokenEstimate: 10,
    },
    timings: { contextMs: 1, queueAndModelMs: 1 },
  });
  /** What GitHub renders as structure (outside code): headings and the details blocks. */
  const structureOf = (markdown: string): string[] => {
    const html = renderGfm(markdown).replace(/<pre>[\s\S]*?<\/pre>/g, "");
    return [...html.matchAll(/<h2>([^<]*)<\/h2>|<details><summary>([^<]*)</g)].map(
      (m) => m[1] ?? m[2] ?? "",
    );
  };
  const EVERY_SECTION = [
    "Summary",
    "Steps",
    "Files",
    "⚠️ Paths not found in the repository",
    "Risks",
    "Tests",
    "Open questions",
    "Changes",
    "Context the plan was made from",
    "Model and timings",
  ];

  // The sanitiser closes a fence the model's text leaves open with a line of its own: in a
  // step's title (between `**`) or a list item's continuation it landed outside the item
  // and opened a fence over the rest of the body, hiding the path warnings and Changes.
  it("shows each step's title and detail apart where a line break is a space (plan.md, job summaries)", () => {
    const html = renderGfm(
      renderPlanMarkdown(
        { plan: samplePlan(), grounding: [], issueNumber: 1, issueTitle: "t" },
        sanitizeForPost,
      ),
    );
    const step = samplePlan().steps[0];
    expect(html).toMatch(
      new RegExp(
        `<li>\\s*<p><strong>${step?.title}</strong>[^<]*(<code>[^<]*</code>[^<]*)*</p>\\s*<p>`,
      ),
    );
  });

  it("keeps every section rendering when the model's titles and list items open fences", () => {
    const plan = samplePlan({
      // An ordinary slip: a fence in a list item that the item's end closes, and a fence
      // line of the item's indentation after it, which opens a new fence at the top level.
      summary: "- Guard the parser:\n  ```py\nif not text:\n    return None\n  ```\n- Add a test.",
      steps: [
        ...Array.from({ length: 9 }, (_, i) => ({ title: `Step ${i}`, detail: "d", files: [] })),
        { title: "Refactor the parser\n```", detail: "x\n```js\nopen", files: ["src/parser.py"] },
        { title: "```js", detail: "", files: [] },
      ],
      risks: ["Low risk.\n  ```"],
      tests: ["```\nstill open"],
      openQuestions: ["> quote\n  ~~~"],
    });
    const body = renderPullRequestBody(documentOf(plan), sanitizeForPost, "The changes.");
    expect(structureOf(body)).toEqual(EVERY_SECTION);
  });

  // GitHub refuses a body over 65,536 characters: no pull request was opened for a plan
  // the schema accepts, and a re-run met the same wall.
  it("fits a plan of the schema's largest sizes into a body GitHub takes, Changes included", () => {
    const long = (n: number, seed: string) =>
      `${seed} `.repeat(Math.ceil(n / (seed.length + 1))).slice(0, n);
    const path = (i: number) => `src/${"deep/".repeat(30)}module_${i}.py`;
    const plan = samplePlan({
      summary: long(4000, "summary"),
      steps: Array.from({ length: 30 }, (_, i) => ({
        title: long(300, `title${i}`),
        detail: long(4000, `detail${i}`),
        files: Array.from({ length: 30 }, (_, j) => path(j)),
      })),
      files: Array.from({ length: 50 }, (_, i) => ({
        path: path(i),
        change: "modify" as const,
        reason: long(2000, `reason${i}`),
      })),
      risks: Array.from({ length: 20 }, (_, i) => long(2000, `risk${i}`)),
      tests: Array.from({ length: 20 }, (_, i) => long(2000, `test${i}`)),
      openQuestions: Array.from({ length: 20 }, (_, i) => long(2000, `question${i}`)),
    });
    const body = renderPullRequestBody(documentOf(plan), sanitizeForPost);
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(body).toContain(
      "is shortened here. `.github/issue-agent/issue-9/plan.md` on this branch holds it in full",
    );
    expect(body).toContain("_The plan is cut here;");
    expect(body).toContain("<details><summary>Context the plan was made from</summary>");
    // /approve then adds the Changes section of all fifty files, whole.
    const changes = renderChanges({
      written: plan.files.map((f) => ({
        path: f.path,
        change: "modify" as const,
        before: "a",
        after: "b",
        hunks: [],
      })),
      stats: new Map(),
      syntax: undefined,
      check: undefined,
      checkCommand: "",
      commitSha: "c".repeat(40),
      model: "m",
      mode: "approve",
      actor: "maintainer",
    });
    const approved = replaceChangesSection(body, changes, MAX_BODY_CHARS);
    expect(approved.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(approved).toContain(changes);
    // A plan a little over the limit keeps every step, each text shortened.
    const over = samplePlan({
      steps: Array.from({ length: 20 }, (_, i) => ({
        title: `Step ${i}`,
        detail: long(4000, `detail${i}`),
        files: [],
      })),
    });
    const shortened = renderPullRequestBody(documentOf(over), sanitizeForPost);
    expect(shortened.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(shortened).toContain("is shortened here");
    expect(shortened).not.toContain("The plan is cut here");
    expect(shortened).toContain("**Step 19**");
    expect(structureOf(shortened)).toEqual(EVERY_SECTION.filter((s) => s !== "Changes"));
  });

  it("cuts a Changes section too long for the body at a line, saying where the rest is", () => {
    const changes = Array.from(
      { length: 900 },
      (_, i) => `| \`f${i}.py\` | modify | 1 | 0 | ✅ |`,
    ).join("\n");
    const body = replaceChangesSection("x".repeat(50_000), changes, MAX_BODY_CHARS);
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(body).toMatch(
      /\| ✅ \|\n\n_The list is cut here to fit the pull request body; the commit has every file._/,
    );
  });

  it("replaces the Changes section instead of adding a second one", () => {
    const once = replaceChangesSection("body", "first");
    const twice = replaceChangesSection(once, "second");
    expect(twice.match(/## Changes/g)).toHaveLength(1);
    expect(twice).toContain("second");
    expect(twice).not.toContain("first");
  });

  it("asks for /approve until the plan is applied, then for review and merge", () => {
    const planned = renderPullRequestBody(documentOf(samplePlan()), sanitizeForPost);
    expect(planned).toMatch(
      /^> Review the plan below\. .*comment `\/approve`.*Plan hash: `a{16}`$/m,
    );
    const applied = replaceChangesSection(planned, "Commit 0123456789ab (approved by @x).");
    expect(applied).not.toMatch(/^> Review the plan below/m);
    expect(applied).toMatch(
      /^> The plan below is implemented on this branch \(see Changes\)\. Review the commit, then mark this pull request ready for review and merge it\. Plan hash: `a{16}`$/m,
    );
    expect(replaceChangesSection(applied, "again")).toBe(replaceChangesSection(planned, "again"));
  });
});
