/**
 * RabbitMQ itself restarted (the application stopped and started on its node: every
 * connection drops, queues recover from disk) while plan requests are in flight on two
 * worker processes and more wait in the queue. Workers and waiting requesters recover by
 * themselves; every request ends in its one terminal reply, or in a clear timeout.
 *
 * Disruptive: runs in the serial stage (jest.disruptive.config.js), never beside others.
 */
import {
  DeadlineError,
  TransportError,
  WorkClient,
} from "../../../action/transport/work-client.js";
import { type TerminalReply, deadLetterQueueFor } from "../../../protocol/index.js";
import {
  AMQP_URL,
  deleteQueues,
  drainQueue,
  openTestConnection,
  queueDepth,
  rabbitmqctl as brokerCtl,
  uniqueQueueName,
  waitFor,
} from "../../support/broker/rabbitmq.js";
import { samplePlan, samplePlanRequest } from "../../support/fixtures.js";
import { startOllamaTestServer, type OllamaTestServer } from "../../support/ollama/server.js";
import { startWorkerProcess, type WorkerProcess } from "../../support/worker-process.js";

const rabbitmqctl = (...args: string[]) => brokerCtl("-q", ...args);

/** Brings the broker back whatever state the test left it in. */
async function ensureBrokerUp(): Promise<void> {
  await rabbitmqctl("start_app").catch(() => undefined);
  await rabbitmqctl("await_startup", "--timeout", "120");
}

let ollama: OllamaTestServer;

beforeAll(async () => {
  await ensureBrokerUp();
  ollama = await startOllamaTestServer({
    mode: "scripted",
    script: () => ({ content: JSON.stringify(samplePlan()), delayBeforeFirstTokenMs: 1500 }),
  });
});

afterAll(async () => {
  await ensureBrokerUp();
  await ollama.close();
});

describe("a RabbitMQ restart", () => {
  it("loses no request: queued and in-flight ones are answered once, or time out clearly", async () => {
    const queue = uniqueQueueName("restart");
    const env = { OLLAMA_HOST: ollama.url, MODEL: ollama.model, REQUEST_QUEUE: queue };
    const workers: WorkerProcess[] = [];
    const clients: WorkClient[] = [];
    try {
      workers.push(await startWorkerProcess(env, { bundle: true }));
      workers.push(await startWorkerProcess(env, { bundle: true }));
      // Each waiting "Action" has its own connection, as separate runs would.
      const submitted: { id: string; outcome: Promise<TerminalReply | Error> }[] = [];
      for (let i = 0; i < 8; i++) {
        const client = await WorkClient.connect({ amqpUrl: AMQP_URL, requestQueue: queue });
        clients.push(client);
        // The last one can wait only a few seconds: a clear timeout, never a hang.
        const request = samplePlanRequest(i === 7 ? { deadline: Date.now() + 4000 } : {});
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
      const results = outcomes.filter((o) => !(o instanceof Error));
      const timeouts = outcomes.filter((o) => o instanceof DeadlineError);
      // Anything else (a transport error, a hang) fails here.
      expect(results.length + timeouts.length).toBe(8);
      expect(results.slice(0, 7).length).toBeGreaterThanOrEqual(7);
      for (const [i, outcome] of outcomes.entries()) {
        if (outcome instanceof Error)
          expect(outcome.message).toMatch(/no answer from the worker before the deadline/);
        else expect(outcome).toMatchObject({ type: "result", requestId: submitted[i]?.id });
      }

      // Both workers reconnected on their own and kept serving; nothing is left behind.
      for (const w of workers) {
        expect(w.child.exitCode).toBeNull();
        await w.waitForLog(
          (l) => l.msg === "consuming" && w.logs.filter((x) => x.msg === "consuming").length >= 2,
          20_000,
        );
      }
      const connection = await openTestConnection();
      try {
        await waitFor(
          async () => (await queueDepth(connection, queue)) === 0,
          20_000,
          "empty request queue",
        );
        // Only requests that expired unanswered are dead-lettered (the queue's dead-letter
        // exchange also takes expired messages), one for each timeout.
        const dead = await drainQueue(connection, deadLetterQueueFor(queue));
        expect(dead.map((d) => (d.headers["x-death"] as { reason: string }[])[0]?.reason)).toEqual(
          timeouts.map(() => "expired"),
        );
      } finally {
        await deleteQueues(connection, [queue, deadLetterQueueFor(queue)]);
        await connection.close();
      }
      const computed = ollama.requestsTo("/api/chat").length;
      // Recomputing a request whose ack died with the broker is allowed (the Action
      // keeps the first answer); losing one is not.
      console.log(
        `broker restart: ${results.length} results, ${timeouts.length} timeouts, ${computed} model calls for 8 requests`,
      );
    } finally {
      await ensureBrokerUp();
      for (const client of clients) await client.close();
      for (const w of workers) if (w.child.exitCode === null) w.kill("SIGKILL");
      await Promise.all(workers.map((w) => w.exited));
    }
  }, 120_000);

  // Bounded by the test's timeout: a couple of reconnection attempts, not the run's deadline.
  it("fails an Action that starts while the broker is down fast, naming the broker and the input", async () => {
    try {
      await rabbitmqctl("stop_app");
      const error = await WorkClient.connect({
        amqpUrl: "amqp://guest:s3cret@127.0.0.1:5672",
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TransportError);
      expect((error as Error).message).toMatch(
        /cannot connect to RabbitMQ at 127\.0\.0\.1:5672 \(input 'amqp-url'\)/,
      );
      expect((error as Error).message).not.toContain("s3cret");
    } finally {
      await ensureBrokerUp();
    }
  }, 60_000);
});
