import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import {
  connect,
  type ConfirmChannel,
  type ConsumeMessage,
  type RecoveringChannelModel,
} from "amqplib";
import {
  brokerRotation,
  describeBrokers,
  PROTOCOL_VERSION,
  isTerminal,
  parseReply,
  type ProgressReply,
  type TerminalReply,
  type WorkRequest,
  type WorkRequestInput,
  SIGNATURE_HEADER,
  replyBinding,
  requestDigest,
  signBody,
  verifyBody,
  DEFAULT_DELIVERY_LIMIT,
  HEADER_DEADLINE,
  HEADER_PROTOCOL_VERSION,
  REPLY_QUEUE_PREFIX,
  REQUEST_QUEUE,
  requestQueueArguments,
} from "../../protocol/index.js";

export interface WorkClientOptions {
  amqpUrl: string;
  requestQueue?: string;
  signingKey?: string;
  /** Log lines for the caller's log (never includes credentials). */
  log?: (message: string) => void;
  /** Shown in the broker's connection list; defaults to `issue-agent-action`. */
  connectionName?: string;
}

export interface SubmitOptions {
  onProgress?: (progress: ProgressReply) => void;
  /** Called once the request is confirmed by the broker, with how many wait ahead of it. */
  onQueued?: (info: { ahead: number }) => void;
  /**
   * Stops waiting: `submit` rejects with the signal's reason. Closing the client then
   * deletes the reply queue, which tells the workers the request is no longer wanted.
   */
  signal?: AbortSignal;
}

/** The broker refused or could not be reached; the message names the host, never the password. */
export class TransportError extends Error {}

/**
 * The connection or channel went away under an operation: the broker's view of it is
 * unknown. Internal: submit() retries on the next connection, and what still escapes is
 * a TransportError to callers.
 */
class ConnectionLostError extends TransportError {}

/** The broker refused the publish (nack); sent again until the deadline, then reported. */
class RefusedError extends TransportError {}

/** No terminal reply before the deadline. */
export class DeadlineError extends Error {}

/** Pause before sending a request again after the connection dropped under it. */
const RESEND_PAUSE_MS = 200;

/** How long the reply queue survives without a consumer (the requester gone or cut off). */
export const REPLY_QUEUE_IDLE_EXPIRY_MS = 15 * 60 * 1000;

/**
 * A classic queue lives on the node it was declared on: when that node dies its replies
 * are out of reach (a re-declare on another node is refused) until it returns. With a
 * cluster (several URLs) the reply queue is a quorum queue, replicated like the request
 * queue, so the client resumes on a surviving node with every reply it had not read.
 */
function replyQueueArguments(replicated: boolean): Record<string, unknown> {
  const expires = { "x-expires": REPLY_QUEUE_IDLE_EXPIRY_MS };
  return replicated ? { ...expires, "x-queue-type": "quorum" } : expires;
}

/** Why a worker's refusal of this run's own request could not be verified: the keys differ. */
export const KEY_MISMATCH =
  "its signature did not verify on the worker, and the worker's answer does not verify with this run's signing-key: the two keys differ. Set the Action's signing-key and the worker's SIGNING_KEY to the same secret";

/** The same, from a worker that signs nothing. */
export const WORKER_UNSIGNED =
  "the worker's answer carries no signature, while this run signs its requests: the worker runs without SIGNING_KEY. Set the worker's SIGNING_KEY to the Action's signing-key";

interface Pending {
  /** What a genuine reply's signature is bound to (see replyBinding). */
  binding: string;
  /** The digest of the body sent, and what a worker's refusal of that body is bound to. */
  refusal: { digest: string; binding: string };
  /** Set once the broker confirmed the request: what it takes to ask again after a reconnect. */
  published?: { queue: string; body: Buffer; deadline: number; idempotencyKey: string };
  /** A worker has reported on it (progress): its reply may exist, or be lost, elsewhere. */
  taken?: boolean;
  resolve: (reply: TerminalReply) => void;
  reject: (error: Error) => void;
  onProgress?: ((progress: ProgressReply) => void) | undefined;
}

/**
 * The requester's side of the protocol. A client (one Action run, one CLI call) owns one
 * durable reply queue, not Direct Reply-to, which drops replies whenever the requester
 * blinks: after a disconnect the client consumes the same queue again and nothing is
 * lost; the queue expires after REPLY_QUEUE_IDLE_EXPIRY_MS without a consumer. Requests
 * are published persistent on a confirm channel with `expiration` = time left, so a
 * request nobody picked up in time dies in the queue instead of being computed late.
 * Replies are matched by correlation id; a second terminal reply for a request (at-least-
 * once delivery) finds nothing waiting and is dropped, so each request resolves once.
 */
export class WorkClient {
  /** The durable queue this client's replies come to. */
  readonly replyQueue = `${REPLY_QUEUE_PREFIX}${randomUUID()}`;
  private readonly pending = new Map<string, Pending>();
  private channel: Promise<ConfirmChannel> | undefined;
  private consuming = false;

  private constructor(
    private readonly connection: RecoveringChannelModel,
    private readonly options: WorkClientOptions,
    /** Several brokers listed: a cluster, where the reply queue must outlive its node. */
    private readonly replicated: boolean,
  ) {
    // After a reconnect the old channel is gone: consume the reply queue again at once
    // and ask again for the requests still waiting whose reply may have been lost with the
    // broker or sent while the reply queue was out of reach (see askAgain).
    connection.on("connect", () => {
      this.channel = undefined;
      if (this.consuming && this.pending.size > 0) {
        // Taken before the drop, and only those: the new channel is not consuming yet, so
        // a progress it brings (a worker took the request while this client was away)
        // cannot count. Such a reply waits in the durable queue; asking again for it would
        // only have another worker compute it a second time.
        const takenBeforeTheDrop = new Set(
          [...this.pending].filter(([, waiting]) => waiting.taken).map(([requestId]) => requestId),
        );
        this.replyChannel().then(
          async (channel) => {
            this.options.log?.("reconnected to RabbitMQ; still waiting for the reply");
            await this.askAgain(channel, takenBeforeTheDrop);
          },
          (error: unknown) =>
            this.options.log?.(`could not resume reply consumption: ${(error as Error).message}`),
        );
      }
    });
  }

  /** Connects, failing fast with a readable message if the broker is unreachable. */
  static async connect(options: WorkClientOptions): Promise<WorkClient> {
    const host = describeBrokers(options.amqpUrl);
    try {
      // amqp-url may list several nodes of a cluster: each reconnect tries the next one.
      const brokers = brokerRotation(options.amqpUrl, { initialDelay: 200, maxDelay: 5000 });
      const connection = await connect(brokers.target, {
        // TCP_NODELAY: see the worker's connection; Nagle adds ~40 ms per confirm.
        noDelay: true,
        clientProperties: { connection_name: options.connectionName ?? "issue-agent-action" },
        recovery: {
          initialDelay: 200,
          maxDelay: 5000,
          // Two retries of a lone broker; with several, two more than one round of them.
          initialMaxRetries: brokers.size + 1,
          maxRetries: Infinity,
          calculateDelay: (attempt: number) => brokers.calculateDelay(attempt),
        },
      });
      connection.on("error", () => undefined);
      return new WorkClient(connection, options, brokers.size > 1);
    } catch (error) {
      const reason = (error as Error).message.replace(/\/\/[^@/]*@/g, "//***@");
      throw new TransportError(
        `cannot connect to RabbitMQ at ${host} (input 'amqp-url'): ${reason}. Check the host, port, credentials and that the runner can reach it.`,
        { cause: error },
      );
    }
  }

  /** The confirm channel, with the reply queue declared and consumed on it. */
  private replyChannel(): Promise<ConfirmChannel> {
    this.channel ??= (async () => {
      const channel = await this.connection.createConfirmChannel();
      channel.on("error", () => undefined);
      channel.on("close", () => {
        if (this.channel === current) this.channel = undefined;
      });
      await channel.assertQueue(this.replyQueue, {
        durable: true,
        exclusive: false,
        autoDelete: false,
        arguments: replyQueueArguments(this.replicated),
      });
      await channel.consume(this.replyQueue, (message) => this.onReply(channel, message), {
        noAck: false,
      });
      this.consuming = true;
      return channel;
    })();
    const current = this.channel;
    current.catch(() => {
      if (this.channel === current) this.channel = undefined;
    });
    return current;
  }

  private onReply(channel: ConfirmChannel, message: ConsumeMessage | null): void {
    if (!message) return;
    channel.ack(message);
    const correlationId = message.properties.correlationId as unknown;
    const waiting = typeof correlationId === "string" ? this.pending.get(correlationId) : undefined;
    if (!waiting) return; // finished already, or not ours
    const parsed = parseReply(message.content);
    if (this.options.signingKey) {
      const header: unknown = message.properties.headers?.[SIGNATURE_HEADER];
      const key = this.options.signingKey;
      const verified = verifyBody(message.content, header, key, { binding: waiting.binding });
      const refusal =
        !verified.ok &&
        parsed.ok &&
        parsed.value.type === "error" &&
        parsed.value.code === "invalid_request" &&
        parsed.value.requestDigest === waiting.refusal.digest
          ? parsed.value
          : undefined;
      // Any age will do for a refusal of this very body (the digest binds it to this
      // request alone): one the worker sent while the clocks disagree is still its own.
      const genuine =
        refusal !== undefined &&
        verifyBody(message.content, header, key, {
          binding: waiting.refusal.binding,
          maxSkewMs: Infinity,
          maxAgeMs: Infinity,
        }).ok;
      if (refusal && !genuine) {
        // This run's very body, refused by a worker whose answer this key does not verify.
        // Said now, in words of our own (the text is unverified), instead of waiting out
        // the deadline for an answer that cannot come.
        this.pending.delete(correlationId as string);
        const message =
          typeof header === "string" && header !== "" ? KEY_MISMATCH : WORKER_UNSIGNED;
        waiting.resolve({ ...refusal, message, retryable: false });
        return;
      }
      if (!verified.ok && !refusal) {
        this.options.log?.(
          `ignored a reply that failed signature verification: ${verified.reason}`,
        );
        return;
      }
    }
    if (!parsed.ok) {
      this.options.log?.(`ignored an unreadable reply: ${parsed.reason}`);
      return;
    }
    if (parsed.value.requestId !== correlationId) return;
    if (isTerminal(parsed.value)) {
      this.pending.delete(correlationId);
      waiting.resolve(parsed.value);
    } else {
      waiting.taken = true;
      waiting.onProgress?.(parsed.value);
    }
  }

  /**
   * Publishes a request and resolves with its one terminal reply, or rejects with a
   * DeadlineError when `request.deadline` passes first.
   */
  async submit(input: WorkRequestInput, submitOptions: SubmitOptions = {}): Promise<TerminalReply> {
    const request = input as WorkRequest;
    const queue = this.options.requestQueue ?? REQUEST_QUEUE;
    const timeLeft = request.deadline - Date.now();
    if (timeLeft <= 0) throw new DeadlineError("the deadline passed before the request was sent");
    if (this.pending.has(request.requestId))
      throw new Error(`request ${request.requestId} is already waiting`);
    const { signal } = submitOptions;
    signal?.throwIfAborted();
    const body = Buffer.from(JSON.stringify({ ...request, version: PROTOCOL_VERSION }));

    let timer: NodeJS.Timeout | undefined;
    let stopWaiting: (() => void) | undefined;
    const done = new Promise<TerminalReply>((resolve, reject) => {
      const digest = requestDigest(body);
      this.pending.set(request.requestId, {
        binding: replyBinding(request.requestId, {
          owner: request.repo.owner,
          name: request.repo.name,
          issue: request.issue.number,
        }),
        refusal: { digest, binding: replyBinding(request.requestId, { requestDigest: digest }) },
        resolve,
        reject,
        onProgress: submitOptions.onProgress,
      });
      timer = setTimeout(() => {
        this.pending.delete(request.requestId);
        reject(new DeadlineError("no answer from the worker before the deadline"));
      }, timeLeft);
      stopWaiting = () => {
        this.pending.delete(request.requestId);
        reject(signal?.reason instanceof Error ? signal.reason : new Error("request abandoned"));
      };
      signal?.addEventListener("abort", stopWaiting, { once: true });
    });
    // Awaited below once the request is out; until then a rejection must not go unhandled.
    done.catch(() => undefined);
    try {
      const published = {
        queue,
        body,
        deadline: request.deadline,
        idempotencyKey: request.idempotencyKey,
      };
      const sent = this.sendUntilConfirmed(request.requestId, published, signal).then(
        (declared) => {
          const waiting = this.pending.get(request.requestId);
          if (waiting) waiting.published = published;
          submitOptions.onQueued?.({ ahead: Math.max(0, declared.messageCount) });
        },
      );
      sent.catch(() => undefined);
      // Sending waits for a connection while the broker is away; the deadline, a cancel,
      // or a reply to an earlier copy end the wait all the same.
      await Promise.race([sent, done]);
      return await done;
    } finally {
      clearTimeout(timer);
      if (stopWaiting) signal?.removeEventListener("abort", stopWaiting);
      this.pending.delete(request.requestId);
    }
  }

  /**
   * Declares the request queue and publishes the request until the broker confirms it.
   * A connection lost before the confirm (the node went away) leaves unknown whether the
   * request reached the queue, so it is sent again, same id, on the next connection (the
   * next node of a cluster) while the request is still waiting. Two copies queued cost at
   * most a second computation — a worker that answered the first answers the second from
   * memory — and the first terminal reply wins. A refusal (nack) is retried the same way until the deadline.
   */
  private async sendUntilConfirmed(
    requestId: string,
    published: NonNullable<Pending["published"]>,
    signal: AbortSignal | undefined,
  ): Promise<{ messageCount: number }> {
    for (;;) {
      try {
        const declared = await this.declareRequestQueue(published.queue);
        // Cancelled while the queues were being declared: publish nothing.
        signal?.throwIfAborted();
        await this.publish(await this.replyChannel(), requestId, published);
        return declared;
      } catch (error) {
        const stillWaiting = this.pending.has(requestId) && Date.now() < published.deadline;
        const retryable = error instanceof ConnectionLostError || error instanceof RefusedError;
        if (!retryable || !stillWaiting) throw error;
        this.options.log?.(
          error instanceof RefusedError
            ? `RabbitMQ refused request ${requestId} for now; sending it again`
            : `the connection to RabbitMQ dropped before it confirmed request ${requestId}; sending it again`,
        );
        // Channels wait for the next connection; a pause keeps a connection that fails as
        // soon as it opens from turning this into a busy loop.
        await sleep(RESEND_PAUSE_MS);
      }
    }
  }

  /**
   * Declares the request queue as the worker does (idempotent), so a request sent before
   * any worker ever ran is kept rather than dropped as unroutable.
   */
  private async declareRequestQueue(queue: string): Promise<{ messageCount: number }> {
    const channel = await this.replyChannel().catch((error: unknown) => {
      throw new ConnectionLostError("no channel", { cause: error });
    });
    return channel
      .assertQueue(queue, {
        durable: true,
        arguments: requestQueueArguments(queue, DEFAULT_DELIVERY_LIMIT),
      })
      .catch(async () => {
        // Declared with other arguments (another delivery limit, say): use it as it is.
        // (A lost connection shows here too: the probe then waits for the next one.)
        this.channel = undefined;
        const probe = await this.connection.createChannel();
        try {
          return await probe.checkQueue(queue);
        } catch (error) {
          throw new ConnectionLostError("could not declare the request queue", { cause: error });
        } finally {
          await probe.close().catch(() => undefined);
        }
      });
  }

  /**
   * Publishes a request persistent with `expiration` = time left, and waits for the
   * broker's confirm. Signed at each publish: a request asked again long after its first
   * publish must not look like a replay.
   */
  private async publish(
    channel: ConfirmChannel,
    requestId: string,
    { queue, body, deadline, idempotencyKey }: NonNullable<Pending["published"]>,
  ): Promise<void> {
    const headers: Record<string, unknown> = {
      [HEADER_PROTOCOL_VERSION]: PROTOCOL_VERSION,
      [HEADER_DEADLINE]: deadline,
    };
    if (this.options.signingKey)
      headers[SIGNATURE_HEADER] = signBody(body, this.options.signingKey);
    await new Promise<void>((resolve, reject) => {
      const onConfirm = (error: unknown) => {
        if (!error) return resolve();
        const reason = error instanceof Error ? error.message : JSON.stringify(error);
        // amqplib reports a broker nack as "message nacked"; anything else is the
        // channel closing under the publish, which says nothing about the broker's view.
        // A nack is retried too: a quorum queue whose leader's node died can refuse
        // publishes for a while after a new leader is elected (docs/reliability.md).
        reject(
          reason === "message nacked"
            ? new RefusedError(`RabbitMQ did not accept the request: ${reason}`)
            : new ConnectionLostError(reason),
        );
      };
      try {
        channel.sendToQueue(
          queue,
          body,
          {
            persistent: true,
            contentType: "application/json",
            messageId: idempotencyKey,
            correlationId: requestId,
            replyTo: this.replyQueue,
            expiration: String(Math.max(1, deadline - Date.now())),
            timestamp: Date.now(),
            headers,
          },
          onConfirm,
        );
      } catch (error) {
        // A channel already closed refuses the send synchronously.
        reject(new ConnectionLostError((error as Error).message, { cause: error }));
      }
    });
  }

  /**
   * After a reconnect: publishes again, same id and body, every confirmed request still
   * waiting that a worker had taken (it reported progress). Its reply may be lost; the
   * worker that answered it, or is computing it, answers the copy from memory instead of
   * computing it again, and the first terminal reply wins. A request no worker has taken
   * yet is not asked again: the broker confirmed it into the replicated request queue,
   * where it still waits, and a second copy would only be computed a second time by
   * whichever worker does not remember the first (each remembers only its own answers).
   * One that fails to go out is asked again at the next reconnect. `taken` is the set of
   * requests a worker had reported on before the connection dropped.
   */
  private async askAgain(channel: ConfirmChannel, taken: ReadonlySet<string>): Promise<void> {
    let asked = 0;
    for (const [requestId, waiting] of this.pending) {
      if (!waiting.published || !taken.has(requestId) || waiting.published.deadline <= Date.now())
        continue;
      try {
        await this.publish(channel, requestId, waiting.published);
        asked += 1;
      } catch (error) {
        this.options.log?.(`could not ask again for ${requestId}: ${(error as Error).message}`);
      }
    }
    if (asked > 0) this.options.log?.(`asked again for ${asked} request(s) still waiting`);
  }

  /**
   * Deletes the reply queue and closes the connection. A worker checks the queue before
   * and while it computes: once it is gone, requests still queued or in hand are dropped.
   */
  async close(): Promise<void> {
    for (const [id, waiting] of this.pending) {
      this.pending.delete(id);
      waiting.reject(new TransportError("the client was closed while waiting"));
    }
    const channel = await this.channel?.catch(() => undefined);
    if (channel) {
      await channel.deleteQueue(this.replyQueue).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
    await this.connection.close().catch(() => undefined);
  }
}

/** A fresh request id. */
export function newRequestId(): string {
  return randomUUID();
}
