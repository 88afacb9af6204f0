/**
 * The Action against GitHub as it really behaves where the emulator, left alone, is
 * kinder: each test arms what GitHub does (its source in a comment) through the
 * emulator's faults or events, and states what the Action must do.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import { promisify } from "node:util";
import { getOctokit } from "@actions/github";
import type { Plan } from "../../../protocol/index.js";
import { labeledEvent, type ActionRun } from "../../support/action-runner.js";
import type { GitHubEmulator, RepoView } from "../../support/github/emulator.js";
import type { OllamaTestServer } from "../../support/ollama/server.js";
import { startScenario, type Scenario } from "../../support/scenario.js";

const SIGNING_KEY = "github-realities-key";
const TRACKING = "<!-- issue-agent:tracking -->";

const plan: Plan = {
  summary: "Make lex split on commas too.",
  steps: [
    { title: "Split on commas", detail: "Use a regex split in lex.", files: ["src/lexer.py"] },
  ],
  files: [{ path: "src/lexer.py", change: "modify", reason: "lex ignores commas" }],
  risks: [],
  tests: ["pytest"],
  openQuestions: [],
};

let scenario: Scenario;
let github: GitHubEmulator;
let repo: RepoView;
let ollama: OllamaTestServer;

beforeAll(async () => {
  scenario = await startScenario({
    label: "gh-realities",
    signingKey: SIGNING_KEY,
    github: {
      repos: [
        {
          owner: "octo",
          name: "widgets",
          files: {
            "src/lexer.py": "def lex(text):\n    return text.split()\n",
            "README.md": "# widgets\n",
          },
          collaborators: { maintainer: "write" },
          labels: [{ name: "ai-agent" }, { name: "ai-quickfix" }],
        },
      ],
      users: [{ login: "maintainer" }, { login: "alice" }],
    },
    model: { mode: "scripted", script: () => ({ content: JSON.stringify(plan) }) },
  });
  ({ github, ollama } = scenario);
  repo = scenario.repo();
}, 60_000);

afterAll(() => scenario.close());

afterEach(() => {
  expect(github.violations).toEqual([]);
  github.clearFaults();
});

const newIssue = (title: string, extra: { user?: string; labels?: string[] } = {}) =>
  repo.addIssue({ title, body: "lex in src/lexer.py ignores commas", user: "alice", ...extra })
    .number;

const labeled = (issue: number, title = "t") =>
  scenario.run(
    "issues",
    labeledEvent(
      { owner: "octo", name: "widgets" },
      { number: issue, title, body: "", author: "alice" },
      "ai-agent",
    ),
  );

const tracking = (issue: number) => repo.comments(issue).filter((c) => c.body.startsWith(TRACKING));
const pullsFor = (issue: number) =>
  repo.pulls().filter((p) => p.pull?.head === `ai-agent/issue-${issue}`);
const modelCallsFor = (title: string) =>
  ollama.requestsTo("/api/chat").filter((r) => JSON.stringify(r.body).includes(title)).length;
const errorLine = (result: ActionRun) =>
  result.stdout.split("\n").find((l) => l.startsWith("::error::")) ?? "";

async function orphanBranches(): Promise<string[]> {
  const heads = new Set(repo.pulls().map((p) => p.pull?.head));
  return Object.keys(await repo.branches()).filter(
    (b) => b.startsWith("ai-agent/") && !heads.has(b),
  );
}

describe("GitHub as it really is", () => {
  // GitHub: "Draft pull requests are available in public repositories with GitHub Free and
  // GitHub Free for organizations, GitHub Pro, and legacy per-repository billing plans, and
  // in public and private repositories with GitHub Team and GitHub Enterprise Cloud."
  // (docs.github.com/en/rest/pulls/pulls#create-a-pull-request). Elsewhere POST /pulls with
  // draft: true is a 422 (OpenHands/OpenHands#6560, MetaMask/action-create-release-pr#67).
  // The emulator refuses them as GitHub does, by the repository's visibility and plan.
  it("publishes the plan in a private repository of a Free/Pro account, where draft PRs are refused", async () => {
    const issue = newIssue("Private free repo");
    const record = github.repo("octo", "widgets").record;
    record.private = true;
    record.plan = "free";
    try {
      const result = await labeled(issue);
      const creates = github.requestLog.filter(
        (r) => r.method === "POST" && r.path === "/repos/octo/widgets/pulls",
      );
      expect({ exit: result.exitCode, error: errorLine(result) }).toEqual({ exit: 0, error: "" });
      expect(creates.map((r) => [(r.body as { draft?: boolean }).draft, r.status])).toEqual([
        [true, 422],
        [false, 201],
      ]);
      expect(pullsFor(issue)).toHaveLength(1);
      expect(result.stdout).toMatch(/not a draft: this repository's plan does not allow draft/);
    } finally {
      record.private = false;
      record.plan = "team";
    }
  }, 60_000);

  // GitHub sends `issues.opened` AND `issues.labeled` when an issue is created with a label
  // (picked in the form, or applied by an issue template): datum-cloud/awesome-alt-clouds#193,
  // WootingKb/wootility-issues#252, hiero-ledger/hiero-sdk-python#1464. A workflow that
  // listens to both must not plan such an issue twice (two model runs, and with QuickFix
  // the code applied twice).
  it("plans once for an issue created with the trigger label (opened + labeled)", async () => {
    const title = "Created with the label";
    const issue = newIssue(title, { user: "maintainer", labels: ["ai-agent"] });
    const opened = github.eventPayload({
      event: "issues",
      action: "opened",
      owner: "octo",
      repo: "widgets",
      issueNumber: issue,
    });
    const labelEvent = github.eventPayload({
      event: "issues",
      action: "labeled",
      owner: "octo",
      repo: "widgets",
      issueNumber: issue,
      label: "ai-agent",
    });
    // The job-level concurrency group of the example workflow runs them one after the other.
    const first = await scenario.run("issues", opened);
    const second = await scenario.run("issues", labelEvent);
    expect([first.exitCode, second.exitCode]).toEqual([0, 0]);
    expect(modelCallsFor(title)).toBe(1);
  }, 90_000);

  // A GitHub App token (the usual way to get CI to run on the agent's PR: GITHUB_TOKEN's
  // events start no workflows, docs.github.com/en/actions/security-for-github-actions/
  // security-guides/automatic-token-authentication) writes comments as `<slug>[bot]`. With
  // `bot-login` left at its default, a tracking comment no run can find again would make
  // each run post another and `/approve` find no plan. (Modelled the other way round: the
  // token is github-actions[bot], bot-login names an app; the check is the same.)
  it("refuses at once a token that is not bot-login, instead of posting a tracking comment no run finds again", async () => {
    const issue = newIssue("Identity mismatch");
    const extra = { "bot-login": "issue-agent-app[bot]" };
    const run = () =>
      scenario.run(
        "issues",
        labeledEvent(
          { owner: "octo", name: "widgets" },
          { number: issue, title: "t", body: "", author: "alice" },
          "ai-agent",
        ),
        extra,
      );
    const first = await run();
    const second = await run();
    expect([first.exitCode, second.exitCode]).toEqual([1, 1]);
    expect(errorLine(first)).toMatch(
      /posts as github-actions\[bot\], but bot-login is issue-agent-app\[bot\]/,
    );
    expect(first.stdout).toMatch(/Set the Action's bot-login input to 'github-actions\[bot\]'/);
    expect(tracking(issue)).toEqual([]);
    expect(modelCallsFor("Identity mismatch")).toBe(0);
    // One comment posted (and removed) per run: each notifies the issue's subscribers.
    const posted = github.requestLog.filter(
      (r) => r.operationId === "issues/create-comment" && r.path.includes(`/issues/${issue}/`),
    );
    expect(posted).toHaveLength(2);
  }, 90_000);

  // GitHub answers 403 "Unable to create comment because issue is locked." to the workflow
  // token on a locked issue (probot/stale#25, renovatebot/renovate#6215,
  // hashicorp/terraform-github-actions#100), with X-Accepted-GitHub-Permissions as on any
  // 403 to an app token. It is not a missing permission, which the workflow already grants.
  // The emulator refuses an app's comment on a locked issue the same way.
  it("says the issue is locked, not that a permission is missing, when GitHub refuses the comment", async () => {
    const issue = repo.addIssue({
      title: "Locked issue",
      body: "lex in src/lexer.py ignores commas",
      user: "alice",
      locked: true,
    }).number;
    const result = await labeled(issue);
    expect(result.exitCode).toBe(1);
    expect(errorLine(result)).toMatch(/locked/i);
    expect(errorLine(result)).not.toMatch(/lacks `issues: write`/);
  }, 60_000);

  // A lost response to creating the branch is retried and answered 422 "Reference already
  // exists": the branch is still this run's, and when the pull request is then refused
  // (here by the repository setting that forbids Actions to open pull requests, the
  // commonest first-run failure) it must go, like any branch left without its PR.
  it("leaves no branch behind when the branch's creation response was lost and the PR is refused", async () => {
    const issue = newIssue("Lost ref then refused PR");
    github.failNext({ route: "git/create-ref", status: 502, afterWrite: true });
    github.failNext({
      route: "pulls/create",
      status: 403,
      body: {
        message: "GitHub Actions is not permitted to create or approve pull requests.",
        documentation_url: "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
        status: "403",
      },
    });
    const result = await labeled(issue);
    expect(result.exitCode).toBe(1);
    expect(errorLine(result)).toMatch(/Allow GitHub Actions to create and approve pull requests/);
    expect(pullsFor(issue)).toEqual([]);
    expect(await orphanBranches()).toEqual([]);
  }, 60_000);

  // Right after a branch is created, POST /pulls can answer 422 {field: head, code:
  // invalid} for a moment and succeed when repeated (gitbutlerapp/gitbutler#4904: "first
  // time I press create PR I get this error, and then the second time it works"). The
  // emulator resolves the new ref at once: the refusal is armed here.
  it("survives a transient 422 head-invalid on the PR right after creating the branch", async () => {
    const issue = newIssue("Head not yet visible");
    github.failNext({
      route: "pulls/create",
      status: 422,
      body: {
        message: "Validation Failed",
        errors: [{ resource: "PullRequest", field: "head", code: "invalid" }],
        documentation_url: "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
        status: "422",
      },
    });
    const result = await labeled(issue);
    expect({ exit: result.exitCode, error: errorLine(result) }).toEqual({ exit: 0, error: "" });
    expect(pullsFor(issue)).toHaveLength(1);
  }, 60_000);

  // workflow_dispatch runs on the ref picked in "Use workflow from" and actions/checkout
  // checks that ref out (docs.github.com/en/actions/writing-workflows/choosing-when-your-
  // workflow-runs/events-that-trigger-workflows#workflow_dispatch: GITHUB_SHA/GITHUB_REF
  // are the branch selected). A plan based on that checkout would carry the branch's
  // commits into a pull request against the default branch.
  it("bases the plan on the default branch when dispatched from another branch", async () => {
    const rival = getOctokit(github.token, { baseUrl: github.url });
    const main = (await repo.branchSha("main")) ?? "";
    const { data: base } = await rival.rest.git.getCommit({
      owner: "octo",
      repo: "widgets",
      commit_sha: main,
    });
    const { data: tree } = await rival.rest.git.createTree({
      owner: "octo",
      repo: "widgets",
      base_tree: base.tree.sha,
      tree: [{ path: "WIP.md", mode: "100644", type: "blob", content: "unfinished work\n" }],
    });
    const { data: wip } = await rival.rest.git.createCommit({
      owner: "octo",
      repo: "widgets",
      message: "WIP on a feature branch",
      tree: tree.sha,
      parents: [main],
    });
    await rival.rest.git.createRef({
      owner: "octo",
      repo: "widgets",
      ref: "refs/heads/feature-x",
      sha: wip.sha,
    });
    const issue = newIssue("Dispatched from a branch");
    const workspace = await mkdtemp(`${os.tmpdir()}/dispatch-checkout-`);
    try {
      await promisify(execFile)("git", [
        "clone",
        "-q",
        "-b",
        "feature-x",
        github.cloneUrl("octo", "widgets", true),
        workspace,
      ]);
      const result = await scenario.run(
        "workflow_dispatch",
        {
          inputs: { "issue-number": String(issue) },
          ref: "refs/heads/feature-x",
          repository: { name: "widgets", full_name: "octo/widgets", owner: { login: "octo" } },
          sender: { login: "maintainer", type: "User" },
        },
        { "issue-number": String(issue) },
        { workspace },
      );
      expect(result.exitCode).toBe(0);
      const history = (await repo.log(`ai-agent/issue-${issue}`, 10)).map((c) => c.message);
      expect(history.some((m) => m.startsWith("WIP on a feature branch"))).toBe(false);
      expect(await repo.listFiles(`ai-agent/issue-${issue}`)).not.toContain("WIP.md");
    } finally {
      await rm(workspace, { recursive: true, force: true });
    }
  }, 60_000);
});
