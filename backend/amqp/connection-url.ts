/**
 * Adds a heartbeat to an AMQP URL unless it has one: without heartbeats a dead peer
 * behind a NAT or load balancer goes unnoticed for many minutes.
 */
export function withHeartbeat(url: string, seconds = 15): string {
  try {
    const parsed = new URL(url);
    if (!parsed.searchParams.has("heartbeat"))
      parsed.searchParams.set("heartbeat", String(seconds));
    return parsed.toString();
  } catch {
    return url;
  }
}
