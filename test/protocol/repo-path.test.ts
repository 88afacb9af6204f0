/**
 * The contract's path rule (RepoPathSchema), one case per form a model could use to reach
 * outside the tree or into git's own files. Each bad path breaks exactly one rule of
 * repoPathProblem, and each case names the reason it expects, so removing any single rule
 * fails its case here. The same forms, each alone in an otherwise valid plan or edit set,
 * are refused in the whole reply as the Action parses it from the broker.
 */
import { parseReply, repoPathProblem, RepoPathSchema, type EditSet } from "../../protocol/index.js";
import { samplePlan, sampleUsage } from "../support/fixtures.js";

/** [what it is, the path, the reason the contract must give]. */
const BAD_FORMS: readonly (readonly [string, string, RegExp])[] = [
  ["a '..' segment", "src/../../etc/passwd", /contains "\.\."/],
  ["an absolute path", "/etc/passwd", /is absolute/],
  ["a NUL byte", "src/lexer.py\u0000.txt", /control characters/],
  ["backslash separators", "a\\..\\b", /backslash/],
  [".git in upper case", ".GIT/config", /inside \.git\//],
  [".git in mixed case", ".Git/hooks/x", /inside \.git\//],
  ["the 8.3 short name of .git", "GIT~1/config", /inside \.git\//],
];

/** Near misses that are ordinary repository files and must stay allowed. */
const GOOD = [
  "src/lexer.py",
  ".gitignore",
  ".github/workflows/ci.yml",
  "docs/.gitkeep",
  "src/..hidden/x.py",
  "git/config",
  "notes/GIT~notes.md",
];

describe("RepoPathSchema", () => {
  it.each(BAD_FORMS)("refuses %s (%j)", (_what, path, reason) => {
    expect(repoPathProblem(path)).toMatch(reason);
    const parsed = RepoPathSchema.safeParse(path);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(reason);
  });

  it.each(GOOD)("accepts %j", (path) => {
    expect(repoPathProblem(path)).toBeUndefined();
    expect(RepoPathSchema.safeParse(path).success).toBe(true);
  });
});

const base = { version: 1, requestId: "req-12345678", at: 1 } as const;

const planReply = (plan: unknown) =>
  JSON.stringify({ ...base, type: "result", kind: "plan", plan, usage: sampleUsage() });

const codeReply = (edits: EditSet) =>
  JSON.stringify({ ...base, type: "result", kind: "code", edits, usage: sampleUsage() });

const validEdit = {
  path: "src/parser.py",
  change: "modify" as const,
  hunks: [{ search: "a", replace: "b" }],
};

describe("a reply holding one bad path", () => {
  it("is accepted when every path is good (so each refusal below is the path's)", () => {
    expect(parseReply(planReply(samplePlan())).ok).toBe(true);
    expect(parseReply(codeReply({ summary: "s", edits: [validEdit] })).ok).toBe(true);
  });

  it.each(BAD_FORMS)("is refused for %s in a plan's files", (_what, path, reason) => {
    const plan = samplePlan();
    plan.files.push({ path, change: "create", reason: "r" });
    const parsed = parseReply(planReply(plan));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(reason);
  });

  it.each(BAD_FORMS)("is refused for %s in a plan step's files", (_what, path, reason) => {
    const plan = samplePlan();
    plan.steps[0]?.files.push(path);
    const parsed = parseReply(planReply(plan));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(reason);
  });

  it.each(BAD_FORMS)("is refused for %s in an edit", (_what, path, reason) => {
    const parsed = parseReply(
      codeReply({
        summary: "s",
        edits: [validEdit, { path, change: "create", hunks: [], content: "x" }],
      }),
    );
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(reason);
  });
});
