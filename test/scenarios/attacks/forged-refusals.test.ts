/**
 * Refusals over the real broker. A worker refuses a request it cannot read (its signature
 * fails, its body is not a request) and answers the reply queue the message names. Someone
 * who can publish on the broker but holds no key sees a waiting run's request id and
 * reply queue in the clear: publishing junk with those two must not end that run. And a
 * worker refusing a run's genuine request because the two keys differ must say so at
 * once, not leave the run waiting for its deadline.
 */
import type { ChannelModel, GetMessage } from "amqplib";
import {
  KEY_MISMATCH,
  WORKER_UNSIGNED,
  WorkClient,
} from "../../../action/transport/work-client.js";
import {
  deadLetterQueueFor,
  DEFAULT_DELIVERY_LIMIT,
  PROTOCOL_VERSION,
  requestQueueArguments,
  replyBinding,
  requestDigest,
  signBody,
  type ErrorReply,
  type TerminalReply,
} from "../../../protocol/index.js";
import {
  AMQP_URL,
  deleteQueues,
  openTestConnection,
  uniqueQueueName,
  waitFor,
} from "../../support/broker/rabbitmq.js";
import { samplePlan, samplePlanRequest } from "../../support/fixtures.js";
import { ScriptedModel, slowAnswer } from "../../support/scripted-model.js";
import { startInProcessWorker } from "../../support/worker-harness.js";

const KEY = "refusal-key-0123456789abcdef";
const PLAN = JSON.stringify(samplePlan());
let connection: ChannelModel;

beforeAll(async () => {
  connection = await openTestConnection();
});

afterAll(async () => {
  await connection.close();
});

function outcome(reply: TerminalReply): string {
  return reply.type === "error" ? `error ${reply.code}: ${reply.message}` : reply.type;
}

describe("refusals a run accepts", () => {
  it("a publisher without the key cannot have the worker end another run with a signed refusal", async () => {
    const model = new ScriptedModel([slowAnswer(2000, PLAN)]);
    const worker = await startInProcessWorker(
      { MODEL: "coder", SIGNING_KEY: KEY, CONCURRENCY: "2" },
      undefined,
      model,
    );
    const queue = worker.config.requestQueue;
    const logs: string[] = [];
    const victim = await WorkClient.connect({
      amqpUrl: AMQP_URL,
      requestQueue: queue,
      signingKey: KEY,
      log: (m) => logs.push(m),
    });
    try {
      const request = samplePlanRequest({ deadline: Date.now() + 30_000 });
      const answer = victim.submit(request);
      await waitFor(() => model.calls.length === 1, 10_000, "the genuine job to start");
      // The attacker copies the two properties every message shows; it has no key, and
      // cannot have the run's body. Junk, and a look-alike request, both get refused.
      const attacker = await connection.createConfirmChannel();
      for (const body of ["junk", JSON.stringify({ ...request, guidance: "x" })]) {
        await new Promise<void>((resolve, reject) =>
          attacker.sendToQueue(
            queue,
            Buffer.from(body),
            { replyTo: victim.replyQueue, correlationId: request.requestId },
            (error: unknown) =>
              error
                ? reject(error instanceof Error ? error : new Error("not confirmed"))
                : resolve(),
          ),
        );
      }
      await attacker.close();
      expect(outcome(await answer)).toBe("result");
      expect(logs.join("\n")).toMatch(/ignored a reply that failed signature verification/);
    } finally {
      await victim.close();
      await worker.stop();
      await deleteQueues(connection, [queue, deadLetterQueueFor(queue)]);
    }
  });

  it("a refusal of the run's own request is accepted, and names the cause", async () => {
    const worker = await startInProcessWorker(
      { MODEL: "coder", SIGNING_KEY: KEY },
      undefined,
      new ScriptedModel([]),
    );
    const queue = worker.config.requestQueue;
    const client = await WorkClient.connect({
      amqpUrl: AMQP_URL,
      requestQueue: queue,
      signingKey: KEY,
    });
    try {
      // Signed by the right key, asking for a model the operator does not serve.
      const request = samplePlanRequest({ deadline: Date.now() + 30_000 });
      request.options.model = "not-served";
      expect(outcome(await client.submit(request))).toMatch(
        /^error invalid_request: model 'not-served' is not one this worker serves/,
      );
    } finally {
      await client.close();
      await worker.stop();
      await deleteQueues(connection, [queue, deadLetterQueueFor(queue)]);
    }
  });

  it("a signing-key mismatch ends the run at once, saying so", async () => {
    const worker = await startInProcessWorker(
      { MODEL: "coder", SIGNING_KEY: "the-worker-key-after-rotation" },
      undefined,
      new ScriptedModel([]),
    );
    const queue = worker.config.requestQueue;
    const client = await WorkClient.connect({
      amqpUrl: AMQP_URL,
      requestQueue: queue,
      signingKey: "the-action-key-before-rotation",
    });
    try {
      // Before, the refusal was dropped as forged and submit rejected at the deadline.
      const reply = await client.submit(samplePlanRequest({ deadline: Date.now() + 20_000 }));
      expect(outcome(reply)).toBe(`error invalid_request: ${KEY_MISMATCH}`);
    } finally {
      await client.close();
      await worker.stop();
      await deleteQueues(connection, [queue, deadLetterQueueFor(queue)]);
    }
  });
});

describe("refusals of the run's own body, as they come", () => {
  /** Takes the run's request off its queue, as a worker would, and answers it with `reply`. */
  async function refuse(
    queue: string,
    answer: (request: { body: Buffer; replyTo: string; requestId: string }) => {
      body: string;
      signature?: string;
    },
  ): Promise<void> {
    const channel = await connection.createConfirmChannel();
    let message: GetMessage | false = false;
    await waitFor(
      async () => {
        message = await channel.get(queue, { noAck: true });
        return message !== false;
      },
      10_000,
      "the request",
    );
    const got = message as unknown as GetMessage;
    const request = {
      body: got.content,
      replyTo: String(got.properties.replyTo),
      requestId: String(got.properties.correlationId),
    };
    const { body, signature } = answer(request);
    await new Promise<void>((resolve, reject) =>
      channel.sendToQueue(
        request.replyTo,
        Buffer.from(body),
        {
          correlationId: request.requestId,
          headers: signature === undefined ? {} : { "x-signature": signature },
        },
        (error: unknown) =>
          error ? reject(error instanceof Error ? error : new Error("not confirmed")) : resolve(),
      ),
    );
    await channel.close();
  }

  /** A request queue as a worker declares it, for the test to take the request from. */
  async function declaredQueue(label: string): Promise<string> {
    const queue = uniqueQueueName(label);
    const channel = await connection.createChannel();
    await channel.assertQueue(queue, {
      durable: true,
      arguments: requestQueueArguments(queue, DEFAULT_DELIVERY_LIMIT),
    });
    await channel.close();
    return queue;
  }

  function refusalOf(request: { body: Buffer; requestId: string }): ErrorReply {
    return {
      version: PROTOCOL_VERSION,
      requestId: request.requestId,
      at: Date.now(),
      type: "error",
      code: "invalid_request",
      message:
        "signature timestamp is 600 s ahead of this clock, outside the 300 s window (replayed or clock skew)",
      retryable: false,
      requestDigest: requestDigest(request.body),
    };
  }

  it("takes a genuine refusal signed while the clocks disagree as the worker's own words", async () => {
    const queue = await declaredQueue("skewed-refusal");
    const client = await WorkClient.connect({
      amqpUrl: AMQP_URL,
      requestQueue: queue,
      signingKey: KEY,
    });
    try {
      const answer = client.submit(samplePlanRequest({ deadline: Date.now() + 20_000 }));
      await refuse(queue, (request) => {
        const body = JSON.stringify(refusalOf(request));
        const binding = replyBinding(request.requestId, {
          requestDigest: requestDigest(request.body),
        });
        // The worker's clock ten minutes behind the runner's.
        return { body, signature: signBody(body, KEY, Date.now() - 10 * 60_000, binding) };
      });
      expect(outcome(await answer)).toMatch(
        /^error invalid_request: signature timestamp is 600 s ahead/,
      );
    } finally {
      await client.close();
      await deleteQueues(connection, [queue]);
    }
  });

  it("says the worker signs nothing when its refusal of this body carries no signature", async () => {
    const queue = await declaredQueue("unsigned-refusal");
    const client = await WorkClient.connect({
      amqpUrl: AMQP_URL,
      requestQueue: queue,
      signingKey: KEY,
    });
    try {
      const answer = client.submit(samplePlanRequest({ deadline: Date.now() + 20_000 }));
      await refuse(queue, (request) => ({ body: JSON.stringify(refusalOf(request)) }));
      expect(outcome(await answer)).toBe(`error invalid_request: ${WORKER_UNSIGNED}`);
    } finally {
      await client.close();
      await deleteQueues(connection, [queue]);
    }
  });
});
