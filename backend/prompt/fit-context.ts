import {
  type ContextFile,
  type RequestContext,
  estimateTokens,
  MAX_OMITTED_REASON_CHARS,
  RankedShares,
} from "../../protocol/index.js";
import { focusWords, shortenExcerpts } from "./shorten-excerpts.js";

export interface ContextRendering {
  /** The rendered context block for the prompt. */
  text: string;
  tokens: number;
  /** Files dropped to fit, lowest-ranked first, with why. */
  trimmed: { path: string; reason: string }[];
  /** The files shown, best first, as shown (shortened ones with fewer excerpt lines). */
  files: ContextFile[];
  /** Files shown with fewer lines than the request carried, with the lines shown. */
  shortened: { path: string; reason: string }[];
}

/** How many tree lines we keep at least, even when the budget is tight. */
const MIN_TREE_LINES = 50;
/** Share of the budget the tree may take when not everything fits (as the Action's). */
const TREE_SHARE = 0.12;

/**
 * Renders the request's context (tree, ranked files with excerpts, what the requester
 * already left out) into at most `budgetTokens`. When it does not all fit, the tree is
 * abridged to its share and the files are fitted in rank order, each within its share
 * of what is left as the Action shares its budget (RankedShares): a file over its
 * share is shortened to the lines that name the issue's words (`issueText`), and only
 * a file that cannot show even one of those is dropped. Dropping whole files
 * lowest-ranked first was not enough: the Action gives the best file most of a generous
 * budget, so a default 8k window dropped every file in most requests. Nothing is left
 * out silently: dropped files are returned in `trimmed` and named in the prompt, and
 * each excerpt says which lines it shows.
 */
export function fitContext(
  context: RequestContext,
  budgetTokens: number,
  issueText = "",
): ContextRendering {
  let files = [...context.files];
  const trimmed: ContextRendering["trimmed"] = [];
  const shortened = new Set<ContextFile>();
  const words = focusWords(issueText);
  let treeLines = context.tree.paths.length;

  const render = () => renderContext(context, files, treeLines, trimmed);
  let text = render();
  if (estimateTokens(text) > budgetTokens) {
    while (treeLines > MIN_TREE_LINES && treeTokens(context, treeLines) > budgetTokens * TREE_SHARE)
      treeLines = Math.max(MIN_TREE_LINES, Math.floor(treeLines / 2));
    const fitted = fitFiles(
      files,
      budgetTokens - estimateTokens(renderContext(context, [], treeLines, [])),
      words,
    );
    files = fitted.files;
    trimmed.push(...fitted.dropped);
    for (const file of fitted.shortened) shortened.add(file);
    text = render();
  }
  // The shares above are estimates; this guarantees the bound. The last file shown goes
  // (named among those not shown), or, when what is left has room for part of it, is
  // shortened once more into that room: never all the code for a few lines of names.
  while (estimateTokens(text) > budgetTokens && files.length > 0) {
    const last = files.pop() as ContextFile;
    const entry = { path: last.path, reason: DROPPED };
    trimmed.push(entry);
    text = render();
    // Its room: what is left, and the line naming it, which goes when it is shown. The
    // estimate rounds, so a fit that comes out over is tried again in that much less.
    let room = budgetTokens - estimateTokens(text) + missingLineCost(last.path) - 2;
    let shown = false;
    for (let attempt = 0; attempt < 3 && room > 0 && !shown; attempt++) {
      const again = shortenExcerpts(last, words, room, renderFile);
      if (!again) break;
      trimmed.splice(trimmed.indexOf(entry), 1);
      files.push(again);
      const withIt = render();
      const over = estimateTokens(withIt) - budgetTokens;
      if (over <= 0) {
        text = withIt;
        if (again !== last) shortened.add(again);
        shown = true;
      } else {
        files.pop();
        trimmed.push(entry);
        room -= over;
      }
    }
    if (shown) break;
  }
  while (estimateTokens(text) > budgetTokens && treeLines > MIN_TREE_LINES) {
    treeLines = Math.max(MIN_TREE_LINES, Math.floor(treeLines / 2));
    text = render();
  }
  const rank = new Map(context.files.map((file, index) => [file.path, index]));
  return {
    text,
    tokens: estimateTokens(text),
    trimmed: trimmed.sort((a, b) => (rank.get(b.path) ?? 0) - (rank.get(a.path) ?? 0)),
    files,
    shortened: files
      .filter((file) => shortened.has(file))
      .map((file) => ({ path: file.path, reason: shortenedReason(file) })),
  };
}

const DROPPED = "dropped by the worker to fit the model's context window";

/** The files, best first, each within its share of what the ones before it left. */
function fitFiles(
  files: readonly ContextFile[],
  budget: number,
  words: ReadonlyMap<string, number>,
): { files: ContextFile[]; dropped: { path: string; reason: string }[]; shortened: ContextFile[] } {
  const shares = new RankedShares(files.length);
  let left = budget;
  const kept: ContextFile[] = [];
  const dropped: { path: string; reason: string }[] = [];
  const shortened: ContextFile[] = [];
  for (const file of files) {
    const share = shares.next(left);
    const fitted = shortenExcerpts(file, words, share, renderFile);
    if (!fitted) {
      // Still named, in the prompt's list of what is not shown.
      dropped.push({ path: file.path, reason: DROPPED });
      left -= missingLineCost(file.path);
      continue;
    }
    if (fitted !== file) shortened.push(fitted);
    kept.push(fitted);
    left -= estimateTokens(renderFile(fitted)) + 1;
  }
  return { files: kept, dropped, shortened };
}

/** What a dropped file's line in the prompt's list of files not shown costs. */
function missingLineCost(path: string): number {
  return estimateTokens(`- ${path}: ${DROPPED}`) + 1;
}

/** Why a file is shown in part, naming as many of its line ranges as the protocol allows. */
function shortenedReason(file: ContextFile): string {
  const head = "shown in part by the worker to fit the model's context window (";
  const ranges = file.excerpts.map((excerpt) => `${excerpt.startLine}-${excerpt.endLine}`);
  let named = 0;
  const text = (count: number) => {
    const more = ranges.length - count;
    const listed = count > 0 ? `lines ${ranges.slice(0, count).join(", ")}` : "";
    const rest = more > 0 ? `${count > 0 ? " and " : ""}${more} more ranges of lines` : "";
    return `${head}${listed}${rest})`;
  };
  while (named < ranges.length && text(named + 1).length <= MAX_OMITTED_REASON_CHARS) named++;
  return text(named);
}

function treeTokens(context: RequestContext, lines: number): number {
  return estimateTokens(context.tree.paths.slice(0, lines).join("\n"));
}

function renderFile(file: ContextFile): string {
  const out = [
    `### ${file.path}`,
    `Why relevant: ${file.reasons.join("; ") || "ranked by the context builder"}`,
  ];
  for (const excerpt of file.excerpts) {
    out.push(`Lines ${excerpt.startLine}-${excerpt.endLine}:`, "```", excerpt.text, "```");
  }
  return out.join("\n");
}

function renderContext(
  context: RequestContext,
  files: ContextFile[],
  treeLines: number,
  trimmed: ContextRendering["trimmed"],
): string {
  const out: string[] = [];
  const shown = context.tree.paths.slice(0, treeLines);
  out.push(`## Repository files (${shown.length} of ${context.tree.totalFiles} listed)`);
  out.push(shown.join("\n"));
  if (shown.length < context.tree.totalFiles)
    out.push(`(${context.tree.totalFiles - shown.length} more not listed)`);
  out.push("", "## Relevant files, most relevant first");
  for (const file of files) out.push(renderFile(file));
  const missing = [...context.omitted, ...trimmed];
  if (missing.length > 0) {
    out.push("", "## Files that were relevant but are not shown (do not assume their content)");
    for (const item of missing.slice(0, 200)) out.push(`- ${item.path}: ${item.reason}`);
    if (missing.length > 200) out.push(`- and ${missing.length - 200} more`);
  }
  return out.join("\n");
}
