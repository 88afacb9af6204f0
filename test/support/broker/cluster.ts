/**
 * A RabbitMQ cluster owned by one test: N nodes of the installed Debian/Ubuntu package on
 * loopback, each with its own node name, AMQP, management and distribution ports, data,
 * log and configuration files in a temporary directory, and one Erlang cookie. The nodes
 * boot side by side, then nodes 2..N join node 1 with `rabbitmqctl stop_app`,
 * `join_cluster`, `start_app`, as an operator would.
 *
 * Isolation from the shared broker (`rabbit@<host>` on 5672/15672, which other tests
 * use): the cluster runs its own epmd on a private port (ERL_EPMD_PORT), so its node
 * names never meet the shared node's, and every CLI call names its node and uses the
 * cluster's HOME (cookie), epmd port and CLI distribution ports. Nothing here reads or
 * writes /etc/rabbitmq or /var/lib/rabbitmq.
 *
 * Users: the nodes run as the invoking user. The package's wrappers in /usr/sbin let only
 * root and `rabbitmq` in (a GitHub runner calls them through sudo, see rabbitmq.ts), but
 * the scripts they wrap (/usr/lib/rabbitmq/lib/rabbitmq_server-X/sbin/) run for any user
 * given a writable HOME, data and log directories, which is all this module uses.
 *
 * Cleanup: `stop()` (call it in afterAll); an afterAll registered by this module that
 * stops every cluster a test file left running; a process-exit hook; and, for a test
 * process that dies without running either (a timeout kill, Ctrl-C, SIGKILL), a detached
 * watchdog that kills the cluster's processes and removes its directory once the test
 * process is gone. Every process the cluster starts carries IA_TEST_CLUSTER=<id> in its
 * environment, which is how stop() and the watchdog find them all.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { processAlive } from "../process-alive.js";

const USER = "guest";
const PASSWORD = "guest";
const AUTHORIZATION = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`;
/** The environment variable that marks every process of a cluster. */
const MARKER = "IA_TEST_CLUSTER";
/** Ports per cluster: 3 per node, epmd, and a range for concurrent CLI calls. */
const CLI_PORTS = 8;

export interface ClusterNode {
  /** 1-based position; node 1 is the one the others join. */
  readonly index: number;
  /** Erlang node name, e.g. `ia-3f9c1a-1@localhost`. */
  readonly name: string;
  readonly amqpPort: number;
  readonly managementPort: number;
  readonly distPort: number;
  /** `amqp://guest:guest@127.0.0.1:PORT` (guest may connect over loopback). */
  readonly amqpUrl: string;
  /** `http://127.0.0.1:PORT` (the management API is under /api). */
  readonly managementUrl: string;
  /** The OS pid of the node's Erlang VM (beam.smp) while it runs, else undefined. */
  readonly pid: number | undefined;
  readonly logFile: string;
}

/** A node by object, name, or 1-based index. */
export type NodeRef = ClusterNode | string | number;

export interface QuorumMember {
  node: string;
  /**
   * Raft state as `rabbitmq-queues quorum_status` reports it: `leader`, `follower`,
   * `candidate`, ..., or `nodedown,NODE` for a member whose node is down.
   */
  state: string;
  /** Last entry in the member's log, and the last it knows to be committed. */
  logIndex: number | undefined;
  commitIndex: number | undefined;
  term: number | undefined;
}

export interface ClusterOptions {
  /** Number of nodes (default 3). */
  size?: number;
  /** Bound on the whole start, boot and join included (default 150 s). */
  timeoutMs?: number;
  /** Management statistics interval (default 1000 ms; RabbitMQ's default is 5000). */
  statisticsIntervalMs?: number;
  /** Extra lines for every node's rabbitmq.conf. */
  config?: string[];
}

export interface Cluster {
  /** Short random id, part of every node name and of the marker on its processes. */
  readonly id: string;
  /** The temporary directory holding every node's files. */
  readonly dir: string;
  readonly nodes: readonly ClusterNode[];
  /** Every node's AMQP URL, node 1 first. */
  readonly urls: string[];
  /** How long startCluster took, boot and joins included. */
  readonly startMs: number;
  /** Its parts: every node booted side by side, then the joins until all ran as one. */
  readonly timings: { bootMs: number; joinMs: number };
  node(ref: NodeRef): ClusterNode;
  /** Runs `rabbitmqctl -n NODE ARGS...` as the invoking user; resolves with stdout. */
  rabbitmqctl(ref: NodeRef, ...args: string[]): Promise<string>;
  /** Runs `rabbitmq-queues -n NODE ARGS...`. */
  rabbitmqQueues(ref: NodeRef, ...args: string[]): Promise<string>;
  /** Calls a node's management HTTP API (`path` below /api). */
  management<T = unknown>(ref: NodeRef, path: string, init?: RequestInit): Promise<T>;
  /** Cluster members as a running node sees them (`rabbitmqctl cluster_status`). */
  members(): Promise<{ name: string; running: boolean }[]>;
  /** The queue's Raft members and their states (`rabbitmq-queues quorum_status`). */
  quorumMembers(queue: string, vhost?: string): Promise<QuorumMember[]>;
  /**
   * The node whose member leads the quorum queue, as the management API of a running node
   * reports it (undefined while an election runs). Cheap enough to poll every few ms.
   */
  leaderOf(queue: string, vhost?: string): Promise<ClusterNode | undefined>;
  /** SIGKILLs the node's Erlang VM (no shutdown of any kind) and waits until it is gone. */
  kill(ref: NodeRef): Promise<void>;
  /** Starts a stopped or killed node again with its data; it rejoins by itself. */
  restart(ref: NodeRef, timeoutMs?: number): Promise<void>;
  /**
   * Waits until the node runs, every other running node counts it as a running member,
   * and (for `queues`) its member of each quorum queue is back as leader or follower.
   */
  waitRejoined(ref: NodeRef, options?: { queues?: string[]; timeoutMs?: number }): Promise<void>;
  /** Kills every process of the cluster and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------------------
// The installed package

const PACKAGE_LIB = "/usr/lib/rabbitmq/lib";

/**
 * The directory of the package's own scripts (rabbitmq-server, rabbitmqctl, ...), which
 * any user may run; TEST_RABBITMQ_SBIN overrides it (a generic-unix install, say).
 */
export function rabbitmqSbinDir(): string {
  const override = process.env.TEST_RABBITMQ_SBIN;
  if (override) return override;
  const versions = existsSync(PACKAGE_LIB)
    ? readdirSync(PACKAGE_LIB).filter((name) => /^rabbitmq_server-\d/.test(name))
    : [];
  const numeric = (name: string): number[] =>
    (/(\d+)\.(\d+)\.(\d+)/.exec(name) ?? []).slice(1).map(Number);
  versions.sort((a, b) => {
    const [x, y] = [numeric(a), numeric(b)];
    for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (y[i] ?? 0) - (x[i] ?? 0);
    return 0;
  });
  const newest = versions[0];
  if (!newest) {
    throw new Error(
      `no RabbitMQ server scripts under ${PACKAGE_LIB}: install the rabbitmq-server package, or set TEST_RABBITMQ_SBIN`,
    );
  }
  return join(PACKAGE_LIB, newest, "sbin");
}

/** The epmd binary that ships with the Erlang the package depends on. */
function epmdPath(): string {
  for (const candidate of ["/usr/bin/epmd", "/usr/lib/erlang/bin/epmd"]) {
    if (existsSync(candidate)) return candidate;
  }
  return "epmd";
}

// ---------------------------------------------------------------------------------------
// Ports

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () =>
      server.close(() => resolve(true)),
    );
  });
}

/**
 * `count` consecutive free ports below the kernel's ephemeral range (32768+), so that no
 * outgoing connection is handed one of them between this check and the nodes' bind.
 */
async function allocatePorts(count: number): Promise<number[]> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const base = randomInt(20_000, 32_000 - count);
    const ports = Array.from({ length: count }, (_, i) => base + i);
    const free = await Promise.all(ports.map(portIsFree));
    if (free.every(Boolean)) return ports;
  }
  throw new Error(`no ${count} consecutive free ports found on 127.0.0.1`);
}

// ---------------------------------------------------------------------------------------
// Processes

function environOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
  } catch {
    return [];
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}

/** Pids of live processes whose environment holds `entry` (KEY=value). */
function processesWith(entry: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    if (environOf(pid).includes(entry) && processAlive(pid)) pids.push(pid);
  }
  return pids;
}

function killQuietly(pid: number, signal: NodeJS.Signals = "SIGKILL"): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitUntil<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  what: string,
  intervalMs = 200,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= until) {
      const reason = lastError instanceof Error ? `: last error: ${lastError.message}` : "";
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await sleep(intervalMs);
  }
}

function tail(path: string, lines = 25): string {
  try {
    return readFileSync(path, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/**
 * Runs in the background for the life of the test process; once that process is gone
 * without having stopped the cluster, kills everything marked with the cluster's id and
 * removes its directory.
 */
const WATCHDOG = `
parent="$1"; dir="$2"; marker="$3"
while kill -0 "$parent" 2>/dev/null && [ -d "$dir" ]; do sleep 1; done
[ -d "$dir" ] || exit 0
for f in /proc/[0-9]*/environ; do
  if grep -qa "$marker" "$f" 2>/dev/null; then p="\${f#/proc/}"; kill -KILL "\${p%/environ}" 2>/dev/null; fi
done
sleep 1
rm -rf "$dir"
`;

// ---------------------------------------------------------------------------------------
// Live clusters, for the afterAll and exit guards

const live = new Set<ClusterImpl>();

declare const afterAll: ((fn: () => Promise<void>, timeout?: number) => void) | undefined;
if (typeof afterAll === "function") {
  afterAll(async () => {
    for (const cluster of [...live]) await cluster.stop();
  }, 60_000);
}

process.once("exit", () => {
  for (const cluster of live) cluster.stopSync();
});

// ---------------------------------------------------------------------------------------

class NodeState implements ClusterNode {
  child: ChildProcess | undefined;
  beamPid: number | undefined;

  constructor(
    readonly index: number,
    readonly name: string,
    readonly amqpPort: number,
    readonly managementPort: number,
    readonly distPort: number,
    readonly dir: string,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  get amqpUrl(): string {
    return `amqp://${USER}:${PASSWORD}@127.0.0.1:${this.amqpPort}`;
  }
  get managementUrl(): string {
    return `http://127.0.0.1:${this.managementPort}`;
  }
  get logFile(): string {
    return join(this.dir, "log", `${this.name}.log`);
  }
  get pidFile(): string {
    return join(this.dir, "beam.pid");
  }
  get consoleFile(): string {
    return join(this.dir, "console.log");
  }
  get pid(): number | undefined {
    return this.beamPid !== undefined && processAlive(this.beamPid) ? this.beamPid : undefined;
  }
}

class ClusterImpl implements Cluster {
  readonly urls: string[];
  startMs = 0;
  readonly timings = { bootMs: 0, joinMs: 0 };
  private stopped = false;
  private readonly watchdog: ChildProcess;

  constructor(
    readonly id: string,
    readonly dir: string,
    readonly nodes: NodeState[],
    private readonly sbin: string,
    private readonly cliEnv: NodeJS.ProcessEnv,
    private readonly epmd: ChildProcess,
  ) {
    this.urls = nodes.map((node) => node.amqpUrl);
    this.watchdog = spawn(
      "/bin/sh",
      ["-c", WATCHDOG, "ia-cluster-watchdog", String(process.pid), dir, `${MARKER}=${id}`],
      {
        detached: true,
        stdio: "ignore",
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
      },
    );
    this.watchdog.unref();
  }

  node(ref: NodeRef): NodeState {
    const found =
      typeof ref === "number"
        ? this.nodes[ref - 1]
        : this.nodes.find((n) => n.name === (typeof ref === "string" ? ref : ref.name));
    if (!found)
      throw new Error(`no node ${typeof ref === "object" ? ref.name : ref} in cluster ${this.id}`);
    return found;
  }

  private cli(tool: string, ref: NodeRef, args: string[], timeoutMs = 60_000): Promise<string> {
    const node = this.node(ref);
    return new Promise((resolve, reject) => {
      execFile(
        join(this.sbin, tool),
        ["-n", node.name, ...args],
        { env: this.cliEnv, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error) {
            reject(
              new Error(
                `${tool} -n ${node.name} ${args.join(" ")}: ${error.message}\n${stderr}${stdout}`.trim(),
              ),
            );
          } else resolve(stdout);
        },
      );
    });
  }

  rabbitmqctl(ref: NodeRef, ...args: string[]): Promise<string> {
    return this.cli("rabbitmqctl", ref, args);
  }

  rabbitmqQueues(ref: NodeRef, ...args: string[]): Promise<string> {
    return this.cli("rabbitmq-queues", ref, args);
  }

  async management<T = unknown>(ref: NodeRef, path: string, init: RequestInit = {}): Promise<T> {
    const node = this.node(ref);
    const response = await fetch(`${node.managementUrl}/api${path}`, {
      ...init,
      signal: init.signal ?? AbortSignal.timeout(10_000),
      headers: {
        authorization: AUTHORIZATION,
        "content-type": "application/json",
        ...(init.headers ?? {}),
      },
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`${node.name} management API ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Nodes whose VM runs, in order: the ones to ask about the cluster. */
  private running(): NodeState[] {
    return this.nodes.filter((node) => node.pid !== undefined);
  }

  /** Runs `ask` against each running node in turn until one answers. */
  private async fromAnyNode<T>(ask: (node: NodeState) => Promise<T>): Promise<T> {
    let lastError: unknown = new Error(`no node of cluster ${this.id} is running`);
    for (const node of this.running()) {
      try {
        return await ask(node);
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }

  private async statusFrom(node: NodeState): Promise<{ name: string; running: boolean }[]> {
    const status = JSON.parse(
      await this.rabbitmqctl(node, "cluster_status", "--formatter", "json"),
    ) as {
      disk_nodes?: string[];
      ram_nodes?: string[];
      running_nodes?: string[];
    };
    const running = new Set(status.running_nodes ?? []);
    return [...new Set([...(status.disk_nodes ?? []), ...(status.ram_nodes ?? [])])]
      .sort()
      .map((name) => ({ name, running: running.has(name) }));
  }

  members(): Promise<{ name: string; running: boolean }[]> {
    return this.fromAnyNode((node) => this.statusFrom(node));
  }

  async quorumMembers(queue: string, vhost = "/"): Promise<QuorumMember[]> {
    const rows = await this.fromAnyNode(
      async (node) =>
        JSON.parse(
          await this.rabbitmqQueues(
            node,
            "quorum_status",
            queue,
            "--vhost",
            vhost,
            "--formatter",
            "json",
          ),
        ) as Record<string, unknown>[],
    );
    const number = (value: unknown) => (typeof value === "number" ? value : undefined);
    return rows.map((row) => ({
      node: String(row["Node Name"]),
      state: String(row["Raft State"]),
      logIndex: number(row["Log Index"]),
      commitIndex: number(row["Commit Index"]),
      term: number(row.Term),
    }));
  }

  async leaderOf(queue: string, vhost = "/"): Promise<ClusterNode | undefined> {
    const path = `/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(queue)}`;
    const info = await this.fromAnyNode((node) => this.management<{ leader?: string }>(node, path));
    // While no leader is elected the API reports none; a dead node is never the answer.
    const leader = this.nodes.find((n) => n.name === info.leader);
    return leader?.pid !== undefined ? leader : undefined;
  }

  private spawnNode(node: NodeState): void {
    rmSync(node.pidFile, { force: true });
    const out = openSync(node.consoleFile, "a");
    const child = spawn(join(this.sbin, "rabbitmq-server"), [], {
      cwd: node.dir,
      env: node.env,
      detached: true,
      stdio: ["ignore", out, out],
    });
    closeSync(out);
    child.unref();
    child.once("error", () => undefined);
    node.child = child;
    node.beamPid = undefined;
  }

  /** Waits for the VM's pid (RABBITMQ_PID_FILE, checked against the process's marker). */
  private async waitForPid(node: NodeState, timeoutMs: number): Promise<number> {
    const entry = `IA_TEST_CLUSTER_NODE=${node.name}`;
    const pid = await waitUntil(
      () => {
        if (node.child?.exitCode !== null || node.child?.signalCode !== null) {
          throw new Error(
            `node ${node.name} exited during start:\n${tail(node.consoleFile)}\n${tail(node.logFile)}`,
          );
        }
        if (!existsSync(node.pidFile)) return undefined;
        const pid = Number(readFileSync(node.pidFile, "utf8").trim());
        return pid > 0 && commandOf(pid) === "beam.smp" && environOf(pid).includes(entry)
          ? pid
          : undefined;
      },
      timeoutMs,
      `the Erlang VM of ${node.name}`,
    );
    node.beamPid = pid;
    return pid;
  }

  /** Waits until the node's broker and management API answer. */
  private async waitBooted(node: NodeState, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    await this.waitForPid(node, timeoutMs);
    await waitUntil(
      async () => {
        if (node.pid === undefined) {
          throw new Error(`node ${node.name} died during boot:\n${tail(node.logFile)}`);
        }
        await this.management(node, "/overview");
        return true;
      },
      Math.max(0, until - Date.now()),
      `${node.name} to boot (log: ${node.logFile})`,
      250,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${tail(node.logFile)}`, { cause: error });
    });
  }

  /** Boots every node, then joins nodes 2..N to node 1. */
  async form(timeoutMs: number): Promise<void> {
    const started = Date.now();
    for (const node of this.nodes) this.spawnNode(node);
    await Promise.all(this.nodes.map((node) => this.waitBooted(node, timeoutMs)));
    this.timings.bootMs = Date.now() - started;
    const [seed, ...others] = this.nodes;
    if (!seed) return;
    // stop_app takes about five seconds on 3.10, so the joining nodes stop, and later
    // start, side by side; the joins themselves, which change the cluster's schema, go
    // one at a time.
    await Promise.all(others.map((node) => this.rabbitmqctl(node, "stop_app")));
    for (const node of others) await this.rabbitmqctl(node, "join_cluster", seed.name);
    await Promise.all(others.map((node) => this.rabbitmqctl(node, "start_app")));
    const remaining = Math.max(10_000, timeoutMs - (Date.now() - started));
    await waitUntil(
      async () => {
        const members = await this.statusFrom(seed);
        return members.length === this.nodes.length && members.every((m) => m.running);
      },
      remaining,
      `all ${this.nodes.length} nodes to run as one cluster`,
      500,
    );
    this.startMs = Date.now() - started;
    this.timings.joinMs = this.startMs - this.timings.bootMs;
  }

  async kill(ref: NodeRef): Promise<void> {
    const node = this.node(ref);
    const pid = node.pid;
    if (pid === undefined) throw new Error(`node ${node.name} is not running`);
    process.kill(pid, "SIGKILL");
    await waitUntil(() => !processAlive(pid), 10_000, `${node.name} (pid ${pid}) to die`, 20);
    // The start script and erl_child_setup exit with the VM; make sure of it.
    if (node.child?.pid !== undefined) killQuietly(-node.child.pid);
    node.beamPid = undefined;
  }

  async restart(ref: NodeRef, timeoutMs = 120_000): Promise<void> {
    const node = this.node(ref);
    if (node.pid !== undefined) throw new Error(`node ${node.name} is still running`);
    this.spawnNode(node);
    await this.waitBooted(node, timeoutMs);
  }

  async waitRejoined(
    ref: NodeRef,
    options: { queues?: string[]; timeoutMs?: number } = {},
  ): Promise<void> {
    const node = this.node(ref);
    const queues = options.queues ?? [];
    // Polled through the management API of another node (cheap), then confirmed once
    // through the CLI (authoritative), which costs an Erlang VM per call.
    const seenByManagement = async () => {
      const other = this.running().find((n) => n !== node) ?? node;
      const nodes = await this.management<{ name: string; running: boolean }[]>(other, "/nodes");
      if (!nodes.some((n) => n.name === node.name && n.running)) return false;
      for (const queue of queues) {
        const info = await this.management<{ online?: string[] }>(
          other,
          `/queues/%2F/${encodeURIComponent(queue)}`,
        );
        if (!info.online?.includes(node.name)) return false;
      }
      return true;
    };
    const confirmedByCli = async () => {
      // The node's own view, one other running node's, and the queues' members, side by
      // side: each CLI call starts an Erlang VM, seconds on a busy machine.
      const other = this.running().find((n) => n !== node);
      const [views, queueMembers] = await Promise.all([
        Promise.all((other ? [node, other] : [node]).map((n) => this.statusFrom(n))),
        Promise.all(queues.map((queue) => this.quorumMembers(queue))),
      ]);
      const listed = (members: { name: string; running: boolean }[]) =>
        members.some((m) => m.name === node.name && m.running);
      const member = (members: QuorumMember[]) => {
        const own = members.find((m) => m.node === node.name);
        return own?.state === "follower" || own?.state === "leader";
      };
      return views.every(listed) && queueMembers.every(member);
    };
    await waitUntil(
      async () => {
        if (node.pid === undefined) throw new Error(`node ${node.name} is not running`);
        return (await seenByManagement()) && (await confirmedByCli());
      },
      options.timeoutMs ?? 60_000,
      `${node.name} to rejoin the cluster`,
      250,
    );
  }

  /** Everything marked with this cluster's id, pid by pid. */
  private markedProcesses(): number[] {
    return processesWith(`${MARKER}=${this.id}`);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    live.delete(this);
    this.killAll();
    await waitUntil(
      () => this.markedProcesses().length === 0,
      15_000,
      `cluster ${this.id} to exit`,
      100,
    ).catch(() => this.killAll());
    this.removeDir();
  }

  /** For the process-exit hook: no waiting possible. */
  stopSync(): void {
    if (this.stopped) return;
    this.stopped = true;
    live.delete(this);
    this.killAll();
    this.removeDir();
  }

  /** Whether any process of the cluster still runs (for tests of the cleanup). */
  leftovers(): number[] {
    return this.markedProcesses();
  }

  private killAll(): void {
    for (const node of this.nodes) {
      if (node.beamPid !== undefined) killQuietly(node.beamPid);
      if (node.child?.pid !== undefined) killQuietly(-node.child.pid);
    }
    if (this.epmd.pid !== undefined) killQuietly(-this.epmd.pid);
    for (const pid of this.markedProcesses()) killQuietly(pid);
    if (this.watchdog.pid !== undefined) killQuietly(this.watchdog.pid);
  }

  private removeDir(): void {
    try {
      rmSync(this.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch {
      // the watchdog is gone; a later tmp clean-up takes what is left
    }
  }
}

/** The cluster's `leftovers()` for tests of the cleanup itself. */
export function leftoverProcesses(cluster: Cluster): number[] {
  return (cluster as ClusterImpl).leftovers();
}

function nodeConfig(amqpPort: number, managementPort: number, options: ClusterOptions): string {
  return [
    `listeners.tcp.1 = 127.0.0.1:${amqpPort}`,
    "management.tcp.ip = 127.0.0.1",
    `management.tcp.port = ${managementPort}`,
    `collect_statistics_interval = ${options.statisticsIntervalMs ?? 1000}`,
    "log.console = false",
    "log.file.level = info",
    ...(options.config ?? []),
    "",
  ].join("\n");
}

/**
 * Starts a cluster of `size` nodes (default 3) and resolves once every node runs as a
 * member of one cluster. Always pair with `stop()` (an afterAll of this module does it
 * for a cluster left running).
 */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const size = options.size ?? 3;
  if (!Number.isInteger(size) || size < 1) throw new Error(`cluster size must be 1 or more`);
  const sbin = rabbitmqSbinDir();
  const id = randomBytes(3).toString("hex");
  const dir = mkdtempSync(join(tmpdir(), `ia-cluster-${id}-`));

  const ports = await allocatePorts(size * 3 + 1 + CLI_PORTS);
  const take = () => ports.shift() as number;
  const epmdPort = take();
  const cliMin = take();
  for (let i = 1; i < CLI_PORTS; i++) take();
  const cliMax = cliMin + CLI_PORTS - 1;

  // One HOME for the nodes and every CLI call: it holds the shared Erlang cookie.
  const home = join(dir, "home");
  mkdirSync(home);
  writeFileSync(join(home, ".erlang.cookie"), randomBytes(20).toString("hex").toUpperCase());
  chmodSync(join(home, ".erlang.cookie"), 0o400);
  const emptyEnvFile = join(dir, "rabbitmq-env.conf");
  writeFileSync(emptyEnvFile, "");

  // Inherit PATH, locale and the like, but no RabbitMQ or Erlang setting of the caller.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(RABBITMQ_|ERL_|IA_TEST_CLUSTER)/.test(key) && key !== "HOME",
    ),
  );
  const common = {
    ...inherited,
    HOME: home,
    LANG: process.env.LANG ?? "C.UTF-8",
    LC_ALL: "C.UTF-8",
    ERL_EPMD_ADDRESS: "127.0.0.1",
    ERL_EPMD_PORT: String(epmdPort),
    RABBITMQ_CONF_ENV_FILE: emptyEnvFile,
    RABBITMQ_USE_LONGNAME: "false",
    [MARKER]: id,
  };
  const cliEnv = {
    ...common,
    RABBITMQ_CTL_DIST_PORT_MIN: String(cliMin),
    RABBITMQ_CTL_DIST_PORT_MAX: String(cliMax),
  };

  const epmd = spawn(epmdPath(), ["-port", String(epmdPort), "-address", "127.0.0.1"], {
    env: common,
    detached: true,
    stdio: "ignore",
  });
  epmd.unref();
  epmd.once("error", () => undefined);

  const nodes: NodeState[] = [];
  for (let index = 1; index <= size; index++) {
    const [amqpPort, managementPort, distPort] = [take(), take(), take()];
    const name = `ia-${id}-${index}@localhost`;
    const nodeDir = join(dir, `node${index}`);
    for (const sub of ["", "mnesia", "log", "conf.d"])
      mkdirSync(join(nodeDir, sub), { recursive: true });
    writeFileSync(join(nodeDir, "rabbitmq.conf"), nodeConfig(amqpPort, managementPort, options));
    writeFileSync(join(nodeDir, "enabled_plugins"), "[rabbitmq_management].\n");
    nodes.push(
      new NodeState(index, name, amqpPort, managementPort, distPort, nodeDir, {
        ...common,
        IA_TEST_CLUSTER_NODE: name,
        RABBITMQ_NODENAME: name,
        RABBITMQ_NODE_IP_ADDRESS: "127.0.0.1",
        RABBITMQ_NODE_PORT: String(amqpPort),
        RABBITMQ_DIST_PORT: String(distPort),
        RABBITMQ_CONFIG_FILE: join(nodeDir, "rabbitmq.conf"),
        RABBITMQ_CONFIG_FILES: join(nodeDir, "conf.d"),
        RABBITMQ_ADVANCED_CONFIG_FILE: join(nodeDir, "advanced.config"),
        RABBITMQ_ENABLED_PLUGINS_FILE: join(nodeDir, "enabled_plugins"),
        RABBITMQ_MNESIA_BASE: join(nodeDir, "mnesia"),
        RABBITMQ_LOG_BASE: join(nodeDir, "log"),
        RABBITMQ_PID_FILE: join(nodeDir, "beam.pid"),
        // Three VMs share the machine's cores: no binding of schedulers to CPUs, and
        // inter-node traffic on loopback only.
        RABBITMQ_SCHEDULER_BIND_TYPE: "u",
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: "-kernel inet_dist_use_interface {127,0,0,1}",
      }),
    );
  }

  const cluster = new ClusterImpl(id, dir, nodes, sbin, cliEnv, epmd);
  live.add(cluster);
  try {
    await cluster.form(options.timeoutMs ?? 150_000);
  } catch (error) {
    const logs = nodes.map((n) => `--- ${n.name}\n${tail(n.logFile, 15)}`).join("\n");
    await cluster.stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${logs}`, {
      cause: error,
    });
  }
  return cluster;
}
