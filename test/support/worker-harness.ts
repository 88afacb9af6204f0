import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { WorkerConsumer } from "../../backend/amqp/worker-consumer.js";
import { loadWorkerConfig, type WorkerConfig } from "../../backend/config.js";
import type { LlmBackend } from "../../backend/llm/backend.js";
import { createLlmBackend } from "../../backend/llm/create-backend.js";
import { createLogger } from "../../backend/logger.js";
import { createMetrics, type Metrics } from "../../backend/ops/metrics.js";
import { AMQP_URL, uniqueQueueName } from "./broker/rabbitmq.js";

export interface InProcessWorker {
  config: WorkerConfig;
  consumer: WorkerConsumer;
  metrics: Metrics;
  connectionName: string;
  /** Every log line the worker wrote, parsed. */
  logs: Record<string, unknown>[];
  stop: (graceMs?: number) => Promise<void>;
}

/**
 * A real WorkerConsumer in this process, on a queue of its own, talking to the real
 * RabbitMQ and to whatever model server `env` names (or to `model`, a backend in this
 * process, when the test needs a job's length or failures in hand). Logs are captured.
 */
export async function startInProcessWorker(
  env: Record<string, string>,
  queue = uniqueQueueName("worker"),
  model?: LlmBackend,
): Promise<InProcessWorker> {
  const config = loadWorkerConfig({
    AMQP_URL,
    REQUEST_QUEUE: queue,
    LOG_LEVEL: "debug",
    RETRY_BASE_MS: "10",
    PROGRESS_INTERVAL_MS: "50",
    ...env,
  });
  const { logs, sink } = capturedLogs();
  const logger = createLogger(config.logLevel, sink);
  const metrics = createMetrics({ defaultMetrics: false });
  const llm = model ?? createLlmBackend(config.llm);
  const connectionName = `test-worker-${randomUUID().slice(0, 8)}`;
  const consumer = new WorkerConsumer({ config, llm, logger, metrics, connectionName });
  await consumer.start();
  await waitUntil(() => consumer.brokerReadiness().ok);
  return {
    config,
    consumer,
    metrics,
    connectionName,
    logs,
    stop: async (graceMs = 5000) => {
      await consumer.stop(graceMs);
      await llm.close();
    },
  };
}

/** A stream for a worker's logger that keeps every line it writes, parsed. */
export function capturedLogs(): { logs: Record<string, unknown>[]; sink: Writable } {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString("utf8").split("\n"))
        if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { logs, sink };
}

async function waitUntil(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error("worker did not become ready");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A counter's current value from a metrics registry. */
export async function metricValue(
  metrics: Metrics,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  if (!metric) return 0;
  return metric.values
    .filter((v) =>
      Object.entries(labels).every(
        ([k, value]) => (v.labels as Record<string, unknown>)[k] === value,
      ),
    )
    .reduce((sum, v) => sum + v.value, 0);
}
