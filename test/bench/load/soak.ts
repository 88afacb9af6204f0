/**
 * Soak: N plan requests (default 2,000) paced evenly over M minutes (default 10) onto 2
 * worker processes (dist/worker.js) and the scripted model, on a RabbitMQ node of the
 * benchmark's own (test/support/broker/cluster.ts, one node), so that the management
 * API's connection and channel counts are this benchmark's alone. Loopback only.
 *
 *   npx tsx test/bench/load/soak.ts [requests] [minutes]
 *
 * The requesters are WorkClients (action/transport/work-client.ts), the Action's broker
 * client, one per request as an Action run has: connect, declare the reply queue, publish,
 * wait for the reply, delete the queue, close. Full Action processes would cost about
 * 15 s of CPU each on this machine's 2 cores; the point here is the worker's and the
 * broker's resources over time, which the client's churn exercises the same way.
 *
 * Every 5 s: each worker's VmRSS (/proc/<pid>/status), the broker's object_totals
 * (/api/overview: connections, channels, queues) and the request queue's depth. Counts
 * lost requests (no result), recomputed ones (answered twice) and the duplicates the
 * worker suppressed. Writes results/soak.{json,md,png}.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { connect } from "amqplib";
import { WorkClient } from "../../../action/transport/work-client.js";
import { deadLetterQueueFor, type TerminalReply } from "../../../protocol/index.js";
import { startCluster } from "../../support/broker/cluster.js";
import { queueDepth, uniqueQueueName } from "../../support/broker/rabbitmq.js";
import { samplePlanRequest } from "../../support/fixtures.js";
import { renderLineChart, roundAxisMax } from "./chart.js";
import {
  countLogged,
  DUPLICATE_SUPPRESSED_LOG,
  latencyStats,
  rssMb,
  SIGNING_KEY,
  startScriptedModel,
  startWorkers,
} from "./harness.js";

const TOTAL = Number(process.argv[2] ?? 2000);
const MINUTES = Number(process.argv[3] ?? 10);
const WORKERS = 2;
/** At most this many requests wait at once (the pacing keeps it far lower). */
const MAX_OUTSTANDING = 20;
const MODEL_DELAY_MS = Number(process.env.LOAD_MODEL_DELAY_MS ?? 300);
const SAMPLE_MS = 5000;
const REQUEST_DEADLINE_MS = 120_000;
const RESULTS = fileURLToPath(new URL("./results/", import.meta.url));
if (!(TOTAL > 0) || !(MINUTES > 0)) {
  console.error("usage: soak.ts [requests > 0] [minutes > 0]");
  process.exit(2);
}

interface Overview {
  object_totals?: { connections?: number; channels?: number; queues?: number };
  queue_totals?: { messages_ready?: number };
}

interface Sample {
  t: number;
  /** VmRSS of each worker, MB. */
  rss: (number | undefined)[];
  /** VmRSS of the broker's Erlang VM, MB. */
  brokerRss: number | undefined;
  connections: number;
  channels: number;
  queues: number;
  ready: number;
  done: number;
}

const cluster = await startCluster({ size: 1 });
const node = cluster.node(1);
const model = await startScriptedModel(MODEL_DELAY_MS);
const queue = uniqueQueueName("soak");
const workers = await startWorkers(WORKERS, { amqpUrl: node.amqpUrl, queue, model });

// The management API's statistics run a second behind: let them see the workers first.
await new Promise((r) => setTimeout(r, 2000));
const started = Date.now();
const samples: Sample[] = [];
const latencies: number[] = [];
const replies = new Map<string, number>();
let failures = 0;
let done = 0;
let sampling = true;
const sampleOnce = async () => {
  const overview = await cluster.management<Overview>(1, "/overview").catch(() => undefined);
  samples.push({
    t: (Date.now() - started) / 1000,
    rss: workers.map((w) => rssMb(w.child.pid)),
    brokerRss: rssMb(node.pid),
    connections: overview?.object_totals?.connections ?? -1,
    channels: overview?.object_totals?.channels ?? -1,
    queues: overview?.object_totals?.queues ?? -1,
    ready: overview?.queue_totals?.messages_ready ?? -1,
    done,
  });
};
const sampler = (async () => {
  while (sampling) {
    await sampleOnce();
    const last = samples.at(-1);
    if (last && samples.length % 12 === 1)
      console.log(
        `${last.t.toFixed(0)} s: ${done}/${TOTAL} done, worker RSS ${last.rss.join(" / ")} MB, ${last.connections} connections, ${last.channels} channels, ${last.queues} queues`,
      );
    await new Promise((r) => setTimeout(r, SAMPLE_MS));
  }
})();

/** Request k is sent no earlier than this many ms after the start. */
const intervalMs = (MINUTES * 60_000) / TOTAL;
let outstanding = 0;
const inFlight = new Set<Promise<void>>();
for (let k = 0; k < TOTAL; k++) {
  const due = started + k * intervalMs;
  while (Date.now() < due || outstanding >= MAX_OUTSTANDING)
    await new Promise((r) => setTimeout(r, Math.max(5, Math.min(50, due - Date.now()))));
  outstanding++;
  const run = (async () => {
    const t0 = performance.now();
    let client: WorkClient | undefined;
    try {
      client = await WorkClient.connect({
        amqpUrl: node.amqpUrl,
        requestQueue: queue,
        signingKey: SIGNING_KEY,
      });
      const request = samplePlanRequest({
        idempotencyKey: `octo/soak#${k + 1}@0123456789abcdef0123456789abcdef01234567`,
        deadline: Date.now() + REQUEST_DEADLINE_MS,
      });
      const reply: TerminalReply = await client.submit(request);
      if (reply.type === "result") {
        replies.set(request.requestId, (replies.get(request.requestId) ?? 0) + 1);
        latencies.push(performance.now() - t0);
      } else {
        failures++;
        console.error(`request ${k}: ${reply.type} ${JSON.stringify(reply).slice(0, 300)}`);
      }
    } catch (error) {
      failures++;
      console.error(`request ${k}: ${(error as Error).message}`);
    } finally {
      await client?.close();
      outstanding--;
      done++;
    }
  })();
  inFlight.add(run);
  void run.then(() => inFlight.delete(run));
}
await Promise.all(inFlight);
const elapsedS = (Date.now() - started) / 1000;
// One more sample with nothing in flight: what the clients left behind.
await new Promise((r) => setTimeout(r, SAMPLE_MS));
sampling = false;
await sampler;
await sampleOnce();

const results = [...replies.values()].filter((n) => n > 0).length;
const jobsFinished = countLogged(workers, "job finished");
const suppressed = countLogged(workers, DUPLICATE_SUPPRESSED_LOG);
const modelCalls = model.requestsTo("/api/chat").length;
// Ready messages, from the broker itself (the management API's counts lag by seconds).
const connection = await connect(node.amqpUrl);
const deadLettered = await queueDepth(connection, deadLetterQueueFor(queue)).catch(() => -1);
const leftInQueue = await queueDepth(connection, queue).catch(() => -1);
await connection.close();

for (const w of workers) w.kill("SIGTERM");
await Promise.all(workers.map((w) => w.exited));
await model.close();
await cluster.stop();

/** Mean of the samples in the first and the last minute of load (after warm-up). */
const window = (from: number, to: number, pick: (s: Sample) => number | undefined) => {
  const values = samples
    .filter((s) => s.t >= from && s.t <= to)
    .map(pick)
    .filter((v): v is number => v !== undefined && v >= 0);
  return values.length === 0
    ? null
    : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10;
};
const loadEnd = elapsedS;
const startWindow = [0, 60] as const;
const endWindow = [Math.max(0, loadEnd - 60), loadEnd] as const;
const flat = (pick: (s: Sample) => number | undefined) => ({
  firstMinute: window(...startWindow, pick),
  lastMinute: window(...endWindow, pick),
  max: Math.max(...samples.map((s) => pick(s) ?? 0)),
});

const summary = {
  date: new Date().toISOString(),
  requesters: "WorkClient per request (the Action's broker client), not Action processes",
  requests: TOTAL,
  minutes: MINUTES,
  workers: WORKERS,
  modelDelayMs: MODEL_DELAY_MS,
  cpus: os.cpus().length,
  elapsedSeconds: Math.round(elapsedS * 10) / 10,
  results,
  lost: TOTAL - results,
  failures,
  duplicatedResults: [...replies.values()].filter((n) => n > 1).length,
  workerJobsFinished: jobsFinished,
  recomputed: jobsFinished - TOTAL,
  duplicatesSuppressed: suppressed,
  modelCalls,
  deadLettered,
  leftInQueue,
  latencyMs: latencyStats(latencies),
  workerRssMb: workers.map((_, i) => flat((s) => s.rss[i])),
  brokerRssMb: flat((s) => s.brokerRss),
  connections: flat((s) => s.connections),
  channels: flat((s) => s.channels),
  queues: flat((s) => s.queues),
  afterLoad: samples.at(-1),
  samples: samples.map((s) => [
    Math.round(s.t),
    ...s.rss,
    s.brokerRss,
    s.connections,
    s.channels,
    s.queues,
    s.ready,
    s.done,
  ]),
  sampleColumns: [
    "t",
    ...workers.map((_, i) => `worker${i + 1}RssMb`),
    "brokerRssMb",
    "connections",
    "channels",
    "queues",
    "ready",
    "done",
  ],
};

mkdirSync(RESULTS, { recursive: true });
writeFileSync(path.join(RESULTS, "soak.json"), `${JSON.stringify(summary, null, 2)}\n`);
const workerColours = ["#2b6cb0", "#d53f8c"];
renderLineChart(
  {
    title: `Soak: ${TOTAL} requests over ${MINUTES} min, ${WORKERS} workers`,
    leftUnit: "RSS, MB",
    rightUnit: "connections / channels / queues",
    // Headroom above the memory lines, so the counts below them stay apart.
    leftMax: roundAxisMax(Math.max(...samples.flatMap((s) => s.rss.map((r) => r ?? 0))) * 1.25),
    series: [
      ...workers.map((_, i) => ({
        label: `worker ${i + 1} RSS`,
        colour: workerColours[i % workerColours.length] ?? "#2b6cb0",
        points: samples.flatMap((s) => {
          const v = s.rss[i];
          return v === undefined ? [] : [[s.t, v] as const];
        }),
      })),
      {
        label: "connections",
        colour: "#dd6b20",
        axis: "right" as const,
        points: samples.map((s) => [s.t, s.connections] as const),
      },
      {
        label: "channels",
        colour: "#2f855a",
        axis: "right" as const,
        dashed: true,
        points: samples.map((s) => [s.t, s.channels] as const),
      },
      {
        label: "queues",
        colour: "#a0aec0",
        axis: "right" as const,
        points: samples.map((s) => [s.t, s.queues] as const),
      },
    ],
  },
  path.join(RESULTS, "soak.png"),
);
const row = (name: string, f: ReturnType<typeof flat>) =>
  `| ${name} | ${f.firstMinute} | ${f.lastMinute} | ${f.max} |`;
const md = [
  `# Soak: ${TOTAL} plan requests over ${MINUTES} minutes, ${WORKERS} workers`,
  "",
  `${summary.date}; ${summary.cpus} CPUs shared by everything; scripted model answering after ${MODEL_DELAY_MS} ms; a RabbitMQ node of its own; requesters: a WorkClient per request (connect, reply queue, publish, reply, delete, close), not Action processes; loopback only.`,
  "",
  "| requests | results | lost | failures | duplicated results | recomputed | duplicates suppressed | model calls | dead-lettered | left in queue |",
  "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  `| ${TOTAL} | ${results} | ${summary.lost} | ${failures} | ${summary.duplicatedResults} | ${summary.recomputed} | ${suppressed} | ${modelCalls} | ${deadLettered} | ${leftInQueue} |`,
  "",
  "| measure | first minute (mean) | last minute (mean) | max |",
  "| --- | ---: | ---: | ---: |",
  ...summary.workerRssMb.map((f, i) => row(`worker ${i + 1} RSS, MB`, f)),
  row("broker RSS, MB", summary.brokerRssMb),
  row("connections", summary.connections),
  row("channels", summary.channels),
  row("queues", summary.queues),
  "",
  `Request round trip (connect to close): p50 ${summary.latencyMs.p50} ms, p99 ${summary.latencyMs.p99} ms, max ${summary.latencyMs.max} ms. Wall time ${summary.elapsedSeconds} s. After the load: ${summary.afterLoad?.connections} connections, ${summary.afterLoad?.channels} channels, ${summary.afterLoad?.queues} queues (the workers' own and the request and dead-letter queues).`,
  "",
  "![worker memory and broker connections over time](soak.png)",
  "",
].join("\n");
writeFileSync(path.join(RESULTS, "soak.md"), md);
console.log(md);
process.exit(summary.lost === 0 && summary.duplicatedResults === 0 ? 0 : 1);
