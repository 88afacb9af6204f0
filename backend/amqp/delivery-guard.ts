import type { Channel, ConsumeMessage } from "amqplib";

export type Settlement = "ack" | "dead-letter" | "requeue";

/**
 * Settles a delivery exactly once. A second ack or nack on the same delivery makes
 * RabbitMQ close the channel (406 PRECONDITION_FAILED), taking every other in-flight job
 * with it, so the guard refuses repeats. If the channel the message came on has closed,
 * nothing can be settled: the broker has already returned the message to the queue.
 */
export class DeliveryGuard {
  private settled: Settlement | undefined;
  private channelClosed = false;

  private readonly onClose = () => {
    this.channelClosed = true;
  };

  constructor(
    private readonly channel: Channel,
    private readonly message: ConsumeMessage,
  ) {
    channel.once("close", this.onClose);
  }

  get settlement(): Settlement | undefined {
    return this.settled;
  }

  /** Returns false when the delivery was already settled or its channel is gone. */
  settle(how: Settlement): boolean {
    if (this.settled || this.channelClosed) return false;
    this.settled = how;
    // Once settled the guard is done: keeping the listener would keep this delivery (and
    // its body) alive for as long as the channel lives.
    this.channel.off("close", this.onClose);
    try {
      if (how === "ack") this.channel.ack(this.message);
      else this.channel.nack(this.message, false, how === "requeue");
      return true;
    } catch {
      // The channel closed between the check and the call; the broker redelivers.
      return false;
    }
  }
}
