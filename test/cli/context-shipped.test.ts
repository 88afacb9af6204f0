/**
 * `issue-agent context` as a runner has it: `dist/cli.js` from a `git archive` of the
 * repository (no node_modules anywhere above it), on a checkout large enough that the
 * scan starts worker threads on the shipped entry. The ranking must not depend on how
 * many threads read the files. The Action's shipped entry (`dist/index.js`) must serve
 * scans the same way.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { scanFiles } from "../../action/context/scan-files.js";
import { enableScanWorkers, scanInPool } from "../../action/context/scan-pool.js";
import { shippedTree } from "../support/shipped-action.js";

let checkout: string;

beforeAll(() => {
  checkout = mkdtempSync(path.join(os.tmpdir(), "context-shipped-"));
  const padding = "words that mean nothing to the issue ".repeat(150);
  for (let i = 0; i < 3_000; i++) {
    const dir = path.join(checkout, `pkg${i % 23}`);
    mkdirSync(dir, { recursive: true });
    const lines = [`def helper_${i}(value):`, `    return value + ${i}`, `# ${padding}`];
    if (i === 1_234) lines.push("def parse_retry_header(value):", "    return int(value)");
    writeFileSync(path.join(dir, `module_${i}.py`), lines.join("\n"));
  }
});
afterAll(() => rmSync(checkout, { recursive: true, force: true }));

interface ContextJson {
  files: { path: string; score: number; reasons: string[] }[];
  scan: { files: number; threads: number; workerBatches: number };
}

function runShippedContext(
  threads: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = path.join(shippedTree(), "dist", "cli.js");
  const child = spawn(
    process.execPath,
    [cli, "context", "--repo", checkout, "--title", "parse_retry_header fails on dates", "--json"],
    {
      cwd: os.tmpdir(),
      env: { PATH: process.env.PATH ?? "", ISSUE_AGENT_SCAN_THREADS: threads },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

test("the shipped CLI reads a large checkout on worker threads and ranks as one thread does", async () => {
  const pooled = await runShippedContext("2");
  const alone = await runShippedContext("1");
  expect(pooled.stderr).toBe("");
  expect(pooled.code).toBe(0);
  expect(alone.code).toBe(0);
  const withWorkers = JSON.parse(pooled.stdout) as ContextJson;
  const withoutWorkers = JSON.parse(alone.stdout) as ContextJson;
  expect(withWorkers.scan).toMatchObject({ files: 3_000, threads: 2 });
  expect(withoutWorkers.scan).toEqual({ files: 3_000, threads: 1, workerBatches: 0 });
  expect(withWorkers.files).toEqual(withoutWorkers.files);
  expect(withWorkers.files[0]?.path).toBe("pkg15/module_1234.py");
});

test("a thread count that is not a number is refused with what to set", async () => {
  const run = await runShippedContext("many");
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(
    "ISSUE_AGENT_SCAN_THREADS must be a whole number of threads, 1 or more",
  );
});

test("the Action's shipped entry serves scans on worker threads", async () => {
  const saved = process.env.ISSUE_AGENT_SCAN_THREADS;
  process.env.ISSUE_AGENT_SCAN_THREADS = "3";
  try {
    enableScanWorkers(path.join(shippedTree(), "dist", "index.js"));
    const paths = Array.from({ length: 3_000 }, (_, i) => `pkg${i % 23}/module_${i}.py`);
    const query = {
      terms: new Set(["parse", "retry", "header", "parse_retry_header"]),
      identifiers: new Set(["parse_retry_header"]),
      identifiersLower: new Map([["parse_retry_header", "parse_retry_header"]]),
      messages: [],
      phrases: new Map<string, string>(),
    };
    const pooled = await scanInPool(checkout, paths, query);
    expect(pooled.threads).toBe(3);
    expect(pooled.files).toEqual(scanFiles(checkout, paths, query).files);
  } finally {
    if (saved === undefined) delete process.env.ISSUE_AGENT_SCAN_THREADS;
    else process.env.ISSUE_AGENT_SCAN_THREADS = saved;
  }
});
