/**
 * Runs this process again under V8's `--liftoff-only`, so tree-sitter's grammars (large
 * WebAssembly parse tables) stay on V8's baseline compiler.
 *
 * Why: on Node 24, the runners' Node, V8 tiers hot WebAssembly functions up to its
 * optimising compiler. For a grammar's parse function that compilation costs more than
 * it saves on one run's parsing: measured on the localization benchmark's base trees,
 * the context step is slower by a quarter and peaks 100–250 MB higher (redis: 440 MB
 * instead of 186 MB), with the same output. The flag cannot be set from inside a started
 * Node 24 (V8 freezes its flags once initialised; `v8.setFlagsFromString` is ignored),
 * and a runner starts `node24 dist/index.js` with no flags, so the entry starts itself
 * once more with the flag and passes its exit status on. Node startup (tens of
 * milliseconds) is the whole cost.
 *
 * The child inherits stdin, stdout, stderr and the environment, so workflow commands,
 * `GITHUB_OUTPUT` and piped input behave as if there were one process. The runner's
 * cancel signals go to this process only; they are passed to the child, whose own
 * handlers do the cleaning up (see `cancellation.ts`).
 */
import { spawn } from "node:child_process";
import { constants } from "node:os";

const LIFTOFF_FLAG = "--liftoff-only";

/** Signals passed on to the child: a runner's cancel signals and a closed terminal. */
const FORWARDED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * Does `work` in a process that runs with the flag: this one when it already does,
 * otherwise a child started for it, whose exit code this process then leaves with. When
 * no child can be started, `work` runs here, only slower.
 */
export async function runWithLiftoff(work: () => Promise<void>): Promise<void> {
  if (process.execArgv.includes(LIFTOFF_FLAG)) {
    stopWithParent();
    return work();
  }
  const exitCode = await relaunchWithLiftoff();
  if (exitCode === undefined) return work();
  process.exitCode = exitCode;
}

/**
 * A child whose parent was killed outright (SIGKILL: no signal to pass on) would go on
 * alone; the closed IPC channel tells it, and it stops as if cancelled.
 */
function stopWithParent(): void {
  if (!process.channel) return;
  // The channel carries no messages and must not keep the process alive by itself.
  process.channel.unref();
  process.once("disconnect", () => process.kill(process.pid, "SIGTERM"));
}

/**
 * Starts this script again with the flag and resolves to the exit code to leave with
 * (128 + the signal's number when the child was killed by a signal), or to `undefined`
 * when the child could not be started.
 */
function relaunchWithLiftoff(): Promise<number | undefined> {
  const [, script, ...args] = process.argv;
  if (script === undefined) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, LIFTOFF_FLAG, script, ...args], {
      stdio: ["inherit", "inherit", "inherit", "ipc"],
    });
    let started = false;
    // The child may have exited already when a signal comes; nothing is lost then.
    const forward = (signal: NodeJS.Signals) => void child.kill(signal);
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
    const stopForwarding = () => {
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
    };
    child.once("spawn", () => {
      started = true;
    });
    child.once("error", () => {
      // After a start, an error is a failed kill; the exit event still follows.
      if (started) return;
      stopForwarding();
      resolve(undefined);
    });
    child.once("exit", (code, signal) => {
      stopForwarding();
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}
