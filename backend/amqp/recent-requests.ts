/**
 * Request ids this worker has already answered, newest kept. A delivery whose id is here
 * is a redelivery after a lost ack (broker restart) or a replay: it is acked without
 * computing again, so the requester gets one answer.
 */
export class RecentRequests {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.ids.delete(id);
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
  }
}
