/**
 * RUN SERIALLY. A three-node RabbitMQ cluster of its own (test/support/broker/cluster.ts):
 * three Erlang VMs boot side by side and keep both CPUs busy for some seconds, and one is
 * SIGKILLed and restarted. It never touches the shared broker on 5672/15672.
 *
 * What it establishes: the nodes form one cluster with `join_cluster`; a quorum queue
 * declared with an initial group size of 3 has a member on every node; a message
 * published with confirms on one node is consumed on another; when the node that leads a
 * queue is SIGKILLed a surviving member takes over and every confirmed message is still
 * delivered; the killed node restarts, rejoins and catches up. The times it took are
 * printed at the end (start, election, first confirm after the kill, rejoin).
 */
import { existsSync, readFileSync } from "node:fs";
import { connect, type ChannelModel, type ConfirmChannel } from "amqplib";
import {
  leftoverProcesses,
  startCluster,
  type Cluster,
  type ClusterNode,
} from "../../support/broker/cluster.js";

const QUORUM = { "x-queue-type": "quorum", "x-quorum-initial-group-size": 3 };

let cluster: Cluster;
const connections: ChannelModel[] = [];
const figures: Record<string, number | string> = {};

/** Whether the process is gone (a zombie awaiting its parent counts as gone). */
function gone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

async function open(node: ClusterNode): Promise<ChannelModel> {
  const connection = await connect(node.amqpUrl);
  // A killed node resets its connections; the tests look at outcomes, not at this event.
  connection.on("error", () => undefined);
  connections.push(connection);
  return connection;
}

async function confirmChannel(node: ClusterNode): Promise<ConfirmChannel> {
  const channel = await (await open(node)).createConfirmChannel();
  channel.on("error", () => undefined);
  return channel;
}

async function publishConfirmed(channel: ConfirmChannel, queue: string, bodies: string[]) {
  for (const body of bodies) channel.sendToQueue(queue, Buffer.from(body), { persistent: true });
  await channel.waitForConfirms();
}

/** Consumes exactly `count` messages (acking each), or fails after `timeoutMs`. */
async function consume(
  node: ClusterNode,
  queue: string,
  count: number,
  timeoutMs = 20_000,
): Promise<string[]> {
  const channel = await (await open(node)).createChannel();
  await channel.prefetch(50);
  const bodies: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`got ${bodies.length} of ${count} messages from ${queue}`)),
        timeoutMs,
      );
      void channel.consume(queue, (message) => {
        if (!message) return;
        bodies.push(message.content.toString("utf8"));
        channel.ack(message);
        if (bodies.length === count) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    // Anything beyond `count` would be a duplicate or a stray: give it a moment to show.
    await new Promise((resolve) => setTimeout(resolve, 300));
  } finally {
    await channel.close().catch(() => undefined);
  }
  return bodies;
}

async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

beforeAll(async () => {
  cluster = await startCluster({ size: 3 });
  figures["cluster start (boot + join), ms"] = cluster.startMs;
  figures["  of which boot of 3 nodes, ms"] = cluster.timings.bootMs;
}, 170_000);

afterAll(async () => {
  for (const connection of connections) await connection.close().catch(() => undefined);
  await cluster?.stop();
  console.log(
    `three-node cluster figures:\n${Object.entries(figures)
      .map(([key, value]) => `  ${key}: ${value}`)
      .join("\n")}`,
  );
}, 60_000);

describe("a three-node RabbitMQ cluster on loopback (serial)", () => {
  test("forms one cluster of three running members, none of them the shared broker", async () => {
    const members = await cluster.members();
    expect(members).toEqual(
      cluster.nodes
        .map((node) => ({ name: node.name, running: true }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
    expect(new Set(cluster.nodes.map((n) => n.pid)).size).toBe(3);
    for (const node of cluster.nodes) {
      expect(node.name).toMatch(/^ia-[0-9a-f]{6}-\d@localhost$/);
      expect(node.amqpPort).not.toBe(5672);
      expect(node.managementPort).not.toBe(15672);
    }
    // The management API (what KEDA reads) sees the same three nodes from any of them.
    const viaManagement = await cluster.management<{ name: string; running: boolean }[]>(
      3,
      "/nodes",
    );
    expect(viaManagement.filter((n) => n.running).map((n) => n.name)).toEqual(
      expect.arrayContaining(cluster.nodes.map((n) => n.name)),
    );
  });

  test("a quorum queue with initial group size 3 has a member on every node", async () => {
    const queue = "cluster.test.members";
    const channel = await confirmChannel(cluster.node(1));
    await channel.assertQueue(queue, { durable: true, arguments: QUORUM });
    const members = await cluster.quorumMembers(queue);
    expect(members.map((m) => m.node).sort()).toEqual(cluster.nodes.map((n) => n.name).sort());
    expect(members.map((m) => m.state).sort()).toEqual(["follower", "follower", "leader"]);

    // A queue-length read through another node's management API, as KEDA makes it.
    await publishConfirmed(channel, queue, ["a", "b", "c", "d", "e"]);
    const depth = await waitFor(
      async () => {
        const info = await cluster.management<{ messages?: number }>(3, `/queues/%2F/${queue}`);
        return info.messages === 5 ? info.messages : undefined;
      },
      15_000,
      "the management API to report 5 messages",
    );
    expect(depth).toBe(5);
  });

  test("a message published with confirms on one node is consumed on another", async () => {
    const queue = "cluster.test.cross-node";
    const publisher = await confirmChannel(cluster.node(1));
    await publisher.assertQueue(queue, { durable: true, arguments: QUORUM });
    const bodies = Array.from({ length: 20 }, (_, i) => `message ${i}`);
    await publishConfirmed(publisher, queue, bodies);
    expect(await consume(cluster.node(3), queue, bodies.length)).toEqual(bodies);
  });

  describe("the leader of a queue is SIGKILLed", () => {
    const queue = "cluster.test.failover";
    let leader: ClusterNode;
    let survivor: ClusterNode;
    let publisher: ConfirmChannel;
    const before = Array.from({ length: 50 }, (_, i) => `before ${i}`);

    test("a surviving member is elected and every confirmed message is delivered", async () => {
      const declaring = await confirmChannel(cluster.node(1));
      await declaring.assertQueue(queue, { durable: true, arguments: QUORUM });
      leader = await waitFor(() => cluster.leaderOf(queue), 15_000, `a leader of ${queue}`);
      survivor = cluster.nodes.find((n) => n !== leader) as ClusterNode;
      publisher = await confirmChannel(survivor);
      await publishConfirmed(publisher, queue, before);

      const pid = leader.pid as number;
      const killedAt = Date.now();
      await cluster.kill(leader);
      expect(leader.pid).toBeUndefined();
      expect(gone(pid)).toBe(true);

      // A publisher on a surviving node: how long until it is confirmed again.
      const confirmed = publishConfirmed(publisher, queue, ["after the kill"]).then(
        () => Date.now() - killedAt,
      );
      const elected = await waitFor(
        async () => {
          const now = await cluster.leaderOf(queue);
          return now && now !== leader ? now : undefined;
        },
        30_000,
        "a new leader",
      );
      figures["new leader visible after SIGKILL, ms"] = Date.now() - killedAt;
      figures["first publish confirmed after SIGKILL, ms"] = await confirmed;
      expect(elected).not.toBe(leader);

      const members = await cluster.quorumMembers(queue);
      expect(members.find((m) => m.node === leader.name)?.state).toMatch(/^nodedown/);
      expect(members.filter((m) => m.state === "leader").map((m) => m.node)).toEqual([
        elected.name,
      ]);

      // The management API's queue length comes back (KEDA's reading during fail-over).
      await waitFor(
        async () => {
          const info = await cluster.management<{ messages?: number }>(
            survivor,
            `/queues/%2F/${queue}`,
          );
          return info.messages === before.length + 1 ? true : undefined;
        },
        30_000,
        "the queue length to be reported again",
      );
      figures["queue length reported again after SIGKILL, ms"] = Date.now() - killedAt;

      // Consumed from the node that did not publish, when there is one.
      const reader = cluster.nodes.find((n) => n !== leader && n !== survivor) as ClusterNode;
      expect(await consume(reader, queue, before.length + 1)).toEqual([
        ...before,
        "after the kill",
      ]);
    }, 90_000);

    test("the killed node restarts, rejoins and its member catches up", async () => {
      expect(leader).toBeDefined();
      const restartAt = Date.now();
      await cluster.restart(leader);
      figures["restarted node booted after, ms"] = Date.now() - restartAt;
      await cluster.waitRejoined(leader, { queues: [queue], timeoutMs: 60_000 });
      figures["rejoined (cluster member + queue member) after, ms"] = Date.now() - restartAt;

      const members = await cluster.members();
      expect(members).toHaveLength(3);
      expect(members.every((m) => m.running)).toBe(true);

      // Replication resumes: a message confirmed now reaches every member's log. (Commit
      // indexes are no measure: followers learn the last one with the next entry.)
      await publishConfirmed(publisher, queue, ["after the rejoin"]);
      const caughtUp = await waitFor(
        async () => {
          const members = await cluster.quorumMembers(queue);
          const head = members.find((m) => m.state === "leader")?.logIndex;
          return members.length === 3 &&
            head !== undefined &&
            members.every((m) => m.state === "follower" || m.state === "leader") &&
            members.every((m) => m.logIndex === head)
            ? members
            : undefined;
        },
        30_000,
        "all three members' logs to reach the leader's",
      );
      expect(caughtUp.map((m) => m.node).sort()).toEqual(cluster.nodes.map((n) => n.name).sort());
      figures["caught up after, ms"] = Date.now() - restartAt;
      expect(await consume(leader, queue, 1)).toEqual(["after the rejoin"]);
    }, 150_000);
  });

  test("stop() kills every process of the cluster and removes its files", async () => {
    for (const connection of connections.splice(0)) await connection.close().catch(() => undefined);
    const pids = cluster.nodes.map((n) => n.pid);
    expect(pids.every((pid) => pid !== undefined)).toBe(true);
    await cluster.stop();
    expect(leftoverProcesses(cluster)).toEqual([]);
    for (const pid of pids) expect(gone(pid as number)).toBe(true);
    expect(existsSync(cluster.dir)).toBe(false);
  }, 30_000);
});
