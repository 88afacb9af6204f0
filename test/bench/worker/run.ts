/**
 * Worker benchmarks: request round trip through RabbitMQ with an instant model, and the
 * worker's cold start and idle memory. Run: `npx tsx test/bench/worker/run.ts [requests]`
 * (needs RabbitMQ on 127.0.0.1 and a built dist/). Writes results/worker.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { WorkClient } from "../../../action/transport/work-client.js";
import { deadLetterQueueFor } from "../../../protocol/index.js";
import {
  AMQP_URL,
  deleteQueues,
  openTestConnection,
  uniqueQueueName,
} from "../../support/broker/rabbitmq.js";
import { samplePlan, samplePlanRequest } from "../../support/fixtures.js";
import { startOllamaTestServer } from "../../support/ollama/server.js";
import { startWorkerProcess } from "../../support/worker-process.js";

const total = Number(process.argv[2] ?? 1000);
const inFlight = 32;
const prefetch = 8;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const ollama = await startOllamaTestServer({
  mode: "instant",
  instantReply: JSON.stringify(samplePlan()),
});
const connection = await openTestConnection();

// Cold start and idle memory, three times from the bundle.
const cold: { startMs: number; rssMb: number }[] = [];
for (let i = 0; i < 3; i++) {
  const queue = uniqueQueueName("cold");
  const started = Date.now();
  const worker = await startWorkerProcess(
    { OLLAMA_HOST: ollama.url, MODEL: ollama.model, REQUEST_QUEUE: queue, LOG_LEVEL: "info" },
    { bundle: true },
  );
  const consuming = await worker.waitForLog((l) => l.msg === "consuming");
  const startMs = Date.parse(String(consuming.time)) - started;
  await new Promise((r) => setTimeout(r, 1000));
  const metrics = await (await fetch(`${worker.healthUrl}/metrics`)).text();
  const rss = Number(/^process_resident_memory_bytes (\d+)/m.exec(metrics)?.[1] ?? 0);
  cold.push({ startMs, rssMb: Math.round(rss / 1e6) });
  worker.kill("SIGTERM");
  await worker.exited;
  await deleteQueues(connection, [queue, deadLetterQueueFor(queue)]);
}

// Round trip: `total` requests, `inFlight` at a time, one worker at prefetch 8.
const queue = uniqueQueueName("bench");
const worker = await startWorkerProcess(
  {
    OLLAMA_HOST: ollama.url,
    MODEL: ollama.model,
    REQUEST_QUEUE: queue,
    CONCURRENCY: String(prefetch),
    LOG_LEVEL: "info",
    PROGRESS_INTERVAL_MS: "1000",
  },
  { bundle: true },
);
const client = await WorkClient.connect({ amqpUrl: AMQP_URL, requestQueue: queue });
// Latency: one request at a time, so the figure is the round trip itself, not queueing.
const latencies: number[] = [];
let failures = 0;
for (let i = 0; i < Math.min(200, total); i++) {
  const t0 = performance.now();
  const reply = await client.submit(samplePlanRequest());
  latencies.push(performance.now() - t0);
  if (reply.type !== "result") failures++;
}
// Throughput: `total` requests, `inFlight` at a time.
let next = 0;
const started = Date.now();
await Promise.all(
  Array.from({ length: inFlight }, async () => {
    while (next < total) {
      next++;
      const reply = await client.submit(samplePlanRequest());
      if (reply.type !== "result") failures++;
    }
  }),
);
const elapsed = (Date.now() - started) / 1000;
await client.close();
worker.kill("SIGTERM");
await worker.exited;
await deleteQueues(connection, [queue, deadLetterQueueFor(queue)]);
await connection.close();
await ollama.close();

latencies.sort((a, b) => a - b);
const result = {
  date: new Date().toISOString(),
  latencyRequests: Math.min(200, total),
  requests: total,
  failures,
  inFlight,
  prefetch,
  p50Ms: Number(percentile(latencies, 50).toFixed(1)),
  p99Ms: Number(percentile(latencies, 99).toFixed(1)),
  throughputPerSecond: Math.round(total / elapsed),
  coldStart: cold,
};
mkdirSync(fileURLToPath(new URL("./results/", import.meta.url)), { recursive: true });
writeFileSync(
  fileURLToPath(new URL("./results/worker.json", import.meta.url)),
  `${JSON.stringify(result, null, 2)}\n`,
);
console.log(JSON.stringify(result, null, 2));
