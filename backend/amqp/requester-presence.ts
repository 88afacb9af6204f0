import type { Channel } from "amqplib";

/** How often a job in hand checks that its requester is still waiting for the answer. */
export const REQUESTER_CHECK_INTERVAL_MS = 1000;

/** The requester's reply queue is gone: nobody will read the answer. */
export class RequesterGoneError extends Error {
  constructor(readonly replyQueue: string) {
    super(`the requester is gone: its reply queue ${replyQueue} no longer exists`);
    this.name = "RequesterGoneError";
  }
}

/**
 * Whether the requester of a request is still there to read its answer. Each Action run
 * owns its reply queue and deletes it when it ends, also when its workflow run is
 * cancelled; a request whose reply queue is gone is not worth model time. The queue's
 * existence is the signal, so no extra message (nor a key to sign it) is needed, and it
 * holds for classic and quorum reply queues alike.
 *
 * Checked with a passive declare on a channel of its own: RabbitMQ answers a missing queue
 * by closing the channel (404), which must never take the consumer's channel with it.
 * Anything but a clear 404 (the broker unreachable, the probe channel closed under a
 * concurrent check) counts as present: work is dropped only when the queue is surely gone.
 */
export class RequesterPresence {
  private probe: Promise<Channel> | undefined;

  /**
   * `connection` gives the live connection, or undefined while there is none (a check
   * must not wait out a reconnect with a job waiting on it).
   */
  constructor(
    private readonly connection: () => { createChannel(): Promise<Channel> } | undefined,
  ) {}

  /** True when `replyQueue` surely no longer exists. */
  async isGone(replyQueue: string): Promise<boolean> {
    let channel: Channel;
    try {
      channel = await this.channel();
    } catch {
      return false;
    }
    try {
      await channel.checkQueue(replyQueue);
      return false;
    } catch (error) {
      this.probe = undefined;
      return (error as { code?: unknown }).code === 404;
    }
  }

  /**
   * Checks `replyQueue` every `intervalMs` until stopped; `signal` aborts (with a
   * RequesterGoneError) once the queue is gone.
   */
  watch(
    replyQueue: string,
    intervalMs = REQUESTER_CHECK_INTERVAL_MS,
  ): { signal: AbortSignal; stop: () => void } {
    const controller = new AbortController();
    let checking = false;
    const timer = setInterval(() => {
      if (checking || controller.signal.aborted) return;
      checking = true;
      void this.isGone(replyQueue)
        .then((gone) => {
          if (gone) {
            clearInterval(timer);
            controller.abort(new RequesterGoneError(replyQueue));
          }
        })
        .finally(() => (checking = false));
    }, intervalMs);
    timer.unref();
    return { signal: controller.signal, stop: () => clearInterval(timer) };
  }

  /** Closes the probe channel (at shutdown). */
  async close(): Promise<void> {
    const probe = this.probe;
    this.probe = undefined;
    const channel = await probe?.catch(() => undefined);
    await channel?.close().catch(() => undefined);
  }

  private channel(): Promise<Channel> {
    if (this.probe) return this.probe;
    const connection = this.connection();
    if (!connection) return Promise.reject(new Error("not connected"));
    const probe = connection.createChannel().then((channel) => {
      channel.on("error", () => undefined);
      channel.on("close", () => {
        if (this.probe === probe) this.probe = undefined;
      });
      return channel;
    });
    this.probe = probe;
    probe.catch(() => {
      if (this.probe === probe) this.probe = undefined;
    });
    return probe;
  }
}
