/**
 * The context step: list the repository, rank its files for the issue, and fill a
 * token budget with the tree and excerpts of the best files. Anything ranked but left
 * out is listed in `omitted`, so nothing is cut silently. The Action, the CLI and the
 * localization benchmark all go through {@link rankRepository}.
 */
import { readFileSync } from "node:fs";
import { redactSecrets } from "./redact-secrets.js";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { applyChangelogConvention, changelogsToUpdate, isChangelogPath } from "./changelog.js";
import { excerptRegions, mergeExcerpts } from "./excerpts.js";
import type { Region } from "./excerpts.js";
import { readIssueSignals } from "./issue-signals.js";
import type { IssueSignals } from "./issue-signals.js";
import { collectRepositoryFiles } from "./list-files.js";
import { PathIndex } from "./path-index.js";
import { applyProximity } from "./proximity.js";
import { rankFiles } from "./rank.js";
import { signalOn } from "./signal-switch.js";
import { syntaxBlocks } from "./syntax-blocks.js";
import type { RankedFile } from "./rank.js";
import { MAX_FILE_BYTES, scanFiles } from "./scan-files.js";
import type { FileStats, ScanQuery } from "./scan-files.js";
import { abridgeTree } from "./tree-summary.js";
import { estimateTokens } from "../../protocol/index.js";

export { listRepositoryFiles, collectRepositoryFiles } from "./list-files.js";
export type { RankedFile } from "./rank.js";

export interface BuildContextOptions {
  repoDir: string;
  title: string;
  body: string;
  tokenBudget: number;
  /** Most files given excerpts (default 12). */
  maxFiles?: number;
  /** Ignore file relative to the repository (default `.ai-agent-ignore`). */
  ignoreFile?: string;
}

export interface ContextExcerpt {
  startLine: number;
  endLine: number;
  text: string;
}

export interface BuiltContext {
  files: { path: string; score: number; reasons: string[]; excerpts: ContextExcerpt[] }[];
  omitted: { path: string; reason: string }[];
  tree: { paths: string[]; totalFiles: number };
  tokenEstimate: number;
  ranking: { path: string; score: number; reasons: string[] }[];
}

export interface RankOptions {
  repoDir: string;
  title: string;
  body: string;
  ignoreFile?: string;
  /** How many ranked files to return (default 50). */
  top?: number;
}

export interface RepositoryRanking {
  ranking: RankedFile[];
  /** Every listed path (after exclusions), sorted. */
  paths: string[];
  /** Files excluded from listing or reading, with reasons. */
  excluded: { path: string; reason: string }[];
  signals: IssueSignals;
}

/** Share of the budget the tree may take. */
const TREE_SHARE = 0.12;
/** Most entries listed in `omitted` (the protocol allows 5000; a prompt needs far fewer). */
const MAX_OMITTED = 300;
/** Most regions shown per file (the protocol allows 100 excerpts; merged regions are fewer). */
const MAX_REGIONS_PER_FILE = 40;
/** Lines shown of a file chosen without any matching line. */
const HEAD_LINES = 30;
/**
 * A file is sent whole when it costs at most this share of the budget divided by its
 * rank (1 for the best file): half the budget for the best, a quarter for the second...
 */
const WHOLE_FILE_SHARE = 0.5;
/** Room for the note that says how many regions of a file were left out. */
const NOTE_TOKENS = 24;

/**
 * Ranks the files of a repository for an issue, best first, each with the signals that
 * fired. Throws when `repoDir` is not a readable directory.
 */
export async function rankRepository(options: RankOptions): Promise<RepositoryRanking> {
  const scanned = await scanRepository(options);
  const ranking = rankScanned(options.repoDir, scanned, options.top ?? 50);
  return {
    ranking,
    paths: scanned.paths,
    excluded: scanned.excluded,
    signals: scanned.signals,
  };
}

/** A repository listed and read for one issue: everything the scoring needs. */
export interface ScannedRepository {
  files: FileStats[];
  paths: string[];
  index: PathIndex;
  excluded: { path: string; reason: string }[];
  signals: IssueSignals;
}

/** Lists and reads the repository for the issue (the costly part of ranking). */
export async function scanRepository(options: RankOptions): Promise<ScannedRepository> {
  const info = await stat(options.repoDir).catch(() => undefined);
  if (!info?.isDirectory()) throw new Error(`repository directory not found: ${options.repoDir}`);
  const listOptions = options.ignoreFile === undefined ? {} : { ignoreFile: options.ignoreFile };
  const listed = await collectRepositoryFiles(options.repoDir, listOptions);
  const signals = readIssueSignals(options.title, options.body);
  const scan = scanFiles(options.repoDir, listed.paths, scanQuery(signals));
  const paths = scan.files.map((file) => file.path);
  return {
    files: scan.files,
    paths,
    index: new PathIndex(paths),
    excluded: [...listed.excluded, ...scan.skipped],
    signals,
  };
}

/**
 * Scores a scanned repository: signals, proximity, the changelog convention; the best
 * `top` files with rounded scores. The benchmark's ablation calls it once per setting.
 */
export function rankScanned(
  repoDir: string,
  scanned: ScannedRepository,
  top: number,
): RankedFile[] {
  const { files, paths, index, signals } = scanned;
  const first = rankFiles(files, signals, index);
  const near = applyProximity(repoDir, first, paths, index);
  const changelogs = signalOn("changelog") ? changelogsToUpdate(repoDir, paths) : [];
  const ranking = applyChangelogConvention(near, changelogs).slice(0, top);
  for (const file of ranking) file.score = Math.round(file.score * 1000) / 1000;
  return ranking;
}

function scanQuery(signals: IssueSignals): ScanQuery {
  const identifiers = new Set(signals.identifiers.keys());
  const identifiersLower = new Map<string, string>();
  for (const name of identifiers)
    if (name.length >= 6) identifiersLower.set(name.toLowerCase(), name);
  return {
    terms: new Set(signals.terms.keys()),
    identifiers,
    identifiersLower,
    messages: signals.messages,
    phrases: signals.phrases,
  };
}

/**
 * Builds the context for a plan request within `tokenBudget` (conservative estimate,
 * see {@link estimateTokens}).
 */
export async function buildContext(options: BuildContextOptions): Promise<BuiltContext> {
  const rankOptions: RankOptions = {
    repoDir: options.repoDir,
    title: options.title,
    body: options.body,
    top: Math.max(50, options.maxFiles ?? 12),
  };
  if (options.ignoreFile !== undefined) rankOptions.ignoreFile = options.ignoreFile;
  return assembleContext(options, await rankRepository(rankOptions));
}

/** The context for a ranking already made (`issue-agent context` ranks once for both). */
export async function assembleContext(
  options: BuildContextOptions,
  ranked: RepositoryRanking,
): Promise<BuiltContext> {
  const maxFiles = options.maxFiles ?? 12;
  const { ranking, paths, excluded, signals } = ranked;

  const budget = Math.max(0, Math.floor(options.tokenBudget));
  const omitted: { path: string; reason: string }[] = [];
  for (const entry of excluded) {
    if (omitted.length >= MAX_OMITTED) break;
    if (!/^(binary|dependency folder)$/.test(entry.reason)) omitted.push(entry);
  }
  const fixedCost = estimateTokens(JSON.stringify({ omitted, tokenEstimate: budget })) + 16;
  const treePaths = abridgeTree(
    paths,
    ranking.slice(0, maxFiles).map((file) => file.path),
    Math.floor(budget * TREE_SHARE),
  );
  const tree = { paths: treePaths, totalFiles: paths.length };
  let used = fixedCost + estimateTokens(JSON.stringify(tree));

  // Candidate excerpts per file, then filled in rank order: first the best region of
  // every file, then further regions, while the budget lasts.
  const identifiers = new Set(signals.identifiers.keys());
  const candidates = [];
  for (const [rank, file] of ranking.slice(0, maxFiles).entries()) {
    const lines = readLines(options.repoDir, file.path);
    const name = file.path.split("/").pop() ?? "";
    const frameLines = signals.frames
      .filter((frame) => frame.line !== undefined && frame.path.split("/").pop() === name)
      .map((frame) => frame.line ?? 0);
    let regions: Region[] = [];
    if (lines && isChangelogPath(file.path)) {
      // Where a new entry goes: the top of the file, not old entries that share words.
      regions = [{ startLine: 1, endLine: Math.min(lines.length, HEAD_LINES), score: 0 }];
    } else if (lines) {
      const text = lines.join("\n");
      const blocks = await syntaxBlocks(file.path, text);
      const query = { terms: signals.terms, identifiers, messages: signals.messages, frameLines };
      regions = excerptRegions(text, query, blocks);
      // Chosen for its path or name alone: show how the file starts.
      if (regions.length === 0) {
        regions = [{ startLine: 1, endLine: Math.min(lines.length, HEAD_LINES), score: 0 }];
      }
      // The code a fix changes is often in no matching region (a helper the issue's words
      // never name, the line after the one they hit). A file small for its rank is sent
      // whole instead: the best ranked files are the likeliest to need changing.
      const whole = { startLine: 1, endLine: lines.length, score: Infinity };
      if (regionCost(lines, whole) <= (budget * WHOLE_FILE_SHARE) / (rank + 1)) regions = [whole];
    }
    candidates.push({ file, lines, regions, chosen: [] as Region[], header: 0 });
  }
  const files: BuiltContext["files"] = [];
  for (const candidate of candidates) {
    const header =
      estimateTokens(
        JSON.stringify({
          path: candidate.file.path,
          score: candidate.file.score,
          reasons: candidate.file.reasons,
          excerpts: [],
        }),
      ) + NOTE_TOKENS;
    const best = candidate.regions[0];
    const firstCost = best && candidate.lines ? regionCost(candidate.lines, best) : 0;
    if (!candidate.lines || used + header + firstCost > budget) {
      const entry = {
        path: candidate.file.path,
        reason: candidate.lines ? "token budget" : "unreadable",
      };
      omitted.push(entry);
      used += estimateTokens(JSON.stringify(entry)) + 1;
      continue;
    }
    used += header + firstCost;
    if (best) candidate.chosen.push(best);
    candidate.header = header;
  }
  for (const candidate of candidates) {
    if (!candidate.lines || candidate.header === 0) continue;
    for (const region of candidate.regions.slice(1, MAX_REGIONS_PER_FILE)) {
      const cost = regionCost(candidate.lines, region);
      if (used + cost > budget) continue;
      used += cost;
      candidate.chosen.push(region);
    }
    const left = candidate.regions.length - candidate.chosen.length;
    const entry = {
      path: candidate.file.path,
      score: candidate.file.score,
      reasons: [...candidate.file.reasons],
      excerpts: mergeExcerpts(candidate.lines, candidate.chosen),
    };
    if (left > 0)
      entry.reasons.push(
        `${left} more matching region(s) left out (token budget or per-file limit)`,
      );
    files.push(entry);
  }
  const context = { files, omitted, tree };
  // The sums above over-count; this guarantees the bound whatever the JSON overhead.
  let tokenEstimate = estimateTokens(JSON.stringify(context));
  while (tokenEstimate > budget && files.length > 0) {
    const last = files.pop();
    if (last) omitted.push({ path: last.path, reason: "token budget" });
    tokenEstimate = estimateTokens(JSON.stringify(context));
  }
  // A budget too small even for the tree: list fewer paths (totalFiles stays true).
  while (tokenEstimate > budget && tree.paths.length > 0) {
    tree.paths.splice(Math.floor(tree.paths.length / 2));
    tokenEstimate = estimateTokens(JSON.stringify(context));
  }
  return {
    ...context,
    tokenEstimate,
    ranking: ranking.map(({ path, score, reasons }) => ({ path, score, reasons })),
  };
}

function regionCost(lines: readonly string[], region: Region): number {
  // JSON escaping and the excerpt's fields, counted conservatively.
  const text = lines.slice(region.startLine - 1, region.endLine).join("\n");
  return estimateTokens(
    JSON.stringify({ startLine: region.startLine, endLine: region.endLine, text }),
  );
}

function readLines(repoDir: string, path: string): string[] | undefined {
  try {
    const text = readFileSync(join(repoDir, path), "utf8");
    return text.length > MAX_FILE_BYTES ? undefined : redactSecrets(text).text.split("\n");
  } catch {
    return undefined;
  }
}
