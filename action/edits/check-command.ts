import { spawn } from "node:child_process";

export interface CheckCommandOptions {
  /** The shell command, from the workflow's `check-command` input (trusted: a maintainer wrote it). */
  command: string;
  /** Working directory: the repository checkout. */
  cwd: string;
  /** Time limit; on expiry the whole process group is killed. */
  timeoutMs: number;
  /** Output kept, in bytes: the head and tail halves, with the middle elided. Default 64 KiB. */
  maxOutputBytes?: number;
  /**
   * Environment for the command. Default: the runner's own passed through
   * {@link checkEnvironment}, since the command runs code the model just wrote.
   */
  env?: NodeJS.ProcessEnv;
  /** Time between SIGTERM and SIGKILL on timeout. Default 5 s. */
  killGraceMs?: number;
}

export interface CheckCommandResult {
  ok: boolean;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** stdout and stderr interleaved as they arrived, bounded. */
  output: string;
  /** Bytes dropped from the middle of the output. */
  omittedBytes: number;
  durationMs: number;
}

const DEFAULT_MAX_OUTPUT = 64 * 1024;

/**
 * Runs the maintainer's check command (linter, tests) in the checkout with `bash -c`, in a
 * process group of its own so that a timeout kills the children it spawned too (a test
 * runner's workers, a dev server), not only the shell.
 */
export function runCheckCommand(options: CheckCommandOptions): Promise<CheckCommandResult> {
  const started = Date.now();
  const limit = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const output = new BoundedOutput(limit);
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", options.command], {
      cwd: options.cwd,
      env: options.env ?? checkEnvironment(process.env),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const killGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup("SIGTERM");
      killTimer = setTimeout(() => killGroup("SIGKILL"), options.killGraceMs ?? 5000);
    }, options.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => output.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => output.push(chunk));
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`could not start check command: ${error.message}`, { cause: error }));
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      // Children that ignored SIGTERM but left the pipes must not outlive the check.
      if (timedOut) killGroup("SIGKILL");
      const text = output.text();
      resolve({
        ok: !timedOut && exitCode === 0,
        exitCode,
        signal,
        timedOut,
        output: timedOut
          ? `${text}\n[check command timed out after ${options.timeoutMs} ms]`
          : text,
        omittedBytes: output.omitted,
        durationMs: Date.now() - started,
      });
    });
  });
}

/** Names of variables that carry credentials or the Action's own inputs (the token among them). */
const SECRET_NAME =
  /^(INPUT_|ACTIONS_)|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE_KEY|API_KEY|AUTH/i;

/**
 * `env` without credentials: the check command executes the edited code (tests import
 * it), and code written from an untrusted issue must not read the GitHub token, the
 * Action's inputs or the runner's internal tokens.
 */
export function checkEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !SECRET_NAME.test(name)));
}

/** Keeps the first and last `limit / 2` bytes of a stream, counting what it drops. */
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
    return this.omitted > 0 ? `${head}\n[… ${this.omitted} bytes omitted …]\n${tail}` : head + tail;
  }
}
