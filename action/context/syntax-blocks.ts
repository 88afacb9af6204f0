/**
 * Function, method and class boundaries from tree-sitter, for the excerpts of the few
 * files that are shown, and their comments and docstrings from the same walk (which
 * doc-blocks.ts orders after the code). When no grammar covers a file, or the parser
 * cannot be loaded, callers fall back to the indentation heuristic in excerpts.ts.
 */
import type { TreeCursor } from "web-tree-sitter";
import { parseSource } from "../parsing/index.js";

/** A definition's extent, 0-based inclusive rows. */
export interface SyntaxBlock {
  startRow: number;
  endRow: number;
}

// Node types naming definitions across the grammars (python, js/ts, go, java, c/c++,
// rust, ruby, php): `function_definition`, `method_declaration`, `impl_item`, `class`...
const DEFINITION_TYPE =
  /^(?:(?:async_)?(?:function|method|class|struct|interface|trait|impl|enum|module|constructor|type|namespace|union|generator_function|abstract_class|decorated|singleton_method)_(?:definition|declaration|item|specifier)|method|class|module|singleton_method|singleton_class|arrow_function|function_expression|lexical_declaration)$/;

/** Blocks that enclose lines this long or longer are not useful as a whole. */
const MAX_WALK_NODES = 200_000;

/** A parsed file's definition blocks and its comment and docstring nodes. */
export interface FileBlocks {
  /** Definitions, outermost first. */
  definitions: SyntaxBlock[];
  /**
   * Comments that start their line and Python docstrings (a string standing alone as a
   * statement), in file order, each ending before a row it shares with code.
   */
  docs: SyntaxBlock[];
}

const COMMENT_TYPE = /comment/;

/**
 * {@link FileBlocks} of a source file from one walk of its tree, or undefined when the
 * file's language has no grammar or parsing fails.
 */
export async function fileBlocks(path: string, text: string): Promise<FileBlocks | undefined> {
  let parsed;
  try {
    parsed = await parseSource(path, text);
  } catch {
    return undefined;
  }
  if (!parsed) return undefined;
  const python = parsed.language === "python";
  let lines: string[] | undefined;
  const rowText = (row: number) => (lines ??= text.split("\n"))[row] ?? "";
  try {
    const definitions: SyntaxBlock[] = [];
    const docs: SyntaxBlock[] = [];
    let visited = 0;
    const cursor = parsed.root.walk();
    // Depth-first over named nodes, without recursion (deep trees exist).
    let descend = true;
    // The cursor's own getters are read rather than `currentNode`: building a Node object
    // for every node of a large file cost more than the parse itself.
    for (;;) {
      let leaf = false;
      if (descend) {
        visited++;
        const type = cursor.nodeType;
        if (DEFINITION_TYPE.test(type)) {
          const startRow = cursor.startPosition.row;
          const endRow = cursor.endPosition.row;
          // Top-level `const f = () => {}` counts; a one-line lexical declaration does not.
          if (endRow > startRow) definitions.push({ startRow, endRow });
        } else if (
          COMMENT_TYPE.test(type) ||
          (python && type === "expression_statement" && holdsOnlyString(cursor))
        ) {
          leaf = true;
          const start = cursor.startPosition;
          const end = cursor.endPosition;
          if (rowText(start.row).slice(0, start.column).trim() === "") {
            const codeAfter = rowText(end.row).slice(end.column).trim() !== "";
            docs.push({ startRow: start.row, endRow: codeAfter ? end.row - 1 : end.row });
          }
        }
      }
      if (visited > MAX_WALK_NODES) break;
      if (descend && !leaf && cursor.gotoFirstChild()) continue;
      if (cursor.gotoNextSibling()) {
        descend = true;
        continue;
      }
      if (!cursor.gotoParent()) break;
      descend = false;
    }
    cursor.delete();
    return { definitions, docs: docs.filter((d) => d.endRow >= d.startRow) };
  } finally {
    parsed.dispose();
  }
}

/** Whether the statement under the cursor is a string alone (a docstring); the cursor stays. */
function holdsOnlyString(cursor: TreeCursor): boolean {
  if (!cursor.gotoFirstChild()) return false;
  const type = cursor.nodeType;
  const alone = !cursor.gotoNextSibling();
  cursor.gotoParent();
  return alone && (type === "string" || type === "concatenated_string");
}
