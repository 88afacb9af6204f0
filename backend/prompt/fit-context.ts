import { type ContextFile, type RequestContext, estimateTokens } from "../../protocol/index.js";

export interface ContextRendering {
  /** The rendered context block for the prompt. */
  text: string;
  tokens: number;
  /** Files dropped to fit, lowest-ranked first, with why. */
  trimmed: { path: string; reason: string }[];
}

/** How many tree lines we keep at least, even when the budget is tight. */
const MIN_TREE_LINES = 50;

/**
 * Renders the request's context (tree, ranked files with excerpts, what the requester
 * already left out) into at most `budgetTokens`, dropping the lowest-ranked files first
 * and then abridging the tree. Nothing is dropped silently: every dropped file is
 * returned in `trimmed`, and the prompt itself says what is missing.
 */
export function fitContext(context: RequestContext, budgetTokens: number): ContextRendering {
  const files = [...context.files];
  const trimmed: ContextRendering["trimmed"] = [];
  let treeLines = context.tree.paths.length;

  const render = () => renderContext(context, files, treeLines, trimmed);
  let text = render();
  // Lowest-ranked files go first: `files` arrive best first.
  while (estimateTokens(text) > budgetTokens && files.length > 0) {
    const dropped = files.pop() as ContextFile;
    trimmed.unshift({
      path: dropped.path,
      reason: "dropped by the worker to fit the model's context window",
    });
    text = render();
  }
  while (estimateTokens(text) > budgetTokens && treeLines > MIN_TREE_LINES) {
    treeLines = Math.max(MIN_TREE_LINES, Math.floor(treeLines / 2));
    text = render();
  }
  return { text, tokens: estimateTokens(text), trimmed: trimmed.reverse() };
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
  for (const file of files) {
    out.push(
      `### ${file.path}`,
      `Why relevant: ${file.reasons.join("; ") || "ranked by the context builder"}`,
    );
    for (const excerpt of file.excerpts) {
      out.push(`Lines ${excerpt.startLine}-${excerpt.endLine}:`, "```", excerpt.text, "```");
    }
  }
  const missing = [...context.omitted, ...trimmed];
  if (missing.length > 0) {
    out.push("", "## Files that were relevant but are not shown (do not assume their content)");
    for (const item of missing.slice(0, 200)) out.push(`- ${item.path}: ${item.reason}`);
    if (missing.length > 200) out.push(`- and ${missing.length - 200} more`);
  }
  return out.join("\n");
}
