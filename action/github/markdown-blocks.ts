/**
 * How a Markdown renderer reads a text's lines, from a CommonMark parser (markdown-it,
 * GitHub's Markdown less a few extensions) rather than from line patterns: which lines
 * are code, which render as nothing, and whether a fence is left open over whatever
 * follows the text. Patterns drifted from the renderer where the specification is subtle
 * (a fence a list item ends, a closing fence followed by a no-break space, a link
 * definition whose label spans two lines); a parser agrees with it by construction.
 */
import MarkdownIt from "markdown-it";

// Tables as GitHub has them, and raw HTML on, as GitHub allows it: an HTML block is a
// block of its own there too.
const parser = new MarkdownIt("default", { html: true });

/** Block quote and list item markers at the start of a line. */
const CONTAINER_MARKERS = /^(?:[ \t]*(?:>|[*+-](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))*[ \t]*/;

/** A line appended to find out whether the text leaves a fence open over what follows. */
const PROBE = "issue-agent-end-of-text";

export interface MarkdownLines {
  /** Per line of the text: inside a fenced or indented code block (fence lines included). */
  code: boolean[];
  /**
   * Per line: renders as nothing although it is not blank. Outside code that is a link
   * reference definition (`[//]: # (…)`); a footnote (`[^1]: …`, which GitHub shows at
   * the end of the page) is not counted.
   */
  hidden: boolean[];
  /** The line that closes a fence the text leaves open; null when none is open. */
  openFenceCloser: string | null;
}

/** Reads `text` as a renderer does, line by line. */
export function markdownLines(text: string): MarkdownLines {
  const lines = text.split("\n");
  const count = lines.length;
  const tokens = parser.parse(`${text}\n\n${PROBE}\n`, {});
  const code = new Array<boolean>(count).fill(false);
  const shown = new Array<boolean>(count).fill(false);
  let openFenceCloser: string | null = null;
  const probeLine = count + 1;
  for (const token of tokens) {
    if (!token.block || token.map === null || token.nesting === -1) continue;
    const [start, end] = token.map;
    const isCode = token.type === "fence" || token.type === "code_block";
    // Leaf blocks render something; containers (lists, quotes) only hold them.
    const isLeaf = token.nesting === 0 || /^(paragraph|heading|table)_open$/.test(token.type);
    if (!isCode && !isLeaf) continue;
    for (let line = start; line < Math.min(end, count); line++) {
      shown[line] = true;
      if (isCode) code[line] = true;
    }
    if (token.type === "fence" && start < count && end > probeLine) {
      // The probe was swallowed: a fence is open at the end. A line at the left margin
      // ends every list item and quote, so only a top-level fence reaches the probe, and
      // a closing fence there needs no indentation.
      openFenceCloser = token.markup;
    }
  }
  const hidden = lines.map((line, i) => {
    if (shown[i]) return false;
    // What is left after the quote and list markers: nothing (an empty quote line), or a
    // footnote, both of which are not hidden text.
    const content = line.replace(CONTAINER_MARKERS, "");
    return content.trim() !== "" && !content.startsWith("[^");
  });
  return { code, hidden, openFenceCloser };
}
