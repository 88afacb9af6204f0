/**
 * The Action's side of the transport under at-least-once delivery: the same terminal
 * reply arriving several times, forged and unreadable replies, and a request queue that
 * an operator declared with another delivery limit. A responder in the test stands in for
 * the worker so that it can misbehave on purpose.
 */
import type { ChannelModel } from "amqplib";
import { WorkClient } from "../../../action/transport/work-client.js";
import {
  PROTOCOL_VERSION,
  type PlanRequest,
  type Reply,
  SIGNATURE_HEADER,
  signBody,
  replyBinding,
  deadLetterQueueFor,
  requestQueueArguments,
} from "../../../protocol/index.js";
import {
  AMQP_URL,
  deleteQueues,
  openTestConnection,
  uniqueQueueName,
  waitFor,
} from "../../support/broker/rabbitmq.js";
import { startCuttableProxy } from "../../support/broker/tcp-proxy.js";
import { samplePlan, samplePlanRequest, sampleUsage } from "../../support/fixtures.js";

const KEY = "transport-fault-key";
let connection: ChannelModel;

beforeAll(async () => {
  connection = await openTestConnection();
});

afterAll(async () => {
  await connection.close();
});

type Send = (reply: Reply, options?: { signature?: string | null; raw?: Buffer }) => Promise<void>;

/**
 * Consumes `queue` and lets `respond` answer each request as it likes. Returns how many
 * requests it saw and a stop function.
 */
async function fakeWorker(
  queue: string,
  respond: (request: PlanRequest, send: Send) => Promise<void>,
  deliveryLimit = 3,
): Promise<{ seen: PlanRequest[]; stop: () => Promise<void> }> {
  const channel = await connection.createConfirmChannel();
  await channel.assertQueue(queue, {
    durable: true,
    arguments: requestQueueArguments(queue, deliveryLimit),
  });
  const seen: PlanRequest[] = [];
  const answering: Promise<void>[] = [];
  await channel.consume(queue, (message) => {
    if (!message) return;
    const request = JSON.parse(message.content.toString("utf8")) as PlanRequest;
    seen.push(request);
    const replyTo = String(message.properties.replyTo);
    const send: Send = (reply, options = {}) => {
      const body = options.raw ?? Buffer.from(JSON.stringify(reply));
      const signature =
        options.signature === undefined
          ? signBody(body, KEY, Date.now(), bindingOf(request))
          : options.signature;
      return new Promise<void>((resolve, reject) =>
        channel.sendToQueue(
          replyTo,
          body,
          {
            correlationId: request.requestId,
            headers: signature === null ? {} : { [SIGNATURE_HEADER]: signature },
          },
          (error: unknown) =>
            error
              ? reject(error instanceof Error ? error : new Error(JSON.stringify(error)))
              : resolve(),
        ),
      );
    };
    answering.push(respond(request, send).then(() => channel.ack(message)));
  });
  return {
    seen,
    stop: async () => {
      // Late duplicates may still be on their way; let them land before the channel goes.
      await Promise.allSettled(answering);
      await channel.close().catch(() => undefined);
      await deleteQueues(connection, [queue, deadLetterQueueFor(queue)]);
    },
  };
}

const planResult = (request: PlanRequest, summary: string): Reply => ({
  version: PROTOCOL_VERSION,
  requestId: request.requestId,
  at: Date.now(),
  type: "result",
  kind: "plan",
  plan: samplePlan({ summary }),
  usage: sampleUsage(),
  trimmed: [],
});

describe("the Action's reply handling", () => {
  it("takes the first of several identical terminal replies and ignores the rest", async () => {
    const queue = uniqueQueueName("dup-result");
    const worker = await fakeWorker(queue, async (request, send) => {
      // At-least-once: the same result three times (a redelivered request answered by
      // two workers, a reply republished after a lost confirm), then a late error.
      await send(planResult(request, "first"));
      await send(planResult(request, "first"));
      await send(planResult(request, "second"));
      await send({
        version: PROTOCOL_VERSION,
        requestId: request.requestId,
        at: Date.now(),
        type: "error",
        code: "internal",
        message: "late",
        retryable: false,
      });
    });
    const client = await WorkClient.connect({
      amqpUrl: AMQP_URL,
      requestQueue: queue,
      signingKey: KEY,
    });
    try {
      const replies: Reply[] = [];
      for (let i = 0; i < 3; i++) replies.push(await client.submit(samplePlanRequest()));
      expect(
        replies.map((r) => r.type === "result" && r.kind === "plan" && r.plan.summary),
      ).toEqual(["first", "first", "first"]);
      expect(worker.seen).toHaveLength(3);
    } finally {
      await client.close();
      await worker.stop();
    }
  });

  it("ignores forged, unsigned, unreadable and misaddressed replies and waits for the real one", async () => {
    const queue = uniqueQueueName("forged");
    const logs: string[] = [];
    const worker = await fakeWorker(queue, async (request, send) => {
      const forged = planResult(request, "forged");
      await send(forged, { signature: signBody(JSON.stringify(forged), "not-the-key") });
      await send(forged, { signature: null });
      await send(forged, {
        raw: Buffer.from("{not json"),
        signature: signBody("{not json", KEY, Date.now(), bindingOf(request)),
      });
      // A genuine reply, signed by the real key, but for another request: its signature
      // is bound to that request, so it cannot be passed off as this one's.
      const elsewhere = { ...request, issue: { ...request.issue, number: 999 } };
      await send(planResult(request, "replayed"), {
        signature: signBody(
          JSON.stringify(planResult(request, "replayed")),
          KEY,
          Date.now(),
          bindingOf(elsewhere),
        ),
      });
      await send({ ...planResult(request, "someone else's"), requestId: "req-other-request" });
      await send(planResult(request, "genuine"));
    });
    const client = await WorkClient.connect({
      amqpUrl: AMQP_URL,
      requestQueue: queue,
      signingKey: KEY,
      log: (m) => logs.push(m),
    });
    try {
      const reply = await client.submit(samplePlanRequest());
      expect(reply.type === "result" && reply.kind === "plan" && reply.plan.summary).toBe(
        "genuine",
      );
      expect(logs.join("\n")).toMatch(
        /failed signature verification: signature does not match[\s\S]*failed signature verification: missing x-signature[\s\S]*unreadable reply: reply is not valid JSON[\s\S]*failed signature verification: signature does not match \(wrong key, altered message, or signed for another request\)/,
      );
    } finally {
      await client.close();
      await worker.stop();
    }
  });

  it("times out clearly when only invalid replies come", async () => {
    const queue = uniqueQueueName("only-forged");
    const worker = await fakeWorker(queue, async (request, send) => {
      await send(planResult(request, "forged"), { signature: null });
    });
    const client = await WorkClient.connect({
      amqpUrl: AMQP_URL,
      requestQueue: queue,
      signingKey: KEY,
    });
    try {
      await expect(
        client.submit(samplePlanRequest({ deadline: Date.now() + 1500 })),
      ).rejects.toThrow(/no answer from the worker before the deadline/);
    } finally {
      await client.close();
      await worker.stop();
    }
  });

  // A worker started with another DELIVERY_LIMIT declared the queue first: the client's
  // own declaration fails (406 PRECONDITION_FAILED closes its channel) and it must still
  // publish, on a fresh channel, into the queue as it is.
  it("reaches a worker whose queue was declared with another delivery limit", async () => {
    const queue = uniqueQueueName("limit5");
    const worker = await fakeWorker(
      queue,
      async (request, send) => send(planResult(request, "answered")),
      5,
    );
    const client = await WorkClient.connect({
      amqpUrl: AMQP_URL,
      requestQueue: queue,
      signingKey: KEY,
    });
    try {
      await expect(client.submit(samplePlanRequest())).resolves.toMatchObject({ type: "result" });
    } finally {
      await client.close();
      await worker.stop();
    }
  });
});

describe("the Action's publish when the connection drops under it", () => {
  it("sends a request again when the broker took it but its confirm was lost with the connection", async () => {
    const queue = uniqueQueueName("resend");
    const worker = await fakeWorker(queue, async (request, send) =>
      send(planResult(request, "answered")),
    );
    const { proxy, client, logs } = await clientThroughProxy(queue);
    try {
      const request = samplePlanRequest({ deadline: Date.now() + 30_000 });
      // The publish reaches the broker and the worker; its confirm never comes back.
      proxy.holdAfterClientSends(request.requestId);
      const reply = client.submit(request);
      await waitFor(() => worker.seen.length >= 1, 10_000);
      expect(proxy.markerSeen).toBe(true);
      proxy.cut();
      // Without a confirm the client cannot know the broker has it: it must send again
      // on the next connection, not fail the run with "channel closed".
      await expect(reply).resolves.toMatchObject({ type: "result", requestId: request.requestId });
      expect(logs.join("\n")).toMatch(/dropped before it confirmed request .*; sending it again/);
      expect(worker.seen.length).toBeLessThanOrEqual(2);
      expect(new Set(worker.seen.map((seen) => seen.requestId))).toEqual(
        new Set([request.requestId]),
      );
    } finally {
      await client.close();
      await proxy.close();
      await worker.stop();
    }
  });
});

describe("the Action's reconnect", () => {
  it("asks again only for the requests a worker had taken before the connection dropped, not for one taken while it was away", async () => {
    const queue = uniqueQueueName("ask-again");
    // The responder answers only when told, so that the test decides what the client has
    // heard before and after its connection drops.
    const sends = new Map<string, Send>();
    const worker = await fakeWorker(queue, async (request, send) => {
      sends.set(request.requestId, send);
      await waitFor(() => answered.has(request.requestId), 60_000, "the test's go-ahead");
      await send(planResult(request, "answered"));
    });
    const answered = new Set<string>();
    const { proxy, client, logs } = await clientThroughProxy(queue);
    const accepted = (request: PlanRequest): Reply => ({
      version: PROTOCOL_VERSION,
      requestId: request.requestId,
      at: Date.now(),
      type: "progress",
      stage: "accepted",
    });
    try {
      const heard = new Set<string>();
      const before = samplePlanRequest({ deadline: Date.now() + 60_000 });
      const during = samplePlanRequest({ deadline: Date.now() + 60_000 });
      const replies = [before, during].map((request) =>
        client
          .submit(request, { onProgress: () => heard.add(request.requestId) })
          .catch((error: Error) => error),
      );
      await waitFor(() => sends.size === 2, 10_000, "both requests at the worker");
      // Taken before the drop: its reply could be lost with the connection.
      await sends.get(before.requestId)?.(accepted(before));
      await waitFor(() => heard.has(before.requestId), 10_000, "the first progress");

      proxy.refuseConnections(true);
      proxy.cut();
      // Taken while the client is away: the progress waits in the durable reply queue, so
      // the reply will too. A copy would only be computed a second time by another worker.
      await sends.get(during.requestId)?.(accepted(during));
      proxy.refuseConnections(false);

      await waitFor(() => logs.some((l) => l.startsWith("asked again for")), 20_000, "ask again");
      await waitFor(() => heard.has(during.requestId), 10_000, "the progress sent while away");
      expect(logs).toContain("asked again for 1 request(s) still waiting");
      await waitFor(() => worker.seen.length >= 3, 10_000, "the copy of the first request");
      expect(worker.seen.map((seen) => seen.requestId)).toEqual([
        before.requestId,
        during.requestId,
        before.requestId,
      ]);

      answered.add(before.requestId).add(during.requestId);
      for (const [i, reply] of (await Promise.all(replies)).entries())
        expect(reply).toMatchObject({ type: "result", requestId: [before, during][i]?.requestId });
    } finally {
      for (const id of sends.keys()) answered.add(id);
      await client.close();
      await proxy.close();
      await worker.stop();
    }
  }, 90_000);
});

/** A client whose connection goes through a proxy the test can cut, and its log. */
async function clientThroughProxy(queue: string) {
  const proxy = await startCuttableProxy(AMQP_URL);
  const logs: string[] = [];
  const client = await WorkClient.connect({
    amqpUrl: proxy.url,
    requestQueue: queue,
    signingKey: KEY,
    log: (line) => logs.push(line),
  });
  return { proxy, client, logs };
}

/** The binding a genuine worker signs its replies to `request` with. */
function bindingOf(request: PlanRequest): string {
  return replyBinding(request.requestId, {
    owner: request.repo.owner,
    name: request.repo.name,
    issue: request.issue.number,
  });
}
