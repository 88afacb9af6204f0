/**
 * A worker whose broker refuses it from the start (wrong host, port, password) says so at
 * every attempt: it used to attach its connection listeners only after the first success,
 * and logged nothing but "worker starting" for as long as it ran.
 */
import { describe, expect, it } from "@jest/globals";
import { WorkerConsumer } from "../../backend/amqp/worker-consumer.js";
import { loadWorkerConfig } from "../../backend/config.js";
import { createLlmBackend } from "../../backend/llm/create-backend.js";
import { createLogger } from "../../backend/logger.js";
import { createMetrics } from "../../backend/ops/metrics.js";
import { capturedLogs } from "../support/worker-harness.js";

describe("a worker that cannot reach its broker", () => {
  it("logs every failed attempt with the broker it tried, never the password, and stops cleanly", async () => {
    const config = loadWorkerConfig({
      // Port 1: nothing listens there, so every attempt is refused at once.
      AMQP_URL: "amqp://worker:s3cret@127.0.0.1:1",
      RECONNECT_MAX_MS: "200",
      LOG_LEVEL: "debug",
    });
    const { logs, sink } = capturedLogs();
    const llm = createLlmBackend(config.llm);
    const consumer = new WorkerConsumer({
      config,
      llm,
      logger: createLogger(config.logLevel, sink),
      metrics: createMetrics({ defaultMetrics: false }),
    });
    const started = consumer.start();
    const failures = () => logs.filter((l) => l.msg === "cannot connect to RabbitMQ; retrying");
    const until = Date.now() + 10_000;
    while (failures().length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(failures().length).toBeGreaterThanOrEqual(2);
    expect(failures()[0]).toMatchObject({ err: expect.stringMatching(/ECONNREFUSED/) });
    expect(JSON.stringify(logs)).toContain("127.0.0.1:1");
    expect(JSON.stringify(logs)).not.toContain("s3cret");
    expect(consumer.brokerReadiness().ok).toBe(false);
    await consumer.stop(100);
    await expect(started).resolves.toBeUndefined();
    await llm.close();
  });
});
