/**
 * Load benchmark: N plan requests (default 200) from 20 concurrent Action processes
 * (dist/index.js under Node 24, as a runner runs it) against one GitHub emulator holding
 * 10 repositories, onto 2 worker processes (dist/worker.js) and the scripted model (a fixed
 * plan after LOAD_MODEL_DELAY_MS, default 300 ms). Loopback only; bounded to 5 minutes.
 *
 *   npx tsx test/bench/load/run.ts [requests]
 *
 * Needs RabbitMQ on 127.0.0.1 and a built dist/. Records each run's end-to-end latency,
 * the queue depth every 200 ms, and counts lost requests, duplicated pull requests,
 * commits and comments, and orphan branches. Writes results/load.{json,md,png}.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Plan, deadLetterQueueFor } from "../../../protocol/index.js";
import { labeledEvent, runAction } from "../../support/action-runner.js";
import {
  deleteQueues,
  openTestConnection,
  queueDepth,
  uniqueQueueName,
} from "../../support/broker/rabbitmq.js";
import { startGitHubEmulator, type RepoView } from "../../support/github/emulator.js";
import { startOllamaTestServer } from "../../support/ollama/server.js";
import { startWorkerProcess, type WorkerProcess } from "../../support/worker-process.js";
import { renderDepthChart, type DepthSample } from "./chart.js";

const TOTAL = Number(process.argv[2] ?? 200);
const CONCURRENCY = 20;
const REPOS = 10;
const WORKERS = 2;
const MODEL_DELAY_MS = Number(process.env.LOAD_MODEL_DELAY_MS ?? 300);
const BUDGET_MS = 5 * 60_000;
const RAMP_MS = 400;
const SIGNING_KEY = "load-bench-signing-key";
const TRACKING = "<!-- issue-agent:tracking -->";
const RESULTS = fileURLToPath(new URL("./results/", import.meta.url));

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

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const perRepo = Math.ceil(TOTAL / REPOS);
const github = await startGitHubEmulator({
  repos: Array.from({ length: REPOS }, (_, r) => ({
    owner: "octo",
    name: `service-${r}`,
    files: {
      "src/lexer.py": "def lex(text):\n    return text.split()\n",
      "src/parser.py": "from src.lexer import lex\n\ndef parse(text):\n    return lex(text)\n",
      "tests/test_lexer.py":
        "from src.lexer import lex\n\ndef test_lex():\n    assert lex('a b') == ['a', 'b']\n",
      "README.md": `# service-${r}\n`,
    },
    issues: Array.from({ length: perRepo }, (_, i) => ({
      title: `lex ignores commas (${i + 1})`,
      body: "lex in src/lexer.py does not split `a,b`.",
      user: "alice",
    })),
  })),
  users: [{ login: "alice" }],
});
const ollama = await startOllamaTestServer({
  mode: "scripted",
  script: () => ({ content: JSON.stringify(plan), delayBeforeFirstTokenMs: MODEL_DELAY_MS }),
});
const queue = uniqueQueueName("load");
const connection = await openTestConnection();
const workers: WorkerProcess[] = [];
for (let i = 0; i < WORKERS; i++) {
  workers.push(
    await startWorkerProcess(
      {
        OLLAMA_HOST: ollama.url,
        MODEL: ollama.model,
        REQUEST_QUEUE: queue,
        SIGNING_KEY,
        LOG_LEVEL: "info",
        PROGRESS_INTERVAL_MS: "1000",
      },
      { bundle: true },
    ),
  );
}

interface RunRecord {
  repo: string;
  issue: number;
  exitCode: number | null;
  status: string;
  latencyMs: number;
  /** When the Action had published its request, ms after its process started. */
  queuedAtMs: number | null;
}

const jobsLogged = (msg: string) =>
  workers.reduce((n, w) => n + w.logs.filter((l) => l.msg === msg).length, 0);

const started = Date.now();
const samples: DepthSample[] = [];
const records: RunRecord[] = [];
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    const ready = await queueDepth(connection, queue).catch(() => 0);
    samples.push({
      t: (Date.now() - started) / 1000,
      ready,
      inFlight: jobsLogged("job started") - jobsLogged("job finished"),
      done: records.length,
    });
    await new Promise((r) => setTimeout(r, 200));
  }
})();

const jobs = Array.from({ length: TOTAL }, (_, k) => ({
  repo: `service-${k % REPOS}`,
  issue: Math.floor(k / REPOS) + 1,
}));
let next = 0;
let overBudget = false;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async (_, slot) => {
    // A ramp-up, so the runs do not move in lockstep waves of twenty.
    await new Promise((r) => setTimeout(r, slot * RAMP_MS));
    for (;;) {
      const job = jobs[next++];
      if (!job) return;
      if (Date.now() - started > BUDGET_MS) {
        overBudget = true;
        return;
      }
      const t0 = performance.now();
      const result = await runAction({
        eventName: "issues",
        payload: labeledEvent(
          { owner: "octo", name: job.repo },
          { number: job.issue, title: "", body: "", author: "alice" },
          "ai-agent",
        ),
        inputs: {
          "github-token": github.token,
          "amqp-url": "amqp://guest:guest@127.0.0.1:5672",
          "signing-key": SIGNING_KEY,
          "request-queue": queue,
          "timeout-minutes": "4",
        },
        repository: `octo/${job.repo}`,
        apiUrl: github.url,
        serverUrl: github.serverUrl,
        env: { ISSUE_AGENT_API_SPACING_MS: "0" },
        timeoutMs: BUDGET_MS,
      });
      const latencyMs = performance.now() - t0;
      const queuedAt = /queued (\d+) ms after start/.exec(result.stdout)?.[1];
      records.push({
        ...job,
        exitCode: result.exitCode,
        status: result.outputs.status ?? "none",
        latencyMs,
        queuedAtMs: queuedAt ? Number(queuedAt) : null,
      });
      if (result.exitCode !== 0)
        console.error(`${job.repo}#${job.issue} failed:\n${result.stdout.slice(-1500)}`);
    }
  }),
);
const elapsedS = (Date.now() - started) / 1000;
sampling = false;
await sampler;

// Count what GitHub holds, issue by issue.
let duplicatedPulls = 0;
let duplicatedCommits = 0;
let duplicatedComments = 0;
let orphanBranches = 0;
let missingPulls = 0;
for (let r = 0; r < REPOS; r++) {
  const view: RepoView = github.repo("octo", `service-${r}`);
  const heads = new Map<string, number>();
  for (const pull of view.pulls())
    heads.set(pull.pull?.head ?? "", (heads.get(pull.pull?.head ?? "") ?? 0) + 1);
  const branches = Object.keys(await view.branches()).filter((b) => b.startsWith("ai-agent/"));
  for (const branch of branches) if (!heads.has(branch)) orphanBranches++;
  for (const job of jobs.filter((j) => j.repo === `service-${r}`)) {
    const branch = `ai-agent/issue-${job.issue}`;
    const pulls = heads.get(branch) ?? 0;
    if (pulls === 0) missingPulls++;
    duplicatedPulls += Math.max(0, pulls - 1);
    const tracking = view.comments(job.issue).filter((c) => c.body.startsWith(TRACKING)).length;
    duplicatedComments += Math.max(0, tracking - 1);
    if (pulls > 0) {
      const commits = (await view.log(branch, 10)).filter((c) =>
        c.message.startsWith(`Plan for #${job.issue}`),
      ).length;
      duplicatedCommits += Math.max(0, commits - 1);
    }
  }
}
const answered = jobsLogged("job finished");
const deadLettered = await queueDepth(connection, deadLetterQueueFor(queue)).catch(() => -1);
const leftInQueue = await queueDepth(connection, queue).catch(() => -1);

for (const w of workers) w.kill("SIGTERM");
await Promise.all(workers.map((w) => w.exited));
await deleteQueues(connection, [queue, deadLetterQueueFor(queue)]);
await connection.close();
await ollama.close();
const violations = github.violations.length;
await github.close();

const planned = records.filter((r) => r.status === "planned").length;
const latencies = records.map((r) => r.latencyMs).sort((a, b) => a - b);
const queuedAt = records
  .flatMap((r) => (r.queuedAtMs === null ? [] : [r.queuedAtMs]))
  .sort((a, b) => a - b);
const summary = {
  date: new Date().toISOString(),
  requests: TOTAL,
  concurrentActions: CONCURRENCY,
  workers: WORKERS,
  repositories: REPOS,
  modelDelayMs: MODEL_DELAY_MS,
  rampMs: RAMP_MS,
  cpus: (await import("node:os")).cpus().length,
  elapsedSeconds: Math.round(elapsedS * 10) / 10,
  throughputPerMinute: Math.round((planned / elapsedS) * 60),
  completedWithinBudget: !overBudget,
  results: planned,
  lost: TOTAL - planned,
  duplicatedPullRequests: duplicatedPulls,
  duplicatedPlanCommits: duplicatedCommits,
  duplicatedTrackingComments: duplicatedComments,
  orphanBranches,
  issuesWithoutPullRequest: missingPulls,
  workerJobsFinished: answered,
  recomputed: answered - planned,
  deadLettered,
  leftInQueue,
  emulatorContractViolations: violations,
  latencyMs: {
    p50: Math.round(percentile(latencies, 50)),
    p90: Math.round(percentile(latencies, 90)),
    p99: Math.round(percentile(latencies, 99)),
    max: Math.round(latencies.at(-1) ?? 0),
  },
  actionOverheadBeforePublishMs: {
    p50: Math.round(percentile(queuedAt, 50)),
    p99: Math.round(percentile(queuedAt, 99)),
  },
  queueDepth: {
    maxReady: Math.max(0, ...samples.map((s) => s.ready)),
    maxInFlight: Math.max(0, ...samples.map((s) => s.inFlight)),
    samples: samples.map((s) => [Math.round(s.t * 10) / 10, s.ready, s.inFlight, s.done]),
  },
};

mkdirSync(RESULTS, { recursive: true });
writeFileSync(path.join(RESULTS, "load.json"), `${JSON.stringify(summary, null, 2)}\n`);
renderDepthChart(samples, TOTAL, path.join(RESULTS, "load.png"));
const md = [
  `# Load: ${TOTAL} plan requests, ${CONCURRENCY} concurrent Actions, ${WORKERS} workers`,
  "",
  `${summary.date}; ${summary.cpus} CPUs shared by everything; scripted model answering after ${MODEL_DELAY_MS} ms; ${REPOS} repositories in one GitHub emulator; the ${CONCURRENCY} Action slots start ${RAMP_MS} ms apart, each starting its next run as soon as one exits; loopback only.`,
  "",
  "| requests | results | lost | duplicated PRs | duplicated commits | duplicated comments | orphan branches | recomputed | dead-lettered |",
  "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  `| ${TOTAL} | ${planned} | ${summary.lost} | ${duplicatedPulls} | ${duplicatedCommits} | ${duplicatedComments} | ${orphanBranches} | ${summary.recomputed} | ${deadLettered} |`,
  "",
  "| end-to-end latency (Action process start to exit) | p50 | p90 | p99 | max |",
  "| --- | ---: | ---: | ---: | ---: |",
  `| ms | ${summary.latencyMs.p50} | ${summary.latencyMs.p90} | ${summary.latencyMs.p99} | ${summary.latencyMs.max} |`,
  "",
  `Wall time ${summary.elapsedSeconds} s, ${summary.throughputPerMinute} plans a minute. Action's own work before its request was queued: p50 ${summary.actionOverheadBeforePublishMs.p50} ms, p99 ${summary.actionOverheadBeforePublishMs.p99} ms. Queue: at most ${summary.queueDepth.maxReady} ready, ${summary.queueDepth.maxInFlight} being worked on.`,
  "",
  "![queue depth over time](load.png)",
  "",
].join("\n");
writeFileSync(path.join(RESULTS, "load.md"), md);
console.log(md);
process.exit(
  summary.lost === 0 && duplicatedPulls + duplicatedCommits + orphanBranches === 0 ? 0 : 1,
);
