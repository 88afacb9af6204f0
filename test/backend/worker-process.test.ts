/**
 * The worker as a real process: probes and metrics, losing the broker mid-job, and a
 * SIGTERM during a job. Nothing is lost and nothing is answered twice.
 */
import type { ChannelModel } from "amqplib";
import { WorkClient } from "../../action/transport/work-client.js";
import { deadLetterQueueFor } from "../../protocol/index.js";
import {
  AMQP_URL,
  deleteQueues,
  forceCloseConnections,
  openTestConnection,
  queueDepth,
  waitFor,
} from "../support/broker/rabbitmq.js";
import { samplePlan, samplePlanRequest } from "../support/fixtures.js";
import { startOllamaTestServer, type OllamaTestServer } from "../support/ollama/server.js";
import { startWorkerProcess, type WorkerProcess } from "../support/worker-process.js";

let ollama: OllamaTestServer;
let connection: ChannelModel;
const started: WorkerProcess[] = [];

beforeAll(async () => {
  ollama = await startOllamaTestServer({ mode: "scripted", script: [] });
  connection = await openTestConnection();
});

afterEach(async () => {
  for (const worker of started.splice(0)) {
    if (worker.child.exitCode === null) worker.kill("SIGKILL");
    await worker.exited;
    await deleteQueues(connection, [worker.queue, deadLetterQueueFor(worker.queue)]);
  }
  expect(ollama.violations.filter((v) => v.direction !== "script")).toEqual([]);
  ollama.clearRecords();
});

afterAll(async () => {
  await connection.close();
  await ollama.close();
});

async function worker(env: Record<string, string> = {}): Promise<WorkerProcess> {
  const w = await startWorkerProcess({ OLLAMA_HOST: ollama.url, MODEL: ollama.model, ...env });
  started.push(w);
  return w;
}

async function metric(w: WorkerProcess, name: string, labels = ""): Promise<number> {
  const text = await (await fetch(`${w.healthUrl}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ""} `));
  return line ? Number(line.split(" ").pop()) : 0;
}

describe("worker process", () => {
  it("serves liveness, readiness and metrics, and readiness follows the model server", async () => {
    const w = await worker();
    expect((await fetch(`${w.healthUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${w.healthUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ broker: "ok", model: "ok" });

    ollama.setScript([{ content: JSON.stringify(samplePlan()) }]);
    const client = await WorkClient.connect({ amqpUrl: AMQP_URL, requestQueue: w.queue });
    await client.submit(samplePlanRequest());
    await client.close();
    await waitFor(
      async () => (await metric(w, "issue_agent_jobs_total", 'type="plan",outcome="result"')) === 1,
      5000,
      "the result to be counted",
    );
    expect(await metric(w, "issue_agent_llm_tokens_total", 'kind="eval"')).toBeGreaterThan(0);
    expect(await metric(w, "process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("turns not ready while the broker or the model server is gone, and ready again after", async () => {
    const own = await startOllamaTestServer({ mode: "scripted", script: [] });
    const w = await worker({ OLLAMA_HOST: own.url, MODEL: own.model });
    const readiness = async () => {
      const response = await fetch(`${w.healthUrl}/readyz`);
      return {
        status: response.status,
        body: (await response.json()) as { broker: string; model: string },
      };
    };
    expect((await readiness()).status).toBe(200);
    await forceCloseConnections(`issue-agent-worker ${w.child.pid}`);
    await waitFor(
      async () => (await readiness()).status === 503,
      5000,
      "not ready without the broker",
    );
    await waitFor(
      async () => (await readiness()).status === 200,
      15_000,
      "ready after the reconnect",
    );
    await own.close();
    // The model check is cached for 5 s to keep probes cheap.
    await waitFor(
      async () => (await readiness()).body.model.includes("unreachable"),
      8000,
      "not ready without the model server",
    );
    expect((await readiness()).status).toBe(503);
    const back = await startOllamaTestServer({ mode: "scripted", script: [], port: own.port });
    await waitFor(
      async () => (await readiness()).status === 200,
      8000,
      "ready after the model server is back",
    );
    await back.close();
  }, 40_000);

  it("is not ready when the model is missing", async () => {
    const w = await worker({ MODEL: "absent-model:1b" });
    const ready = await fetch(`${w.healthUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { model: string }).model).toMatch(
      /absent-model:1b.*not pulled/,
    );
  });

  it("refuses to start with a clear message on bad configuration", async () => {
    await expect(startWorkerProcess({ CONCURRENCY: "many" })).rejects.toThrow(
      /CONCURRENCY: expected a whole number, got 'many'/,
    );
  });

  it("refuses to start unsigned unless told to, naming the way out", async () => {
    await expect(startWorkerProcess({ ALLOW_UNSIGNED: "false" })).rejects.toThrow(
      /SIGNING_KEY is not set[\s\S]*ALLOW_UNSIGNED=true/,
    );
  });

  it("loses nothing when the broker drops the connection mid-job", async () => {
    const w = await worker();
    ollama.setScript([
      { content: JSON.stringify(samplePlan()), delayBeforeFirstTokenMs: 800 },
      { content: JSON.stringify(samplePlan()) },
    ]);
    const client = await WorkClient.connect({ amqpUrl: AMQP_URL, requestQueue: w.queue });
    const reply = client.submit(samplePlanRequest());
    await w.waitForLog((l) => l.msg === "job started");
    // The worker's connection dies while the model is generating, as in a broker restart.
    expect(await forceCloseConnections(`issue-agent-worker ${w.child.pid}`)).toBe(1);
    await expect(reply).resolves.toMatchObject({ type: "result" });
    await client.close();
    await w.waitForLog(
      (l) => l.msg === "consuming" && w.logs.filter((x) => x.msg === "consuming").length >= 2,
    );
    // The unacked request came back after the reconnect; the worker knew it had answered it.
    await waitFor(
      async () => (await queueDepth(connection, w.queue)) === 0,
      10_000,
      "empty request queue",
    );
    expect(await metric(w, "issue_agent_amqp_reconnects_total")).toBe(1);
    expect(ollama.requestsTo("/api/chat").length).toBeLessThanOrEqual(2);
    expect(w.child.exitCode).toBeNull();
  });

  it("finishes the job in hand on SIGTERM, replies once, and exits 0", async () => {
    const w = await worker({ SHUTDOWN_GRACE_MS: "10000" });
    ollama.setScript([{ content: JSON.stringify(samplePlan()), delayBeforeFirstTokenMs: 500 }]);
    const client = await WorkClient.connect({ amqpUrl: AMQP_URL, requestQueue: w.queue });
    const reply = client.submit(samplePlanRequest());
    await w.waitForLog((l) => l.msg === "job started");
    w.kill("SIGTERM");
    await expect(reply).resolves.toMatchObject({ type: "result" });
    expect(await w.exited).toBe(0);
    await client.close();
    expect(await queueDepth(connection, w.queue)).toBe(0);
  });

  it("returns the job to the queue when SIGTERM's grace runs out", async () => {
    const w = await worker({ SHUTDOWN_GRACE_MS: "200" });
    ollama.setScript([{ content: JSON.stringify(samplePlan()), delayBeforeFirstTokenMs: 5000 }]);
    const client = await WorkClient.connect({ amqpUrl: AMQP_URL, requestQueue: w.queue });
    const request = samplePlanRequest();
    const reply = client.submit(request);
    await w.waitForLog((l) => l.msg === "job started");
    w.kill("SIGTERM");
    expect(await w.exited).toBe(0);
    // Back on the queue for the next worker, not lost and not answered.
    await waitFor(
      async () => (await queueDepth(connection, w.queue)) === 1,
      5000,
      "requeued request",
    );
    ollama.setScript([{ content: JSON.stringify(samplePlan()) }]);
    await worker({ REQUEST_QUEUE: w.queue });
    await expect(reply).resolves.toMatchObject({ type: "result", requestId: request.requestId });
    await client.close();
  });
});
