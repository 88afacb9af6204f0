/**
 * The Action end to end (dist/index.js under Node 24, a worker process from
 * dist/worker.js, the real RabbitMQ, the GitHub emulator) while things go wrong: GitHub
 * failing or racing during the writes, the model server failing, the Action giving up
 * on a request that waits behind a busy worker, and the same result delivered twice.
 * Whatever happens: never a second pull request, never an orphan branch, never a plan
 * after the failure comment.
 */
import { sampleUsage } from "../../support/fixtures.js";
import { getOctokit } from "@actions/github";
import type { ChannelModel } from "amqplib";
import {
  PROTOCOL_VERSION,
  type PlanRequest,
  type Plan,
  SIGNATURE_HEADER,
  signBody,
  replyBinding,
  deadLetterQueueFor,
  requestQueueArguments,
} from "../../../protocol/index.js";
import { labeledEvent, type ActionRun } from "../../support/action-runner.js";
import {
  deleteQueues,
  queueDepth,
  uniqueQueueName,
  waitFor,
} from "../../support/broker/rabbitmq.js";
import {
  type FaultSpec,
  type GitHubEmulator,
  type RepoView,
} from "../../support/github/emulator.js";
import type { OllamaTestServer } from "../../support/ollama/server.js";
import { startScenario, type Scenario } from "../../support/scenario.js";
import type { WorkerProcess } from "../../support/worker-process.js";

const SIGNING_KEY = "fault-e2e-signing-key";
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
let connection: ChannelModel;
let queue: string;
/** Requests for issues whose title holds a key wait until the key is released. */
const gates = new Map<string, Promise<void>>();

beforeAll(async () => {
  scenario = await startScenario({
    label: "fault-e2e",
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
        },
      ],
      users: [{ login: "maintainer" }, { login: "alice" }],
    },
    model: {
      mode: "scripted",
      script: async (request) => {
        if (request.prompt.includes("MODEL-503"))
          return { fault: { type: "http-error", status: 503 } };
        for (const [key, gate] of gates) if (request.prompt.includes(key)) await gate;
        return { content: JSON.stringify(plan) };
      },
    },
  });
  ({ github, ollama, worker, connection, queue } = scenario);
  repo = scenario.repo();
}, 60_000);

afterAll(() => scenario.close());

afterEach(() => {
  expect(github.violations).toEqual([]);
  github.clearFaults();
});

function run(issue: number, extra: Record<string, string> = {}): Promise<ActionRun> {
  return scenario.run(
    "issues",
    labeledEvent(
      { owner: "octo", name: "widgets" },
      { number: issue, title: "t", body: "", author: "alice" },
      "ai-agent",
    ),
    extra,
  );
}

const newIssue = (title: string) =>
  repo.addIssue({ title, body: "lex in src/lexer.py ignores commas", user: "alice" }).number;

const tracking = (issue: number) => repo.comments(issue).filter((c) => c.body.startsWith(TRACKING));

const pullsFor = (issue: number) =>
  repo.pulls().filter((p) => p.pull?.head === `ai-agent/issue-${issue}`);

async function planCommits(issue: number): Promise<number> {
  const log = await repo.log(`ai-agent/issue-${issue}`, 10);
  return log.filter((c) => c.message.startsWith(`Plan for #${issue}`)).length;
}

/** Branches under the agent's prefix that no open pull request comes from. */
async function orphanBranches(): Promise<string[]> {
  const heads = new Set(repo.pulls().map((p) => p.pull?.head));
  return Object.keys(await repo.branches()).filter(
    (b) => b.startsWith("ai-agent/") && !heads.has(b),
  );
}

async function expectOnePlan(issue: number, result: ActionRun): Promise<void> {
  if (result.exitCode !== 0) console.log(result.stdout);
  expect(result.exitCode).toBe(0);
  expect(result.outputs.status).toBe("planned");
  expect(pullsFor(issue)).toHaveLength(1);
  expect(result.outputs["pr-number"]).toBe(String(pullsFor(issue)[0]?.number));
  expect(pullsFor(issue)[0]?.body).toContain("Make lex split on commas too.");
  expect(await planCommits(issue)).toBe(1);
  expect(tracking(issue)).toHaveLength(1);
  expect(repo.issueLabels(issue)).toContain("plan-pending");
  expect(github.pendingFaults()).toEqual([]);
}

describe("GitHub failing or racing during the writes", () => {
  const rival = () => getOctokit(github.token, { baseUrl: github.url });
  const cases: {
    name: string;
    arm: (issue: number) => void;
  }[] = [
    {
      name: "two 502s before the tree is written",
      arm: () => github.failNext({ route: "git/create-tree", status: 502, times: 2 }),
    },
    {
      name: "a 503 on creating the branch",
      arm: () => github.failNext({ route: "git/create-ref", status: 503 }),
    },
    {
      name: "the response lost after the branch was created",
      arm: () => github.failNext({ route: "git/create-ref", status: 502, afterWrite: true }),
    },
    {
      name: "the response lost after the pull request was opened",
      arm: () => github.failNext({ route: "pulls/create", status: 502, afterWrite: true }),
    },
    {
      name: "a secondary rate limit on opening the pull request",
      arm: () => github.secondaryRateLimit({ route: "pulls/create", retryAfterSeconds: 1 }),
    },
    {
      name: "a secondary rate limit on the tracking comment",
      arm: () =>
        github.secondaryRateLimit({ route: "issues/create-comment", retryAfterSeconds: 1 }),
    },
    {
      name: "a concurrent run created the branch first (422 Reference already exists)",
      arm: (issue) =>
        github.beforeNext({
          route: "git/create-ref",
          run: async () => {
            const main = await repo.branchSha("main");
            await rival().rest.git.createRef({
              owner: "octo",
              repo: "widgets",
              ref: `refs/heads/ai-agent/issue-${issue}`,
              sha: main ?? "",
            });
          },
        }),
    },
    {
      name: "a concurrent run opened the pull request first (422 already exists)",
      arm: (issue) =>
        github.beforeNext({
          route: "pulls/create",
          run: async () => {
            await rival().rest.pulls.create({
              owner: "octo",
              repo: "widgets",
              head: `ai-agent/issue-${issue}`,
              base: "main",
              title: "rival",
              body: "rival",
              draft: true,
            });
          },
        }),
    },
  ];

  it.each(cases)(
    "$name: retried or reconciled into one pull request",
    async ({ arm }) => {
      const issue = newIssue("GitHub fault");
      arm(issue);
      await expectOnePlan(issue, await run(issue));
      expect(await orphanBranches()).toEqual([]);
    },
    60_000,
  );

  it("gives up after bounded retries of a 5xx storm, says so in the comment, leaves no branch", async () => {
    const issue = newIssue("GitHub storm");
    const storm: FaultSpec = { route: "pulls/create", status: 502, times: 20 };
    github.failNext(storm);
    const creates = () =>
      github.requestLog.filter((r) => r.method === "POST" && r.path === "/repos/octo/widgets/pulls")
        .length;
    const before = creates();
    const result = await run(issue);
    expect(result.exitCode).toBe(1);
    const attempts = creates() - before;
    // Octokit's retry plugin: the first try and three retries.
    expect(attempts).toBe(4);
    const [comment, ...more] = tracking(issue);
    expect(more).toEqual([]);
    expect(comment?.body).toMatch(/failed \(502\): GitHub had a server error and retries ran out/);
    expect(repo.issueLabels(issue)).toContain("plan-failed");
    expect(pullsFor(issue)).toEqual([]);
    expect(await repo.branchSha(`ai-agent/issue-${issue}`)).toBeNull();
    expect(await orphanBranches()).toEqual([]);
  }, 60_000);

  // A failure after the pull request was opened (GitHub refusing the label) wrote the
  // comment's failed state without the plan's hash, and a re-plan that failed erased the
  // hash of the plan before it: the plan stayed open for review but /approve said there
  // was none.
  it("keeps the plan on record approvable when a later write or a re-plan fails", async () => {
    const issue = newIssue("Label storm");
    github.failNext({ route: "issues/add-labels", status: 503, times: 20 });
    const failed = await run(issue);
    expect(failed.exitCode).toBe(1);
    expect(pullsFor(issue)).toHaveLength(1);
    const recordedHash = () =>
      /"planHash":"([0-9a-f]{64})"/.exec(tracking(issue)[0]?.body ?? "")?.[1];
    const published = recordedHash();
    expect(tracking(issue)[0]?.body).toContain("**Status:** failed");
    expect(published).toBeDefined();
    expect(
      await repo.readFile(
        `ai-agent/issue-${issue}`,
        `.github/issue-agent/issue-${issue}/plan.json`,
      ),
    ).toContain(`"planHash": "${published ?? "missing"}"`);
    github.clearFaults();
    // A re-plan that cannot reach the broker fails before publishing anything.
    const replan = await run(issue, { "amqp-url": "amqp://guest:guest@127.0.0.1:1" });
    expect(replan.exitCode).toBe(1);
    expect(tracking(issue)[0]?.body).toContain("**Status:** failed");
    expect(recordedHash()).toBe(published);
  }, 60_000);

  // GitHub may store a comment and still answer 5xx (or drop the connection): the Action
  // looks before posting again, so there is still one tracking comment.
  it("posts one tracking comment when the response to creating it is lost", async () => {
    const issue = newIssue("Lost comment response");
    github.failNext({ route: "issues/create-comment", status: 502, afterWrite: true });
    const result = await run(issue);
    expect(result.exitCode).toBe(0);
    expect(tracking(issue)).toHaveLength(1);
  }, 60_000);
});

describe("the model server failing", () => {
  it("ends in a terminal error that reaches the issue comment, with no branch", async () => {
    const issue = newIssue("MODEL-503 breaks");
    const before = ollama.requestsTo("/api/chat").length;
    const result = await run(issue);
    expect(result.exitCode).toBe(1);
    // The worker's bounded attempts (LLM_MAX_ATTEMPTS, 3 by default), then its error reply.
    expect(ollama.requestsTo("/api/chat").length - before).toBe(3);
    const [comment, ...more] = tracking(issue);
    expect(more).toEqual([]);
    expect(comment?.body).toMatch(/The model server failed after 3 attempts/);
    expect(result.stdout).toMatch(/::error::The model server failed/);
    expect(repo.issueLabels(issue)).toContain("plan-failed");
    expect(await repo.branchSha(`ai-agent/issue-${issue}`)).toBeNull();
    expect(pullsFor(issue)).toEqual([]);
  }, 60_000);
});

describe("a workflow naming an ignore file the repository does not have", () => {
  it("stops before anything is sent, saying which file and what to do, with no branch", async () => {
    const issue = newIssue("lex ignores commas, with a misspelt ignore file");
    const before = ollama.requestsTo("/api/chat").length;
    // Named on purpose, it keeps files from the model: a typo must not send them.
    const result = await run(issue, { "ignore-file": ".ai-agent-ingore" });
    expect(result.exitCode).toBe(1);
    expect(ollama.requestsTo("/api/chat").length).toBe(before);
    const [comment, ...more] = tracking(issue);
    expect(more).toEqual([]);
    expect(comment?.body).toMatch(
      /ignore file \S{0,8}\.ai-agent-ingore\S{0,8} does not exist in the repository/,
    );
    expect(await repo.branchSha(`ai-agent/issue-${issue}`)).toBeNull();
    expect(pullsFor(issue)).toEqual([]);
  }, 60_000);
});

describe("the Action giving up", () => {
  it("lets its request expire behind a busy worker; it is never computed, no plan follows the failure", async () => {
    let release: () => void = () => undefined;
    gates.set("BUSY-A", new Promise<void>((resolve) => (release = resolve)));
    const busy = newIssue("BUSY-A keeps the worker busy");
    const late = newIssue("LATE-B gives up");
    const busyRun = run(busy);
    try {
      await waitFor(
        () => ollama.requestsTo("/api/chat").some((r) => JSON.stringify(r.body).includes("BUSY-A")),
        30_000,
        "the worker busy with the first issue",
      );
      // Three seconds to live, behind a job that will not finish before then.
      const lateRun = await run(late, { "timeout-minutes": "0.05" });
      expect(lateRun.exitCode).toBe(1);
      expect(lateRun.stdout).toMatch(/No worker answered within 0\.05 minutes/);
    } finally {
      release();
      gates.delete("BUSY-A");
    }
    await expectOnePlan(busy, await busyRun);
    // A request published after the late one is answered, so the worker has since taken
    // (or the broker dropped) everything queued ahead of it.
    const after = newIssue("After the late one");
    await expectOnePlan(after, await run(after));
    expect(await queueDepth(connection, queue)).toBe(0);

    const prompts = ollama.requestsTo("/api/chat").map((r) => JSON.stringify(r.body));
    expect(prompts.filter((p) => p.includes("LATE-B"))).toEqual([]);
    expect(worker.logs.filter((l) => l.issue === `octo/widgets#${late}`)).toEqual([]);
    const [comment, ...more] = tracking(late);
    expect(more).toEqual([]);
    expect(comment?.body).toMatch(/No worker answered/);
    expect(repo.issueLabels(late)).toContain("plan-failed");
    expect(repo.issueLabels(late)).not.toContain("plan-pending");
    expect(pullsFor(late)).toEqual([]);
    expect(await repo.branchSha(`ai-agent/issue-${late}`)).toBeNull();
  }, 90_000);
});

describe("the same result delivered more than once", () => {
  it("is applied once: one commit, one pull request, one comment", async () => {
    // A stand-in worker that answers every request three times, as happens when a worker
    // dies after replying but before its ack and another one answers the redelivery.
    const dupQueue = uniqueQueueName("dup-e2e");
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue(dupQueue, {
      durable: true,
      arguments: requestQueueArguments(dupQueue, 3),
    });
    let answered = 0;
    await channel.consume(dupQueue, (message) => {
      if (!message) return;
      const request = JSON.parse(message.content.toString("utf8")) as PlanRequest;
      const body = Buffer.from(
        JSON.stringify({
          version: PROTOCOL_VERSION,
          requestId: request.requestId,
          at: Date.now(),
          type: "result",
          kind: "plan",
          plan,
          usage: sampleUsage(),
          trimmed: [],
        }),
      );
      for (let i = 0; i < 3; i++) {
        channel.sendToQueue(String(message.properties.replyTo), body, {
          correlationId: request.requestId,
          headers: {
            [SIGNATURE_HEADER]: signBody(body, SIGNING_KEY, Date.now(), bindingOf(request)),
          },
        });
      }
      answered += 1;
      channel.ack(message);
    });
    try {
      const issue = newIssue("Duplicate results");
      await expectOnePlan(issue, await run(issue, { "request-queue": dupQueue }));
      expect(answered).toBe(1);
      expect(await orphanBranches()).toEqual([]);
    } finally {
      await channel.close();
      await deleteQueues(connection, [dupQueue, deadLetterQueueFor(dupQueue)]);
    }
  }, 60_000);
});

/** The binding a genuine worker signs its replies to `request` with. */
function bindingOf(request: PlanRequest): string {
  return replyBinding(request.requestId, {
    owner: request.repo.owner,
    name: request.repo.name,
    issue: request.issue.number,
  });
}
