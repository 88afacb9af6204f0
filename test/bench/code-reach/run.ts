/**
 * Code reach: does the code request show the model the code it must change?
 *
 * For every real fix in gold-patches-dev.jsonl whose repository is under BENCH_MIRRORS:
 * a plan whose files are the fix's files (with their real change kind) and whose one
 * step carries only the issue's title and body (no knowledge of the fix); the files at
 * the base commit, with their focus regions and outlines exactly as the Action builds
 * them; and the user message exactly as the worker renders it for a model window of 8k,
 * 16k and 32k tokens (NUM_PREDICT 2048). An instance is **reached** when every real
 * hunk's pre-image lines (the lines removed or changed, or the line an insertion
 * follows; blank lines aside) stand verbatim as whole lines in that message, where the
 * model can quote them. Beside it, the request as the Action built it before (each file
 * whole within `context-tokens` 6000, or not at all).
 *
 * The context excerpts the request also carries are left out of the measure (they need
 * a checkout of each whole repository), so the figures are a floor.
 *
 *   BENCH_MIRRORS=<dir> npm run bench -- code-reach [--limit N] [--explain WINDOW]
 *     [--fixes FILE --tag NAME] [--tokenizer cl100k|llama2]
 *
 * Writes results/code-reach.json and results/code-reach.md; with `--fixes` (real fixes
 * of other issues, as locbench-fixes.ts recovers them for Loc-Bench's 128 repositories,
 * none of them ever tuned on) results/code-reach-NAME.json and .md. Measures only. `--explain
 * 16384` also prints, for every fix not reached at that window, each file with a missed
 * hunk: its length, its focus regions, the lines shown and where the missed hunks start.
 *
 * `--tokenizer NAME` measures a worker that has learned its model's tokenizer from the
 * model's own counts (token-calibration.ts), as the worker does: one worker per window
 * answers the fixes in order, each prompt counted by the named real tokenizer
 * (tokenizers.ts); a prompt over the window by that count is fitted again into the room
 * that count leaves (`refitBudget`, as run-job.ts does when the server gives the count),
 * and counts as a reply. Requests "over" the window are those still over
 * by the real count. Results go to results/code-reach[-NAME]-calibrated-TOKENIZER.*.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { codeQuery, fileFocus } from "../../../action/code-context/focus.js";
import { parseUnifiedDiff, type FilePatch } from "../../../action/edits/diff-to-hunks.js";
import { languageForPath, type LanguageId } from "../../../action/parsing/index.js";
import {
  CODE_SYSTEM_PROMPT,
  codeParts,
  renderCodeUserMessage,
} from "../../../backend/prompt/code-prompt.js";
import { userMessageBudget } from "../../../backend/prompt/user-message.js";
import { loadWorkerConfig } from "../../../backend/config.js";
import {
  estimateTokens,
  type CodeRequest,
  type Plan,
  type SourceFile,
} from "../../../protocol/index.js";
import { findMirror, mirrorRoot, noMirrorsReason } from "../bench-data.js";
import { heldOutRepo, hunksReached, loadIssues, preImages } from "./hunks.js";
import { loadGoldPatches, readBaseFiles } from "../edit-apply/gold.js";
import { sampleCodeRequest } from "../../support/fixtures.js";
import { workersByWindow } from "./calibrated-worker.js";
import { loadTokenizer, TOKENIZERS, type TokenizerName } from "./tokenizers.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(HERE, "results");
const WINDOWS = [8192, 16384, 32768] as const;
/** The worker's default NUM_PREDICT, which the window keeps free for the answer. */
const NUM_PREDICT = loadWorkerConfig({}).llm.numPredict;
const OLD_CONTEXT_TOKENS = 6000;

const { values: args } = parseArgs({
  options: {
    limit: { type: "string" },
    explain: { type: "string" },
    fixes: { type: "string" },
    tag: { type: "string" },
    tokenizer: { type: "string" },
  },
});
if ((args.fixes === undefined) !== (args.tag === undefined)) {
  console.error("code-reach: --fixes FILE and --tag NAME go together");
  process.exit(2);
}
const source = args.fixes ? path.basename(args.fixes) : "gold-patches-dev.jsonl";
if (args.tokenizer !== undefined && !(TOKENIZERS as readonly string[]).includes(args.tokenizer)) {
  console.error(`code-reach: --tokenizer takes one of ${TOKENIZERS.join(", ")}`);
  process.exit(2);
}
const resultName = [
  args.tag ? `code-reach-${args.tag}` : "code-reach",
  ...(args.tokenizer ? [`calibrated-${args.tokenizer}`] : []),
].join("-");
/** A real tokenizer's count, when the run simulates a calibrated worker. */
const countTokens = args.tokenizer
  ? await loadTokenizer(args.tokenizer as TokenizerName)
  : undefined;
/** The simulated calibrated worker of each window, when a tokenizer counts. */
const workerFor = countTokens
  ? workersByWindow(countTokens, NUM_PREDICT, CODE_SYSTEM_PROMPT)
  : undefined;
const explainWindow = args.explain === undefined ? undefined : Number(args.explain);
if (explainWindow !== undefined && !(WINDOWS as readonly number[]).includes(explainWindow)) {
  console.error(`code-reach: --explain takes one of the windows measured: ${WINDOWS.join(", ")}`);
  process.exit(2);
}

interface Measure {
  reached: boolean;
  hunks: number;
  hunksReached: number;
  tokens: number;
  overWindow: boolean;
  /** Model replies the request takes (one, or one per part). */
  replies?: number;
  /** Of those, prompts refused as over the window by the real count and fitted again. */
  refits?: number;
}

/** A user message the model is sent, and the files it edits (all when undefined). */
interface Sent {
  text: string;
  paths?: readonly string[];
}

/**
 * Each file's hunks judged against the message that edits that file. `counted`: each
 * message's real token count (system prompt and template included), when a tokenizer
 * counts; `refits`: replies refused as over the window and asked again.
 */
function measure(
  sent: readonly Sent[],
  system: string,
  hunksByFile: readonly [string, string[][]][],
  window: number,
  counted?: readonly number[],
  refits = 0,
): Measure {
  let hunks = 0;
  let reachedHunks = 0;
  for (const [file, fileHunks] of hunksByFile) {
    const message = sent.find((m) => !m.paths || m.paths.includes(file));
    hunks += fileHunks.length;
    reachedHunks += hunksReached(new Set((message?.text ?? "").split("\n")), fileHunks);
  }
  const tokens = counted
    ? Math.max(...counted)
    : Math.max(...sent.map((m) => estimateTokens(system) + estimateTokens(m.text)));
  return {
    reached: reachedHunks === hunks,
    hunks,
    hunksReached: reachedHunks,
    tokens,
    overWindow: tokens + NUM_PREDICT > window,
    replies: sent.length + refits,
    refits,
  };
}

/** The request as built before: each file whole within the Action's budget, in plan order. */
function oldMessage(request: CodeRequest, window: number): string {
  const budget = Math.min(
    OLD_CONTEXT_TOKENS,
    userMessageBudget(window, NUM_PREDICT, CODE_SYSTEM_PROMPT),
  );
  let used = 0;
  const blocks: string[] = [];
  for (const file of request.files) {
    const block = `## ${file.path}\n\`\`\`\n${file.content}\n\`\`\``;
    const cost = estimateTokens(block);
    if (used + cost > budget) continue;
    used += cost;
    blocks.push(block);
  }
  return blocks.join("\n");
}

const root = mirrorRoot();
if (!root) {
  console.error(`code-reach: ${noMirrorsReason()}`);
  process.exit(2);
}
const issues = loadIssues();
let rows = loadGoldPatches(args.fixes);
if (args.limit) rows = rows.slice(0, Number(args.limit));

interface Row {
  id: string;
  repo: string;
  language: string;
  heldOut: boolean;
  old: Measure;
  views: Record<number, Measure>;
}

/** The data sets' labels for the project's languages. */
const LANGUAGE_LABELS: Readonly<Record<LanguageId, string>> = {
  python: "python",
  javascript: "JavaScript/TypeScript",
  typescript: "JavaScript/TypeScript",
  tsx: "JavaScript/TypeScript",
  go: "Go",
  java: "Java",
  c: "C",
  cpp: "C++",
  rust: "Rust",
  ruby: "Ruby",
  php: "PHP",
};

/** A fix's language label when its data set gives none: by its files' names. */
function languageOfPaths(paths: readonly string[]): string {
  const found = new Set(
    paths.map((p) => {
      const id = languageForPath(p);
      return id ? LANGUAGE_LABELS[id] : "other";
    }),
  );
  if (found.size === 1) return [...found][0] as string;
  return found.has("python") ? "python" : "other";
}

const results: Row[] = [];
const skipped = new Map<string, number>();
for (const gold of rows) {
  const gitDir = findMirror(gold.repo, root);
  const issue = issues.get(gold.instance_id);
  if (!gitDir || !issue) {
    const why = !gitDir ? `${gold.repo} (no mirror)` : "no issue text";
    skipped.set(why, (skipped.get(why) ?? 0) + 1);
    continue;
  }
  const patches = parseUnifiedDiff(gold.patch);
  const changed = patches.filter((p) => p.oldPath !== undefined);
  const base = readBaseFiles(
    gitDir,
    gold.base_commit,
    changed.map((p) => p.oldPath as string),
  );
  if ([...base.values()].some((text) => text === undefined)) {
    skipped.set(
      `${gold.repo} (base file missing)`,
      (skipped.get(`${gold.repo} (base file missing)`) ?? 0) + 1,
    );
    continue;
  }
  const plan: Plan = {
    summary: issue.title.slice(0, 4000) || "Fix the issue",
    steps: [
      {
        title: (issue.title || "Fix the issue").slice(0, 300),
        detail: issue.body.slice(0, 4000),
        files: patches.map((p) => (p.newPath ?? p.oldPath) as string).slice(0, 30),
      },
    ],
    files: patches.slice(0, 50).map((p) => ({
      path: (p.newPath ?? p.oldPath) as string,
      change: p.oldPath === undefined ? "create" : p.newPath === undefined ? "delete" : "modify",
      reason: "named by the issue",
    })),
    risks: [],
    tests: [],
    openQuestions: [],
  };
  const query = codeQuery({ title: issue.title, body: issue.body }, plan);
  const files: SourceFile[] = [];
  for (const patch of changed) {
    const content = base.get(patch.oldPath as string) as string;
    files.push({
      path: patch.oldPath as string,
      content,
      ...(await fileFocus(patch.oldPath as string, content, query)),
    });
  }
  const request = sampleCodeRequest({ plan, files });
  request.issue = { ...request.issue, title: issue.title, body: issue.body.slice(0, 65_000) };
  const hunksByFile = changed.map((p): [string, string[][]] => [
    p.oldPath as string,
    preImages(p).filter((h) => h.length > 0),
  ]);
  if (hunksByFile.every(([, h]) => h.length === 0)) {
    skipped.set(
      "only insertions at a file's start, or new files",
      (skipped.get("only insertions at a file's start, or new files") ?? 0) + 1,
    );
    continue;
  }
  const views: Record<number, Measure> = {};
  for (const window of WINDOWS) {
    const sent = sendAsWorker(request, window);
    const messages = sent.messages;
    views[window] = measure(
      messages,
      CODE_SYSTEM_PROMPT,
      hunksByFile,
      window,
      sent.counted,
      sent.refits,
    );
    const message = {
      text: messages.map((m) => m.text).join("\n"),
      trimmed: messages.flatMap((m) => m.trimmed),
    };
    if (window === explainWindow && !views[window]?.reached)
      process.stderr.write(explainMisses(gold.instance_id, changed, files, message));
  }
  const language = issue.language ?? languageOfPaths(changed.map((p) => p.oldPath as string));
  results.push({
    id: gold.instance_id,
    repo: gold.repo,
    language,
    heldOut: heldOutRepo(gold.repo),
    old: measure([{ text: oldMessage(request, 8192) }], CODE_SYSTEM_PROMPT, hunksByFile, 8192),
    views,
  });
  process.stderr.write(
    `${gold.instance_id}: old ${results.at(-1)?.old.reached ? "yes" : "no"}, views ${WINDOWS.map((w) => (views[w]?.reached ? "yes" : "no")).join("/")}\n`,
  );
}

/**
 * The user messages a worker with `window` sends for the request: one, or one per part
 * when the files do not fit together. With a tokenizer, the worker's room is widened by
 * what it learned from earlier counts, and a prompt over the window by the real count is
 * fitted again into a share of the estimate's room.
 */
function sendAsWorker(
  request: CodeRequest,
  window: number,
): {
  messages: (ReturnType<typeof renderCodeUserMessage> & { paths?: readonly string[] })[];
  counted?: number[];
  refits: number;
} {
  if (!workerFor) {
    const estimated = userMessageBudget(window, NUM_PREDICT, CODE_SYSTEM_PROMPT);
    const parts = codeParts(request, estimated);
    const messages = (parts ?? [undefined]).map((part) => ({
      ...renderCodeUserMessage(request, estimated, part),
      paths: part?.paths,
    }));
    return { messages, refits: 0 };
  }
  const worker = workerFor(window);
  const budget = worker.budget();
  const messages: (ReturnType<typeof renderCodeUserMessage> & { paths?: readonly string[] })[] = [];
  const counted: number[] = [];
  let refits = 0;
  for (const part of codeParts(request, budget) ?? [undefined]) {
    const sent = worker.send((b) => renderCodeUserMessage(request, b, part), budget);
    messages.push({ ...sent.message, paths: part?.paths });
    counted.push(sent.counted);
    if (sent.refitted) refits++;
  }
  return { messages, counted, refits };
}

/** Where the hunks a message misses lie, file by file, beside what the file showed. */
function explainMisses(
  id: string,
  patches: readonly FilePatch[],
  files: readonly SourceFile[],
  message: { text: string; trimmed: readonly { path: string; reason: string }[] },
): string {
  const shown = new Set(message.text.split("\n"));
  const out = [`${id}:`];
  for (const patch of patches) {
    const pre = preImages(patch);
    const missed = patch.hunks.filter((_, i) => {
      const lines = pre[i] ?? [];
      return lines.length > 0 && !lines.every((line) => shown.has(line));
    });
    if (missed.length === 0) continue;
    const file = files.find((f) => f.path === patch.oldPath);
    const regions = file?.regions ?? [];
    const view = message.trimmed.find((t) => t.path === patch.oldPath)?.reason ?? "whole";
    out.push(
      `  ${patch.oldPath}: ${file?.content.split("\n").length ?? 0} lines, ${regions.length} regions` +
        ` (best: ${regions
          .slice(0, 5)
          .map((r) => `${r.startLine}-${r.endLine}`)
          .join(" ")}); ${view}`,
      `    missed hunks at lines ${missed.map((h) => `${h.oldStart}+${h.oldLines} (${inRegion(h, regions)})`).join(", ")}`,
    );
  }
  return `${out.join("\n")}\n`;
}

/** Which of the file's regions (1-based, best first) a hunk overlaps: not shown for room, or never pointed at. */
function inRegion(
  hunk: { oldStart: number; oldLines: number },
  regions: readonly { startLine: number; endLine: number }[],
): string {
  const end = hunk.oldStart + Math.max(0, hunk.oldLines - 1);
  const at = regions.findIndex((r) => r.startLine <= end && hunk.oldStart <= r.endLine);
  return at < 0 ? "in no region" : `region ${at + 1}`;
}

const pct = (n: number, d: number) => (d === 0 ? "–" : `${((100 * n) / d).toFixed(1)}`);
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : (s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0);
};
function line(label: string, set: Row[]): string {
  const cells = [label, String(set.length), String(new Set(set.map((r) => r.repo)).size)];
  const old = set.map((r) => r.old);
  cells.push(`${pct(old.filter((m) => m.reached).length, set.length)}`);
  for (const w of WINDOWS) {
    const ms = set.map((r) => r.views[w] as Measure);
    const hunks = ms.reduce((n, m) => n + m.hunks, 0);
    cells.push(
      `${pct(ms.filter((m) => m.reached).length, set.length)} (hunks ${pct(
        ms.reduce((n, m) => n + m.hunksReached, 0),
        hunks,
      )}; ${quantile(
        ms.map((m) => m.tokens),
        0.5,
      )} / ${quantile(
        ms.map((m) => m.tokens),
        0.95,
      )} tok; over ${ms.filter((m) => m.overWindow).length}; replies ${ms.reduce((n, m) => n + (m.replies ?? 1), 0)}${
        countTokens
          ? `, refused and fitted again ${ms.reduce((n, m) => n + (m.refits ?? 0), 0)}`
          : ""
      })`,
    );
  }
  return `| ${cells.join(" | ")} |`;
}

const out: string[] = [
  "# Code reach",
  "",
  `${new Date().toISOString().slice(0, 10)}; ${results.length} real fixes from ${source}.`,
  "Reached: every real hunk's pre-image lines are whole lines of the code request's user message.",
  "Columns per window: instances reached % (hunks reached %; request tokens p50 / p95 (the largest reply's); requests over the window; model replies, one per request unless it is answered in parts).",
  ...(args.tokenizer
    ? [
        `A worker calibrated by its model's own counts, the model's tokenizer being ${args.tokenizer}: request tokens are that tokenizer's counts (system prompt and template included); replies include prompts refused as over the window and fitted again.`,
      ]
    : []),
  "",
  "| set | instances | repositories | before (whole or nothing, 6,000) | 8k | 16k | 32k |",
  "| --- | ---: | ---: | ---: | --- | --- | --- |",
  line(args.fixes ? "all (no repository tuned on)" : "all", results),
  // Loc-Bench's repositories were never tuned on: the split applies to the dev fixes only.
  ...(args.fixes
    ? []
    : [
        line(
          "repositories not held out",
          results.filter((r) => !r.heldOut),
        ),
        line(
          "held-out repositories",
          results.filter((r) => r.heldOut),
        ),
      ]),
];
const languages = [...new Set(results.map((r) => r.language))].sort();
for (const language of languages)
  out.push(
    line(
      language,
      results.filter((r) => r.language === language),
    ),
  );
out.push("", `Skipped: ${[...skipped].map(([why, n]) => `${why} ${n}`).join(", ") || "none"}.`);
mkdirSync(RESULTS, { recursive: true });
writeFileSync(path.join(RESULTS, `${resultName}.md`), `${out.join("\n")}\n`);
writeFileSync(
  path.join(RESULTS, `${resultName}.json`),
  `${JSON.stringify({ results, skipped: Object.fromEntries(skipped) }, null, 1)}\n`,
);
console.log(out.join("\n"));
