/**
 * The context step: list the repository, rank its files for the issue, and fill a
 * token budget with the tree and excerpts of the best files. Anything ranked but left
 * out is listed in `omitted`, so nothing is cut silently. The Action, the CLI and the
 * localization benchmark all go through {@link rankRepository}.
 */
import { redactSecrets } from "./redact-secrets.js";
import { stat } from "node:fs/promises";
import {
  changelogCompanion,
  changelogsToUpdate,
  entryRegions,
  isChangelogPath,
} from "./changelog.js";
import { mergeExcerpts } from "./excerpts.js";
import type { Region } from "./excerpts.js";
import { readIssueSignals } from "./issue-signals.js";
import type { IssueSignals } from "./issue-signals.js";
import { importHeader, withImportHeader } from "./import-header.js";
import { joinCompanions } from "./companions.js";
import { fileRegions } from "./file-regions.js";
import { collectRepositoryFiles } from "./list-files.js";
import { PathIndex } from "./path-index.js";
import { applyProximity } from "./proximity.js";
import { rankFiles } from "./rank.js";
import { referenceCompanions } from "./reference-docs.js";
import { growRegions } from "./region-growth.js";
import { signalOn } from "./signal-switch.js";
import type { RankedFile } from "./rank.js";
import { readRepositoryText } from "./scan-files.js";
import { scanInPool } from "./scan-pool.js";
import type { FileStats, ScanQuery } from "./scan-files.js";
import { abridgeTree } from "./tree-summary.js";
import {
  estimateTokens,
  MAX_CONTEXT_FOCUS,
  MAX_REASON_CHARS,
  RankedShares,
} from "../../protocol/index.js";

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
  files: {
    path: string;
    score: number;
    reasons: string[];
    excerpts: ContextExcerpt[];
    /** Where the evidence is, best first (see the protocol's ContextFile). */
    focus?: { startLine: number; endLine: number }[];
  }[];
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
  /** How the files were read: threads started and batches the workers took. */
  scan: ScanThreads;
}

export interface ScanThreads {
  threads: number;
  workerBatches: number;
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
/**
 * Longest file whose excerpts follow its parsed blocks; longer ones follow definitions
 * and indentation. The plan context shows a few regions of such a file, and parsing it
 * costs more than the rest of the context step (file-regions.ts).
 */
const MAX_PARSED_CHARS = 100_000;
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
    scan: scanned.scan,
  };
}

/** A repository listed and read for one issue: everything the scoring needs. */
export interface ScannedRepository {
  files: FileStats[];
  paths: string[];
  index: PathIndex;
  excluded: { path: string; reason: string }[];
  signals: IssueSignals;
  scan: ScanThreads;
}

/** Lists and reads the repository for the issue (the costly part of ranking). */
export async function scanRepository(options: RankOptions): Promise<ScannedRepository> {
  const info = await stat(options.repoDir).catch(() => undefined);
  if (!info?.isDirectory()) throw new Error(`repository directory not found: ${options.repoDir}`);
  const listOptions = options.ignoreFile === undefined ? {} : { ignoreFile: options.ignoreFile };
  const listed = await collectRepositoryFiles(options.repoDir, listOptions);
  const signals = readIssueSignals(options.title, options.body);
  const scan = await scanInPool(options.repoDir, listed.paths, scanQuery(signals));
  const paths = scan.files.map((file) => file.path);
  return {
    files: scan.files,
    paths,
    index: new PathIndex(paths),
    excluded: [...listed.excluded, ...scan.skipped],
    signals,
    scan: { threads: scan.threads, workerBatches: scan.workerBatches },
  };
}

/**
 * Scores a scanned repository: signals, proximity, the project's conventions (changelog,
 * hand-written reference); the best `top` files with rounded scores. The benchmark's ablation calls it once per setting.
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
  const references = signalOn("reference")
    ? referenceCompanions(repoDir, files, signals.identifiers)
    : () => [];
  const ranking = joinCompanions(near, (anchor) => [
    ...changelogCompanion(anchor.path, changelogs),
    ...references(anchor.path),
  ]).slice(0, top);
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
    // A path too long for a message is left out of the list too; the rest say why.
    if (!/^(binary|dependency folder|path too long|the agent's plan record)$/.test(entry.reason))
      omitted.push(entry);
  }
  const fixedCost = estimateTokens(JSON.stringify({ omitted, tokenEstimate: budget })) + 16;
  const treePaths = abridgeTree(
    paths,
    ranking.slice(0, maxFiles).map((file) => file.path),
    Math.floor(budget * TREE_SHARE),
  );
  const tree = { paths: treePaths, totalFiles: paths.length };
  let used = fixedCost + estimateTokens(JSON.stringify(tree));

  // Candidate regions per file, best first; the files are then filled in rank order.
  const identifiers = new Set(signals.identifiers.keys());
  const candidates = [];
  for (const [rank, file] of ranking.slice(0, maxFiles).entries()) {
    const lines = readLines(options.repoDir, file.path);
    const name = file.path.split("/").pop() ?? "";
    const frameLines = signals.frames
      .filter((frame) => frame.line !== undefined && frame.path.split("/").pop() === name)
      .map((frame) => frame.line ?? 0);
    let regions: Region[] = [];
    /** For a file sent whole: where its evidence is, for a worker that must shorten it. */
    let focus: Region[] | undefined;
    let header: Region | undefined;
    if (lines && isChangelogPath(file.path)) {
      // Where a new entry goes, not old entries that share words: the plan needs its
      // place and how entries read, the first region of it (widened below like any).
      regions = entryRegions(lines.join("\n"))
        .slice(0, 1)
        .map((region) => ({ ...region, score: 0 }));
    } else if (lines) {
      // The code a fix changes is often in no matching region (a helper the issue's words
      // never name, the line after the one they hit). A file small for its rank is sent
      // whole instead: the best ranked files are the likeliest to need changing.
      const whole = { startLine: 1, endLine: lines.length, score: Infinity };
      const query = { terms: signals.terms, identifiers, messages: signals.messages, frameLines };
      const matched = await fileRegions(file.path, lines.join("\n"), query, MAX_PARSED_CHARS);
      if (regionCost(lines, whole) <= (budget * WHOLE_FILE_SHARE) / (rank + 1)) {
        regions = [whole];
        focus = matched;
      } else {
        regions = matched;
        // The file's imports, right after its best region: what it takes from where, and
        // where a fix that needs one more import adds it.
        header = importHeader(lines);
        regions = withImportHeader(regions, header);
      }
      // Chosen for its path or name alone: show how the file starts.
      if (regions.length === 0) {
        regions = [{ startLine: 1, endLine: Math.min(lines.length, HEAD_LINES), score: 0 }];
      }
    }
    candidates.push({ file, lines, regions, focus, header });
  }
  // Files are filled in rank order, each within its share of what is left (RankedShares).
  const shares = new RankedShares(candidates.length);
  const sent: {
    candidate: (typeof candidates)[number];
    lines: string[];
    chosen: Region[];
    focus: Region[];
  }[] = [];
  for (const candidate of candidates) {
    const share = shares.next(budget - used);
    const header =
      estimateTokens(
        JSON.stringify({
          path: candidate.file.path,
          score: candidate.file.score,
          reasons: candidate.file.reasons,
          excerpts: [],
        }),
      ) + NOTE_TOKENS;
    const lines = candidate.lines;
    const best = candidate.regions[0];
    const firstCost = best && lines ? regionCost(lines, best) : 0;
    if (!lines || used + header + firstCost > budget) {
      const entry = { path: candidate.file.path, reason: lines ? "token budget" : "unreadable" };
      omitted.push(entry);
      used += estimateTokens(JSON.stringify(entry)) + 1;
      continue;
    }
    // The best region even beyond the share (as long as the budget lasts), then further
    // regions while the share lasts, then all of them widened into what remains of it.
    used += header + firstCost;
    const chosen: Region[] = best ? [best] : [];
    let cost = firstCost;
    const room = share - header;
    for (const region of candidate.regions.slice(1, MAX_REGIONS_PER_FILE)) {
      const more = regionCost(lines, region);
      if (cost + more > room || used + more > budget) continue;
      cost += more;
      used += more;
      chosen.push(region);
    }
    // The import block is shown, not evidence: a worker that must shorten keeps evidence.
    const evidence = candidate.focus ?? chosen.filter((region) => region !== candidate.header);
    const focus = evidence.slice(0, MAX_CONTEXT_FOCUS);
    used += focusCost(focus);
    const grown = grow(lines, chosen, cost, Math.min(room, budget - used + cost));
    used += grown.cost - cost;
    sent.push({ candidate, lines, chosen: grown.regions, focus });
  }
  const files: BuiltContext["files"] = [];
  for (const { candidate, lines, chosen, focus } of sent) {
    const excerpts = mergeExcerpts(lines, chosen);
    const left = candidate.regions.filter(
      (region) =>
        !excerpts.some((e) => e.startLine <= region.startLine && region.endLine <= e.endLine),
    ).length;
    const entry = {
      path: candidate.file.path,
      score: candidate.file.score,
      reasons: candidate.file.reasons.map(clipReason),
      excerpts,
      ...(focus.length > 0
        ? { focus: focus.map(({ startLine, endLine }) => ({ startLine, endLine })) }
        : {}),
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

/** A reason within what a message carries (one naming a very long path, say). */
function clipReason(reason: string): string {
  return reason.length <= MAX_REASON_CHARS ? reason : `${reason.slice(0, MAX_REASON_CHARS - 1)}…`;
}

/** `regions` widened within `maxTokens` (they cost `cost` now), and what they then cost. */
function grow(
  lines: readonly string[],
  regions: readonly Region[],
  cost: number,
  maxTokens: number,
): { regions: Region[]; cost: number } {
  const grown = growRegions(lines.length, regions, maxTokens, (r) => excerptsCost(lines, r));
  const same = grown.every(
    (r, i) => r.startLine === regions[i]?.startLine && r.endLine === regions[i]?.endLine,
  );
  return same ? { regions: grown, cost } : { regions: grown, cost: excerptsCost(lines, grown) };
}

/** What merged excerpts of `regions` cost, as {@link regionCost} counts them. */
function excerptsCost(lines: readonly string[], regions: readonly Region[]): number {
  return mergeExcerpts(lines, regions).reduce(
    (sum, excerpt) => sum + regionCost(lines, { ...excerpt, score: 0 }),
    0,
  );
}

/** What a file's focus list adds to the request. */
function focusCost(focus: readonly Region[]): number {
  return focus.length === 0
    ? 0
    : estimateTokens(
        JSON.stringify(focus.map(({ startLine, endLine }) => ({ startLine, endLine }))),
      ) + 4;
}

function regionCost(lines: readonly string[], region: Region): number {
  // JSON escaping and the excerpt's fields, counted conservatively.
  const text = lines.slice(region.startLine - 1, region.endLine).join("\n");
  return estimateTokens(
    JSON.stringify({ startLine: region.startLine, endLine: region.endLine, text }),
  );
}

function readLines(repoDir: string, path: string): string[] | undefined {
  const text = readRepositoryText(repoDir, path);
  if (text === undefined) return undefined;
  const lines = redactSecrets(text).text.split("\n");
  // A final newline ends the last line; it does not start another (a region must never
  // name a line the file does not have).
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}
