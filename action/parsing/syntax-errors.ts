import type { Node, Tree } from "web-tree-sitter";
import { reservedWordIdentifiers } from "./reserved-words.js";
import type { LanguageId } from "./languages.js";

/** One place where the parser could not read the source. */
export interface SyntaxErrorSite {
  /** 1-based line of the start of the problem. */
  line: number;
  /** 1-based column (in characters) of the start of the problem. */
  column: number;
  /** `ERROR`: text the grammar could not place; `MISSING`: a token the parser had to invent. */
  kind: "ERROR" | "MISSING";
  /** A short, single-line excerpt to show a person: the offending text or the missing token. */
  snippet: string;
}

const SNIPPET_MAX = 80;

/**
 * Every ERROR and MISSING node of `tree`, outermost first, in source order, plus reserved
 * words the grammar let through as identifiers (see reserved-words.ts; needs `language`,
 * which `ParsedSource.errors()` passes). Only subtrees flagged `hasError` are visited.
 * Nodes inside an ERROR node are not reported separately: the outer one names the region.
 */
export function syntaxErrors(tree: Tree, language?: LanguageId): SyntaxErrorSite[] {
  const sites: SyntaxErrorSite[] = [];
  const root = tree.rootNode;
  // Older grammar builds carry no name, hence the explicit argument.
  const id = language ?? (tree.language.name as LanguageId | null) ?? undefined;
  const lines = root.text.split("\n");
  if (id !== undefined) sites.push(...reservedWordIdentifiers(tree, id, lines));
  if (!root.hasError) return sites;
  const visit = (node: Node): void => {
    if (node.isMissing) {
      sites.push(site(node, "MISSING", `missing ${JSON.stringify(node.type)}`));
      return;
    }
    if (node.isError) {
      sites.push(site(node, "ERROR", excerpt(node, lines)));
      return;
    }
    if (!node.hasError) return;
    const children = node.children.filter((c): c is Node => c !== null);
    const flagged = children.filter((c) => c.hasError || c.isMissing || c.isError);
    if (flagged.length === 0) {
      sites.push(hiddenMissing(node, children, lines));
      return;
    }
    for (const child of flagged) visit(child);
  };
  visit(root);
  return sites.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * The error of a node flagged `hasError` whose visible children are all clean: a MISSING
 * token that the grammar keeps hidden (Python's statement-ending newline, for one), which
 * the node API does not expose. Its likeliest place is between two siblings that share a
 * line; otherwise the node's own start is reported.
 */
function hiddenMissing(
  node: Node,
  children: readonly Node[],
  lines: readonly string[],
): SyntaxErrorSite {
  let at = node.startPosition;
  for (let i = 0; i + 1 < children.length; i++) {
    const a = children[i];
    const b = children[i + 1];
    if (a && b && a.isNamed && b.isNamed && a.endPosition.row === b.startPosition.row) {
      at = a.endPosition;
      break;
    }
  }
  return {
    line: at.row + 1,
    column: at.column + 1,
    kind: "MISSING",
    snippet: `missing token in ${JSON.stringify(clip((lines[at.row] ?? "").trim()))}`,
  };
}

function site(node: Node, kind: SyntaxErrorSite["kind"], snippet: string): SyntaxErrorSite {
  return {
    line: node.startPosition.row + 1,
    column: node.startPosition.column + 1,
    kind,
    snippet,
  };
}

function excerpt(node: Node, lines: readonly string[]): string {
  // The node's own first line when it has text; an empty ERROR node is shown by its line.
  const own = node.text.split("\n")[0]?.trim() ?? "";
  return clip(own !== "" ? own : (lines[node.startPosition.row]?.trim() ?? ""));
}

function clip(text: string): string {
  return text.length > SNIPPET_MAX ? `${text.slice(0, SNIPPET_MAX - 1)}…` : text;
}
