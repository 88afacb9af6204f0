/**
 * The repository scan on several threads: real worker threads on a real directory, the
 * result compared file for file with one thread's, and a worker that dies after claiming
 * work, whose batches must still be scanned. Workers warmed ahead of the scan must be
 * the ones that serve it, and must neither keep a process alive nor run for a small one.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { scanFiles } from "../../../action/context/scan-files.js";
import type { ScanQuery } from "../../../action/context/scan-files.js";
import {
  SCAN_BATCH_SIZE,
  SCAN_THREADS_ENV,
  enableScanWorkers,
  scanInPool,
  scanThreads,
  warmScanWorkers,
} from "../../../action/context/scan-pool.js";
import { fixtureRepo } from "./fixture-repo.js";

const root = join(import.meta.dirname, "..", "..", "..");
const poolModule = pathToFileURL(join(root, "action", "context", "scan-pool.ts")).href;
// By file URL: the entry lives in a scratch directory, outside the project's node_modules.
const tsxApi = pathToFileURL(
  join(root, "node_modules", "tsx", "dist", "esm", "api", "index.mjs"),
).href;
let scratch: string;
let savedThreads: string | undefined;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "scan-pool-"));
  savedThreads = process.env[SCAN_THREADS_ENV];
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  if (savedThreads === undefined) delete process.env[SCAN_THREADS_ENV];
  else process.env[SCAN_THREADS_ENV] = savedThreads;
});

const query: ScanQuery = {
  terms: new Set(["parse", "config", "loader", "parseconfig", "timeout"]),
  identifiers: new Set(["parseConfig", "Loader"]),
  identifiersLower: new Map([
    ["parseconfig", "parseConfig"],
    ["loader", "Loader"],
  ]),
  messages: ["config file not found"],
  phrases: new Map([["configloader", "config loader"]]),
};

/** A repository of `count` modules, some defining or mentioning the query's names. */
function moduleRepo(count: number, filler = 0) {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const lines = [`def helper_${i}(value):`, `    return value + ${i}`];
    if (i % 7 === 0)
      lines.push("def parseConfig(path):", "    raise IOError('config file not found')");
    if (i % 11 === 0) lines.push("class ConfigLoader:", "    timeout = 3");
    if (i % 13 === 0) lines.push("class Loader(object): pass");
    lines.push(`# ${"padding words ".repeat(filler)}`);
    files[`pkg${i % 17}/module_${i}.py`] = lines.join("\n");
  }
  files["data/blob.bin"] = "\u0000\u0001binary";
  return fixtureRepo(files);
}

/**
 * A worker entry as the program's entries are, run through the TypeScript loader, after
 * `prelude` (the tests' own bookkeeping).
 */
function servingEntry(name = "serving-entry.mjs", prelude = ""): string {
  const file = join(scratch, name);
  writeFileSync(
    file,
    prelude +
      `import { register } from ${JSON.stringify(tsxApi)};\nregister();\n` +
      `const { serveScanIfWorker } = await import(${JSON.stringify(poolModule)});\n` +
      `if (!serveScanIfWorker()) throw new Error("not started as a scan worker");\n`,
  );
  return file;
}

test("several threads scan exactly what one thread scans, in the same order", async () => {
  // Enough text that the workers start before the calling thread is done.
  const repo = moduleRepo(3_000, 400);
  try {
    const paths = Array.from({ length: 3_000 }, (_, i) => `pkg${i % 17}/module_${i}.py`);
    paths.splice(1_500, 0, "data/blob.bin", "missing/file.py");
    enableScanWorkers(servingEntry());
    process.env[SCAN_THREADS_ENV] = "3";
    const pooled = await scanInPool(repo.dir, paths, query);
    const alone = scanFiles(repo.dir, paths, query);
    expect(pooled.threads).toBe(3);
    // How many batches the workers take depends on how fast they start (none when the
    // calling thread finishes first on a loaded machine); the result may not.
    expect(pooled.files).toEqual(alone.files);
    expect(pooled.skipped).toEqual(alone.skipped);
    expect(pooled.files.some((file) => file.defines.length > 0)).toBe(true);
  } finally {
    repo.remove();
  }
});

test("batches claimed by a worker that dies are scanned by the calling thread", async () => {
  // Enough text that the calling thread is still scanning when the worker starts.
  const repo = moduleRepo(3_000, 400);
  const marker = join(scratch, "claimed.txt");
  const entry = join(scratch, "dying-entry.mjs");
  writeFileSync(
    entry,
    `import { workerData } from "node:worker_threads";\n` +
      `import { writeFileSync } from "node:fs";\n` +
      `const counter = new Int32Array(workerData.counter);\n` +
      `Atomics.store(counter, workerData.slot, 1);\n` +
      `const claimed = [Atomics.add(counter, 0, 1), Atomics.add(counter, 0, 1)];\n` +
      `writeFileSync(${JSON.stringify(marker)}, claimed.join(","));\n` +
      `throw new Error("worker died after claiming two batches");\n`,
  );
  try {
    const paths = Array.from({ length: 3_000 }, (_, i) => `pkg${i % 17}/module_${i}.py`);
    enableScanWorkers(entry);
    process.env[SCAN_THREADS_ENV] = "2";
    // The calling thread waits for the worker to start, so that the worker's two claims
    // are batches of this job, which it then dies holding.
    const pooled = await scanInPool(repo.dir, paths, query, { awaitWorkersMs: 30_000 });
    const claimed = readFileSync(marker, "utf8").split(",").map(Number);
    const batches = Math.ceil(paths.length / SCAN_BATCH_SIZE);
    expect(claimed.every((batch) => Number.isInteger(batch) && batch < batches)).toBe(true);
    expect(pooled.workerBatches).toBe(0);
    expect(pooled.files.map((file) => file.path)).toEqual(paths);
    expect(pooled.files).toEqual(scanFiles(repo.dir, paths, query).files);
  } finally {
    repo.remove();
  }
});

/**
 * The serving entry, also noting in `log` how each worker was started and, with
 * `heartbeat`, a line every 20 ms while a warm one lives.
 */
function loggingEntry(log: string, heartbeat = false): string {
  return servingEntry(
    heartbeat ? "heartbeat-entry.mjs" : "logging-entry.mjs",
    `import { appendFileSync } from "node:fs";\n` +
      `import { isMainThread, workerData } from "node:worker_threads";\n` +
      `const note = (line) => appendFileSync(${JSON.stringify(log)}, line + "\\n");\n` +
      `if (!isMainThread) note(typeof workerData === "string" ? "warm" : "cold");\n` +
      (heartbeat
        ? `if (!isMainThread && typeof workerData === "string") setInterval(() => note("beat"), 20);\n`
        : ""),
  );
}

const logLines = (log: string): string[] =>
  existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : [];

test("workers warmed before the scan are the ones that serve it, with the same result", async () => {
  const repo = moduleRepo(3_000, 400);
  const log = join(scratch, "warm.log");
  rmSync(log, { force: true });
  try {
    const paths = Array.from({ length: 3_000 }, (_, i) => `pkg${i % 17}/module_${i}.py`);
    enableScanWorkers(loggingEntry(log));
    process.env[SCAN_THREADS_ENV] = "3";
    warmScanWorkers();
    // The calling thread waits until both workers have begun claiming batches.
    const pooled = await scanInPool(repo.dir, paths, query, { awaitWorkersMs: 30_000 });
    expect(pooled.threads).toBe(3);
    expect(pooled.workerBatches).toBeGreaterThanOrEqual(2);
    expect(pooled.files).toEqual(scanFiles(repo.dir, paths, query).files);
    // Two workers were started, both warm: the scan started none of its own.
    expect(logLines(log)).toEqual(["warm", "warm"]);
  } finally {
    repo.remove();
  }
});

test("warm workers are stopped when the repository turns out small", async () => {
  const repo = moduleRepo(40);
  const log = join(scratch, "small.log");
  rmSync(log, { force: true });
  try {
    const paths = Array.from({ length: 40 }, (_, i) => `pkg${i % 17}/module_${i}.py`);
    enableScanWorkers(loggingEntry(log, true));
    process.env[SCAN_THREADS_ENV] = "2";
    warmScanWorkers();
    delete process.env[SCAN_THREADS_ENV];
    // The warm worker is running (its heartbeat is in the log) before the scan starts.
    const deadline = Date.now() + 30_000;
    while (!logLines(log).includes("beat") && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(logLines(log)).toContain("beat");
    const pooled = await scanInPool(repo.dir, paths, query);
    expect(pooled.threads).toBe(1);
    expect(pooled.workerBatches).toBe(0);
    expect(pooled.files).toEqual(scanFiles(repo.dir, paths, query).files);
    // Stopped: after a moment for the termination, its heartbeat no longer grows.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const beats = logLines(log).length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(logLines(log).length).toBe(beats);
  } finally {
    repo.remove();
  }
});

test("a bad thread count warms nothing and is reported by the scan", async () => {
  const log = join(scratch, "bad-count.log");
  rmSync(log, { force: true });
  enableScanWorkers(loggingEntry(log));
  process.env[SCAN_THREADS_ENV] = "many";
  try {
    // A command that never scans (its --help) must not fail on the setting.
    expect(() => warmScanWorkers()).not.toThrow();
    await expect(scanInPool(scratch, ["a.py"], query)).rejects.toThrow(
      `${SCAN_THREADS_ENV} must be a whole number of threads, 1 or more`,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(logLines(log)).toEqual([]);
  } finally {
    delete process.env[SCAN_THREADS_ENV];
  }
});

test("warm workers that never get a job do not keep the process alive", () => {
  const script = join(scratch, "warm-then-fail.mjs");
  writeFileSync(
    script,
    `import { register } from ${JSON.stringify(tsxApi)};\nregister();\n` +
      `const pool = await import(${JSON.stringify(poolModule)});\n` +
      `process.env.${SCAN_THREADS_ENV} = "3";\n` +
      `pool.enableScanWorkers(${JSON.stringify(servingEntry())});\n` +
      `pool.warmScanWorkers();\n` +
      // A command that fails before it scans (a missing issue file): nothing else runs.
      `process.exitCode = 1;\n`,
  );
  // A process kept alive by its idle workers would be killed at the timeout.
  const run = spawnSync(process.execPath, [script], { timeout: 30_000, encoding: "utf8" });
  expect(run.signal).toBeNull();
  expect(run.status).toBe(1);
});

test("small repositories are scanned on one thread; the override is checked", () => {
  expect(scanThreads(200, {})).toBe(1);
  expect(scanThreads(50_000, {})).toBeGreaterThanOrEqual(1);
  expect(scanThreads(200, { [SCAN_THREADS_ENV]: "2" })).toBe(2);
  expect(scanThreads(200, { [SCAN_THREADS_ENV]: "64" })).toBe(4);
  expect(() => scanThreads(200, { [SCAN_THREADS_ENV]: "two" })).toThrow(
    `${SCAN_THREADS_ENV} must be a whole number of threads, 1 or more`,
  );
  expect(() => scanThreads(200, { [SCAN_THREADS_ENV]: "0" })).toThrow(SCAN_THREADS_ENV);
});
