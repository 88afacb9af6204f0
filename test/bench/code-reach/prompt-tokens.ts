/**
 * Prompt tokens: does the worker's token estimate (three bytes a token) keep real plan
 * prompts inside the model's window?
 *
 * For every real fix in gold-patches-dev.jsonl whose repository is under BENCH_MIRRORS,
 * the plan request is built as the Action builds it (default budget) and fitted by the
 * worker's own code for NUM_CTX 8k, 16k and 32k; the whole prompt (system and user
 * message) is then counted by a real tokenizer: the suite's GGUF model, whose vocabulary
 * is Llama 2's (32,000 pieces, finer on code than the larger vocabularies of current
 * code models, so the harder case). Reported per window: real / estimated tokens (p50,
 * p90, max); prompts over the window (what Ollama refuses) and over the window less
 * NUM_PREDICT (what the in-process llama.cpp backend refuses, as it keeps room for the
 * answer), each before and after the worker's one re-fit (into 70% of the room,
 * run-job.ts).
 *
 *   BENCH_MIRRORS=<dir> npm run bench -- prompt-tokens [--cache DIR] [--limit N]
 *     [--model FILE]
 *
 * `--cache` is plan-reach's cache (the same rankings). Writes results/prompt-tokens.md.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";
import { assembleContext } from "../../../action/context/build-context.js";
import { AUTO_CONTEXT_TOKENS } from "../../../action/settings.js";
import { loadWorkerConfig } from "../../../backend/config.js";
import { REFIT_SCALE } from "../../../backend/prompt/token-calibration.js";
import { PLAN_SYSTEM_PROMPT } from "../../../backend/prompt/plan-prompt.js";
import { buildUserMessage, userMessageBudget } from "../../../backend/prompt/user-message.js";
import { estimateTokens } from "../../../protocol/index.js";
import { findMirror, mirrorRoot, noMirrorsReason } from "../bench-data.js";
import { loadGoldPatches } from "../edit-apply/gold.js";
import { loadIssues } from "./hunks.js";
import { benchIssue, benchPlanRequest, prepareRanking } from "./ranked-trees.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const WINDOWS = [8192, 16384, 32768];
const NUM_PREDICT = loadWorkerConfig({}).llm.numPredict;

const { values: args } = parseArgs({
  options: {
    cache: { type: "string" },
    limit: { type: "string" },
    model: {
      type: "string",
      default: path.join(HERE, "../../fixtures/models/llama-2-tiny-random.gguf"),
    },
  },
});

const root = mirrorRoot();
if (!root) {
  console.error(`prompt-tokens: ${noMirrorsReason()}`);
  process.exit(2);
}
const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath: args.model });
const countTokens = (text: string) => model.tokenize(text, false).length;

const issues = loadIssues();
let golds = loadGoldPatches().filter((g) => findMirror(g.repo, root) !== undefined);
if (args.limit) golds = golds.slice(0, Number(args.limit));

interface WindowStats {
  ratios: number[];
  over: number;
  overAfterRefit: number;
  overWithAnswer: number;
  overWithAnswerAfterRefit: number;
  slack: number[];
}
const stats = new Map<number, WindowStats>(
  WINDOWS.map((w) => [
    w,
    {
      ratios: [],
      over: 0,
      overAfterRefit: 0,
      overWithAnswer: 0,
      overWithAnswerAfterRefit: 0,
      slack: [],
    },
  ]),
);
for (const gold of golds) {
  const row = issues.get(gold.instance_id);
  if (!row) continue;
  const issue = benchIssue(row.title, row.body);
  let prepared;
  try {
    prepared = await prepareRanking(
      {
        id: gold.instance_id,
        gitDir: findMirror(gold.repo, root) as string,
        commit: gold.base_commit,
        title: issue.title,
        body: issue.body,
      },
      12,
      args.cache,
    );
  } catch {
    continue;
  }
  const context = await assembleContext(
    {
      repoDir: prepared.repoDir,
      title: issue.title,
      body: issue.body,
      tokenBudget: AUTO_CONTEXT_TOKENS,
    },
    prepared.ranked,
  );
  prepared.done();
  const request = benchPlanRequest(issue, context, gold.instance_id);
  for (const window of WINDOWS) {
    const s = stats.get(window) as WindowStats;
    const budget = userMessageBudget(window, NUM_PREDICT, PLAN_SYSTEM_PROMPT);
    const prompt = (scale: number) => {
      const built = buildUserMessage(request, Math.floor(budget * scale));
      return built.ok ? `${PLAN_SYSTEM_PROMPT}\n${built.userMessage}` : undefined;
    };
    const first = prompt(1);
    if (first === undefined) continue;
    const real = countTokens(first);
    s.ratios.push(real / estimateTokens(first));
    s.slack.push(window - real);
    if (real > window - NUM_PREDICT) {
      const second = prompt(REFIT_SCALE);
      const refitted = second === undefined ? Infinity : countTokens(second);
      s.overWithAnswer++;
      if (refitted > window - NUM_PREDICT) s.overWithAnswerAfterRefit++;
      if (real > window) s.over++;
      if (real > window && refitted > window) s.overAfterRefit++;
    }
  }
  process.stderr.write(".");
}
process.stderr.write("\n");

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const out = [
  "# Prompt tokens",
  "",
  `Plan prompts for the issues of real fixes (the Action's default budget, fitted by the worker with NUM_PREDICT ${NUM_PREDICT}), counted by ${path.basename(args.model)}'s tokenizer (Llama 2's vocabulary).`,
  "",
  "| NUM_CTX | prompts | real / estimated p50 | p90 | max | over the window (Ollama refuses) | after the re-fit | over the window less NUM_PREDICT (llama.cpp in-process refuses) | after the re-fit | window left for the answer, p10 (tokens) |",
  "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
];
for (const [window, s] of stats) {
  out.push(
    `| ${window} | ${s.ratios.length} | ${pct(s.ratios, 50).toFixed(2)} | ${pct(s.ratios, 90).toFixed(2)} | ${Math.max(...s.ratios).toFixed(2)} | ${s.over} | ${s.overAfterRefit} | ${s.overWithAnswer} | ${s.overWithAnswerAfterRefit} | ${pct(s.slack, 10)} |`,
  );
}
const report = `${out.join("\n")}\n`;
writeFileSync(path.join(HERE, "results", "prompt-tokens.md"), report);
console.log(report);
