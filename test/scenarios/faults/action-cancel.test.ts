/**
 * A cancelled workflow run, as a runner cancels it: SIGINT to the Action's process (then
 * SIGTERM, then a kill). The shipped Action (dist/index.js under Node 24) runs against
 * the GitHub emulator, a worker process from dist/worker.js and the real RabbitMQ, and is
 * signalled while it waits for the worker, while the model writes, between making the
 * branch and opening the pull request, and while the pull request is being opened.
 * Whatever the moment: the tracking comment says cancelled and how to run it again, the
 * issue is labelled failed, no branch is left without a pull request, the process exits
 * non-zero, and the worker spends no model time on a request whose run is gone.
 */
import type { Plan } from "../../../protocol/index.js";
import {
  commentEvent,
  labeledEvent,
  type ActionHandle,
  type ActionRun,
} from "../../support/action-runner.js";
import { queueDepth, waitFor } from "../../support/broker/rabbitmq.js";
import type { GitHubEmulator, RepoView } from "../../support/github/emulator.js";
import type { OllamaTestServer } from "../../support/ollama/server.js";
import { startScenario, type Scenario } from "../../support/scenario.js";
import type { WorkerProcess } from "../../support/worker-process.js";

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
let worker: WorkerProcess;
/** Requests for issues whose title holds a key wait until the key is released. */
const gates = new Map<string, Promise<void>>();

beforeAll(async () => {
  scenario = await startScenario({
    label: "cancel-e2e",
    signingKey: "cancel-e2e-signing-key",
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
        },
      ],
      users: [{ login: "maintainer" }, { login: "alice" }],
    },
    model: {
      mode: "scripted",
      script: async (request) => {
        const format = request.body.format as { properties?: Record<string, unknown> } | undefined;
        const kind = format?.properties?.edits ? "code" : "plan";
        for (const [key, gate] of gates)
          if (
            request.prompt.includes(key.replace(/^code:/, "")) &&
            key.startsWith("code:") === (kind === "code")
          )
            await gate;
        return { content: JSON.stringify(kind === "code" ? { summary: "none", edits: [] } : plan) };
      },
    },
  });
  ({ github, ollama, worker } = scenario);
  repo = scenario.repo();
}, 60_000);

afterAll(() => scenario.close());

afterEach(() => {
  expect(github.violations).toEqual([]);
  github.clearFaults();
});

/**
 * Holds every model call whose prompt contains `key` until the returned release is called
 * (`code:KEY`: only the calls for code changes).
 */
function hold(key: string): () => void {
  let release: () => void = () => undefined;
  gates.set(key, new Promise<void>((resolve) => (release = resolve)));
  return () => {
    release();
    gates.delete(key);
  };
}

const newIssue = (title: string) =>
  repo.addIssue({ title, body: "lex in src/lexer.py ignores commas", user: "alice" }).number;

const event = (issue: number) =>
  labeledEvent(
    { owner: "octo", name: "widgets" },
    { number: issue, title: "t", body: "", author: "alice" },
    "ai-agent",
  );

const run = (issue: number) => scenario.run("issues", event(issue));
const start = (issue: number) => scenario.start("issues", event(issue));

const tracking = (issue: number) => repo.comments(issue).filter((c) => c.body.startsWith(TRACKING));

const pullsFor = (issue: number) =>
  repo.pulls().filter((p) => p.pull?.head === `ai-agent/issue-${issue}`);

const modelCallsFor = (key: string) =>
  ollama.requestsTo("/api/chat").filter((r) => JSON.stringify(r.body).includes(key)).length;

/** Branches under the agent's prefix that no pull request comes from. */
async function orphanBranches(): Promise<string[]> {
  const heads = new Set(repo.pulls().map((p) => p.pull?.head));
  return Object.keys(await repo.branches()).filter(
    (b) => b.startsWith("ai-agent/") && !heads.has(b),
  );
}

/** The worker's log lines for one issue that say it dropped the request unanswered. */
const abandonedFor = (issue: number) =>
  worker.logs.filter((l) => l.issue === `octo/widgets#${issue}` && l.outcome === "abandoned");

/** The worker's count of requests dropped because their requester was gone (/metrics). */
async function abandonedCount(): Promise<number> {
  const text = await (await fetch(`${worker.healthUrl}/metrics`)).text();
  const match = /^issue_agent_jobs_total\{[^}]*outcome="abandoned"[^}]*\} (\d+)$/m.exec(text);
  return Number(match?.[1] ?? 0);
}

/** What every cancelled run leaves: a cancelled comment with a way back, labels, exit code. */
function expectCancelled(issue: number, result: ActionRun, signal = "SIGINT"): string {
  if (result.exitCode !== 1) console.log(result.stdout, result.stderr);
  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe("cancelled");
  expect(result.stdout).toContain(`::error::The workflow run was cancelled (${signal}).`);
  const [comment, ...more] = tracking(issue);
  expect(more).toEqual([]);
  const body = comment?.body ?? "";
  expect(body).toContain("**Status:** cancelled");
  expect(body).toContain('"phase":"cancelled"');
  expect(body).toMatch(
    /\*\*To run it again:\*\* re-run the workflow, comment `\/plan` on the issue, or remove and re-add the `ai-agent` label\./,
  );
  expect(repo.issueLabels(issue)).toContain("plan-failed");
  expect(repo.issueLabels(issue)).not.toContain("plan-pending");
  return body;
}

describe("a workflow run cancelled while it waits for the worker", () => {
  it("SIGINT while the request is queued behind a busy worker: the request is never computed", async () => {
    const release = hold("BUSY-C1");
    const busy = newIssue("BUSY-C1 keeps the worker busy");
    const cancelled = newIssue("QUEUED-C1 is cancelled");
    const abandonedBefore = await abandonedCount();
    const busyRun = run(busy);
    let result: ActionRun;
    try {
      await waitFor(() => modelCallsFor("BUSY-C1") > 0, 30_000, "the worker busy");
      const action = await start(cancelled);
      await action.waitForOutput(/request \S+ queued/);
      action.kill("SIGINT");
      result = await action.done;
    } finally {
      release();
    }
    const body = expectCancelled(cancelled, result);
    expect(body).toContain("this run left no branch or pull request behind");
    expect(pullsFor(cancelled)).toEqual([]);
    expect(await repo.branchSha(`ai-agent/issue-${cancelled}`)).toBeNull();

    // The busy run ends normally; then the worker takes the cancelled request, finds its
    // requester gone and drops it without a model call.
    expect((await busyRun).exitCode).toBe(0);
    await worker.waitForLog(
      (l) => l.issue === `octo/widgets#${cancelled}` && l.outcome === "abandoned",
      30_000,
    );
    expect(abandonedFor(cancelled)[0]?.msg).toMatch(/before work started/);
    expect(modelCallsFor("QUEUED-C1")).toBe(0);
    expect(await abandonedCount()).toBe(abandonedBefore + 1);
    expect(await queueDepth(scenario.connection, scenario.queue)).toBe(0);
    expect(await orphanBranches()).toEqual([]);
  }, 90_000);

  it("SIGINT, then SIGTERM, while the model writes: the model is stopped and its answer has no effect", async () => {
    const release = hold("WRITING-C2");
    const issue = newIssue("WRITING-C2 is cancelled mid-generation");
    const abandonedBefore = await abandonedCount();
    try {
      const action: ActionHandle = await start(issue);
      await waitFor(() => modelCallsFor("WRITING-C2") > 0, 30_000, "the model writing");
      action.kill("SIGINT");
      await action.waitForOutput(/Received SIGINT/);
      action.kill("SIGTERM");
      const result = await action.done;
      expectCancelled(issue, result);
      expect(result.stdout).toContain("Received SIGTERM again; still cleaning up");
      // The worker notices within its check interval that the run is gone.
      await worker.waitForLog(
        (l) => l.issue === `octo/widgets#${issue}` && l.outcome === "abandoned",
        30_000,
      );
    } finally {
      release();
    }
    expect(abandonedFor(issue)[0]?.msg).toMatch(/while the model was working/);
    // One call, stopped; not retried.
    expect(modelCallsFor("WRITING-C2")).toBe(1);
    expect(await abandonedCount()).toBe(abandonedBefore + 1);
    expect(pullsFor(issue)).toEqual([]);
    expect(await repo.branchSha(`ai-agent/issue-${issue}`)).toBeNull();

    // The worker is still serving.
    const after = newIssue("After the cancelled one");
    const next = await run(after);
    expect(next.exitCode).toBe(0);
    expect(pullsFor(after)).toHaveLength(1);
    expect(pullsFor(issue)).toEqual([]);
    expect(await orphanBranches()).toEqual([]);
  }, 90_000);
});

describe("an /approve run cancelled while the model writes the code", () => {
  it("commits nothing, keeps the plan on record, and offers /approve again", async () => {
    const issue = newIssue("APPROVE-C5 is approved, then cancelled");
    expect((await run(issue)).exitCode).toBe(0);
    const branch = `ai-agent/issue-${issue}`;
    const head = await repo.branchSha(branch);
    const planHash = /\*\*Plan hash:\*\* `([^`]+)`/.exec(tracking(issue)[0]?.body ?? "")?.[1];
    expect(planHash).toBeDefined();
    const release = hold("code:APPROVE-C5");
    let result: ActionRun;
    try {
      const action = await scenario.start(
        "issue_comment",
        commentEvent({ owner: "octo", name: "widgets" }, issue, {
          id: 5005,
          body: "/approve",
          author: "maintainer",
          association: "COLLABORATOR",
        }),
      );
      await waitFor(
        () =>
          ollama
            .requestsTo("/api/chat")
            .some(
              (r) =>
                JSON.stringify(r.body).includes("APPROVE-C5") &&
                JSON.stringify(r.body).includes("edits"),
            ),
        30_000,
        "the model writing the code",
      );
      action.kill("SIGINT");
      result = await action.done;
      await worker.waitForLog(
        (l) => l.issue === `octo/widgets#${issue}` && l.outcome === "abandoned",
        30_000,
      );
    } finally {
      release();
    }
    expect(result.exitCode).toBe(1);
    expect(result.outputs.status).toBe("cancelled");
    const [comment, ...more] = tracking(issue);
    expect(more).toEqual([]);
    expect(comment?.body).toContain("**Status:** cancelled");
    expect(comment?.body).toContain("the branch and the plan are as they were");
    expect(comment?.body).toContain(
      "**To run it again:** re-run the workflow, or comment `/approve` on the issue (the plan is unchanged).",
    );
    expect(comment?.body).toContain(`**Plan hash:** \`${planHash}\``);
    expect(await repo.branchSha(branch)).toBe(head);
    expect(pullsFor(issue)).toHaveLength(1);
    expect(repo.issueLabels(issue)).toContain("plan-failed");
  }, 90_000);
});

describe("a workflow run cancelled while it publishes", () => {
  /** Sends SIGINT to the Action while GitHub handles `route`, once the Action has seen it. */
  function cancelDuring(route: string): { started: (action: ActionHandle) => void } {
    let action: ActionHandle | undefined;
    github.beforeNext({
      route,
      run: async () => {
        action?.kill("SIGINT");
        await action?.waitForOutput(/Received SIGINT/);
      },
    });
    return { started: (a) => (action = a) };
  }

  it("SIGINT after the branch was made: the branch is removed, no pull request is opened", async () => {
    const issue = newIssue("Cancelled before the pull request");
    const cancel = cancelDuring("git/create-ref");
    const action = await start(issue);
    cancel.started(action);
    const result = await action.done;
    const body = expectCancelled(issue, result);
    expect(body).toContain("this run left no branch or pull request behind");
    expect(result.stdout).toMatch(/removing ai-agent\/issue-\d+, which this run created/);
    expect(pullsFor(issue)).toEqual([]);
    expect(await repo.branchSha(`ai-agent/issue-${issue}`)).toBeNull();
    expect(await orphanBranches()).toEqual([]);
  }, 60_000);

  it("SIGINT while the pull request is opened: it stays, and the comment says so", async () => {
    const issue = newIssue("Cancelled as the pull request opens");
    const cancel = cancelDuring("pulls/create");
    const action = await start(issue);
    cancel.started(action);
    const result = await action.done;
    const body = expectCancelled(issue, result);
    const [pull, ...others] = pullsFor(issue);
    expect(others).toEqual([]);
    expect(pull?.body).toContain("Make lex split on commas too.");
    expect(body).toMatch(
      /The pull request \S+ was already open with the plan; it is left as it is\./,
    );
    expect(body).toMatch(/\*\*Plan hash:\*\* `/);
    expect(await orphanBranches()).toEqual([]);
  }, 60_000);
});
