/**
 * Cluster fail-over under load: the load benchmark (run.ts: N plan requests, default 200,
 * from 20 concurrent Action processes onto 2 worker processes and the scripted model)
 * against a three-node RabbitMQ cluster of its own (test/support/broker/cluster.ts). The
 * Actions get all three node URLs in `amqp-url`, the workers in `AMQP_URL`; the request
 * queue is a quorum queue with a member on every node. Once a third of the runs have
 * finished, the node that leads the request queue (as the management API reports it) is
 * SIGKILLed. After the last run the node is started again and must rejoin: running in
 * the cluster and a member of the request queue's quorum again. Loopback only; bounded
 * to 15 minutes of runs.
 *
 *   npx tsx test/bench/load/cluster-failover.ts [requests] [concurrent Actions]
 *
 * Needs the rabbitmq-server package (the cluster's nodes; the shared node is not touched)
 * and a built dist/. Counts what run.ts counts, plus the model calls and the duplicates
 * the workers suppressed, and reports the end-to-end latency of the runs that finished
 * before the kill, of those in progress at the kill, and of those started after it; the
 * time until a new leader was elected and until a worker finished its next job. Writes
 * results/cluster-failover.{json,md,png}.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { deadLetterQueueFor } from "../../../protocol/index.js";
import { startCluster, type ClusterNode, type QuorumMember } from "../../support/broker/cluster.js";
import { uniqueQueueName } from "../../support/broker/rabbitmq.js";
import { renderDepthChart, type DepthSample } from "./chart.js";
import {
  countGitHubEffects,
  countLogged,
  DUPLICATE_SUPPRESSED_LOG,
  latencyStats,
  planJobs,
  runActionSlots,
  startLoadGitHub,
  startScriptedModel,
  startWorkers,
  type RunRecord,
} from "./harness.js";

const TOTAL = Number(process.argv[2] ?? 200);
const CONCURRENCY = Number(process.argv[3] ?? 20);
const REPOS = 10;
const WORKERS = 2;
const MODEL_DELAY_MS = Number(process.env.LOAD_MODEL_DELAY_MS ?? 300);
const BUDGET_MS = 15 * 60_000;
const RAMP_MS = 400;
/** The leader is killed once this share of the runs has finished. */
const KILL_AFTER = 1 / 3;
const RESULTS = fileURLToPath(new URL("./results/", import.meta.url));
if (!(TOTAL > 0) || !(CONCURRENCY > 0)) {
  console.error("usage: cluster-failover.ts [requests > 0] [concurrent Actions > 0]");
  process.exit(2);
}

interface QueueInfo {
  leader?: string;
  members?: string[];
  online?: string[];
  messages_ready?: number;
}

const cluster = await startCluster({ size: 3 });
console.log(`cluster ${cluster.id} up in ${cluster.startMs} ms: ${cluster.urls.join(", ")}`);
const urls = cluster.urls.join(",");
const github = await startLoadGitHub(REPOS, Math.ceil(TOTAL / REPOS));
const model = await startScriptedModel(MODEL_DELAY_MS);
const queue = uniqueQueueName("failover-load");
const workers = await startWorkers(WORKERS, { amqpUrl: urls, queue, model });
const queuePath = `/queues/%2F/${encodeURIComponent(queue)}`;

/** The management API of the first node that answers (a killed node does not). */
async function fromRunningNode<T>(apiPath: string): Promise<T> {
  let lastError: unknown;
  for (const node of cluster.nodes) {
    if (node.pid === undefined) continue;
    try {
      return await cluster.management<T>(node, apiPath);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError instanceof Error ? lastError : new Error("no node answers");
}

const before = await fromRunningNode<QueueInfo>(queuePath);
if ((before.members ?? []).length !== cluster.nodes.length)
  throw new Error(
    `the request queue should have a member on each of the ${cluster.nodes.length} nodes, has ${JSON.stringify(before.members)}`,
  );

const started = Date.now();
const records: RunRecord[] = [];
const samples: DepthSample[] = [];
const seconds = (ms: number) => Math.round(ms / 100) / 10;
const kill: {
  node?: ClusterNode;
  atMs?: number;
  newLeader?: string;
  newLeaderAfterMs?: number;
  nextJobFinishedAfterMs?: number;
} = {};
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    const ready = await fromRunningNode<QueueInfo>(queuePath)
      .then((q) => q.messages_ready ?? 0)
      .catch(() => samples.at(-1)?.ready ?? 0);
    samples.push({
      t: (Date.now() - started) / 1000,
      ready,
      inFlight: countLogged(workers, "job started") - countLogged(workers, "job finished"),
      done: records.length,
    });
    await new Promise((r) => setTimeout(r, 250));
  }
})();

/** Kills the request queue's leader once a third of the runs are done; times the recovery. */
const killer = (async () => {
  while (records.length < Math.ceil(TOTAL * KILL_AFTER)) {
    if (!sampling) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  const leader = await cluster.leaderOf(queue);
  if (!leader) throw new Error("the request queue has no leader to kill");
  const finishedBefore = countLogged(workers, "job finished");
  kill.node = leader;
  kill.atMs = Date.now() - started;
  await cluster.kill(leader);
  console.log(`${seconds(kill.atMs)} s: killed ${leader.name}, the request queue's leader`);
  const since = () => Date.now() - started - (kill.atMs ?? 0);
  const until = Date.now() + 120_000;
  while (
    Date.now() < until &&
    (kill.newLeader === undefined || kill.nextJobFinishedAfterMs === undefined)
  ) {
    if (kill.newLeader === undefined) {
      const now = await cluster.leaderOf(queue).catch(() => undefined);
      if (now && now.name !== leader.name) {
        kill.newLeader = now.name;
        kill.newLeaderAfterMs = since();
      }
    }
    if (
      kill.nextJobFinishedAfterMs === undefined &&
      countLogged(workers, "job finished") > finishedBefore
    )
      kill.nextJobFinishedAfterMs = since();
    await new Promise((r) => setTimeout(r, 50));
  }
})();

const jobs = planJobs(TOTAL, REPOS);
const { overBudget } = await runActionSlots({
  jobs,
  concurrency: CONCURRENCY,
  rampMs: RAMP_MS,
  budgetMs: BUDGET_MS,
  github,
  amqpUrl: urls,
  queue,
  started,
  records,
});
const elapsedS = (Date.now() - started) / 1000;
sampling = false;
await sampler;
await killer;

// The killed node comes back with its data and must rejoin, queue membership included.
let rejoin: {
  restartMs: number;
  rejoinMs: number;
  members: { name: string; running: boolean }[];
  quorum: QuorumMember[];
  queueMembers: string[];
  queueOnline: string[];
} | null = null;
let rejoinError: string | null = null;
if (kill.node) {
  try {
    const t0 = Date.now();
    await cluster.restart(kill.node);
    const restartMs = Date.now() - t0;
    await cluster.waitRejoined(kill.node, { queues: [queue], timeoutMs: 120_000 });
    const info = await fromRunningNode<QueueInfo>(queuePath);
    rejoin = {
      restartMs,
      rejoinMs: Date.now() - t0,
      members: await cluster.members(),
      quorum: await cluster.quorumMembers(queue),
      queueMembers: info.members ?? [],
      queueOnline: info.online ?? [],
    };
  } catch (error) {
    rejoinError = (error as Error).message;
  }
}

const effects = await countGitHubEffects(github, jobs, REPOS);
const jobsFinished = countLogged(workers, "job finished");
const suppressed = countLogged(workers, DUPLICATE_SUPPRESSED_LOG);
const modelCalls = model.requestsTo("/api/chat").length;
const messagesIn = (name: string) =>
  fromRunningNode<{ messages?: number }>(`/queues/%2F/${encodeURIComponent(name)}`)
    .then((q) => q.messages ?? 0)
    .catch(() => -1);
const deadLettered = await messagesIn(deadLetterQueueFor(queue));
const leftInQueue = await messagesIn(queue);

for (const w of workers) w.kill("SIGTERM");
await Promise.all(workers.map((w) => w.exited));
await model.close();
const violations = github.violations.length;
await github.close();
await cluster.stop();

const planned = records.filter((r) => r.status === "planned").length;
const killAt = kill.atMs ?? Number.POSITIVE_INFINITY;
const phase = (pick: (r: RunRecord) => boolean) =>
  latencyStats(records.filter(pick).map((r) => r.latencyMs));
const latencyMs = {
  beforeKill: phase((r) => r.endedAtMs < killAt),
  duringKill: phase((r) => r.startedAtMs <= killAt && r.endedAtMs >= killAt),
  afterKill: phase((r) => r.startedAtMs > killAt),
  all: phase(() => true),
};
const summary = {
  date: new Date().toISOString(),
  requests: TOTAL,
  concurrentActions: CONCURRENCY,
  workers: WORKERS,
  clusterNodes: cluster.nodes.length,
  repositories: REPOS,
  modelDelayMs: MODEL_DELAY_MS,
  cpus: os.cpus().length,
  clusterStartMs: cluster.startMs,
  requestQueueMembersBefore: before.members ?? [],
  requestQueueLeaderBefore: before.leader ?? null,
  elapsedSeconds: Math.round(elapsedS * 10) / 10,
  completedWithinBudget: !overBudget,
  actionsFinished: records.length,
  actionsFailed: records.filter((r) => r.exitCode !== 0).length,
  results: planned,
  /** Runs that ended without a plan: requests lost. */
  lost: records.length - planned,
  /** Runs the budget left unstarted (not requests lost: never sent). */
  notStarted: TOTAL - records.length,
  ...effects,
  githubWrites: effects.writes,
  modelCalls,
  workerJobsFinished: jobsFinished,
  recomputed: jobsFinished - planned,
  duplicatesSuppressed: suppressed,
  deadLettered,
  leftInQueue,
  emulatorContractViolations: violations,
  kill: {
    node: kill.node?.name ?? null,
    atSeconds: kill.atMs === undefined ? null : seconds(kill.atMs),
    runsFinishedBefore: records.filter((r) => r.endedAtMs < killAt).length,
    runsInProgress: records.filter((r) => r.startedAtMs <= killAt && r.endedAtMs >= killAt).length,
    newLeader: kill.newLeader ?? null,
    newLeaderAfterMs: kill.newLeaderAfterMs ?? null,
    nextJobFinishedAfterMs: kill.nextJobFinishedAfterMs ?? null,
  },
  latencyMs,
  rejoin,
  rejoinError,
  queueDepth: {
    maxReady: Math.max(0, ...samples.map((s) => s.ready)),
    samples: samples.map((s) => [Math.round(s.t * 10) / 10, s.ready, s.inFlight, s.done]),
  },
};

mkdirSync(RESULTS, { recursive: true });
writeFileSync(path.join(RESULTS, "cluster-failover.json"), `${JSON.stringify(summary, null, 2)}\n`);
renderDepthChart(samples, TOTAL, path.join(RESULTS, "cluster-failover.png"), {
  title: `Three-node cluster: ${TOTAL} plan requests, ${CONCURRENCY} Actions, leader killed`,
  markers:
    kill.atMs === undefined
      ? []
      : [{ t: kill.atMs / 1000, label: "request queue's leader killed" }],
});
const ms = (v: number | null) => (v === null ? "–" : `${v} ms`);
const lat = (name: string, l: ReturnType<typeof latencyStats>) =>
  `| ${name} | ${l.n} | ${l.p50} | ${l.p90} | ${l.p99} | ${l.max} |`;
const md = [
  `# Three-node cluster, leader killed: ${TOTAL} plan requests, ${CONCURRENCY} concurrent Actions, ${WORKERS} workers`,
  "",
  `${summary.date}; ${summary.cpus} CPUs shared by everything (three RabbitMQ nodes included); scripted model answering after ${MODEL_DELAY_MS} ms; ${REPOS} repositories in one GitHub emulator; every Action and worker given the three node URLs; the request queue a quorum queue on ${summary.requestQueueMembersBefore.length} nodes; loopback only.`,
  "",
  "| requests | results | lost | model calls | recomputed | duplicates suppressed | GitHub writes | duplicated PRs | duplicated commits | duplicated comments | orphan branches | dead-lettered |",
  "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  `| ${TOTAL} | ${planned} | ${summary.lost} | ${modelCalls} | ${summary.recomputed} | ${suppressed} | ${effects.writes} | ${effects.duplicatedPullRequests} | ${effects.duplicatedPlanCommits} | ${effects.duplicatedTrackingComments} | ${effects.orphanBranches} | ${deadLettered} |`,
  "",
  ...(summary.notStarted > 0
    ? [
        `${summary.notStarted} runs not started: the ${BUDGET_MS / 60_000}-minute budget ran out.`,
        "",
      ]
    : []),
  `Killed (SIGKILL) ${summary.kill.node ?? "nothing"}, the request queue's leader, at ${summary.kill.atSeconds} s with ${summary.kill.runsFinishedBefore} runs finished and ${summary.kill.runsInProgress} in progress. New leader ${summary.kill.newLeader ?? "–"} after ${ms(summary.kill.newLeaderAfterMs)}; a worker finished its next job ${ms(summary.kill.nextJobFinishedAfterMs)} after the kill.`,
  "",
  "| end-to-end latency, ms (Action process start to exit) | runs | p50 | p90 | p99 | max |",
  "| --- | ---: | ---: | ---: | ---: | ---: |",
  lat("finished before the kill", latencyMs.beforeKill),
  lat("in progress at the kill", latencyMs.duringKill),
  lat("started after the kill", latencyMs.afterKill),
  lat("all", latencyMs.all),
  "",
  rejoin
    ? `Restarted: the node booted in ${rejoin.restartMs} ms and had rejoined ${rejoin.rejoinMs} ms after the restart began. Cluster: ${rejoin.members.map((m) => `${m.name} ${m.running ? "running" : "stopped"}`).join(", ")}. Request queue members: ${rejoin.queueMembers.join(", ")}; quorum status: ${rejoin.quorum.map((m) => `${m.node} ${m.state}`).join(", ")}.`
    : `Rejoin failed: ${rejoinError ?? "no node was killed"}`,
  "",
  `Wall time ${summary.elapsedSeconds} s (cluster start ${Math.round(cluster.startMs / 1000)} s before that).`,
  "",
  "![queue depth over time, with the kill](cluster-failover.png)",
  "",
].join("\n");
writeFileSync(path.join(RESULTS, "cluster-failover.md"), md);
console.log(md);
process.exit(
  summary.lost === 0 &&
    summary.notStarted === 0 &&
    effects.duplicatedPullRequests +
      effects.duplicatedPlanCommits +
      effects.duplicatedTrackingComments +
      effects.orphanBranches ===
      0 &&
    rejoin !== null
    ? 0
    : 1,
);
