import { randomUUID } from "node:crypto";
import type { Plan, CodeRequest, PlanRequest, Usage } from "../../protocol/index.js";

/** A realistic plan, valid against PlanSchema. */
export function samplePlan(overrides: Partial<Plan> = {}): Plan {
  return {
    summary: "Make the parser accept trailing commas in argument lists.",
    steps: [
      {
        title: "Accept a trailing comma",
        detail: "In parse_args, stop at ')' after a comma.",
        files: ["src/parser.py"],
      },
      {
        title: "Cover it with a test",
        detail: "Add cases with and without the comma.",
        files: ["tests/test_parser.py"],
      },
    ],
    files: [
      { path: "src/parser.py", change: "modify", reason: "parse_args rejects the comma" },
      { path: "tests/test_parser.py", change: "modify", reason: "regression test" },
    ],
    risks: ["Other callers may rely on the error."],
    tests: ["pytest tests/test_parser.py"],
    openQuestions: [],
    ...overrides,
  };
}

/** A plan request as the Action sends it; `deadline` defaults to two minutes from now. */
export function samplePlanRequest(overrides: Partial<PlanRequest> = {}): PlanRequest {
  const requestId = overrides.requestId ?? `req-${randomUUID()}`;
  return {
    version: 1,
    type: "plan",
    requestId,
    idempotencyKey: "octo/widgets#7@0123456789abcdef0123456789abcdef01234567",
    repo: {
      owner: "octo",
      name: "widgets",
      defaultBranch: "main",
      sha: "0123456789abcdef0123456789abcdef01234567",
    },
    issue: {
      number: 7,
      title: "Parser rejects trailing commas",
      body: "Calling `f(a, b,)` raises SyntaxError in src/parser.py.",
      author: "alice",
      labels: ["ai-agent"],
    },
    context: {
      tree: {
        paths: ["src/parser.py", "src/lexer.py", "tests/test_parser.py", "README.md"],
        totalFiles: 4,
      },
      files: [
        {
          path: "src/parser.py",
          score: 9.5,
          reasons: ["path named in the issue"],
          excerpts: [
            {
              startLine: 1,
              endLine: 3,
              text: "def parse_args(tokens):\n    args = []\n    return args",
            },
          ],
        },
        {
          path: "src/lexer.py",
          score: 2.1,
          reasons: ["imported by src/parser.py"],
          excerpts: [{ startLine: 1, endLine: 1, text: "def lex(s): ..." }],
        },
      ],
      omitted: [],
      tokenEstimate: 120,
    },
    options: {},
    deadline: Date.now() + 120_000,
    ...overrides,
  };
}

/** A code request for the sample plan. */
export function sampleCodeRequest(overrides: Partial<CodeRequest> = {}): CodeRequest {
  const { type: _type, guidance: _guidance, ...base } = samplePlanRequest();
  return {
    ...base,
    type: "code",
    plan: samplePlan(),
    planHash: "a".repeat(64),
    files: [
      {
        path: "src/parser.py",
        content: "def parse_args(tokens):\n    args = []\n    return args\n",
      },
    ],
    ...overrides,
  };
}

/** A small Python parser with the trailing-comma bug the end-to-end scenarios fix. */
export const PARSER_SOURCE =
  "def parse_args(tokens):\n    args = []\n    for token in tokens:\n        if token == ',':\n            raise SyntaxError('unexpected comma')\n        args.append(token)\n    return args\n";

/**
 * The plan the scripted model returns in end-to-end runs: grounded paths plus one the
 * model invented (`src/imaginary.py`), which the Action must flag.
 */
export function trailingCommaPlan(risks: string[]): Plan {
  return {
    summary: "Accept a trailing comma in argument lists.",
    steps: [
      {
        title: "Skip a final comma",
        detail: "In parse_args, ignore a comma that ends the list.",
        files: ["src/parser.py"],
      },
      {
        title: "Add a regression test",
        detail: "Cover f(a, b,).",
        files: ["tests/test_parser.py"],
      },
    ],
    files: [
      { path: "src/parser.py", change: "modify", reason: "parse_args raises on the comma" },
      { path: "tests/test_parser.py", change: "modify", reason: "regression test" },
      { path: "src/imaginary.py", change: "modify", reason: "a path the model invented" },
    ],
    risks,
    tests: ["pytest tests/test_parser.py"],
    openQuestions: [],
  };
}

/** Token and timing figures for hand-made results. */
export function sampleUsage(): Usage {
  return {
    model: "m",
    promptTokens: 1,
    evalTokens: 1,
    totalMs: 1,
    loadMs: 0,
    promptMs: 0,
    evalMs: 0,
    attempts: 1,
  };
}
