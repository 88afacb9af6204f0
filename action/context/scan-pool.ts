/**
 * The repository scan on every core the runner has. Reading and measuring files is most
 * of the context step's time on large repositories (on wandb, 6,400 files of which 4,400
 * are vendored Go: 4 of 5.6 CPU seconds), and it splits cleanly: each file is measured
 * on its own.
 *
 * The scan is cut into numbered batches of paths. The calling thread and a few worker
 * threads claim batches from one shared counter (an atomic add, so each batch goes to
 * exactly one thread and a slow thread simply claims fewer); each thread returns what it
 * scanned by batch number, and the batches are put back in order, so the result is the
 * same as one thread's, file for file. A batch that a failed worker claimed but never
 * returned is scanned again by the calling thread: nothing is lost.
 *
 * Workers run the program's own entry file (see `enableScanWorkers`), which serves a
 * scan when it is not the main thread. Without an entry (tests, library use) and for
 * small repositories, where starting a thread costs more than it saves, the scan runs
 * on the calling thread alone.
 *
 * Starting a worker means loading the program again, a tenth to a quarter of a second
 * with the calling thread busy beside it; started when the scan begins, a worker lost
 * that much of a two-second scan. A command that will scan therefore warms its workers
 * first (`warmScanWorkers`), while it loads its own modules and lists the files; the
 * scan hands its job to them, or stops them when the repository is too small.
 */
import { availableParallelism } from "node:os";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { fileScanner } from "./scan-files.js";
import type { ScanQuery, ScanResult } from "./scan-files.js";

/** Paths per batch: small enough to balance the threads, large enough to be cheap to claim. */
export const SCAN_BATCH_SIZE = 64;
/** Below this many files one thread finishes before a worker would have started. */
const MIN_FILES_FOR_WORKERS = 1_500;
/** Threads in all, the calling one included; more gains little on a runner's disk. */
const MAX_THREADS = 4;
/** Overrides the thread count (1 = no workers), e.g. on a runner shared by many jobs. */
export const SCAN_THREADS_ENV = "ISSUE_AGENT_SCAN_THREADS";

interface ScanJob {
  repoDir: string;
  paths: string[];
  query: ScanQuery;
  /**
   * Int32s: [0] the next batch number to claim; [n] set once worker n has started
   * claiming, so that a worker still starting when the work is done can be stopped.
   */
  counter: SharedArrayBuffer;
  /** This worker's flag in `counter`; 0 for the calling thread, which has none. */
  slot: number;
}

interface ScannedBatch {
  batch: number;
  result: ScanResult;
}

export interface PooledScanResult extends ScanResult {
  /** Threads started, the calling one included. */
  threads: number;
  /** Batches the worker threads scanned (the rest the calling thread did). */
  workerBatches: number;
}

let workerEntry: { file: string; execArgv?: string[] } | undefined;

/**
 * Lets the scan start workers on `file`, the program's entry, which must call
 * {@link serveScanIfWorker} before anything else. `execArgv` is for entries that need
 * a loader (the tests' TypeScript entry).
 */
export function enableScanWorkers(file: string, execArgv?: string[]): void {
  workerEntry = execArgv === undefined ? { file } : { file, execArgv };
}

/** A worker started ahead of the scan, waiting for its job (see `warmScanWorkers`). */
interface WarmWorker {
  worker: Worker;
  /** Settles with the batches once a job was given and served. */
  done: Promise<ScannedBatch[]>;
}
/** What a warm worker is started with: it waits for a {@link ScanJob} message. */
const AWAIT_JOB = "await-scan-job";

let warmWorkers: WarmWorker[] = [];

/**
 * Starts now the workers that a scan of a large repository would start, so that they
 * are ready when it begins. They wait without keeping the process alive; the next
 * `scanInPool` uses them, or stops them when the repository is too small. Does nothing
 * without an entry (`enableScanWorkers`) or when workers are already waiting.
 */
export function warmScanWorkers(): void {
  if (workerEntry === undefined || warmWorkers.length > 0) return;
  let count: number;
  try {
    count = scanThreads(Number.POSITIVE_INFINITY) - 1;
  } catch {
    // A bad ISSUE_AGENT_SCAN_THREADS is reported by the scan itself, where a command that
    // never scans (`--help`, an already applied plan) does not fail on it.
    return;
  }
  for (let i = 0; i < count; i++) {
    const worker = startWorker(workerEntry, AWAIT_JOB);
    const done = workerResult(worker);
    // After the listeners: adding a message listener references the worker again.
    worker.unref();
    warmWorkers.push({ worker, done });
  }
}

/** How many threads a scan of `fileCount` files uses. */
export function scanThreads(fileCount: number, env: NodeJS.ProcessEnv = process.env): number {
  const override = env[SCAN_THREADS_ENV];
  if (override !== undefined && override.trim() !== "") {
    const count = Number(override);
    if (!Number.isInteger(count) || count < 1)
      throw new Error(`${SCAN_THREADS_ENV} must be a whole number of threads, 1 or more`);
    return Math.min(count, MAX_THREADS);
  }
  if (fileCount < MIN_FILES_FOR_WORKERS) return 1;
  return Math.max(1, Math.min(availableParallelism(), MAX_THREADS));
}

export interface ScanPoolOptions {
  /**
   * Waits up to this long for every worker to begin claiming before the calling thread
   * starts, so that what the workers claim certainly falls within the job (the tests of a
   * worker dying with batches in hand). Normally 0: the calling thread never waits.
   */
  awaitWorkersMs?: number;
}

/** Scans `paths` as `scanFiles` does, on several threads when it pays. */
export async function scanInPool(
  repoDir: string,
  paths: string[],
  query: ScanQuery,
  options: ScanPoolOptions = {},
): Promise<PooledScanResult> {
  const threads = workerEntry === undefined ? 1 : scanThreads(paths.length);
  const counter = new SharedArrayBuffer(4 * threads);
  const job: ScanJob = { repoDir, paths, query, counter, slot: 0 };
  const entry = workerEntry;
  const warm = warmWorkers;
  warmWorkers = [];
  // Warm workers beyond what this scan uses are stopped: they would only take CPU.
  for (const unused of warm.slice(Math.max(0, threads - 1))) void unused.worker.terminate();
  const workers =
    entry === undefined
      ? []
      : Array.from({ length: threads - 1 }, (_, i) => {
          const slotJob = { ...job, slot: i + 1 };
          const waiting = warm[i];
          if (waiting === undefined) return runScanWorker(entry, slotJob);
          // Referenced again: the calling thread now waits on what the worker returns.
          waiting.worker.ref();
          waiting.worker.postMessage(slotJob);
          return { done: waiting.done, stop: () => waiting.worker.terminate() };
        });
  const started = new Int32Array(counter);
  const waitUntil = Date.now() + (options.awaitWorkersMs ?? 0);
  while (workers.some((_, i) => Atomics.load(started, i + 1) === 0) && Date.now() < waitUntil)
    await new Promise((resolve) => setTimeout(resolve, 5));
  const scan = fileScanner(repoDir, query);
  const batches = scanClaimedBatches(job, scan);
  const ownBatches = batches.length;
  // Every batch is claimed now. A worker that has not begun would only find that out
  // after loading the program: stop it instead (a batch it claims meanwhile is rescanned).
  workers.forEach((worker, i) => {
    if (Atomics.load(started, i + 1) === 0) void worker.stop();
  });
  for (const settled of await Promise.allSettled(workers.map((worker) => worker.done))) {
    if (settled.status === "fulfilled") batches.push(...settled.value);
  }
  return { ...inOrder(job, batches, scan), threads, workerBatches: batches.length - ownBatches };
}

/**
 * In a worker started by {@link scanInPool}, or by {@link warmScanWorkers} once its job
 * arrives: scans the batches it claims, posts them and returns true. On the main
 * thread: returns false and does nothing.
 */
export function serveScanIfWorker(): boolean {
  if (isMainThread || parentPort === null) return false;
  const port = parentPort;
  const serve = (job: ScanJob) =>
    port.postMessage(scanClaimedBatches(job, fileScanner(job.repoDir, job.query)));
  if (workerData === AWAIT_JOB) port.once("message", serve);
  else serve(workerData as ScanJob);
  return true;
}

function runScanWorker(
  entry: { file: string; execArgv?: string[] },
  job: ScanJob,
): { done: Promise<ScannedBatch[]>; stop: () => Promise<number> } {
  const worker = startWorker(entry, job);
  return { done: workerResult(worker), stop: () => worker.terminate() };
}

function startWorker(
  entry: { file: string; execArgv?: string[] },
  data: ScanJob | typeof AWAIT_JOB,
): Worker {
  return new Worker(entry.file, {
    workerData: data,
    ...(entry.execArgv ? { execArgv: entry.execArgv } : {}),
  });
}

/** The batches a worker reports, or the reason it ended without reporting. */
function workerResult(worker: Worker): Promise<ScannedBatch[]> {
  const done = new Promise<ScannedBatch[]>((resolve, reject) => {
    let batches: ScannedBatch[] | undefined;
    worker.once("message", (message: ScannedBatch[]) => (batches = message));
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (batches) resolve(batches);
      else reject(new Error(`scan worker exited with code ${code} before reporting`));
    });
  });
  // Settled later (allSettled); a worker that fails before then is not an unhandled error.
  done.catch(() => undefined);
  return done;
}

function scanClaimedBatches(job: ScanJob, scan: (paths: string[]) => ScanResult): ScannedBatch[] {
  const counter = new Int32Array(job.counter);
  if (job.slot > 0) Atomics.store(counter, job.slot, 1);
  const scanned: ScannedBatch[] = [];
  for (;;) {
    const batch = Atomics.add(counter, 0, 1);
    const start = batch * SCAN_BATCH_SIZE;
    if (start >= job.paths.length) return scanned;
    scanned.push({ batch, result: scan(job.paths.slice(start, start + SCAN_BATCH_SIZE)) });
  }
}

/** Puts the batches back in path order, scanning here any that no thread returned. */
function inOrder(
  job: ScanJob,
  batches: ScannedBatch[],
  scan: (paths: string[]) => ScanResult,
): ScanResult {
  const byNumber = new Map(batches.map((b) => [b.batch, b.result]));
  const result: ScanResult = { files: [], skipped: [] };
  for (let start = 0, batch = 0; start < job.paths.length; start += SCAN_BATCH_SIZE, batch++) {
    const part = byNumber.get(batch) ?? scan(job.paths.slice(start, start + SCAN_BATCH_SIZE));
    result.files.push(...part.files);
    result.skipped.push(...part.skipped);
  }
  return result;
}
