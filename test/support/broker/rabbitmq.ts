import { randomUUID } from "node:crypto";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { connect, type ChannelModel } from "amqplib";

const run = promisify(execFile);

/** The RabbitMQ that `.ci/run` starts (override with TEST_AMQP_URL). */
export const AMQP_URL = process.env.TEST_AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672";
export const MANAGEMENT_URL = process.env.TEST_RABBITMQ_MANAGEMENT_URL ?? "http://127.0.0.1:15672";
const MANAGEMENT_AUTH = `Basic ${Buffer.from("guest:guest").toString("base64")}`;

/**
 * Runs `rabbitmqctl` against the test broker. Debian's wrapper lets only root and the
 * rabbitmq user run it, so where tests run as another user (a GitHub runner), `.ci/run`
 * sets RABBITMQCTL to `sudo rabbitmqctl`.
 */
export function rabbitmqctl(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const [command = "rabbitmqctl", ...prefix] = (process.env.RABBITMQCTL ?? "rabbitmqctl")
    .split(" ")
    .filter(Boolean);
  return run(command, [...prefix, ...args]);
}

/** A queue name no other test uses. */
export function uniqueQueueName(label: string): string {
  return `ai-agent.test.${label}.${randomUUID().slice(0, 8)}`;
}

/** A plain connection for a test's own publishing and inspection. */
export async function openTestConnection(): Promise<ChannelModel> {
  return connect(AMQP_URL);
}

/** Ready-message count of a queue (passive declare). */
export async function queueDepth(connection: ChannelModel, queue: string): Promise<number> {
  const channel = await connection.createChannel();
  try {
    return (await channel.checkQueue(queue)).messageCount;
  } finally {
    await channel.close().catch(() => undefined);
  }
}

/** Takes every ready message off a queue (acking them), for assertions. */
export async function drainQueue(
  connection: ChannelModel,
  queue: string,
): Promise<{ content: string; headers: Record<string, unknown> }[]> {
  const channel = await connection.createChannel();
  const out: { content: string; headers: Record<string, unknown> }[] = [];
  try {
    for (;;) {
      const message = await channel.get(queue, { noAck: true });
      if (!message) break;
      out.push({
        content: message.content.toString("utf8"),
        headers: message.properties.headers ?? {},
      });
    }
  } finally {
    await channel.close().catch(() => undefined);
  }
  return out;
}

export async function deleteQueues(connection: ChannelModel, queues: string[]): Promise<void> {
  const channel = await connection.createChannel();
  channel.on("error", () => undefined);
  for (const queue of queues) await channel.deleteQueue(queue).catch(() => undefined);
  await channel.close().catch(() => undefined);
}

/** Calls the management HTTP API. */
export async function management<T = unknown>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${MANAGEMENT_URL}/api${path}`, {
    ...init,
    headers: {
      authorization: MANAGEMENT_AUTH,
      "content-type": "application/json",
      ...(init.headers ?? {}),
    },
  });
  if (!response.ok && response.status !== 204)
    throw new Error(`management API ${path}: ${response.status} ${await response.text()}`);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Closes, from the broker's side, every connection whose client-given name contains
 * `namePart`: what clients see when the broker restarts, without disturbing other tests.
 * Uses rabbitmqctl, which sees connections at once (the management API lags by its
 * statistics interval).
 */
export async function forceCloseConnections(namePart: string): Promise<number> {
  // Tab-separated output carries the pid in the form close_connection accepts.
  const { stdout } = await rabbitmqctl(
    "-q",
    "--no-table-headers",
    "list_connections",
    "pid",
    "client_properties",
  );
  const targets = stdout
    .split("\n")
    .filter((line) => line.includes(namePart))
    .map((line) => line.split("\t")[0] ?? "")
    .filter(Boolean);
  for (const pid of targets) {
    await rabbitmqctl("-q", "close_connection", pid, "test: simulated broker restart");
  }
  return targets.length;
}

/** Polls until `check` is true or `timeoutMs` passes. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = "condition",
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
