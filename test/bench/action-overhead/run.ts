/**
 * The Action's overhead outside the model, on a real checkout of a mid-size repository
 * (sympy, about 1,500 files, brought as a bare git directory). Runs `dist/index.js` as a
 * runner does against the GitHub emulator, a real worker process, RabbitMQ and an instant
 * scripted model, and reports:
 *
 * - start → request published: the Action's own `request <id> queued <ms> ms after start`
 *   (milliseconds since its process started, so Node's start and the bundle load count);
 * - result → all GitHub writes done: the Action's `published the plan in <ms> ms`, plus,
 *   from the outside, the worker's reply → the Action's exit;
 * - the GitHub API calls each run makes (reads and writes, listed by operation).
 *
 * Each issue runs twice: a new plan, then the same event again (the idempotent path).
 * Runs with ISSUE_AGENT_API_SPACING_MS=0 measure the Action; runs without it show what
 * a workflow sees, where the default write spacing (1 s, 3 s for writes that notify)
 * dominates. Measures only; asserts nothing beyond each run succeeding.
 *
 *   npx tsx test/bench/action-overhead/run.ts [--runs 5] [--paced-runs 5] [--ref sympy-1.1]
 *     [--git-dir /path/to/sympy.git]
 *
 * Needs RabbitMQ on 127.0.0.1:5672, a built dist/ and the bare repository (default: the
 * SYMPY_GIT_DIR variable, else sympy+sympy under BENCH_MIRRORS). Writes
 * results/action-overhead.json and results/action-overhead.md.
 */
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { buildContext, collectRepositoryFiles } from "../../../action/context/build-context.js";
import { type Plan, deadLetterQueueFor } from "../../../protocol/index.js";
import { NODE24, labeledEvent, runAction, type ActionRun } from "../../support/action-runner.js";
import {
  deleteQueues,
  openTestConnection,
  uniqueQueueName,
} from "../../support/broker/rabbitmq.js";
import {
  startGitHubEmulator,
  type RequestLogEntry,
  type RepoView,
} from "../../support/github/emulator.js";
import { startOllamaTestServer } from "../../support/ollama/server.js";
import { startWorkerProcess } from "../../support/worker-process.js";
import { findMirror } from "../bench-data.js";

const execFileAsync = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../../..");
const RESULTS = path.join(HERE, "results");
const OWNER = "sympy";
const NAME = "sympy";
const SIGNING_KEY = "bench-signing-key-0123456789";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    "paced-runs": { type: "string", default: "5" },
    ref: { type: "string", default: "sympy-1.1" },
    "git-dir": {
      type: "string",
      default: process.env.SYMPY_GIT_DIR ?? findMirror("sympy/sympy") ?? "",
    },
  },
});
const runs = Number(args.runs);
const pacedRuns = Number(args["paced-runs"]);
const gitDir = args["git-dir"];
if (!gitDir || !existsSync(gitDir)) {
  console.error(
    `no sympy repository${gitDir ? ` at ${gitDir}` : ""}: mirror sympy/sympy under BENCH_MIRRORS, or pass --git-dir (or SYMPY_GIT_DIR) naming a bare clone`,
  );
  process.exit(2);
}

// A plan as a model would write it for the issue below: real paths, plus one invented
// path so that grounding has something to flag.
const plan: Plan = {
  summary: "Make trigsimp reduce sin(x)**2 + cos(x)**2 inside sums with other terms.",
  steps: [
    {
      title: "Collect Pythagorean pairs before matching",
      detail: "In trigsimp's groebner and fu paths, gather sin**2/cos**2 pairs across Add args.",
      files: ["sympy/simplify/trigsimp.py"],
    },
    {
      title: "Regression tests",
      detail: "Cover 2 + sin(x)**2 + cos(x)**2 and a product form.",
      files: ["sympy/simplify/tests/test_trigsimp.py"],
    },
  ],
  files: [
    { path: "sympy/simplify/trigsimp.py", change: "modify", reason: "the matcher misses the pair" },
    { path: "sympy/simplify/tests/test_trigsimp.py", change: "modify", reason: "regression tests" },
    { path: "sympy/simplify/pythagoras.py", change: "modify", reason: "an invented path" },
  ],
  risks: ["Slower trigsimp on large sums."],
  tests: ["pytest sympy/simplify/tests/test_trigsimp.py"],
  openQuestions: [],
};
const issueText = {
  title: "trigsimp does not simplify sin(x)**2 + cos(x)**2 + 2",
  body: "`trigsimp(sin(x)**2 + cos(x)**2 + 2)` returns the input unchanged instead of 3. It works without the constant. See sympy/simplify/trigsimp.py.",
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const git = (cwd: string, ...argv: string[]): string =>
  execFileSync("git", argv, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

// --- The repository: a tree from the bare mirror, seeded into the emulator, checked out
// from the emulator as actions/checkout would (depth 1), so HEAD exists on "GitHub".
// Other work on the machine shows up in every figure: the 1-minute load is recorded.
const loadAtStart = os.loadavg()[0] ?? 0;
const scratch = mkdtempSync(path.join(os.tmpdir(), "action-overhead-"));
const tree = path.join(scratch, "tree");
mkdirSync(tree);
const sourceSha = git(ROOT, "--git-dir", gitDir, "rev-parse", `${args.ref}^{commit}`);
execFileSync("bash", [
  "-c",
  'git --git-dir "$1" archive "$2" | tar -x -C "$3"',
  "_",
  gitDir,
  sourceSha,
  tree,
]);

let started = performance.now();
const github = await startGitHubEmulator({
  repos: [
    {
      owner: OWNER,
      name: NAME,
      directory: tree,
      collaborators: { maintainer: "write" },
    },
  ],
  users: [{ login: "alice" }, { login: "maintainer" }],
});
const seedMs = performance.now() - started;
const repo: RepoView = github.repo(OWNER, NAME);
const mainSha = (await repo.branchSha("main")) ?? "";

const template = path.join(scratch, "checkout");
started = performance.now();
// Asynchronously: the emulator serves the clone from this very process.
await execFileAsync("git", [
  "clone",
  "-q",
  "--depth",
  "1",
  "--no-tags",
  github.cloneUrl(OWNER, NAME, true),
  template,
]);
const cloneMs = performance.now() - started;
// Keep the token out of the checkout's config, as actions/checkout does by default.
git(template, "remote", "set-url", "origin", github.cloneUrl(OWNER, NAME));
const checkoutSha = git(template, "rev-parse", "HEAD");
if (checkoutSha !== mainSha)
  throw new Error(`checkout ${checkoutSha} is not the emulator's main ${mainSha}`);
const fileCount = Number(git(template, "ls-files").split("\n").length);
const checkoutBytes = Number(
  execFileSync("du", ["-sb", "--exclude=.git", template], { encoding: "utf8" }).split("\t")[0],
);

// --- The backend: an instant scripted model and a real worker process on its own queue.
const ollama = await startOllamaTestServer({ mode: "instant", instantReply: JSON.stringify(plan) });
const queue = uniqueQueueName("overhead");
const worker = await startWorkerProcess(
  {
    OLLAMA_HOST: ollama.url,
    MODEL: ollama.model,
    SIGNING_KEY,
    REQUEST_QUEUE: queue,
    LOG_LEVEL: "info",
  },
  { bundle: true },
);

// Other work on this machine restarts the shared broker (disruptive tests) or rebuilds
// dist/. A run that fails to reach the broker, during which the worker had to reconnect,
// or that found no bundle, measures that, not the Action: it is dropped and repeated.
class BrokerDisturbed extends Error {}
let brokerRetries = 0;

async function waitForBroker(): Promise<void> {
  for (let waited = 0; ; waited += 500) {
    try {
      const probe = await openTestConnection();
      await probe.close();
      return;
    } catch (error) {
      if (waited > 180_000) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function undisturbed<T>(what: string, body: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    await waitForBroker();
    try {
      return await body();
    } catch (error) {
      // ETXTBSY: the Node 24 binary is being rewritten by an npm install beside us.
      const busy = (error as NodeJS.ErrnoException).code === "ETXTBSY";
      if (!(error instanceof BrokerDisturbed || busy) || attempt >= 5) throw error;
      brokerRetries += 1;
      console.error(`${what}: disturbed (${(error as Error).message}); repeating`);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

interface Call {
  method: string;
  operation: string;
  status: number;
}

interface RunRecord {
  paced: boolean;
  kind: "new" | "rerun";
  issue: number;
  wallMs: number;
  queuedAfterStartMs: number;
  publishedMs: number;
  /** Worker sent the reply → the Action's process exited. */
  replyToExitMs: number;
  /** The Action's spawn → the worker started the job. */
  spawnToJobStartMs: number;
  /** The Action's context build as its pull request body shows it (0.1 s steps). */
  contextInActionMs: number;
  reads: number;
  writes: number;
  /** The status line of each tracking comment write, in order. */
  commentWrites: string[];
  calls: Call[];
}

function describeCall(entry: RequestLogEntry): Call {
  return { method: entry.method, operation: entry.operationId ?? entry.path, status: entry.status };
}

function contextFromPullRequest(issue: number): number {
  const body = repo.pulls().find((p) => p.pull?.head === `ai-agent/issue-${issue}`)?.body ?? "";
  // The usage row: model | prompt | output | model time | context build | queue + model.
  const row = /^\| `[^`]*` \| \d+ \| \d+ \| [\d.]+ s \| ([\d.]+) s \| [\d.]+ s \|$/m.exec(body);
  return row ? Math.round(Number(row[1]) * 1000) : Number.NaN;
}

function logged(run: ActionRun, pattern: RegExp, what: string): RegExpExecArray {
  const match = pattern.exec(run.stdout);
  if (!match) throw new Error(`no '${what}' line in the Action's log:\n${run.stdout}`);
  return match;
}

async function runOnce(issue: number, kind: RunRecord["kind"], paced: boolean): Promise<RunRecord> {
  // Each workflow run gets a fresh checkout, as a new job does.
  const workspace = path.join(scratch, `ws-${randomUUID().slice(0, 8)}`);
  cpSync(template, workspace, { recursive: true });
  const firstCall = github.requestLog.length;
  const firstWorkerLog = worker.logs.length;
  const spawnedAt = Date.now();
  const t0 = performance.now();
  const result = await runAction({
    eventName: "issues",
    payload: labeledEvent(
      { owner: OWNER, name: NAME },
      { number: issue, ...issueText, author: "alice" },
      "ai-agent",
    ),
    inputs: {
      "github-token": github.token,
      "amqp-url": "amqp://guest:guest@127.0.0.1:5672",
      "signing-key": SIGNING_KEY,
      "request-queue": queue,
      "timeout-minutes": "2",
    },
    repository: `${OWNER}/${NAME}`,
    apiUrl: github.url,
    serverUrl: github.serverUrl,
    workspace,
    env: paced ? {} : { ISSUE_AGENT_API_SPACING_MS: "0" },
    timeoutMs: 120_000,
  });
  const wallMs = performance.now() - t0;
  const exitedAt = spawnedAt + wallMs;
  rmSync(workspace, { recursive: true, force: true });
  const reconnected = worker.logs
    .slice(firstWorkerLog)
    .some((l) => typeof l.msg === "string" && /reconnect|connection (lost|closed)/i.test(l.msg));
  if (reconnected) throw new BrokerDisturbed("the worker reconnected during the run");
  if (/Cannot find module .*dist/.test(result.stderr)) {
    // `npm run build` beside us empties dist/ for about 30 s.
    for (let waited = 0; !existsSync(path.join(ROOT, "dist", "index.js")); waited += 1000) {
      if (waited > 180_000) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    await new Promise((r) => setTimeout(r, 3000));
    throw new BrokerDisturbed("dist/ was being rebuilt");
  }
  if (/cannot connect to RabbitMQ|No worker answered|CONNECTION_FORCED/.test(result.stdout)) {
    throw new BrokerDisturbed(/::error::(.*)/.exec(result.stdout)?.[1] ?? "no broker");
  }
  if (result.exitCode !== 0 || result.outputs.status !== "planned" || result.stderr !== "") {
    throw new Error(
      `run failed (exit ${String(result.exitCode)}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  if (github.violations.length > 0) throw new Error(JSON.stringify(github.violations, null, 2));
  const queued = logged(result, /request (\S+) queued (\d+) ms after start/, "queued");
  const published = logged(result, /published the plan in (\d+) ms/, "published");
  const requestId = queued[1] ?? "";
  const jobLog = (msg: string) =>
    worker.waitForLog((l) => l.msg === msg && l.requestId === requestId, 10_000);
  const [jobStarted, jobFinished] = await Promise.all([
    jobLog("job started"),
    jobLog("job finished"),
  ]);
  const entries = github.requestLog.slice(firstCall);
  const calls = entries.map(describeCall);
  // What each tracking comment write showed: its status line.
  const commentWrites = entries
    .filter((e) => /^issues\/(create|update)-comment$/.test(e.operationId ?? ""))
    .map(
      (e) =>
        /\*\*Status:\*\* ([^\n]*)/.exec(String((e.body as { body?: string }).body))?.[1] ?? "?",
    );
  return {
    paced,
    kind,
    issue,
    wallMs: Math.round(wallMs),
    queuedAfterStartMs: Number(queued[2]),
    publishedMs: Number(published[1]),
    replyToExitMs: Math.round(exitedAt - Date.parse(String(jobFinished.time))),
    spawnToJobStartMs: Math.round(Date.parse(String(jobStarted.time)) - spawnedAt),
    contextInActionMs: contextFromPullRequest(issue),
    reads: calls.filter((c) => c.method === "GET").length,
    writes: calls.filter((c) => c.method !== "GET").length,
    commentWrites,
    calls,
  };
}

const records: RunRecord[] = [];
const contextMs: number[] = [];
const treeWalkMs: number[] = [];
const nodeStartMs: number[] = [];
const emulatorIssueGetMs: number[] = [];
const emulatorTreeGetMs: number[] = [];
try {
  for (const paced of [false, true]) {
    const count = paced ? pacedRuns : runs;
    for (let i = 0; i < count; i += 1) {
      const issue = repo.addIssue({ ...issueText, user: "alice", labels: ["ai-agent"] }).number;
      const fresh = await undisturbed(`#${issue} new`, () => runOnce(issue, "new", paced));
      const branch = `ai-agent/issue-${issue}`;
      const head = await repo.branchSha(branch);
      const again = await undisturbed(`#${issue} re-run`, () => runOnce(issue, "rerun", paced));
      // The idempotent path must leave the same branch, one pull request, one comment.
      if ((await repo.branchSha(branch)) !== head) throw new Error(`re-run moved ${branch}`);
      const prs = repo.pulls().filter((p) => p.pull?.head === branch);
      if (prs.length !== 1) throw new Error(`#${issue} has ${prs.length} pull requests`);
      const comments = repo
        .comments(issue)
        .filter((c) => c.body.startsWith("<!-- issue-agent:tracking -->"));
      if (comments.length !== 1)
        throw new Error(`#${issue} has ${comments.length} tracking comments`);
      records.push(fresh, again);
      console.error(
        `${paced ? "paced  " : "unpaced"} #${issue}: new ${fresh.queuedAfterStartMs}/${fresh.publishedMs}/${fresh.wallMs} ms, ` +
          `re-run ${again.queuedAfterStartMs}/${again.publishedMs}/${again.wallMs} ms (queued/published/wall)`,
      );
    }
  }

  // --- Where the time before the request goes: the same context build and tree walk,
  // in-process on the same checkout, and a bare Node 24 start.
  for (let i = 0; i < 5; i += 1) {
    let t = performance.now();
    await buildContext({ repoDir: template, ...issueText, tokenBudget: 6000 });
    contextMs.push(performance.now() - t);
    t = performance.now();
    await collectRepositoryFiles(template);
    treeWalkMs.push(performance.now() - t);
  }
  for (let i = 0; i < 5; i += 1) {
    const t = performance.now();
    spawnSync(NODE24, ["-e", "0"]);
    nodeStartMs.push(performance.now() - t);
  }
  // What one emulator call costs (it validates every request and response against
  // GitHub's OpenAPI description): a small read, and the recursive tree listing the
  // branch commit reads, whose size grows with the repository.
  const treeSha = (await repo.commit(mainSha)).tree;
  const get = async (route: string): Promise<number> => {
    const t = performance.now();
    const response = await fetch(`${github.url}${route}`, {
      headers: { authorization: `Bearer ${github.token}`, accept: "application/vnd.github+json" },
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${route}: ${response.status}`);
    return performance.now() - t;
  };
  for (let i = 0; i < 10; i += 1) {
    emulatorIssueGetMs.push(await get(`/repos/${OWNER}/${NAME}/issues/1`));
    emulatorTreeGetMs.push(await get(`/repos/${OWNER}/${NAME}/git/trees/${treeSha}?recursive=1`));
  }
} finally {
  worker.kill("SIGTERM");
  await worker.exited;
  const connection = await openTestConnection().catch(() => undefined);
  if (connection) {
    await deleteQueues(connection, [queue, deadLetterQueueFor(queue)]);
    await connection.close();
  }
  await ollama.close();
  await github.close();
  rmSync(scratch, { recursive: true, force: true });
}

// --- Summaries.
type Group = { paced: boolean; kind: RunRecord["kind"] };
const groups: Group[] = [
  { paced: false, kind: "new" },
  { paced: false, kind: "rerun" },
  { paced: true, kind: "new" },
  { paced: true, kind: "rerun" },
];
const stat = (values: number[]) => ({
  p50: Math.round(median(values)),
  max: Math.round(Math.max(...values)),
});
const summaries = groups
  .map((g) => ({ g, rows: records.filter((r) => r.paced === g.paced && r.kind === g.kind) }))
  .filter(({ rows }) => rows.length > 0)
  .map(({ g, rows }) => ({
    paced: g.paced,
    kind: g.kind,
    runs: rows.length,
    queuedAfterStartMs: stat(rows.map((r) => r.queuedAfterStartMs)),
    publishedMs: stat(rows.map((r) => r.publishedMs)),
    replyToExitMs: stat(rows.map((r) => r.replyToExitMs)),
    spawnToJobStartMs: stat(rows.map((r) => r.spawnToJobStartMs)),
    contextInActionMs: stat(rows.map((r) => r.contextInActionMs)),
    wallMs: stat(rows.map((r) => r.wallMs)),
    reads: stat(rows.map((r) => r.reads)),
    writes: stat(rows.map((r) => r.writes)),
  }));

/** The call sequences seen for one kind of run, with how many runs made each. */
function sequences(kind: RunRecord["kind"], paced: boolean) {
  const counts = new Map<string, number>();
  for (const r of records.filter((x) => x.kind === kind && x.paced === paced)) {
    const key = r.calls.map((c) => `${c.method} ${c.operation} ${c.status}`).join("\n");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()].map(([key, n]) => ({ runs: n, calls: key.split("\n") }));
}

const cpu = os.cpus()[0]?.model ?? "unknown";
const result = {
  date: new Date().toISOString(),
  machine: {
    cpu,
    cpus: os.cpus().length,
    node: process.version,
    actionNode: spawnSync(NODE24, ["--version"], { encoding: "utf8" }).stdout.trim(),
    loadAverage1m: { start: +loadAtStart.toFixed(2), end: +(os.loadavg()[0] ?? 0).toFixed(2) },
  },
  repository: {
    source: "sympy/sympy",
    ref: args.ref,
    sha: sourceSha,
    files: fileCount,
    bytes: checkoutBytes,
    emulatorSeedMs: Math.round(seedMs),
    cloneDepth1Ms: Math.round(cloneMs),
  },
  targets: { queuedAfterStartMs: 3000, publishedMs: 2000 },
  summaries,
  breakdown: {
    contextBuildInProcessMs: stat(contextMs),
    treeWalkInProcessMs: stat(treeWalkMs),
    node24StartMs: stat(nodeStartMs),
    emulatorIssueGetMs: stat(emulatorIssueGetMs),
    emulatorRecursiveTreeGetMs: stat(emulatorTreeGetMs),
  },
  callSequences: {
    unpacedNew: sequences("new", false),
    unpacedRerun: sequences("rerun", false),
    pacedNew: sequences("new", true),
    pacedRerun: sequences("rerun", true),
  },
  brokerRetries,
  runs: records.map(({ calls: _calls, ...rest }) => rest),
};

mkdirSync(RESULTS, { recursive: true });
writeFileSync(path.join(RESULTS, "action-overhead.json"), `${JSON.stringify(result, null, 2)}\n`);

const row = (s: (typeof summaries)[number]) =>
  [
    s.paced ? "default (1 s; 3 s if notifying)" : "0",
    s.kind === "new" ? "new issue" : "re-run, same event",
    s.runs,
    `${s.queuedAfterStartMs.p50} / ${s.queuedAfterStartMs.max}`,
    `${s.publishedMs.p50} / ${s.publishedMs.max}`,
    `${s.replyToExitMs.p50} / ${s.replyToExitMs.max}`,
    `${s.wallMs.p50} / ${s.wallMs.max}`,
    s.reads.p50,
    s.writes.p50,
  ].join(" | ");

/**
 * Every call sequence seen, as one table: a row per call in order of first appearance,
 * a column per distinct sequence with how many runs made it.
 */
function callTable(): string {
  const unpaced = [
    ...sequences("new", false).map((v) => ({ ...v, label: "new issue" })),
    ...sequences("rerun", false).map((v) => ({ ...v, label: "re-run" })),
  ];
  // Paced runs take longer, so deferred progress edits of the tracking comment can fire
  // in the middle: such sequences get columns of their own.
  const seen = new Set(unpaced.map((v) => v.calls.join("\n")));
  const paced = [
    ...sequences("new", true).map((v) => ({ ...v, label: "new issue, paced" })),
    ...sequences("rerun", true).map((v) => ({ ...v, label: "re-run, paced" })),
  ].filter((v) => !seen.has(v.calls.join("\n")));
  const variants = [...unpaced, ...paced];
  // The first new issue in a repository also creates the state labels: name it so.
  for (const v of variants) {
    if (v.calls.some((c) => c.includes("create-label"))) v.label += " (first in repo)";
  }
  const operations: string[] = [];
  for (const v of variants) {
    for (const c of v.calls) {
      const op = c.split(" ").slice(0, 2).join(" ");
      if (!operations.includes(op)) operations.push(op);
    }
  }
  const count = (calls: string[], op: string) =>
    calls.filter((c) => c.startsWith(`${op} `)).length || "";
  const total = (calls: string[], write: boolean) =>
    calls.filter((c) => c.startsWith("GET ") !== write).length;
  return [
    `| Call | ${variants.map((v) => `${v.label}, ${v.runs} run${v.runs > 1 ? "s" : ""}`).join(" | ")} |`,
    `| --- | ${variants.map(() => "---:").join(" | ")} |`,
    ...operations.map(
      (op) => `| \`${op}\` | ${variants.map((v) => count(v.calls, op)).join(" | ")} |`,
    ),
    `| **reads** | ${variants.map((v) => total(v.calls, false)).join(" | ")} |`,
    `| **writes** | ${variants.map((v) => total(v.calls, true)).join(" | ")} |`,
    "",
    ...variants.map(
      (v) => `- ${v.label}: ${v.calls.map((c) => c.split(" ").slice(0, 2).join(" ")).join(" → ")}`,
    ),
  ].join("\n");
}

const b = result.breakdown;
const unpacedNew = summaries.find((x) => !x.paced && x.kind === "new");
const markdown = [
  `# Action overhead outside the model`,
  "",
  `${result.date.slice(0, 10)}; ${cpu}, ${os.cpus().length} CPUs (1-minute load ${result.machine.loadAverage1m.start} at the start, ${result.machine.loadAverage1m.end} at the end); the Action under Node ${result.machine.actionNode}.`,
  `Checkout: sympy ${args.ref} (${sourceSha.slice(0, 12)}), ${fileCount} files, ${(checkoutBytes / 1e6).toFixed(1)} MB,`,
  "an existing git checkout as actions/checkout leaves it; the GitHub emulator; a real worker process",
  "(dist/worker.js) and RabbitMQ; an instant scripted model. Each issue runs twice: new, then the",
  "same event again.",
  "",
  "Milliseconds, p50 / max. **Start → queued**: the Action's process start to the broker's confirm",
  "of the plan request (the Action's own log; target ≤ 3000). **Result → published**: the reply",
  "to the last GitHub write (the Action's own log; target ≤ 2000). **Reply → exit**: the worker's",
  "reply to the Action's exit, seen from outside. **Wall**: spawn to exit. API calls per run (p50).",
  "",
  "| Write spacing | Run | Runs | Start → queued | Result → published | Reply → exit | Wall | Reads | Writes |",
  "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...summaries.map((s) => `| ${row(s)} |`),
  "",
  "Write spacing 0 is ISSUE_AGENT_API_SPACING_MS=0 (the emulator needs no pacing). A workflow keeps",
  "the default, GitHub's guidance against secondary rate limits, and the spacing then dominates",
  "the time after the result.",
  "",
  "Where start → queued goes (p50 / max):",
  "",
  `- context build inside the Action (from its pull request body, 0.1 s steps): ${unpacedNew?.contextInActionMs.p50 ?? "?"} / ${unpacedNew?.contextInActionMs.max ?? "?"} ms;`,
  `- the same context build in-process on the same checkout: ${b.contextBuildInProcessMs.p50} / ${b.contextBuildInProcessMs.max} ms, of which the tree walk ${b.treeWalkInProcessMs.p50} / ${b.treeWalkInProcessMs.max} ms;`,
  `- a bare Node 24 start: ${b.node24StartMs.p50} ms;`,
  "- the rest: loading the bundle, four GitHub calls, connecting to RabbitMQ and the confirmed publish.",
  "",
  `One emulator call (it validates each request and response against GitHub's OpenAPI description), p50 / max: \`GET issues/get\` ${b.emulatorIssueGetMs.p50} / ${b.emulatorIssueGetMs.max} ms; the recursive \`GET git/get-tree\` of this checkout ${b.emulatorRecursiveTreeGetMs.p50} / ${b.emulatorRecursiveTreeGetMs.max} ms.`,
  "",
  `Runs repeated because the shared broker restarted or dist/ was being rebuilt meanwhile: ${brokerRetries}.`,
  "",
  "## GitHub API calls per run",
  "",
  callTable(),
  "",
].join("\n");
writeFileSync(path.join(RESULTS, "action-overhead.md"), markdown);
console.log(markdown);
