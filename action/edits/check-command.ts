import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { warning } from "@actions/core";
import { exclusionReason } from "../context/file-filters.js";
import { redactSecrets, secretLinesIn } from "../context/redact-secrets.js";
import { ActionFailure } from "../failure.js";
import {
  detectSandbox,
  prepareSandbox,
  prepareUnisolated,
  READY_MARKER,
  trackedFiles,
  type SandboxCapability,
} from "./sandbox.js";

export interface CheckCommandOptions {
  /** The shell command, from the workflow's `check-command` input (trusted: a maintainer wrote it). */
  command: string;
  /** The checkout with the edits applied; the command runs in a copy of it. */
  cwd: string;
  /** Time limit; on expiry every process the command started is killed. */
  timeoutMs: number;
  /** Output kept, in bytes: the head and tail halves, with the middle elided. Default 64 KiB. */
  maxOutputBytes?: number;
  /**
   * The environment the command's is derived from, through {@link checkEnvironment}.
   * Default: the Action's own.
   */
  env?: NodeJS.ProcessEnv;
  /** Time between SIGTERM and SIGKILL on timeout. Default 5 s. */
  killGraceMs?: number;
  /**
   * The `check-command-unisolated` input: run the command as the Action's user where no
   * sandbox can be had, instead of refusing. Default false.
   */
  unisolated?: boolean;
  /**
   * Where the every-run warning of an unisolated check goes, with the reason no sandbox
   * could be had (for callers that word it their own way). Default: a workflow warning.
   */
  warn?: (message: string, reason: string) => void;
  /** How isolation is detected (tests). Default: {@link detectSandbox}. */
  sandbox?: () => Promise<SandboxCapability>;
}

export interface CheckCommandResult {
  ok: boolean;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** stdout and stderr interleaved as they arrived, bounded, secrets redacted. */
  output: string;
  /** Bytes dropped from the middle of the output. */
  omittedBytes: number;
  durationMs: number;
  /** "sandbox": isolated (./sandbox.ts); "unisolated": as the Action's user, by opt-in. */
  isolation: "sandbox" | "unisolated";
}

const DEFAULT_MAX_OUTPUT = 64 * 1024;

/**
 * Whether `check-command` may run on this runner: isolated where a sandbox can be had,
 * or unisolated by the workflow's explicit opt-in; otherwise an {@link ActionFailure}
 * saying how to fix it. Asked before the model is (so a run that could never check its
 * edits fails at once, not after the model's time is spent) and again before running.
 */
export async function ensureCheckCanRun(options: {
  unisolated: boolean;
  sandbox?: () => Promise<SandboxCapability>;
}): Promise<SandboxCapability> {
  const capability = await (options.sandbox ?? detectSandbox)();
  refuseUnisolated(capability, options.unisolated);
  return capability;
}

function refuseUnisolated(capability: SandboxCapability, unisolated: boolean): void {
  if (capability.ok || unisolated) return;
  throw new ActionFailure(
    `\`check-command\` was not run: this runner cannot run it isolated from the Action's credentials (${capability.reason}). It runs code the model wrote, which could otherwise read the GitHub token, the AMQP URL and the signing key, write GITHUB_ENV and push.`,
    "Run the job on a Linux runner where the Action is root or has passwordless sudo and mount and PID namespaces work (GitHub-hosted Ubuntu runners do), remove `check-command`, or set `check-command-unisolated: true` to run it without isolation (see docs/security.md).",
  );
}

/**
 * Runs the maintainer's check command (linter, tests) with `bash -c` on a copy of the
 * edited tree. The command runs code the model just wrote, so it runs in the sandbox of
 * ./sandbox.ts: another user, its own namespaces, no credentials in reach. Where the
 * runner cannot provide that, the check is refused with an {@link ActionFailure} naming
 * the `check-command-unisolated` input, unless that input is set; then it runs as the
 * Action's user, still with a clean environment and redacted output, and a warning says
 * so on every run. Its output is bounded and redacted (secret patterns and this run's own
 * secrets) before anything reads it.
 */
export async function runCheckCommand(options: CheckCommandOptions): Promise<CheckCommandResult> {
  const capability = await ensureCheckCanRun({
    unisolated: options.unisolated ?? false,
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
  });
  const env = checkEnvironment(options.env ?? process.env);
  const grace = options.killGraceMs ?? 5000;
  const secrets = [...knownSecrets(process.env), ...(await trackedFileSecrets(options.cwd))];
  if (capability.ok) {
    const run = await prepareSandbox({
      capability,
      root: options.cwd,
      command: options.command,
      env,
      timeoutMs: options.timeoutMs,
      killGraceMs: grace,
    });
    try {
      const [file, ...args] = run.argv;
      // Started from "/": the copy belongs to the sandbox user, and the wrapper enters it.
      return await execute(options, file ?? "", args, "/", process.env, "sandbox", secrets, {
        marker: READY_MARKER,
        // The sandbox's own `timeout` ends the command; this is only a backstop.
        backstopMs: options.timeoutMs + grace + 15_000,
      });
    } finally {
      await run.cleanup();
    }
  }
  (options.warn ?? warning)(
    `check-command runs WITHOUT isolation (check-command-unisolated: true): ${capability.reason}. Model-written code it runs can read this job's credentials and files; only its environment is cleaned and its output redacted.`,
    capability.reason,
  );
  const copy = await prepareUnisolated(options.cwd);
  try {
    const unisolatedEnv = { ...env, HOME: copy.home, TMPDIR: copy.tmp };
    return await execute(
      options,
      "bash",
      ["-c", options.command],
      copy.dir,
      unisolatedEnv,
      "unisolated",
      secrets,
      {
        backstopMs: options.timeoutMs,
      },
    );
  } finally {
    await copy.cleanup();
  }
}

function execute(
  options: CheckCommandOptions,
  file: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  isolation: CheckCommandResult["isolation"],
  secrets: readonly string[],
  control: { marker?: string; backstopMs: number },
): Promise<CheckCommandResult> {
  const started = Date.now();
  const output = new BoundedOutput(options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT);
  const grace = options.killGraceMs ?? 5000;
  // Until the sandbox says it is ready, stderr is the sandbox's own (a setup error).
  let setup = control.marker === undefined ? undefined : "";
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const killGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // The group is gone, or is another user's (the sandbox's timeout handles it).
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup("SIGTERM");
      killTimer = setTimeout(() => killGroup("SIGKILL"), grace);
    }, control.backstopMs);
    child.stdout.on("data", (chunk: Buffer) => output.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      if (setup === undefined) return output.push(chunk);
      setup += chunk.toString("utf8");
      const at = setup.indexOf(`${control.marker}\n`);
      if (at < 0) return;
      const rest = setup.slice(at + (control.marker?.length ?? 0) + 1);
      setup = undefined;
      if (rest) output.push(Buffer.from(rest));
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`could not start check command: ${error.message}`, { cause: error }));
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      // Children that ignored SIGTERM but left the pipes must not outlive the check.
      if (timedOut) killGroup("SIGKILL");
      if (setup !== undefined) {
        reject(
          new Error(
            `the check command's sandbox could not be set up: ${redact(setup, secrets).trim().slice(-500) || `exit ${exitCode}`}`,
          ),
        );
        return;
      }
      const durationMs = Date.now() - started;
      // `timeout` exits 124 (137 after SIGKILL) when the limit ran out.
      if (
        isolation === "sandbox" &&
        (exitCode === 124 || exitCode === 137) &&
        durationMs >= options.timeoutMs
      )
        timedOut = true;
      const text = redact(output.text(), secrets);
      resolve({
        ok: !timedOut && exitCode === 0,
        exitCode,
        signal,
        timedOut,
        output: timedOut
          ? `${text}\n[check command timed out after ${options.timeoutMs} ms]`
          : text,
        omittedBytes: output.omitted,
        durationMs,
        isolation,
      });
    });
  });
}

/**
 * The output with secret patterns and `secrets` replaced, these also where they are
 * printed in base64 or hex (code the model wrote could encode what it can read).
 */
function redact(text: string, secrets: readonly string[]): string {
  return redactSecrets(text, { literals: secrets, encoded: secrets }).text;
}

/**
 * The secrets held by the secret-named files git tracks in `root` (a fixture key, an
 * `.env.test`): the check's copy keeps them, as tests may read them, so code the model
 * wrote could print them. Each line of what the rules find in them counts.
 */
async function trackedFileSecrets(root: string): Promise<string[]> {
  const out = new Set<string>();
  for (const path of (await trackedFiles(root)) ?? []) {
    if (exclusionReason(path) !== "secret") continue;
    const text = await readFile(join(root, path), "utf8").catch(() => "");
    if (text.length > MAX_SECRET_FILE_CHARS) continue;
    for (const secret of secretLinesIn(text, path)) out.add(secret);
  }
  return [...out];
}

/** A secret-named file larger than this is data, not a credential: not read. */
const MAX_SECRET_FILE_CHARS = 1_000_000;

/** Names of variables that carry credentials or the Action's own inputs (the token among them). */
const SECRET_NAME =
  /^(INPUT_|ACTIONS_)|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE_KEY|API_KEY|AUTH|_KEY$/i;

/** Variables a check may need that carry nothing of the run's: tools, locale, CI mode. */
const PASSED =
  /^(PATH|LANG|LANGUAGE|LC_[A-Z]+|TZ|TERM|CI|JAVA_HOME(_[A-Z0-9_]+)?|GOROOT|DOTNET_ROOT|ANDROID_HOME|ANDROID_SDK_ROOT)$/;

/**
 * The check command's environment, built from an allowlist rather than by removing what
 * looks secret: no `GITHUB_*` (file-command paths, the workspace), no `ACTIONS_*`
 * (runtime and OIDC tokens), no `INPUT_*` (the token, the AMQP URL, the signing key),
 * nothing the workflow set for other steps. HOME and TMPDIR are set to the check's own.
 */
export function checkEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && PASSED.test(name) && !SECRET_NAME.test(name)) out[name] = value;
  }
  out.PATH ??= "/usr/local/bin:/usr/bin:/bin";
  out.LANG ??= "C.UTF-8";
  return out;
}

/** Input and variable names whose values are this run's secrets. */
const SECRET_VALUE_NAME = /TOKEN|SECRET|PASSW|CREDENTIAL|KEY|AUTH|AMQP|_URL$/i;

/**
 * This run's own secrets as literal strings, for redaction wherever they appear: the
 * token (and the base64 `x-access-token:` form git's extraheader carries), the AMQP URL
 * and its password, the signing key, the runner's tokens, any secret-named variable.
 */
export function knownSecrets(env: NodeJS.ProcessEnv): string[] {
  const out = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (!value || value.length < 8) continue;
    const input = name.startsWith("INPUT_");
    if (!SECRET_VALUE_NAME.test(name) || (!input && /_URL$/i.test(name) && !/@/.test(value)))
      continue;
    out.add(value);
    if (/TOKEN/i.test(name)) {
      out.add(Buffer.from(`x-access-token:${value}`).toString("base64"));
      out.add(Buffer.from(`x-access-token:${value}`).toString("base64").replace(/=+$/, ""));
    }
    const url = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@\s]+)@/i.exec(value);
    if (url?.[1] && url[1].length >= 6) {
      out.add(url[1]);
      try {
        out.add(decodeURIComponent(url[1]));
      } catch {
        // Not percent-encoded.
      }
    }
  }
  return [...out];
}

/**
 * Keeps the first and last `limit / 2` bytes of a stream, counting what it drops. Around
 * an elision the partial lines are dropped too, so that no secret is cut in a way its
 * pattern no longer matches.
 */
class BoundedOutput {
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  omitted = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    const half = Math.floor(this.limit / 2);
    if (this.headBytes < half) {
      const take = chunk.subarray(0, half - this.headBytes);
      this.head.push(take);
      this.headBytes += take.length;
      chunk = chunk.subarray(take.length);
    }
    if (chunk.length === 0) return;
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    const keep = this.limit - half;
    while (this.tailBytes > keep) {
      const first = this.tail[0];
      if (first === undefined) break;
      const excess = this.tailBytes - keep;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailBytes -= first.length;
        this.omitted += first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailBytes -= excess;
        this.omitted += excess;
      }
    }
  }

  text(): string {
    const head = Buffer.concat(this.head).toString("utf8");
    const tail = Buffer.concat(this.tail).toString("utf8");
    if (this.omitted === 0) return head + tail;
    const headCut = head.lastIndexOf("\n");
    const tailCut = tail.indexOf("\n");
    const keptHead = headCut >= 0 ? head.slice(0, headCut) : "";
    const keptTail = tailCut >= 0 ? tail.slice(tailCut + 1) : "";
    const dropped =
      this.omitted +
      Buffer.byteLength(head.slice(keptHead.length)) +
      Buffer.byteLength(tail.slice(0, tail.length - keptTail.length));
    return `${keptHead}\n[… ${dropped} bytes omitted …]\n${keptTail}`;
  }
}
