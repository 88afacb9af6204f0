/**
 * RabbitMQ itself restarted (the application stopped and started on its node: every
 * connection drops, queues recover from disk) while plan requests are in flight on two
 * worker processes and more wait in the queue. Workers and waiting requesters recover by
 * themselves, and every request whose deadline allows the restart plus the model time is
 * answered: once to its requester, computed again only if it was in flight at the restart.
 *
 * The broker is a node of this test's own (test/support/broker/cluster.ts, one node), so
 * restarting it never pulls the shared broker from under other tests. Still disruptive
 * (it loads the machine): runs in the serial stage (jest.disruptive.config.js).
 */
import { connect } from "amqplib";
import {
  DeadlineError,
  TransportError,
  WorkClient,
} from "../../../action/transport/work-client.js";
import { type TerminalReply, deadLetterQueueFor } from "../../../protocol/index.js";
import { startCluster, type Cluster } from "../../support/broker/cluster.js";
import {
  deleteQueues,
  drainQueue,
  queueDepth,
  uniqueQueueName,
  waitFor,
} from "../../support/broker/rabbitmq.js";
import { samplePlan, samplePlanRequest } from "../../support/fixtures.js";
import { startOllamaTestServer, type OllamaTestServer } from "../../support/ollama/server.js";
import { startWorkerProcess, type WorkerProcess } from "../../support/worker-process.js";

let broker: Cluster;
let amqpUrl: string;
const rabbitmqctl = (...args: string[]) => broker.rabbitmqctl(1, ...args);

/** Brings the broker back whatever state the test left it in. */
async function ensureBrokerUp(): Promise<void> {
  await rabbitmqctl("start_app").catch(() => undefined);
  await rabbitmqctl("await_startup", "--timeout", "120");
}

let ollama: OllamaTestServer;

beforeAll(async () => {
  broker = await startCluster({ size: 1 });
  amqpUrl = broker.urls[0] ?? "";
  ollama = await startOllamaTestServer({
    mode: "scripted",
    script: () => ({ content: JSON.stringify(samplePlan()), delayBeforeFirstTokenMs: 1500 }),
  });
}, 180_000);

afterAll(async () => {
  await broker?.stop();
  await ollama?.close();
});

const REQUESTS = 8;

describe("a RabbitMQ restart", () => {
  it("loses no request: every one is answered once, and only those in flight are computed twice", async () => {
    const queue = uniqueQueueName("restart");
    const env = {
      AMQP_URL: amqpUrl,
      OLLAMA_HOST: ollama.url,
      MODEL: ollama.model,
      REQUEST_QUEUE: queue,
    };
    const workers: WorkerProcess[] = [];
    const clients: WorkClient[] = [];
    const clientLogs: string[] = [];
    try {
      workers.push(await startWorkerProcess(env, { bundle: true }));
      workers.push(await startWorkerProcess(env, { bundle: true }));
      // Each waiting "Action" has its own connection, as separate runs would.
      const submitted: { id: string; outcome: Promise<TerminalReply | Error> }[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const client = await WorkClient.connect({
          amqpUrl,
          requestQueue: queue,
          log: (line) => clientLogs.push(line),
        });
        clients.push(client);
        // Room for the restart (tens of seconds on a loaded machine) plus every job in
        // turn on two workers: an expiry here is a failure, not an outcome.
        const request = samplePlanRequest({ deadline: Date.now() + 100_000 });
        submitted.push({
          id: request.requestId,
          outcome: client.submit(request).catch((error: Error) => error),
        });
      }
      // Two jobs in flight (one per worker), six queued.
      await waitFor(
        () => workers.every((w) => w.logs.some((l) => l.msg === "job started")),
        15_000,
        "both workers busy",
      );

      await rabbitmqctl("stop_app");
      await rabbitmqctl("start_app");
      await rabbitmqctl("await_startup", "--timeout", "120");

      const outcomes = await Promise.all(submitted.map((s) => s.outcome));
      const results = outcomes.filter(
        (o): o is TerminalReply => !(o instanceof Error) && o.type === "result",
      );
      // Every request gets its one result; no expiry, no transport error, no error reply.
      for (const [i, outcome] of outcomes.entries()) {
        expect(outcome).not.toBeInstanceOf(DeadlineError);
        expect(outcome).toMatchObject({ type: "result", requestId: submitted[i]?.id });
      }
      expect(results).toHaveLength(REQUESTS);

      // Both workers reconnected on their own and kept serving; nothing is left behind.
      for (const w of workers) {
        expect(w.child.exitCode).toBeNull();
        await w.waitForLog(
          (l) => l.msg === "consuming" && w.logs.filter((x) => x.msg === "consuming").length >= 2,
          20_000,
        );
      }
      const connection = await connect(amqpUrl);
      try {
        await waitFor(
          async () => (await queueDepth(connection, queue)) === 0,
          20_000,
          "empty request queue",
        );
        expect(await drainQueue(connection, deadLetterQueueFor(queue))).toEqual([]);
      } finally {
        await deleteQueues(connection, [queue, deadLetterQueueFor(queue)]);
        await connection.close();
      }
      // A request in flight at the restart may be computed a second time (its ack died
      // with the broker and the redelivery reached the other worker); nothing else is.
      // In flight at the restart: the jobs whose delivery died with its channel, so that
      // they could not be acked (or not even answered) where they were computed.
      const logs = workers.flatMap((w) => w.logs);
      const inFlightAtRestart = logs.filter(
        (l) =>
          (l.msg === "job finished" && l.settled === false) ||
          l.msg === "job failed without a reply; requeueing",
      ).length;
      const modelCalls = ollama.requestsTo("/api/chat").length;
      const answeredFromMemory = logs.filter((l) =>
        String(l.msg).startsWith("already answered"),
      ).length;
      const waitedForRunning = logs.filter((l) =>
        String(l.msg).startsWith("already being computed here"),
      ).length;
      const askedAgain = clientLogs
        .map((line) => /asked again for (\d+)/.exec(line)?.[1])
        .reduce((sum, n) => sum + Number(n ?? 0), 0);
      console.log(
        `broker restart: ${REQUESTS} requests, ${results.length} results, 0 expiries, ${modelCalls} model calls (${inFlightAtRestart} in flight at the restart), ${askedAgain} asked again, ${answeredFromMemory} duplicates answered from memory (${waitedForRunning} of them waited for the running computation)`,
      );
      // Printed first, so that a failure shows how the restart went.
      expect(modelCalls).toBeLessThanOrEqual(REQUESTS + inFlightAtRestart);
    } finally {
      await ensureBrokerUp();
      for (const client of clients) await client.close();
      for (const w of workers) if (w.child.exitCode === null) w.kill("SIGKILL");
      await Promise.all(workers.map((w) => w.exited));
    }
  }, 180_000);

  // Bounded by the test's timeout: a couple of reconnection attempts, not the run's deadline.
  it("fails an Action that starts while the broker is down fast, naming the broker and the input", async () => {
    try {
      await rabbitmqctl("stop_app");
      const port = broker.node(1).amqpPort;
      const error = await WorkClient.connect({
        amqpUrl: `amqp://guest:s3cret@127.0.0.1:${port}`,
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TransportError);
      expect((error as Error).message).toMatch(
        new RegExp(`cannot connect to RabbitMQ at 127\\.0\\.0\\.1:${port} \\(input 'amqp-url'\\)`),
      );
      expect((error as Error).message).not.toContain("s3cret");
    } finally {
      await ensureBrokerUp();
    }
  }, 60_000);
});
