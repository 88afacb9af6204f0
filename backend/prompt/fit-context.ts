import {
  type ContextFile,
  type RequestContext,
  estimateTokens,
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
  let shortened: string[] = [];
  let treeLines = context.tree.paths.length;

  const render = () => renderContext(context, files, treeLines, trimmed);
  let text = render();
  if (estimateTokens(text) > budgetTokens) {
    while (treeLines > MIN_TREE_LINES && treeTokens(context, treeLines) > budgetTokens * TREE_SHARE)
      treeLines = Math.max(MIN_TREE_LINES, Math.floor(treeLines / 2));
    const fitted = fitFiles(
      files,
      budgetTokens - estimateTokens(renderContext(context, [], treeLines, [])),
      focusWords(issueText),
    );
    files = fitted.files;
    trimmed.push(...fitted.dropped);
    shortened = fitted.shortened;
    text = render();
  }
  // The shares above are estimates; this guarantees the bound.
  while (estimateTokens(text) > budgetTokens && files.length > 0) {
    const dropped = files.pop() as ContextFile;
    trimmed.push({ path: dropped.path, reason: DROPPED });
    text = render();
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
      .filter((file) => shortened.includes(file.path))
      .map((file) => ({
        path: file.path,
        reason: `shown in part by the worker to fit the model's context window (${linesShown(file)})`,
      })),
  };
}

const DROPPED = "dropped by the worker to fit the model's context window";

/** The files, best first, each within its share of what the ones before it left. */
function fitFiles(
  files: readonly ContextFile[],
  budget: number,
  words: ReadonlyMap<string, number>,
): { files: ContextFile[]; dropped: { path: string; reason: string }[]; shortened: string[] } {
  const shares = new RankedShares(files.length);
  let left = budget;
  const kept: ContextFile[] = [];
  const dropped: { path: string; reason: string }[] = [];
  const shortened: string[] = [];
  for (const file of files) {
    const share = shares.next(left);
    const fitted = shortenExcerpts(file, words, share, renderFile);
    if (!fitted) {
      // Still named, in the prompt's list of what is not shown.
      dropped.push({ path: file.path, reason: DROPPED });
      left -= MISSING_LINE_TOKENS;
      continue;
    }
    if (fitted !== file) shortened.push(file.path);
    kept.push(fitted);
    left -= estimateTokens(renderFile(fitted)) + 1;
  }
  return { files: kept, dropped, shortened };
}

/** Most line ranges named in a shortened file's reason (the protocol caps a reason's length). */
const MAX_RANGES_NAMED = 12;

function linesShown(file: ContextFile): string {
  const ranges = file.excerpts.map((excerpt) => `${excerpt.startLine}-${excerpt.endLine}`);
  const named = ranges.slice(0, MAX_RANGES_NAMED).join(", ");
  const more = ranges.length - MAX_RANGES_NAMED;
  return `lines ${named}${more > 0 ? ` and ${more} more ranges` : ""}`;
}

/** What a file named in the list of files not shown costs, about. */
const MISSING_LINE_TOKENS = 40;

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
