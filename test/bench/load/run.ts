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
import { deadLetterQueueFor } from "../../../protocol/index.js";
import {
  AMQP_URL,
  deleteQueues,
  openTestConnection,
  queueDepth,
  uniqueQueueName,
} from "../../support/broker/rabbitmq.js";
import { renderDepthChart, type DepthSample } from "./chart.js";
import {
  countGitHubEffects,
  countLogged,
  latencyStats,
  planJobs,
  runActionSlots,
  startLoadGitHub,
  startScriptedModel,
  startWorkers,
  type RunRecord,
} from "./harness.js";

const TOTAL = Number(process.argv[2] ?? 200);
const CONCURRENCY = 20;
const REPOS = 10;
const WORKERS = 2;
const MODEL_DELAY_MS = Number(process.env.LOAD_MODEL_DELAY_MS ?? 300);
const BUDGET_MS = 5 * 60_000;
const RAMP_MS = 400;
const RESULTS = fileURLToPath(new URL("./results/", import.meta.url));

const github = await startLoadGitHub(REPOS, Math.ceil(TOTAL / REPOS));
const ollama = await startScriptedModel(MODEL_DELAY_MS);
const queue = uniqueQueueName("load");
const connection = await openTestConnection();
const workers = await startWorkers(WORKERS, { amqpUrl: AMQP_URL, queue, model: ollama });

const jobsLogged = (msg: string) => countLogged(workers, msg);

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

const jobs = planJobs(TOTAL, REPOS);
const { overBudget } = await runActionSlots({
  jobs,
  concurrency: CONCURRENCY,
  rampMs: RAMP_MS,
  budgetMs: BUDGET_MS,
  github,
  amqpUrl: AMQP_URL,
  queue,
  started,
  records,
});
const elapsedS = (Date.now() - started) / 1000;
sampling = false;
await sampler;

const effects = await countGitHubEffects(github, jobs, REPOS);
const {
  duplicatedPullRequests: duplicatedPulls,
  duplicatedPlanCommits: duplicatedCommits,
  duplicatedTrackingComments: duplicatedComments,
  orphanBranches,
} = effects;
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
const latency = latencyStats(records.map((r) => r.latencyMs));
const queuedAt = latencyStats(
  records.flatMap((r) => (r.queuedAtMs === null ? [] : [r.queuedAtMs])),
);
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
  issuesWithoutPullRequest: effects.issuesWithoutPullRequest,
  workerJobsFinished: answered,
  recomputed: answered - planned,
  deadLettered,
  leftInQueue,
  emulatorContractViolations: violations,
  latencyMs: { p50: latency.p50, p90: latency.p90, p99: latency.p99, max: latency.max },
  actionOverheadBeforePublishMs: { p50: queuedAt.p50, p99: queuedAt.p99 },
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
