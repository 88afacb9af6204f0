/**
 * A request over its whole life on the real broker: waiting its turn behind other jobs,
 * requeued by a worker being stopped, taken again by another. A genuine request must be
 * computed for as long as its requester waits, whatever the clock-skew window; a forged
 * or stretched one must not.
 */
import type { ChannelModel } from "amqplib";
import { KEY_MISMATCH, WorkClient } from "../../action/transport/work-client.js";
import {
  deadLetterQueueFor,
  MAX_REQUEST_LIFETIME_MS,
  REPLY_QUEUE_PREFIX,
  signBody,
  type Reply,
} from "../../protocol/index.js";
import {
  AMQP_URL,
  deleteQueues,
  drainQueue,
  openTestConnection,
  queueDepth,
  uniqueQueueName,
  waitFor,
} from "../support/broker/rabbitmq.js";
import { samplePlan, samplePlanRequest } from "../support/fixtures.js";
import { ScriptedModel, slowAnswer } from "../support/scripted-model.js";
import { startInProcessWorker, type InProcessWorker } from "../support/worker-harness.js";

const KEY = "lifecycle-key-0123456789abcdef";
const PLAN = JSON.stringify(samplePlan());
let connection: ChannelModel;

beforeAll(async () => {
  connection = await openTestConnection();
});

afterAll(async () => {
  await connection.close();
});

/** A worker whose model answers every call after `ms`. */
async function worker(
  ms: number,
  env: Record<string, string>,
  queue?: string,
): Promise<InProcessWorker & { model: ScriptedModel }> {
  const model = new ScriptedModel(Array.from({ length: 20 }, () => slowAnswer(ms, PLAN)));
  const started = await startInProcessWorker(
    { MODEL: "coder", SIGNING_KEY: KEY, ...env },
    queue ?? uniqueQueueName("lifecycle"),
    model,
  );
  return Object.assign(started, { model });
}

/** Publishes a plan request signed at `signedAt`, as the Action did then; returns its replies. */
async function publishSignedAt(
  queue: string,
  signedAt: number,
  deadline: number,
): Promise<() => Promise<Reply[]>> {
  const channel = await connection.createConfirmChannel();
  const replyQueue = `${REPLY_QUEUE_PREFIX}lifecycle-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  await channel.assertQueue(replyQueue, { arguments: { "x-expires": 60_000 } });
  const request = samplePlanRequest({ deadline });
  const body = Buffer.from(JSON.stringify(request));
  await new Promise<void>((resolve, reject) =>
    channel.sendToQueue(
      queue,
      body,
      {
        persistent: true,
        replyTo: replyQueue,
        correlationId: request.requestId,
        headers: { "x-signature": signBody(body, KEY, signedAt) },
      },
      (error: unknown) =>
        error ? reject(error instanceof Error ? error : new Error("not confirmed")) : resolve(),
    ),
  );
  await channel.close();
  const replies: Reply[] = [];
  return async () => {
    await waitFor(
      async () => {
        const drained = await drainQueue(connection, replyQueue);
        replies.push(...drained.map((m) => JSON.parse(m.content) as Reply));
        return replies.some((r) => r.type === "result" || r.type === "error");
      },
      10_000,
      "a terminal reply",
    );
    await deleteQueues(connection, [replyQueue]);
    return replies;
  };
}

function outcome(reply: Reply | undefined): string {
  return reply?.type === "error" ? `error ${reply.code}: ${reply.message}` : String(reply?.type);
}

describe("a request's age on the broker", () => {
  it("computes a genuine request signed 6 minutes ago whose deadline is still ahead", async () => {
    const w = await worker(10, {});
    try {
      // What the Action published 6 minutes ago with timeout-minutes 20: the default
      // clock-skew window is 5 minutes.
      const signedAt = Date.now() - 6 * 60_000;
      const replies = await publishSignedAt(
        w.config.requestQueue,
        signedAt,
        signedAt + 20 * 60_000,
      );
      const terminal = (await replies()).find((r) => r.type !== "progress");
      expect(outcome(terminal)).toBe("result");
    } finally {
      await w.stop();
      await deleteQueues(connection, [
        w.config.requestQueue,
        deadLetterQueueFor(w.config.requestQueue),
      ]);
    }
  });

  it("answers the second of two requests that waited behind one job longer than the window", async () => {
    // Scaled down: a 1 s window (the least the setting takes), jobs of 2.5 s, one at a time.
    const w = await worker(2500, { SIGNATURE_MAX_SKEW_MS: "1000", CONCURRENCY: "1" });
    const client = await WorkClient.connect({
      amqpUrl: AMQP_URL,
      requestQueue: w.config.requestQueue,
      signingKey: KEY,
    });
    try {
      const replies = await Promise.all([
        client.submit(samplePlanRequest({ deadline: Date.now() + 30_000 })),
        client.submit(samplePlanRequest({ deadline: Date.now() + 30_000 })),
      ]);
      expect(replies.map(outcome)).toEqual(["result", "result"]);
    } finally {
      await client.close();
      await w.stop();
      await deleteQueues(connection, [
        w.config.requestQueue,
        deadLetterQueueFor(w.config.requestQueue),
      ]);
    }
  });

  it("computes a request requeued by a stopped worker once another worker takes it", async () => {
    const env = { SIGNATURE_MAX_SKEW_MS: "1000" };
    const a = await worker(5000, env);
    const queue = a.config.requestQueue;
    const client = await WorkClient.connect({
      amqpUrl: AMQP_URL,
      requestQueue: queue,
      signingKey: KEY,
    });
    let b: InProcessWorker | undefined;
    try {
      const answer = client.submit(samplePlanRequest({ deadline: Date.now() + 30_000 }));
      await waitFor(() => a.model.calls.length === 1, 10_000, "worker A to start the job");
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await a.stop(100); // its grace over: the job goes back to the queue
      b = await worker(50, env, queue);
      expect(outcome(await answer)).toBe("result");
      expect(await queueDepth(connection, deadLetterQueueFor(queue))).toBe(0);
    } finally {
      await client.close();
      await b?.stop();
      await deleteQueues(connection, [queue, deadLetterQueueFor(queue)]);
    }
  });

  it("refuses a request signed further ahead than the skew, or meant to live longer than a request may", async () => {
    const w = await worker(10, {});
    try {
      const now = Date.now();
      const ahead = await publishSignedAt(
        w.config.requestQueue,
        now + 10 * 60_000,
        now + 20 * 60_000,
      );
      expect(outcome((await ahead()).find((r) => r.type !== "progress"))).toMatch(
        /invalid_request: signature timestamp is 600 s ahead of this clock/,
      );
      const stretched = await publishSignedAt(
        w.config.requestQueue,
        now,
        now + MAX_REQUEST_LIFETIME_MS + 60 * 60_000,
      );
      expect(outcome((await stretched()).find((r) => r.type !== "progress"))).toMatch(
        /invalid_request: deadline 420 min after signing, over the 360 min a request may live/,
      );
      expect(w.model.calls).toHaveLength(0);
    } finally {
      await w.stop();
      await deleteQueues(connection, [
        w.config.requestQueue,
        deadLetterQueueFor(w.config.requestQueue),
      ]);
    }
  });
});

describe("the request queue deleted under a running worker", () => {
  it("is declared again and consumed: the next request is answered", async () => {
    // What an operator does to change the queue's delivery limit (the worker's own warning
    // says so); the broker then cancels the worker's consumer on a healthy connection.
    const w = await worker(10, {});
    const queue = w.config.requestQueue;
    const client = await WorkClient.connect({
      amqpUrl: AMQP_URL,
      requestQueue: queue,
      signingKey: KEY,
    });
    try {
      expect(outcome(await client.submit(samplePlanRequest()))).toBe("result");
      await deleteQueues(connection, [queue]);
      await waitFor(
        () => w.logs.some((l) => String(l.msg).startsWith("consumer cancelled")),
        5_000,
        "the cancel to reach the worker",
      );
      const reply = await client.submit(samplePlanRequest({ deadline: Date.now() + 8_000 }));
      expect(outcome(reply)).toBe("result");
      expect(w.consumer.brokerReadiness().ok).toBe(true);
    } finally {
      await client.close();
      await w.stop();
      await deleteQueues(connection, [queue, deadLetterQueueFor(queue)]);
    }
  });
});

describe("a signing-key rotation", () => {
  it("serves Actions on the new key and on the one being replaced, each answered in its own key", async () => {
    const NEW = "rotation-new-key-0123456789";
    const w = await worker(10, { SIGNING_KEY: NEW, SIGNING_KEY_PREVIOUS: KEY });
    const queue = w.config.requestQueue;
    const clients = await Promise.all(
      [KEY, NEW, "some-other-key-0123456789"].map((signingKey) =>
        WorkClient.connect({ amqpUrl: AMQP_URL, requestQueue: queue, signingKey }),
      ),
    );
    try {
      const replies = await Promise.all(
        clients.map((client) =>
          client.submit(samplePlanRequest({ deadline: Date.now() + 20_000 })),
        ),
      );
      expect(replies.map(outcome)).toEqual([
        "result",
        "result",
        `error invalid_request: ${KEY_MISMATCH}`,
      ]);
    } finally {
      await Promise.all(clients.map((client) => client.close()));
      await w.stop();
      await deleteQueues(connection, [queue, deadLetterQueueFor(queue)]);
    }
  });
});
