/**
 * AMQP URL helpers shared by the Action and the worker. Credentials never leave these
 * functions: messages and logs name the host, or the URL with its password masked.
 */

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

/** `host:port` of an AMQP URL, for messages (never the credentials). */
export function describeBroker(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || (parsed.protocol === "amqps:" ? "5671" : "5672")}`;
  } catch {
    return "(an unparseable amqp-url)";
  }
}

/** The URL with its password masked, for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}
