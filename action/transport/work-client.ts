import { randomUUID } from "node:crypto";
import {
  connect,
  type ConfirmChannel,
  type ConsumeMessage,
  type RecoveringChannelModel,
} from "amqplib";
import { withHeartbeat } from "../../backend/amqp/connection-url.js";
import {
  PROTOCOL_VERSION,
  isTerminal,
  parseReply,
  type ProgressReply,
  type TerminalReply,
  type WorkRequest,
  type WorkRequestInput,
} from "../../backend/protocol/messages.js";
import { SIGNATURE_HEADER, signBody, verifyBody } from "../../backend/protocol/signing.js";
import {
  DEFAULT_DELIVERY_LIMIT,
  HEADER_DEADLINE,
  HEADER_PROTOCOL_VERSION,
  REPLY_QUEUE_GRACE_MS,
  REPLY_QUEUE_PREFIX,
  REQUEST_QUEUE,
  requestQueueArguments,
} from "../../backend/protocol/topology.js";

export interface WorkClientOptions {
  amqpUrl: string;
  requestQueue?: string;
  signingKey?: string;
  /** Log lines for the caller's log (never includes credentials). */
  log?: (message: string) => void;
}

export interface SubmitOptions {
  onProgress?: (progress: ProgressReply) => void;
  /** Called once the request is confirmed by the broker, with how many wait ahead of it. */
  onQueued?: (info: { ahead: number }) => void;
}

/** The broker refused or could not be reached; the message names the host, never the password. */
export class TransportError extends Error {}

/** No terminal reply before the deadline. */
export class DeadlineError extends Error {}

/**
 * The requester's side of the protocol. Each request gets its own durable reply queue
 * (not Direct Reply-to, which drops replies whenever the requester blinks) that expires
 * shortly after the deadline, so a brief disconnect loses nothing. The request is
 * published persistent on a confirm channel with `expiration` = time left, so a request
 * nobody picked up in time dies in the queue instead of being computed late.
 */
export class WorkClient {
  private constructor(
    private readonly connection: RecoveringChannelModel,
    private readonly options: WorkClientOptions,
  ) {}

  /** Connects, failing fast with a readable message if the broker is unreachable. */
  static async connect(options: WorkClientOptions): Promise<WorkClient> {
    const host = describeBroker(options.amqpUrl);
    try {
      const connection = await connect(withHeartbeat(options.amqpUrl), {
        // TCP_NODELAY: see the worker's connection; Nagle adds ~40 ms per confirm.
        noDelay: true,
        clientProperties: { connection_name: "issue-agent-action" },
        recovery: { initialDelay: 200, maxDelay: 5000, initialMaxRetries: 2, maxRetries: Infinity },
      });
      connection.on("error", () => undefined);
      return new WorkClient(connection, options);
    } catch (error) {
      const reason = (error as Error).message.replace(/\/\/[^@/]*@/g, "//***@");
      throw new TransportError(
        `cannot connect to RabbitMQ at ${host} (input 'amqp-url'): ${reason}. Check the host, port, credentials and that the runner can reach it.`,
        { cause: error },
      );
    }
  }

  /**
   * Publishes a request and resolves with its one terminal reply, or rejects with a
   * DeadlineError when `request.deadline` passes first. Duplicate terminal replies
   * (at-least-once delivery) are ignored: the first one wins.
   */
  async submit(input: WorkRequestInput, submitOptions: SubmitOptions = {}): Promise<TerminalReply> {
    const request = input as WorkRequest;
    const queue = this.options.requestQueue ?? REQUEST_QUEUE;
    const replyQueue = `${REPLY_QUEUE_PREFIX}${request.requestId}`;
    const timeLeft = request.deadline - Date.now();
    if (timeLeft <= 0) throw new DeadlineError("the deadline passed before the request was sent");
    const body = Buffer.from(JSON.stringify({ ...request, version: PROTOCOL_VERSION }));
    const channel = await this.connection.createConfirmChannel();
    channel.on("error", () => undefined);

    let settle:
      { resolve: (reply: TerminalReply) => void; reject: (error: Error) => void } | undefined;
    const done = new Promise<TerminalReply>((resolve, reject) => (settle = { resolve, reject }));
    // Awaited below once the request is out; until then a rejection must not go unhandled.
    done.catch(() => undefined);
    let finished = false;
    const onMessage = (message: ConsumeMessage | null, ch: ConfirmChannel) => {
      if (!message) return;
      ch.ack(message);
      if (finished || message.properties.correlationId !== request.requestId) return;
      if (this.options.signingKey) {
        const verified = verifyBody(
          message.content,
          message.properties.headers?.[SIGNATURE_HEADER],
          this.options.signingKey,
        );
        if (!verified.ok) {
          this.options.log?.(
            `ignored a reply that failed signature verification: ${verified.reason}`,
          );
          return;
        }
      }
      const parsed = parseReply(message.content);
      if (!parsed.ok) {
        this.options.log?.(`ignored an unreadable reply: ${parsed.reason}`);
        return;
      }
      if (parsed.value.requestId !== request.requestId) return;
      if (isTerminal(parsed.value)) {
        finished = true;
        settle?.resolve(parsed.value);
      } else {
        submitOptions.onProgress?.(parsed.value);
      }
    };

    // The reply queue is durable and outlives a dropped connection; after a reconnect we
    // consume it again on a fresh channel.
    const replyArgs = { "x-expires": timeLeft + REPLY_QUEUE_GRACE_MS };
    const consumeReplies = async (ch: ConfirmChannel) => {
      await ch.assertQueue(replyQueue, {
        durable: true,
        exclusive: false,
        autoDelete: false,
        arguments: replyArgs,
      });
      await ch.consume(replyQueue, (m) => onMessage(m, ch), { noAck: false });
    };
    const onReconnect = () => {
      if (finished) return;
      this.connection
        .createConfirmChannel()
        .then(async (ch) => {
          ch.on("error", () => undefined);
          await consumeReplies(ch);
          this.options.log?.("reconnected to RabbitMQ; still waiting for the reply");
        })
        .catch((error: unknown) =>
          this.options.log?.(`could not resume reply consumption: ${(error as Error).message}`),
        );
    };
    this.connection.on("connect", onReconnect);
    const timer = setTimeout(() => {
      if (!finished) {
        finished = true;
        settle?.reject(new DeadlineError("no answer from the worker before the deadline"));
      }
    }, timeLeft);

    try {
      await consumeReplies(channel);
      // Declare the request queue the way the worker does (idempotent), so a request sent
      // before any worker ever ran is kept rather than dropped as unroutable.
      const declared = await channel
        .assertQueue(queue, {
          durable: true,
          arguments: requestQueueArguments(queue, DEFAULT_DELIVERY_LIMIT),
        })
        .catch(async () => {
          // A queue declared with other arguments (e.g. a different delivery limit) exists: use it as is.
          return await this.connection.createChannel().then((c) => c.checkQueue(queue));
        });
      const headers: Record<string, unknown> = {
        [HEADER_PROTOCOL_VERSION]: PROTOCOL_VERSION,
        [HEADER_DEADLINE]: request.deadline,
      };
      if (this.options.signingKey)
        headers[SIGNATURE_HEADER] = signBody(body, this.options.signingKey);
      await new Promise<void>((resolve, reject) => {
        channel.sendToQueue(
          queue,
          body,
          {
            persistent: true,
            contentType: "application/json",
            messageId: request.idempotencyKey,
            correlationId: request.requestId,
            replyTo: replyQueue,
            expiration: String(Math.max(1, request.deadline - Date.now())),
            timestamp: Date.now(),
            headers,
          },
          (error: unknown) =>
            error
              ? reject(
                  new TransportError(
                    `RabbitMQ did not accept the request: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
                  ),
                )
              : resolve(),
        );
      });
      submitOptions.onQueued?.({ ahead: Math.max(0, declared.messageCount) });
      return await done;
    } finally {
      clearTimeout(timer);
      finished = true;
      this.connection.off("connect", onReconnect);
      // The reply queue is this run's alone; remove it now that we are done with it (on a
      // fresh channel if a reconnect took the first one).
      const deleted = await channel.deleteQueue(replyQueue).then(
        () => true,
        () => false,
      );
      await channel.close().catch(() => undefined);
      if (!deleted) {
        await this.connection
          .createChannel()
          .then(async (c) => {
            await c.deleteQueue(replyQueue);
            await c.close();
          })
          .catch(() => undefined);
      }
    }
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}

/** `host:port` of an AMQP URL, for messages (never the credentials). */
export function describeBroker(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || (parsed.protocol === "amqps:" ? "5671" : "5672")}`;
  } catch {
    return "(an unparseable amqp-url)";
  }
}

/** A fresh request id. */
export function newRequestId(): string {
  return randomUUID();
}
