/**
 * A requester that publishes like the Action but keeps every reply it receives, so a
 * test can count terminal replies on the wire instead of trusting the client that
 * de-duplicates them.
 */
import type { ChannelModel, ConfirmChannel } from "amqplib";
import {
  type Reply,
  type WorkRequest,
  SIGNATURE_HEADER,
  signBody,
  DEFAULT_DELIVERY_LIMIT,
  REPLY_QUEUE_PREFIX,
  requestQueueArguments,
} from "../../../protocol/index.js";

export interface RecordedReplies {
  replyQueue: string;
  /** Every reply, parsed, in arrival order. */
  replies: Reply[];
  terminal(): Reply[];
  /** Resolves once `count` terminal replies have arrived (bounded by `timeoutMs`). */
  waitForTerminal(count?: number, timeoutMs?: number): Promise<Reply[]>;
  close(): Promise<void>;
}

/** Publishes `request` on `queue` and records every reply sent to its own reply queue. */
export async function publishAndRecord(
  connection: ChannelModel,
  queue: string,
  request: WorkRequest,
  options: {
    signingKey?: string;
    deliveryLimit?: number;
    /** Reply-queue arguments, e.g. a length limit that refuses replies. */
    replyQueueArguments?: Record<string, unknown>;
    expirationMs?: number;
  } = {},
): Promise<RecordedReplies> {
  const channel: ConfirmChannel = await connection.createConfirmChannel();
  channel.on("error", () => undefined);
  const replyQueue = `${REPLY_QUEUE_PREFIX}${request.requestId}`;
  await channel.assertQueue(replyQueue, {
    durable: true,
    arguments: { "x-expires": 120_000, ...options.replyQueueArguments },
  });
  await channel.assertQueue(queue, {
    durable: true,
    arguments: requestQueueArguments(queue, options.deliveryLimit ?? DEFAULT_DELIVERY_LIMIT),
  });
  const replies: Reply[] = [];
  const listeners = new Set<() => void>();
  await channel.consume(
    replyQueue,
    (message) => {
      if (!message) return;
      replies.push(JSON.parse(message.content.toString("utf8")) as Reply);
      for (const listener of listeners) listener();
    },
    { noAck: true },
  );
  const body = Buffer.from(JSON.stringify(request));
  const headers: Record<string, unknown> = {};
  if (options.signingKey) headers[SIGNATURE_HEADER] = signBody(body, options.signingKey);
  await new Promise<void>((resolve, reject) =>
    channel.sendToQueue(
      queue,
      body,
      {
        persistent: true,
        messageId: request.idempotencyKey,
        correlationId: request.requestId,
        replyTo: replyQueue,
        timestamp: Date.now(),
        headers,
        ...(options.expirationMs ? { expiration: String(options.expirationMs) } : {}),
      },
      (error: unknown) =>
        error
          ? reject(error instanceof Error ? error : new Error(JSON.stringify(error)))
          : resolve(),
    ),
  );
  const terminal = () => replies.filter((r) => r.type !== "progress");
  return {
    replyQueue,
    replies,
    terminal,
    waitForTerminal: (count = 1, timeoutMs = 20_000) =>
      new Promise<Reply[]>((resolve, reject) => {
        const check = () => {
          if (terminal().length >= count) {
            clearTimeout(timer);
            listeners.delete(check);
            resolve(terminal());
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`${count} terminal replies not seen in ${timeoutMs} ms`));
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
    close: async () => {
      await channel.deleteQueue(replyQueue).catch(() => undefined);
      await channel.close().catch(() => undefined);
    },
  };
}
