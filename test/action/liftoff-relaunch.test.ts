/**
 * The entries' relaunch under --liftoff-only, run as real processes: a small script does
 * its work through `runWithLiftoff`, and each test checks what a runner or a shell would
 * see (output, exit status, signals, stdin, a parent killed outright).
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { processAlive } from "../support/process-alive.js";

const root = join(import.meta.dirname, "..", "..");
const moduleUrl = pathToFileURL(join(root, "action", "liftoff-relaunch.ts")).href;
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "liftoff-relaunch-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes a script whose work is `body` (run inside `runWithLiftoff`) and starts it. */
function startScript(name: string, body: string, stdin: "pipe" | "ignore" = "ignore") {
  const script = join(scratch, `${name}.mts`);
  writeFileSync(
    script,
    `import { runWithLiftoff } from ${JSON.stringify(moduleUrl)};\n` +
      `await runWithLiftoff(async () => {\n${body}\n});\n`,
  );
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: root,
    stdio: [stdin, "pipe", "pipe"],
  });
  let stdout = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<{ code: number | null; stdout: string }>((resolve) =>
    child.once("exit", (code) => resolve({ code, stdout })),
  );
  return { child, exited, output: () => stdout };
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const started: ChildProcess[] = [];
/** Work processes started by a test, killed afterwards even if the guard under test failed. */
const workPids: number[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const pid of workPids.splice(0)) if (processAlive(pid)) process.kill(pid, "SIGKILL");
});

test("the work runs once, in a child started with the flag, and its exit code is the process's", async () => {
  const run = startScript(
    "once",
    `console.log(JSON.stringify({ execArgv: process.execArgv, pid: process.pid }));
     process.exitCode = 3;`,
  );
  started.push(run.child);
  const { code, stdout } = await run.exited;
  expect(code).toBe(3);
  const lines = stdout.trim().split("\n");
  expect(lines).toHaveLength(1);
  const report = JSON.parse(lines[0] ?? "{}") as { execArgv: string[]; pid: number };
  expect(report.execArgv).toContain("--liftoff-only");
  expect(report.pid).not.toBe(run.child.pid);
});

test("a cancel signal sent to the first process reaches the work's own handler", async () => {
  const run = startScript(
    "signal",
    `await new Promise((resolve) => {
       const waiting = setInterval(() => {}, 1000);
       process.once("SIGTERM", () => {
         clearInterval(waiting);
         console.log("cleaned up after SIGTERM");
         resolve();
       });
       console.log("ready");
     });
     process.exitCode = 7;`,
  );
  started.push(run.child);
  await waitFor(() => run.output().includes("ready"), "the work to start");
  run.child.kill("SIGTERM");
  const { code, stdout } = await run.exited;
  expect(stdout).toContain("cleaned up after SIGTERM");
  expect(code).toBe(7);
});

test("piped standard input reaches the work", async () => {
  const run = startScript(
    "stdin",
    `let text = "";
     for await (const chunk of process.stdin) text += chunk;
     console.log("read:" + text.trim());`,
    "pipe",
  );
  started.push(run.child);
  run.child.stdin?.end("issue text from a pipe\n");
  const { code, stdout } = await run.exited;
  expect(code).toBe(0);
  expect(stdout.trim()).toBe("read:issue text from a pipe");
});

test("when the first process is killed outright, the work is stopped too", async () => {
  const run = startScript(
    "orphan",
    `console.log("pid " + process.pid);
     await new Promise(() => setInterval(() => {}, 1000));`,
  );
  started.push(run.child);
  await waitFor(() => /pid \d+/.test(run.output()), "the work to start");
  const workPid = Number(/pid (\d+)/.exec(run.output())?.[1]);
  workPids.push(workPid);
  expect(processAlive(workPid)).toBe(true);
  run.child.kill("SIGKILL");
  await run.exited;
  await waitFor(() => !processAlive(workPid), "the orphaned work to stop");
});
