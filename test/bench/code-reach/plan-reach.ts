/**
 * Plan reach: does the plan request show the model the code that has to change?
 *
 * For every real fix in gold-patches-dev.jsonl whose repository is under BENCH_MIRRORS:
 * the base tree is extracted, ranked and built into the plan context exactly as the
 * Action does (`buildContext`: the issue text bounded as the Action bounds it, the top
 * files, their excerpts) at the default budget (`context-tokens: auto`) and at half and
 * twice that; and what a worker with a smaller window shows of the default-budget context
 * (NUM_CTX 8k, 16k, 32k, the worker's fitting as it runs). A hunk is **reached** when its pre-image lines (the lines removed or
 * changed, or the line an insertion follows; blank lines aside) stand verbatim as whole
 * lines in the excerpts sent of its own file; an instance when all its hunks are. Beside
 * it, the ceiling the ranking sets: hunks whose file is among the files given excerpts.
 *
 *   BENCH_MIRRORS=<dir> npm run bench -- plan-reach [--tag after] [--limit N]
 *     [--filter TEXT] [--split all|tuning|held-out] [--cache DIR] [--fixes FILE]
 *     [--tokenizer cl100k|llama2]
 *
 * `--tag` names the run (`before` for the code before a change); results/plan-reach.md
 * shows every tagged run side by side. `--cache DIR` keeps each instance's ranking and
 * the files it ranks, so runs that change only which lines are sent skip the extraction
 * and the ranking; clear it when the ranking changes. Base trees are extracted to a
 * temporary directory and removed after use. `--fixes FILE` measures other real fixes
 * (Loc-Bench's, as locbench-fixes.ts recovers them). `--tokenizer NAME`: the worker
 * windows are those of a worker that has learned its model's tokenizer from its counts
 * (calibrated-worker.ts), each prompt counted by the named real tokenizer. Measures only.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  assembleContext,
  type BuildContextOptions,
} from "../../../action/context/build-context.js";
import { parseUnifiedDiff } from "../../../action/edits/diff-to-hunks.js";
import { AUTO_CONTEXT_TOKENS } from "../../../action/settings.js";
import { findMirror, mirrorRoot, noMirrorsReason } from "../bench-data.js";
import { loadWorkerConfig } from "../../../backend/config.js";
import { PLAN_SYSTEM_PROMPT } from "../../../backend/prompt/plan-prompt.js";
import { buildUserMessage, userMessageBudget } from "../../../backend/prompt/user-message.js";
import { loadGoldPatches } from "../edit-apply/gold.js";
import { heldOutRepo, hunksReached, loadIssues, preImages } from "./hunks.js";
import { workersByWindow } from "./calibrated-worker.js";
import { loadTokenizer, TOKENIZERS, type TokenizerName } from "./tokenizers.js";
import {
  benchIssue,
  benchPlanRequest,
  prepareRanking,
  type PreparedRanking,
} from "./ranked-trees.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(HERE, "results");
/** The default budget, and half and twice it. */
const BUDGETS = [AUTO_CONTEXT_TOKENS / 2, AUTO_CONTEXT_TOKENS, AUTO_CONTEXT_TOKENS * 2];
/** Worker windows (NUM_CTX) the default-budget context is fitted into. */
const WINDOWS = [8192, 16384, 32768];
/** The worker's default NUM_PREDICT, which the window keeps free for the answer. */
const NUM_PREDICT = loadWorkerConfig({}).llm.numPredict;
/** Files given excerpts (buildContext's default). */
const MAX_FILES = 12;

const { values: args } = parseArgs({
  options: {
    tag: { type: "string", default: "after" },
    limit: { type: "string" },
    filter: { type: "string" },
    split: { type: "string", default: "all" },
    cache: { type: "string" },
    fixes: { type: "string" },
    tokenizer: { type: "string" },
  },
});
if (args.tokenizer !== undefined && !(TOKENIZERS as readonly string[]).includes(args.tokenizer))
  throw new Error(`--tokenizer: ${TOKENIZERS.join("|")}`);
/** A real tokenizer's count, when the worker windows are a calibrated worker's. */
const countTokens = args.tokenizer
  ? await loadTokenizer(args.tokenizer as TokenizerName)
  : undefined;
/** The simulated calibrated worker of each window, when a tokenizer counts. */
const workerFor = countTokens
  ? workersByWindow(countTokens, NUM_PREDICT, PLAN_SYSTEM_PROMPT)
  : undefined;
if (!/^[\w-]+$/.test(args.tag)) throw new Error(`--tag: letters, digits, - and _ only`);
if (!["all", "tuning", "held-out"].includes(args.split))
  throw new Error(`--split: all|tuning|held-out`);

interface Measure {
  hunks: number;
  hunksReached: number;
  /** Hunks whose file got excerpts at all. */
  hunksInSentFiles: number;
  tokens: number;
}

interface Row {
  id: string;
  repo: string;
  language: string;
  heldOut: boolean;
  /** Hunks whose file is among the top ranked files (what excerpts could reach). */
  hunksInTopFiles: number;
  budgets: Record<number, Measure>;
  /** The default budget's context as a worker with this NUM_CTX shows it. */
  windows?: Record<number, Measure>;
}

/** The lines sent of each file, as whole lines. */
function sentLines(
  files: { path: string; excerpts: { text: string }[] }[],
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const file of files) {
    const lines = new Set<string>();
    for (const excerpt of file.excerpts)
      for (const line of excerpt.text.split("\n")) lines.add(line);
    out.set(file.path, lines);
  }
  return out;
}

/** How many of the hunks the files' excerpts reach. */
function measure(
  files: { path: string; excerpts: { text: string }[] }[],
  hunksByFile: ReadonlyMap<string, string[][]>,
  tokens: number,
): Measure {
  const sent = sentLines(files);
  const m: Measure = { hunks: 0, hunksReached: 0, hunksInSentFiles: 0, tokens };
  for (const [file, hunks] of hunksByFile) {
    m.hunks += hunks.length;
    const lines = sent.get(file);
    if (!lines) continue;
    m.hunksInSentFiles += hunks.length;
    m.hunksReached += hunksReached(lines, hunks);
  }
  return m;
}

const root = mirrorRoot();
if (!root) {
  console.error(`plan-reach: ${noMirrorsReason()}`);
  process.exit(2);
}
const issues = loadIssues();
let golds = loadGoldPatches(args.fixes).filter((g) => findMirror(g.repo, root) !== undefined);
const skipped = new Map<string, number>();
const skip = (why: string) => skipped.set(why, (skipped.get(why) ?? 0) + 1);
for (const g of loadGoldPatches(args.fixes))
  if (!findMirror(g.repo, root)) skip(`${g.repo} (no mirror)`);
if (args.filter) golds = golds.filter((g) => g.instance_id.includes(args.filter as string));
if (args.split !== "all")
  golds = golds.filter((g) => heldOutRepo(g.repo) === (args.split === "held-out"));
if (args.limit) golds = golds.slice(0, Number(args.limit));

const results: Row[] = [];
const started = Date.now();
for (const gold of golds) {
  const gitDir = findMirror(gold.repo, root) as string;
  const row = issues.get(gold.instance_id);
  if (!row) {
    skip("no issue text");
    continue;
  }
  // The hunks of files that exist at the base, by file.
  const hunksByFile = new Map<string, string[][]>();
  for (const patch of parseUnifiedDiff(gold.patch)) {
    if (patch.oldPath === undefined) continue;
    const hunks = preImages(patch).filter((h) => h.length > 0);
    if (hunks.length > 0) hunksByFile.set(patch.oldPath, hunks);
  }
  if (hunksByFile.size === 0) {
    skip("only insertions at a file's start, or new files");
    continue;
  }
  const issue = benchIssue(row.title, row.body);
  let prepared: PreparedRanking;
  try {
    prepared = await prepareRanking(
      {
        id: gold.instance_id,
        gitDir,
        commit: gold.base_commit,
        title: issue.title,
        body: issue.body,
      },
      MAX_FILES,
      args.cache,
    );
  } catch {
    skip(`${gold.repo} (base commit missing)`);
    continue;
  }
  const top = new Set(prepared.ranked.ranking.slice(0, MAX_FILES).map((f) => f.path));
  const budgets: Record<number, Measure> = {};
  const windows: Record<number, Measure> = {};
  for (const budget of BUDGETS) {
    const options: BuildContextOptions = {
      repoDir: prepared.repoDir,
      title: issue.title,
      body: issue.body,
      tokenBudget: budget,
    };
    const context = await assembleContext(options, prepared.ranked);
    budgets[budget] = measure(context.files, hunksByFile, context.tokenEstimate);
    if (budget !== AUTO_CONTEXT_TOKENS) continue;
    const request = benchPlanRequest(issue, context, gold.instance_id);
    for (const window of WINDOWS) {
      if (workerFor) {
        const worker = workerFor(window);
        const sent = worker.send((budget) => {
          const built = buildUserMessage(request, budget);
          return built.ok
            ? { text: built.userMessage, files: built.contextFiles }
            : { text: "", files: [] };
        }, worker.budget());
        windows[window] = measure(sent.message.files, hunksByFile, sent.counted);
        continue;
      }
      const built = buildUserMessage(
        request,
        userMessageBudget(window, NUM_PREDICT, PLAN_SYSTEM_PROMPT),
      );
      const files = built.ok ? built.contextFiles : [];
      windows[window] = measure(
        files,
        hunksByFile,
        built.ok ? Math.ceil(built.userMessage.length / 3) : 0,
      );
    }
  }
  prepared.done();
  let inTop = 0;
  for (const [file, hunks] of hunksByFile) if (top.has(file)) inTop += hunks.length;
  results.push({
    id: gold.instance_id,
    repo: gold.repo,
    language: row.language ?? "Python",
    heldOut: heldOutRepo(gold.repo),
    hunksInTopFiles: inTop,
    budgets,
    windows,
  });
  const m = budgets[AUTO_CONTEXT_TOKENS] as Measure;
  process.stderr.write(`${gold.instance_id}: ${m.hunksReached}/${m.hunks} hunks (top ${inTop})\n`);
}

mkdirSync(RESULTS, { recursive: true });
writeFileSync(
  path.join(RESULTS, `plan-reach-${args.tag}.json`),
  `${JSON.stringify(
    {
      date: new Date().toISOString().slice(0, 10),
      fixes: path.basename(args.fixes ?? "gold-patches-dev.jsonl"),
      split: args.split,
      ...(args.tokenizer ? { tokenizer: args.tokenizer } : {}),
      defaultBudget: AUTO_CONTEXT_TOKENS,
      seconds: Math.round((Date.now() - started) / 1000),
      results,
      skipped: Object.fromEntries(skipped),
    },
    null,
    1,
  )}\n`,
);
const report = renderReport();
writeFileSync(path.join(RESULTS, "plan-reach.md"), report);
console.log(report);

/** Every tagged run under results/, side by side (`before` first). */
function renderReport(): string {
  const runs = readdirSync(RESULTS)
    .filter((f) => /^plan-reach-[\w-]+\.json$/.test(f))
    .map((f) => ({
      tag: f.slice("plan-reach-".length, -".json".length),
      ...(JSON.parse(readFileSync(path.join(RESULTS, f), "utf8")) as {
        date: string;
        /** The real fixes measured (older runs: gold-patches-dev.jsonl). */
        fixes?: string;
        split: string;
        /** The default budget of the run (older runs: the middle of their three). */
        defaultBudget?: number;
        /** The worker windows are a calibrated worker's, counted by this tokenizer. */
        tokenizer?: string;
        results: Row[];
        skipped: Record<string, number>;
      }),
    }))
    .sort((a, b) =>
      a.tag === "before" ? -1 : b.tag === "before" ? 1 : a.tag.localeCompare(b.tag),
    );
  const pct = (n: number, d: number) => (d === 0 ? "–" : ((100 * n) / d).toFixed(1));
  const sum = (rows: Row[], f: (r: Row) => number) => rows.reduce((n, r) => n + f(r), 0);
  const cell = (rows: Row[], budget: number) => {
    const hunks = sum(rows, (r) => r.budgets[budget]?.hunks ?? 0);
    const reached = sum(rows, (r) => r.budgets[budget]?.hunksReached ?? 0);
    const all = rows.filter((r) => r.budgets[budget]?.hunksReached === r.budgets[budget]?.hunks);
    return `${pct(reached, hunks)} (${pct(all.length, rows.length)})`;
  };
  // Other fixes (Loc-Bench's) come from repositories never tuned on: no split to show.
  const sets = (rows: Row[], fixes = "gold-patches-dev.jsonl"): [string, Row[]][] => [
    ...(fixes === "gold-patches-dev.jsonl"
      ? ([
          ["all", rows],
          ["tuning repositories", rows.filter((r) => !r.heldOut)],
          ["held-out repositories", rows.filter((r) => r.heldOut)],
        ] as [string, Row[]][])
      : ([["all (no repository tuned on)", rows]] as [string, Row[]][])),
    ...[...new Set(rows.map((r) => r.language))]
      .sort()
      .map((l): [string, Row[]] => [l, rows.filter((r) => r.language === l)]),
  ];
  const out = [
    "# Plan reach",
    "",
    "Hunks reached %: a real hunk's pre-image lines are whole lines of the excerpts the plan",
    "request sends of its file. In brackets, instances with every hunk reached %. Ceiling:",
    "hunks whose file is among the top 12 ranked files (the files given excerpts).",
    "",
  ];
  for (const run of runs) {
    const rows = run.results;
    const languages = new Set(rows.map((r) => r.language));
    // Each run with the budgets it measured: the default has changed between runs.
    const budgets = Object.keys(rows[0]?.budgets ?? {})
      .map(Number)
      .sort((a, b) => a - b);
    const byDefault = run.defaultBudget ?? budgets[1] ?? AUTO_CONTEXT_TOKENS;
    out.push(
      `## ${run.tag} (${run.date}; ${rows.length} real fixes of ${run.fixes ?? "gold-patches-dev.jsonl"}, ${new Set(rows.map((r) => r.repo)).size} repositories; split ${run.split})`,
      "",
      `| set | instances | hunks | ${budgets.map((b) => `${b / 1000}k${b === byDefault ? " (default)" : ""}`).join(" | ")} | ceiling (top 12) |`,
      `| --- | ---: | ---: | ${budgets.map(() => "---:").join(" | ")} | ---: |`,
    );
    for (const [label, set] of sets(rows, run.fixes)) {
      const hunks = sum(set, (r) => r.budgets[byDefault]?.hunks ?? 0);
      out.push(
        `| ${label} | ${set.length} | ${hunks} | ${budgets.map((b) => cell(set, b)).join(" | ")} | ${pct(
          sum(set, (r) => r.hunksInTopFiles),
          hunks,
        )} |`,
      );
    }
    if (rows.every((r) => r.windows)) {
      const windowCell = (set: Row[], window: number) => {
        const hunks = sum(set, (r) => r.windows?.[window]?.hunks ?? 0);
        const reached = sum(set, (r) => r.windows?.[window]?.hunksReached ?? 0);
        const all = set.filter(
          (r) => r.windows?.[window]?.hunksReached === r.windows?.[window]?.hunks,
        );
        const none = set.filter((r) => (r.windows?.[window]?.hunksInSentFiles ?? 0) === 0);
        return `${pct(reached, hunks)} (${pct(all.length, set.length)}; ${pct(none.length, set.length)})`;
      };
      out.push(
        "",
        `What the model sees of the default-budget context, fitted by a worker with NUM_CTX (NUM_PREDICT ${NUM_PREDICT})${run.tokenizer ? ` that has learned its model's tokenizer (${run.tokenizer}) from the model's counts` : ""}: hunks reached % (instances with every hunk reached %; instances where no file of the fix is shown %).`,
        "",
        `| set | ${WINDOWS.map((w) => `NUM_CTX ${w}`).join(" | ")} |`,
        `| --- | ${WINDOWS.map(() => "---:").join(" | ")} |`,
      );
      for (const [label, set] of sets(rows, run.fixes).filter(([l]) => !languages.has(l)))
        out.push(`| ${label} | ${WINDOWS.map((w) => windowCell(set, w)).join(" | ")} |`);
    }
    const skippedText = Object.entries(run.skipped)
      .map(([why, n]) => `${why} ${n}`)
      .join(", ");
    out.push("", `Skipped: ${skippedText || "none"}.`, "");
  }
  return `${out.join("\n")}`;
}
