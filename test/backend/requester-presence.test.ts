/**
 * How the worker tells that a request's requester is gone: its reply queue no longer
 * exists. Against the real RabbitMQ, with classic and quorum reply queues (the Action
 * declares a quorum one when given several broker URLs).
 */
import type { ChannelModel } from "amqplib";
import { RequesterPresence, RequesterGoneError } from "../../backend/amqp/requester-presence.js";
import { REPLY_QUEUE_PREFIX } from "../../protocol/index.js";
import {
  deleteQueues,
  openTestConnection,
  uniqueQueueName,
  waitFor,
} from "../support/broker/rabbitmq.js";

let connection: ChannelModel;
let presence: RequesterPresence;

beforeAll(async () => {
  connection = await openTestConnection();
  presence = new RequesterPresence(() => connection);
});

afterAll(async () => {
  await presence.close();
  await connection.close();
});

async function declareReplyQueue(quorum: boolean): Promise<string> {
  const queue = uniqueQueueName(`${REPLY_QUEUE_PREFIX}presence`);
  const channel = await connection.createChannel();
  await channel.assertQueue(queue, {
    durable: true,
    arguments: { "x-expires": 60_000, ...(quorum ? { "x-queue-type": "quorum" } : {}) },
  });
  await channel.close();
  return queue;
}

describe.each([
  ["classic", false],
  ["quorum", true],
])("a %s reply queue", (_kind, quorum) => {
  it("is present while it exists and gone once deleted", async () => {
    const queue = await declareReplyQueue(quorum);
    expect(await presence.isGone(queue)).toBe(false);
    await deleteQueues(connection, [queue]);
    expect(await presence.isGone(queue)).toBe(true);
    // The probe channel that the 404 closed is replaced: the next check still answers.
    const other = await declareReplyQueue(quorum);
    expect(await presence.isGone(other)).toBe(false);
    await deleteQueues(connection, [other]);
  });

  it("aborts a watch once the queue is deleted, and not before", async () => {
    const queue = await declareReplyQueue(quorum);
    const watch = presence.watch(queue, 50);
    try {
      await new Promise((r) => setTimeout(r, 200));
      expect(watch.signal.aborted).toBe(false);
      await deleteQueues(connection, [queue]);
      await waitFor(() => watch.signal.aborted, 5_000, "the watch to notice the deleted queue");
      expect(watch.signal.reason).toBeInstanceOf(RequesterGoneError);
    } finally {
      watch.stop();
    }
  });
});

it("never calls a requester gone without a broker to ask", async () => {
  const disconnected = new RequesterPresence(() => undefined);
  expect(await disconnected.isGone(`${REPLY_QUEUE_PREFIX}whatever`)).toBe(false);
});
