/**
 * A worker killed between its reply and its ack, end to end: the Action (dist/index.js
 * under Node 24) against the GitHub emulator, two worker processes from dist/worker.js
 * on the real RabbitMQ. The first worker SIGKILLs itself at exactly that moment (the
 * test-only crash point TEST_ONLY_CRASH_AFTER_REPLY); the Action has its answer, goes on
 * to GitHub and deletes its reply queue. The broker redelivers the request to the second
 * worker, which starts with it already waiting: it is delivered while the worker is still
 * connecting, and the worker must tell even then that its requester is gone. The cost is
 * one redelivery and no second model call; GitHub sees one plan.
 */
import type { Plan } from "../../../protocol/index.js";
import { deadLetterQueueFor } from "../../../protocol/index.js";
import { labeledEvent } from "../../support/action-runner.js";
import { AMQP_URL, queueDepth, waitFor } from "../../support/broker/rabbitmq.js";
import { startScenario, type Scenario } from "../../support/scenario.js";
import { startWorkerProcess, type WorkerProcess } from "../../support/worker-process.js";

const SIGNING_KEY = "crash-after-reply-signing-key";
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
const extraWorkers: WorkerProcess[] = [];

beforeAll(async () => {
  scenario = await startScenario({
    label: "crash-after-reply",
    signingKey: SIGNING_KEY,
    github: {
      repos: [
        {
          owner: "octo",
          name: "widgets",
          files: { "src/lexer.py": "def lex(text):\n    return text.split()\n" },
          collaborators: { maintainer: "write" },
        },
      ],
      users: [{ login: "maintainer" }, { login: "alice" }],
    },
    model: { mode: "scripted", script: () => ({ content: JSON.stringify(plan) }) },
    // The scenario's worker is the one that dies between reply and ack.
    workerEnv: { TEST_ONLY_CRASH_AFTER_REPLY: "true" },
  });
}, 60_000);

afterAll(async () => {
  for (const w of extraWorkers) if (w.child.exitCode === null) w.kill("SIGTERM");
  await Promise.all(extraWorkers.map((w) => w.exited));
  await scenario.close();
});

describe("a worker killed between its reply and its ack", () => {
  it("costs one redelivery and no second model call; GitHub gets one plan", async () => {
    const { github, ollama, worker: crashing, queue, connection } = scenario;
    const repo = scenario.repo();
    const issue = repo.addIssue({
      title: "lex ignores commas",
      body: "lex in src/lexer.py ignores commas",
      user: "alice",
    }).number;

    const result = await scenario.run(
      "issues",
      labeledEvent(
        { owner: "octo", name: "widgets" },
        { number: issue, title: "t", body: "", author: "alice" },
        "ai-agent",
      ),
    );
    if (result.exitCode !== 0) console.log(result.stdout);
    expect(result.exitCode).toBe(0);
    expect(result.outputs.status).toBe("planned");
    // The first worker answered, then died before its ack, as the crash point makes it.
    expect(await crashing.exited).toBeNull();
    expect(crashing.child.signalCode).toBe("SIGKILL");
    expect(crashing.logs.filter((l) => l.msg === "job started")).toHaveLength(1);

    // The request went back to the queue; a second worker takes the redelivery.
    const survivor = await startWorkerProcess(
      {
        AMQP_URL,
        OLLAMA_HOST: ollama.url,
        MODEL: ollama.model,
        SIGNING_KEY,
        REQUEST_QUEUE: queue,
      },
      { bundle: true },
    );
    extraWorkers.push(survivor);
    // One redelivery: the second of four deliveries allowed, dropped and acked, since the
    // run that asked has its answer and is gone.
    const dropped = await survivor.waitForLog((l) => l.outcome === "abandoned", 30_000);
    expect(dropped).toMatchObject({ attempt: "2 of 4" });
    expect(dropped.msg).toMatch(/requester is gone .* before work started/);
    await waitFor(
      async () => (await queueDepth(connection, queue)) === 0,
      5000,
      "empty request queue",
    );
    expect(await queueDepth(connection, deadLetterQueueFor(queue))).toBe(0);
    expect(survivor.logs.filter((l) => l.msg === "job started")).toHaveLength(0);

    // The first worker's model call, and no other.
    expect(ollama.requestsTo("/api/chat")).toHaveLength(1);
    // GitHub: one pull request, one plan commit, one tracking comment.
    const pulls = repo.pulls().filter((p) => p.pull?.head === `ai-agent/issue-${issue}`);
    expect(pulls).toHaveLength(1);
    expect(result.outputs["pr-number"]).toBe(String(pulls[0]?.number));
    const commits = await repo.log(`ai-agent/issue-${issue}`, 10);
    expect(commits.filter((c) => c.message.startsWith(`Plan for #${issue}`))).toHaveLength(1);
    expect(repo.comments(issue).filter((c) => c.body.startsWith(TRACKING))).toHaveLength(1);
    expect(github.violations).toEqual([]);
    console.log(
      `crash between reply and ack: 1 request, 1 result, ${ollama.requestsTo("/api/chat").length} model call, 1 redelivery dropped, ${pulls.length} pull request, 1 plan commit, 1 tracking comment`,
    );
  }, 90_000);
});
