/**
 * RUN SERIALLY (jest.disruptive.config.js). `amqp-url` / `AMQP_URL` listing the three
 * nodes of a cluster of its own (test/support/broker/cluster.ts): a worker process and an
 * Action's client both connect to the first node; that node is SIGKILLed while requests
 * are in flight and more wait; both move to another node by themselves and every request
 * is answered. The killed node then restarts and rejoins.
 */
import { WorkClient } from "../../../action/transport/work-client.js";
import { type TerminalReply } from "../../../protocol/index.js";
import { startCluster, type Cluster } from "../../support/broker/cluster.js";
import { uniqueQueueName, waitFor } from "../../support/broker/rabbitmq.js";
import { samplePlan, samplePlanRequest } from "../../support/fixtures.js";
import { startOllamaTestServer, type OllamaTestServer } from "../../support/ollama/server.js";
import { startWorkerProcess, type WorkerProcess } from "../../support/worker-process.js";

let cluster: Cluster;
let ollama: OllamaTestServer;

beforeAll(async () => {
  cluster = await startCluster({ size: 3 });
  ollama = await startOllamaTestServer({
    mode: "scripted",
    script: () => ({ content: JSON.stringify(samplePlan()), delayBeforeFirstTokenMs: 800 }),
  });
}, 200_000);

afterAll(async () => {
  await ollama?.close();
  await cluster?.stop();
});

interface Connection {
  node: string;
  client_properties?: { connection_name?: string };
}

/** The cluster node a connection named `name` is on, as a running node reports it. */
async function nodeOf(name: string, via: number): Promise<string | undefined> {
  const connections = await cluster.management<Connection[]>(via, "/connections");
  return connections.find((c) => c.client_properties?.connection_name?.startsWith(name))?.node;
}

describe("several broker URLs", () => {
  it("fail over when the node both sides are connected to is killed: every request is answered", async () => {
    const queue = uniqueQueueName("failover");
    const urls = cluster.urls.join(",");
    const worker: WorkerProcess = await startWorkerProcess({
      AMQP_URL: urls,
      OLLAMA_HOST: ollama.url,
      MODEL: ollama.model,
      REQUEST_QUEUE: queue,
      CONCURRENCY: "2",
    });
    const clientLog: string[] = [];
    const client = await WorkClient.connect({
      amqpUrl: urls,
      requestQueue: queue,
      log: (line) => clientLog.push(`${new Date().toISOString()} ${line}`),
    });
    try {
      await worker.waitForLog((l) => l.msg === "consuming", 30_000);
      const first = cluster.node(1);
      await waitFor(
        async () =>
          (await nodeOf("issue-agent-action", 2)) === first.name &&
          (await nodeOf("issue-agent-worker", 2)) === first.name,
        15_000,
        "both connected to node 1",
      );
      const submitted = Array.from({ length: 6 }, () => {
        const request = samplePlanRequest({ deadline: Date.now() + 90_000 });
        return {
          id: request.requestId,
          outcome: client.submit(request).catch((error: Error) => error),
        };
      });
      await worker.waitForLog((l) => l.msg === "job started", 15_000);

      await cluster.kill(1);

      const outcomes: (TerminalReply | Error)[] = await Promise.all(
        submitted.map((s) => s.outcome),
      );
      const unanswered = submitted.filter((_, i) => outcomes[i] instanceof Error).map((s) => s.id);
      // On failure, the trail of each unanswered request on both sides.
      if (unanswered.length > 0)
        console.log(
          JSON.stringify(
            {
              unanswered,
              client: clientLog,
              worker: worker.logs.filter(
                (l) =>
                  !("requestId" in l) ||
                  unanswered.includes(String((l as { requestId?: unknown }).requestId)),
              ),
            },
            null,
            1,
          ),
        );
      for (const [i, outcome] of outcomes.entries())
        expect(outcome).toMatchObject({ type: "result", requestId: submitted[i]?.id });
      // Both moved to a surviving node; the worker kept running.
      expect(await nodeOf("issue-agent-action", 2)).not.toBe(first.name);
      expect(await nodeOf("issue-agent-worker", 2)).not.toBe(first.name);
      expect(worker.child.exitCode).toBeNull();

      // A request sent after the fail-over is answered too.
      const after = await client.submit(samplePlanRequest({ deadline: Date.now() + 60_000 }));
      expect(after.type).toBe("result");

      await cluster.restart(1);
      await cluster.waitRejoined(1, { queues: [queue], timeoutMs: 60_000 });
      const members = await cluster.members();
      expect(members.filter((m) => m.running)).toHaveLength(3);
      console.log(
        `fail-over: ${outcomes.length + 1} results, ${ollama.requestsTo("/api/chat").length} model calls`,
      );
    } finally {
      await client.close();
      if (worker.child.exitCode === null) worker.kill("SIGKILL");
      await worker.exited;
    }
  }, 240_000);
});
