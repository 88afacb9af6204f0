import type { TerminalReply } from "../../protocol/index.js";

/**
 * Requests this worker has already answered, with their terminal replies, newest kept. A
 * delivery whose id is here is a redelivery after a lost ack (broker restart, a worker
 * killed between reply and ack elsewhere) or a requester asking again because its reply
 * was lost: it gets the stored reply again, not a second computation.
 */
export class RecentRequests {
  private readonly replies = new Map<string, TerminalReply>();

  constructor(private readonly capacity = 10_000) {}

  has(id: string): boolean {
    return this.replies.has(id);
  }

  /** The terminal reply sent for `id`, if it is still remembered. */
  get(id: string): TerminalReply | undefined {
    return this.replies.get(id);
  }

  add(id: string, reply: TerminalReply): void {
    this.replies.delete(id);
    this.replies.set(id, reply);
    if (this.replies.size > this.capacity) {
      const oldest = this.replies.keys().next().value;
      if (oldest !== undefined) this.replies.delete(oldest);
    }
  }
}
