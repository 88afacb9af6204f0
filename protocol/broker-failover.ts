/**
 * Several brokers behind one setting: `amqp-url` / `AMQP_URL` may list the nodes of a
 * replicated RabbitMQ cluster separated by commas. The connection starts on the first
 * and, each time it is lost or a connect attempt fails, moves on to the next, so losing
 * the node a client is connected to costs one reconnect, not the run.
 *
 * amqplib's recovering connection reconnects to the one target it was given; here that
 * target is an object (amqplib's documented object form of a URL) whose fields read the
 * current broker, and the recovery's own delay hook, called before every reconnect,
 * moves to the next broker. Credentials stay inside; messages use describeBrokers.
 */
import { describeBroker, redactUrl, withHeartbeat } from "./connection-url.js";

/** The URLs of a comma-separated list, trimmed, empty entries dropped. */
export function splitBrokerUrls(value: string): string[] {
  return value
    .split(",")
    .map((url) => url.trim())
    .filter((url) => url.length > 0);
}

/** Whether `value` lists one or more AMQP URLs (`amqp://` or `amqps://`), comma-separated. */
export function isBrokerUrlList(value: string): boolean {
  const urls = splitBrokerUrls(value);
  return urls.length > 0 && urls.every((url) => /^amqps?:\/\/[^\s,]+$/.test(url));
}

/** What a broker URL list looks like, for messages about a bad one. */
export const BROKER_URL_FORM =
  "amqp://user:password@host:port/vhost or amqps://..., or several separated by commas (the nodes of a cluster)";

/** `host:port, host:port` of a list, for messages (never the credentials). */
export function describeBrokers(value: string): string {
  return splitBrokerUrls(value).map(describeBroker).join(", ");
}

/** Every URL of a list with its password masked, for logs. */
export function redactUrls(value: string): string {
  return splitBrokerUrls(value).map(redactUrl).join(",");
}

/** The fields amqplib reads from an object target (see its `connect` documentation). */
export interface BrokerTarget {
  readonly protocol: string;
  readonly hostname: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly vhost: string;
  readonly heartbeat: number | undefined;
  readonly frameMax: number | undefined;
  readonly channelMax: number | undefined;
  readonly locale: string | undefined;
}

function toTarget(url: string): BrokerTarget {
  const parsed = new URL(withHeartbeat(url));
  const number = (name: string) => {
    const raw = parsed.searchParams.get(name);
    return raw === null || !/^\d+$/.test(raw) ? undefined : Number(raw);
  };
  const secure = parsed.protocol === "amqps:";
  return {
    protocol: secure ? "amqps" : "amqp",
    hostname: parsed.hostname.replace(/^\[|\]$/g, ""),
    port: parsed.port ? Number(parsed.port) : secure ? 5671 : 5672,
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    // As amqplib reads a URL string: the path after the slash, "/" when there is none.
    vhost: parsed.pathname.length > 1 ? decodeURIComponent(parsed.pathname.slice(1)) : "/",
    heartbeat: number("heartbeat"),
    frameMax: number("frame_max") ?? number("frameMax"),
    channelMax: number("channel_max") ?? number("channelMax"),
    locale: parsed.searchParams.get("locale") ?? undefined,
  };
}

export interface BrokerRotation {
  /** Pass as amqplib's `connect` target: its fields are always the current broker's. */
  readonly target: BrokerTarget;
  /** How many brokers the rotation cycles through. */
  readonly size: number;
  /** `host:port` of the current broker. */
  current(): string;
  /** Moves to the next broker (wrapping). */
  advance(): void;
  /**
   * amqplib's `recovery.calculateDelay`: moves to the next broker, then waits as the
   * built-in backoff would (exponential from initialDelay to maxDelay), except that
   * the first try of each other broker after a loss goes at once: a live node is likely.
   */
  calculateDelay(attempt: number): number;
}

export function brokerRotation(
  urls: string,
  backoff: { initialDelay: number; maxDelay: number },
): BrokerRotation {
  const targets = splitBrokerUrls(urls).map(toTarget);
  if (targets.length === 0) throw new Error("no broker URL given");
  let index = 0;
  const field =
    <K extends keyof BrokerTarget>(key: K) =>
    () =>
      targets[index]![key];
  const target = Object.defineProperties({} as BrokerTarget, {
    protocol: { get: field("protocol"), enumerable: true },
    hostname: { get: field("hostname"), enumerable: true },
    port: { get: field("port"), enumerable: true },
    username: { get: field("username"), enumerable: true },
    password: { get: field("password"), enumerable: true },
    vhost: { get: field("vhost"), enumerable: true },
    heartbeat: { get: field("heartbeat"), enumerable: true },
    frameMax: { get: field("frameMax"), enumerable: true },
    channelMax: { get: field("channelMax"), enumerable: true },
    locale: { get: field("locale"), enumerable: true },
  });
  const advance = () => {
    index = (index + 1) % targets.length;
  };
  return {
    target,
    size: targets.length,
    current: () => `${targets[index]!.hostname}:${targets[index]!.port}`,
    advance,
    calculateDelay(attempt: number): number {
      advance();
      // Attempts 1..size-1 try the other brokers at once; after a full round, back off.
      const round = Math.floor((attempt - 1) / targets.length);
      if (targets.length > 1 && attempt % targets.length !== 0 && round === 0) return 0;
      const base = Math.min(backoff.maxDelay, backoff.initialDelay * 2 ** round);
      return Math.min(backoff.maxDelay, Math.round(base * (0.75 + Math.random() * 0.5)));
    },
  };
}
