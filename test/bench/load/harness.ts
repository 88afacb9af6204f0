/**
 * The pieces the load benchmarks share (run.ts, cluster-failover.ts, soak.ts): the
 * GitHub emulator with its repositories of issues, the scripted model, the worker
 * processes, Action processes run in concurrent slots, and the count of what GitHub ends
 * up holding (lost and duplicated pull requests, commits, comments, orphan branches).
 */
import { readFileSync } from "node:fs";
import type { Plan } from "../../../protocol/index.js";
import { labeledEvent, runAction } from "../../support/action-runner.js";
import {
  startGitHubEmulator,
  type GitHubEmulator,
  type RepoView,
} from "../../support/github/emulator.js";
import { startOllamaTestServer, type OllamaTestServer } from "../../support/ollama/server.js";
import { startWorkerProcess, type WorkerProcess } from "../../support/worker-process.js";

export const SIGNING_KEY = "load-bench-signing-key";
const TRACKING = "<!-- issue-agent:tracking -->";

/** The plan the scripted model answers every request with. */
export const PLAN: Plan = {
  summary: "Make lex split on commas too.",
  steps: [
    { title: "Split on commas", detail: "Use a regex split in lex.", files: ["src/lexer.py"] },
  ],
  files: [{ path: "src/lexer.py", change: "modify", reason: "lex ignores commas" }],
  risks: [],
  tests: ["pytest"],
  openQuestions: [],
};

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** p50, p90, p99 and max of `values` (ms), rounded. */
export function latencyStats(values: readonly number[]): {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
} {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: Math.round(percentile(sorted, 50)),
    p90: Math.round(percentile(sorted, 90)),
    p99: Math.round(percentile(sorted, 99)),
    max: Math.round(sorted.at(-1) ?? 0),
  };
}

/** A process's resident set (VmRSS) in MB, or undefined once it is gone. */
export function rssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb === undefined ? undefined : Math.round((Number(kb) / 1024) * 10) / 10;
  } catch {
    return undefined;
  }
}

export interface Job {
  repo: string;
  issue: number;
}

/** `total` jobs spread round-robin over `repos` repositories, one issue each. */
export function planJobs(total: number, repos: number): Job[] {
  return Array.from({ length: total }, (_, k) => ({
    repo: `service-${k % repos}`,
    issue: Math.floor(k / repos) + 1,
  }));
}

/** One GitHub emulator with `repos` small Python repositories of `issuesPerRepo` issues. */
export function startLoadGitHub(repos: number, issuesPerRepo: number): Promise<GitHubEmulator> {
  return startGitHubEmulator({
    repos: Array.from({ length: repos }, (_, r) => ({
      owner: "octo",
      name: `service-${r}`,
      files: {
        "src/lexer.py": "def lex(text):\n    return text.split()\n",
        "src/parser.py": "from src.lexer import lex\n\ndef parse(text):\n    return lex(text)\n",
        "tests/test_lexer.py":
          "from src.lexer import lex\n\ndef test_lex():\n    assert lex('a b') == ['a', 'b']\n",
        "README.md": `# service-${r}\n`,
      },
      issues: Array.from({ length: issuesPerRepo }, (_, i) => ({
        title: `lex ignores commas (${i + 1})`,
        body: "lex in src/lexer.py does not split `a,b`.",
        user: "alice",
      })),
    })),
    users: [{ login: "alice" }],
  });
}

/** The scripted model: PLAN for every request, its first token after `delayMs`. */
export function startScriptedModel(delayMs: number): Promise<OllamaTestServer> {
  return startOllamaTestServer({
    mode: "scripted",
    script: () => ({ content: JSON.stringify(PLAN), delayBeforeFirstTokenMs: delayMs }),
  });
}

/** `count` worker processes from the bundle (dist/worker.js), signing, on `amqpUrl`. */
export async function startWorkers(
  count: number,
  options: { amqpUrl: string; queue: string; model: OllamaTestServer },
): Promise<WorkerProcess[]> {
  const workers: WorkerProcess[] = [];
  for (let i = 0; i < count; i++) {
    workers.push(
      await startWorkerProcess(
        {
          AMQP_URL: options.amqpUrl,
          OLLAMA_HOST: options.model.url,
          MODEL: options.model.model,
          REQUEST_QUEUE: options.queue,
          SIGNING_KEY,
          LOG_LEVEL: "info",
          PROGRESS_INTERVAL_MS: "1000",
        },
        { bundle: true },
      ),
    );
  }
  return workers;
}

/** How many log lines with this message the workers wrote, together. */
export function countLogged(workers: readonly WorkerProcess[], msg: string): number {
  return workers.reduce((n, w) => n + w.logs.filter((l) => l.msg === msg).length, 0);
}

/** The worker's line for a request id it had answered before (stored reply sent again). */
export const DUPLICATE_SUPPRESSED_LOG =
  "already answered; sent the stored reply again and acked the duplicate";

export interface RunRecord extends Job {
  exitCode: number | null;
  status: string;
  /** Action process start to exit. */
  latencyMs: number;
  /** ms since the benchmark started, when the run started and when it ended. */
  startedAtMs: number;
  endedAtMs: number;
  /** When the Action had published its request, ms after its process started. */
  queuedAtMs: number | null;
}

export interface ActionSlotsOptions {
  jobs: readonly Job[];
  concurrency: number;
  /** The slots start this far apart, so the runs do not move in lockstep waves. */
  rampMs: number;
  /** No run starts after this long. */
  budgetMs: number;
  github: GitHubEmulator;
  /** `amqp-url`: one URL, or several comma-separated for a cluster. */
  amqpUrl: string;
  queue: string;
  /** The benchmark's time origin (Date.now()). */
  started: number;
  /** Every finished run lands here as soon as it ends (the samplers read it). */
  records: RunRecord[];
}

/**
 * Runs every job as a real Action process (`dist/index.js` under Node 24), `concurrency`
 * at a time, each slot starting its next run as soon as one exits. Resolves with whether
 * the budget cut the run short.
 */
export async function runActionSlots(
  options: ActionSlotsOptions,
): Promise<{ overBudget: boolean }> {
  const { jobs, github, started, records } = options;
  let next = 0;
  let overBudget = false;
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, slot) => {
      await new Promise((r) => setTimeout(r, slot * options.rampMs));
      for (;;) {
        const job = jobs[next++];
        if (!job) return;
        if (Date.now() - started > options.budgetMs) {
          overBudget = true;
          return;
        }
        const startedAtMs = Date.now() - started;
        const t0 = performance.now();
        const result = await runAction({
          eventName: "issues",
          payload: labeledEvent(
            { owner: "octo", name: job.repo },
            { number: job.issue, title: "", body: "", author: "alice" },
            "ai-agent",
          ),
          inputs: {
            "github-token": github.token,
            "amqp-url": options.amqpUrl,
            "signing-key": SIGNING_KEY,
            "request-queue": options.queue,
            "timeout-minutes": "4",
          },
          repository: `octo/${job.repo}`,
          apiUrl: github.url,
          serverUrl: github.serverUrl,
          env: { ISSUE_AGENT_API_SPACING_MS: "0" },
          timeoutMs: options.budgetMs,
        });
        const latencyMs = performance.now() - t0;
        const queuedAt = /queued (\d+) ms after start/.exec(result.stdout)?.[1];
        records.push({
          ...job,
          exitCode: result.exitCode,
          status: result.outputs.status ?? "none",
          latencyMs,
          startedAtMs,
          endedAtMs: Date.now() - started,
          queuedAtMs: queuedAt ? Number(queuedAt) : null,
        });
        if (result.exitCode !== 0)
          console.error(`${job.repo}#${job.issue} failed:\n${result.stdout.slice(-1500)}`);
      }
    }),
  );
  return { overBudget };
}

export interface GitHubEffects {
  duplicatedPullRequests: number;
  duplicatedPlanCommits: number;
  duplicatedTrackingComments: number;
  orphanBranches: number;
  issuesWithoutPullRequest: number;
  /** Pull requests, plan commits and tracking comments written, all together. */
  writes: number;
}

/** What GitHub holds after the runs, issue by issue. */
export async function countGitHubEffects(
  github: GitHubEmulator,
  jobs: readonly Job[],
  repos: number,
): Promise<GitHubEffects> {
  const effects: GitHubEffects = {
    duplicatedPullRequests: 0,
    duplicatedPlanCommits: 0,
    duplicatedTrackingComments: 0,
    orphanBranches: 0,
    issuesWithoutPullRequest: 0,
    writes: 0,
  };
  for (let r = 0; r < repos; r++) {
    const view: RepoView = github.repo("octo", `service-${r}`);
    const heads = new Map<string, number>();
    for (const pull of view.pulls())
      heads.set(pull.pull?.head ?? "", (heads.get(pull.pull?.head ?? "") ?? 0) + 1);
    const branches = Object.keys(await view.branches()).filter((b) => b.startsWith("ai-agent/"));
    for (const branch of branches) if (!heads.has(branch)) effects.orphanBranches++;
    for (const job of jobs.filter((j) => j.repo === `service-${r}`)) {
      const branch = `ai-agent/issue-${job.issue}`;
      const pulls = heads.get(branch) ?? 0;
      if (pulls === 0) effects.issuesWithoutPullRequest++;
      effects.duplicatedPullRequests += Math.max(0, pulls - 1);
      const tracking = view.comments(job.issue).filter((c) => c.body.startsWith(TRACKING)).length;
      effects.duplicatedTrackingComments += Math.max(0, tracking - 1);
      effects.writes += pulls + tracking;
      if (pulls > 0) {
        const commits = (await view.log(branch, 10)).filter((c) =>
          c.message.startsWith(`Plan for #${job.issue}`),
        ).length;
        effects.duplicatedPlanCommits += Math.max(0, commits - 1);
        effects.writes += commits;
      }
    }
  }
  return effects;
}
