/**
 * `npm run bench -- <name> [options]` runs one benchmark; `npm run bench` lists them.
 * Each benchmark is a script of its own under test/bench/<name>/ that measures and
 * writes its results there; none asserts a target (tests assert, benchmarks measure).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

interface Benchmark {
  script: string;
  what: string;
  needs: string;
}

const BENCHMARKS: Record<string, Benchmark> = {
  worker: {
    script: "worker/run.ts",
    what: "worker round trip, throughput, cold start and idle memory",
    needs: "RabbitMQ on 127.0.0.1, a built dist/",
  },
  "action-overhead": {
    script: "action-overhead/run.ts",
    what: "the Action's own time before and after the model, on a sympy checkout",
    needs: "RabbitMQ, a built dist/, sympy/sympy under BENCH_MIRRORS (or --git-dir)",
  },
  cancel: {
    script: "cancel/run.ts",
    what: "a cancelled run's clean-up time, SIGINT to exit, with and without GitHub's write spacing",
    needs: "RabbitMQ, a built dist/",
  },
  load: {
    script: "load/run.ts",
    what: "200 plan requests from 20 Action processes onto 2 workers",
    needs: "RabbitMQ, a built dist/",
  },
  "cluster-failover": {
    script: "load/cluster-failover.ts",
    what: "the load benchmark on a three-node cluster, the request queue's leader SIGKILLed mid-run",
    needs: "the rabbitmq-server package (a cluster of its own), a built dist/",
  },
  soak: {
    script: "load/soak.ts",
    what: "2,000 requests over ten minutes onto 2 workers: memory and connections over time",
    needs: "the rabbitmq-server package (a node of its own), a built dist/",
  },
  github: {
    script: "github/run.ts",
    what: "GitHub emulator and publishing timings",
    needs: "nothing",
  },
  "edit-apply": {
    script: "edit-apply/run.ts",
    what: "real fixes applied through the edit path and the syntax gate",
    needs: "the benchmark repositories under BENCH_MIRRORS",
  },
  "code-reach": {
    script: "code-reach/run.ts",
    what: "whether the code request shows the model the lines real fixes change, at 8k/16k/32k windows",
    needs: "the benchmark repositories under BENCH_MIRRORS",
  },
  "locbench-fixes": {
    script: "code-reach/locbench-fixes.ts",
    what: "Loc-Bench's real fixes recovered from history (--out FILE), for code-reach --fixes FILE --tag locbench",
    needs: "Loc-Bench's repositories under BENCH_MIRRORS",
  },
  "plan-reach": {
    script: "code-reach/plan-reach.ts",
    what: "real fixes: how many hunks' pre-image lines the plan request's context shows",
    needs: "the benchmark repositories under BENCH_MIRRORS",
  },
  "prompt-tokens": {
    script: "code-reach/prompt-tokens.ts",
    what: "real plan prompts fitted by the worker, counted by a real tokenizer against the window",
    needs: "the benchmark repositories under BENCH_MIRRORS",
  },
  localization: {
    script: "localization/run.ts",
    what: "file localization (Acc@k) on real issues against BM25",
    needs: "the benchmark repositories under BENCH_MIRRORS",
  },
  secrets: {
    script: "secrets/run.ts",
    what: "secret redaction: one planted secret per rule family, and secret-free files",
    needs: "nothing",
  },
  "localization-scale": {
    script: "localization/scale.ts",
    what: "context build time and memory at 10k, 30k and 100k files",
    needs: "nothing",
  },
};

const [name, ...rest] = process.argv.slice(2);
const bench = name === undefined ? undefined : BENCHMARKS[name];
if (bench === undefined) {
  if (name !== undefined) console.error(`unknown benchmark '${name}'\n`);
  console.log("npm run bench -- <name> [options]\n");
  for (const [key, b] of Object.entries(BENCHMARKS))
    console.log(`  ${key.padEnd(20)}${b.what}\n  ${"".padEnd(20)}needs: ${b.needs}`);
  process.exit(name === undefined ? 0 : 2);
}
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", join(import.meta.dirname, bench.script), ...rest],
  { stdio: "inherit" },
);
process.exit(result.status ?? 1);
