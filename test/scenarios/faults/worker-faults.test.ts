/**
 * Faults on the worker's side, for real: worker processes killed with SIGKILL while the
 * model streams, a model server that is down, stalls, sheds load or cuts its streams, and
 * a poison request that can never be answered. Replies are counted on the wire.
 */
import { createServer } from "node:net";
import type { ChannelModel } from "amqplib";
import { type Reply, deadLetterQueueFor } from "../../../protocol/index.js";
import { DeliveryGuard } from "../../../backend/amqp/delivery-guard.js";
import {
  deleteQueues,
  drainQueue,
  openTestConnection,
  queueDepth,
  uniqueQueueName,
  waitFor,
} from "../../support/broker/rabbitmq.js";
import { samplePlan, samplePlanRequest } from "../../support/fixtures.js";
import { startOllamaTestServer, type OllamaTestServer } from "../../support/ollama/server.js";
import { metricValue, startInProcessWorker } from "../../support/worker-harness.js";
import { startWorkerProcess, type WorkerProcess } from "../../support/worker-process.js";
import { publishAndRecord } from "./recording-requester.js";

let ollama: OllamaTestServer;
let connection: ChannelModel;

beforeAll(async () => {
  ollama = await startOllamaTestServer({ mode: "scripted", script: [] });
  connection = await openTestConnection();
});

afterAll(async () => {
  await connection.close();
  await ollama.close();
});

afterEach(() => {
  expect(ollama.violations.filter((v) => v.direction !== "script")).toEqual([]);
  ollama.clearRecords();
});

const planText = JSON.stringify(samplePlan());
const terminalOf = (replies: Reply[]) => replies.filter((r) => r.type !== "progress");

describe("a worker killed mid-generation", () => {
  it("has its request redelivered to the other worker and answered exactly once", async () => {
    const queue = uniqueQueueName("sigkill");
    // The first generation streams slowly enough to be killed in the middle; the retry
    // on the surviving worker answers at once.
    ollama.setScript((request) =>
      request.index === 0
        ? { content: planText, delayBetweenChunksMs: 100 }
        : { content: planText },
    );
    const env = {
      OLLAMA_HOST: ollama.url,
      MODEL: ollama.model,
      REQUEST_QUEUE: queue,
      PROGRESS_INTERVAL_MS: "50",
    };
    const workers: WorkerProcess[] = [];
    try {
      workers.push(await startWorkerProcess(env, { bundle: true }));
      workers.push(await startWorkerProcess(env, { bundle: true }));
      const request = samplePlanRequest();
      const recorder = await publishAndRecord(connection, queue, request);
      // Mid-generation: tokens have been counted and reported.
      await waitFor(
        () => recorder.replies.some((r) => r.type === "progress" && (r.tokens ?? 0) > 0),
        15_000,
        "generation under way",
      );
      const victim = workers.find((w) => w.logs.some((l) => l.msg === "job started"));
      const survivor = workers.find((w) => w !== victim);
      expect(victim).toBeDefined();
      victim?.kill("SIGKILL");
      expect(await victim?.exited).toBeNull();

      const [reply] = await recorder.waitForTerminal(1, 20_000);
      expect(reply).toMatchObject({ type: "result", requestId: request.requestId });
      // The survivor took the redelivery (second delivery of four allowed) and acked it.
      const finished = await survivor?.waitForLog((l) => l.msg === "job finished");
      expect(finished).toMatchObject({ attempt: "2 of 4", outcome: "result", settled: true });
      await waitFor(
        async () => (await queueDepth(connection, queue)) === 0,
        5000,
        "empty request queue",
      );
      // Both generations reached the model; only one answer reached the requester.
      expect(ollama.requestsTo("/api/chat")).toHaveLength(2);
      expect(ollama.requestsTo("/api/chat")[0]?.outcome).toBe("client-closed");
      expect(terminalOf(recorder.replies)).toHaveLength(1);
      expect(await queueDepth(connection, deadLetterQueueFor(queue))).toBe(0);
      await recorder.close();
    } finally {
      for (const w of workers)
        if (w.child.exitCode === null && w.child.signalCode === null) w.kill("SIGKILL");
      await Promise.all(workers.map((w) => w.exited));
      await deleteQueues(connection, [queue, deadLetterQueueFor(queue)]);
    }
  }, 60_000);
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("a failing model server", () => {
  const cases: {
    name: string;
    script: () => Parameters<OllamaTestServer["setScript"]>[0];
    /** What the final reply says, where it names the failure. */
    message?: RegExp;
  }[] = [
    {
      name: "slow first token (beyond FIRST_TOKEN_TIMEOUT_MS)",
      script: () => () => ({ content: planText, delayBeforeFirstTokenMs: 10_000 }),
    },
    {
      name: "503 storm",
      script: () => () => ({ fault: { type: "http-error", status: 503 } }),
    },
    {
      name: "stream cut mid-way",
      script: () => () => ({ content: planText, fault: { type: "cut", afterChunks: 5 } }),
    },
    {
      name: "error line mid-stream",
      script: () => () => ({ content: planText, fault: { type: "stream-error", afterChunks: 5 } }),
    },
    {
      name: "stream stalls after its first tokens (beyond STREAM_IDLE_TIMEOUT_MS)",
      script: () => () => ({ content: planText, fault: { type: "stall", afterChunks: 5 } }),
      message: /after 3 attempts: the model stream stalled: no token for 300 ms after 5 tokens/,
    },
  ];

  it.each(cases)(
    "$name: three bounded attempts, then one terminal model_unavailable reply",
    async ({ script, message }) => {
      ollama.setScript(script());
      const worker = await startInProcessWorker({
        OLLAMA_HOST: ollama.url,
        MODEL: ollama.model,
        LLM_MAX_ATTEMPTS: "3",
        FIRST_TOKEN_TIMEOUT_MS: "300",
        STREAM_IDLE_TIMEOUT_MS: "300",
      });
      const queue = worker.config.requestQueue;
      try {
        const recorder = await publishAndRecord(connection, queue, samplePlanRequest());
        const [reply] = await recorder.waitForTerminal(1, 20_000);
        expect(reply).toMatchObject({ type: "error", code: "model_unavailable", retryable: true });
        if (message) expect(reply?.type === "error" && reply.message).toMatch(message);
        expect(ollama.requestsTo("/api/chat")).toHaveLength(3);
        // Every attempt was given up by the worker, none left hanging on the server.
        for (const call of ollama.requestsTo("/api/chat")) expect(call.outcome).not.toBe("pending");
        expect(await metricValue(worker.metrics, "issue_agent_llm_retries_total")).toBe(2);
        // Kept for inspection, not retried forever.
        await waitFor(
          async () => (await queueDepth(connection, deadLetterQueueFor(queue))) === 1,
          5000,
          "dead letter",
        );
        expect(
          await metricValue(worker.metrics, "issue_agent_dead_lettered_total", {
            reason: "model_unavailable",
          }),
        ).toBe(1);
        expect(terminalOf(recorder.replies)).toHaveLength(1);
        await recorder.close();
      } finally {
        await worker.stop();
        await deleteQueues(connection, [queue, deadLetterQueueFor(queue)]);
      }
    },
    30_000,
  );

  it("slow but steady (every gap under STREAM_IDLE_TIMEOUT_MS, the whole far over it): answered", async () => {
    const pieces = planText.match(/.{1,40}/gs) ?? [];
    ollama.setScript(() => ({ chunks: pieces, delayBetweenChunksMs: 60 }));
    const worker = await startInProcessWorker({
      OLLAMA_HOST: ollama.url,
      MODEL: ollama.model,
      STREAM_IDLE_TIMEOUT_MS: "400",
    });
    const queue = worker.config.requestQueue;
    try {
      expect(pieces.length * 60).toBeGreaterThan(2 * 400);
      const recorder = await publishAndRecord(connection, queue, samplePlanRequest());
      const [reply] = await recorder.waitForTerminal(1, 20_000);
      expect(reply).toMatchObject({ type: "result" });
      expect(ollama.requestsTo("/api/chat")).toHaveLength(1);
      expect(await metricValue(worker.metrics, "issue_agent_llm_retries_total")).toBe(0);
      await recorder.close();
    } finally {
      await worker.stop();
      await deleteQueues(connection, [queue, deadLetterQueueFor(queue)]);
    }
  });

  it("down (connection refused): bounded attempts, then one terminal model_unavailable reply", async () => {
    const port = await closedPort();
    const worker = await startInProcessWorker({
      OLLAMA_HOST: `http://127.0.0.1:${port}`,
      MODEL: ollama.model,
      LLM_MAX_ATTEMPTS: "3",
    });
    const queue = worker.config.requestQueue;
    try {
      const recorder = await publishAndRecord(connection, queue, samplePlanRequest());
      const [reply] = await recorder.waitForTerminal(1, 20_000);
      expect(reply).toMatchObject({ type: "error", code: "model_unavailable", retryable: true });
      expect(reply?.type === "error" && reply.message).toMatch(
        new RegExp(`after 3 attempts: cannot reach the model server at http://127.0.0.1:${port}`),
      );
      expect(await metricValue(worker.metrics, "issue_agent_llm_retries_total")).toBe(2);
      await recorder.close();
    } finally {
      await worker.stop();
      await deleteQueues(connection, [queue, deadLetterQueueFor(queue)]);
    }
  });
});

describe("a poison request", () => {
  // Its requester's reply queue refuses every reply (full, reject-publish), so no attempt
  // can ever finish: the worker returns it, the broker counts the deliveries.
  const refusing = { "x-max-length": 0, "x-overflow": "reject-publish" };

  async function poison(deliveryLimit: string) {
    ollama.setScript(() => ({ content: planText }));
    const worker = await startInProcessWorker({
      OLLAMA_HOST: ollama.url,
      MODEL: ollama.model,
      DELIVERY_LIMIT: deliveryLimit,
      JOB_TIMEOUT_MS: "1000",
    });
    const queue = worker.config.requestQueue;
    const dead = deadLetterQueueFor(queue);
    const recorder = await publishAndRecord(connection, queue, samplePlanRequest(), {
      deliveryLimit: Number(deliveryLimit),
      replyQueueArguments: refusing,
    });
    await waitFor(
      async () => (await queueDepth(connection, dead)) === 1,
      20_000,
      "the poison request in the dead-letter queue",
    );
    return {
      worker,
      queue,
      dead,
      cleanup: async () => {
        await recorder.close();
        await worker.stop();
        await deleteQueues(connection, [queue, dead]);
      },
    };
  }

  it("is dead-lettered after the delivery limit while the worker keeps serving", async () => {
    const { worker, queue, dead, cleanup } = await poison("2");
    try {
      // First delivery plus two redeliveries; the answer is computed once and stored, the
      // redeliveries try to send the stored answer again; then the broker stops.
      expect(ollama.requestsTo("/api/chat")).toHaveLength(1);
      const [letter] = await drainQueue(connection, dead);
      expect(letter?.headers["x-death"]).toEqual([
        expect.objectContaining({ reason: "delivery_limit", queue }),
      ]);
      expect(await queueDepth(connection, queue)).toBe(0);

      const next = await publishAndRecord(connection, queue, samplePlanRequest(), {
        deliveryLimit: 2,
      });
      await expect(next.waitForTerminal()).resolves.toMatchObject([{ type: "result" }]);
      await next.close();
      expect(
        await metricValue(worker.metrics, "issue_agent_jobs_total", { outcome: "result" }),
      ).toBe(1);
    } finally {
      await cleanup();
    }
  }, 40_000);

  // A request the worker could not answer is counted (jobs_total{outcome="requeued"}) each
  // time it goes back, so a poison loop shows in the worker's own metrics.
  it("moves a worker metric each time it fails and when it is given up", async () => {
    const { worker, cleanup } = await poison("1");
    try {
      const failed =
        (await metricValue(worker.metrics, "issue_agent_jobs_total", { outcome: "requeued" })) +
        (await metricValue(worker.metrics, "issue_agent_dead_lettered_total"));
      expect(failed).toBeGreaterThan(0);
    } finally {
      await cleanup();
    }
  }, 40_000);
});

describe("a long-running worker", () => {
  // Every DeliveryGuard listens for its channel closing; settling must remove the listener,
  // or each settled delivery, body included, stays reachable as long as the channel lives.
  it("holds no reference to deliveries it has settled", async () => {
    const queue = uniqueQueueName("guard-leak");
    const channel = await connection.createChannel();
    try {
      await channel.assertQueue(queue, { durable: false, autoDelete: true });
      const baseline = channel.listenerCount("close");
      for (let i = 0; i < 20; i++) {
        channel.sendToQueue(queue, Buffer.alloc(64 * 1024));
        let message: Awaited<ReturnType<typeof channel.get>> = false;
        await waitFor(async () => Boolean((message = await channel.get(queue))), 5000, "message");
        if (message) expect(new DeliveryGuard(channel, message).settle("ack")).toBe(true);
      }
      expect(channel.listenerCount("close")).toBe(baseline);
    } finally {
      await channel.close().catch(() => undefined);
    }
  });
});
