/**
 * Function, method and class boundaries from tree-sitter, for the excerpts of the few
 * files that are shown. When no grammar covers a file, or the parser cannot be loaded,
 * callers fall back to the indentation heuristic in excerpts.ts.
 */
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

/**
 * Definition blocks of a source file, outermost first, or undefined when the file's
 * language has no grammar or parsing fails.
 */
export async function syntaxBlocks(path: string, text: string): Promise<SyntaxBlock[] | undefined> {
  let parsed;
  try {
    parsed = await parseSource(path, text);
  } catch {
    return undefined;
  }
  if (!parsed) return undefined;
  try {
    const blocks: SyntaxBlock[] = [];
    let visited = 0;
    const cursor = parsed.root.walk();
    // Depth-first over named nodes, without recursion (deep trees exist).
    let descend = true;
    // The cursor's own getters are read rather than `currentNode`: building a Node object
    // for every node of a large file cost more than the parse itself.
    for (;;) {
      if (descend) {
        visited++;
        if (DEFINITION_TYPE.test(cursor.nodeType)) {
          const startRow = cursor.startPosition.row;
          const endRow = cursor.endPosition.row;
          // Top-level `const f = () => {}` counts; a one-line lexical declaration does not.
          if (endRow > startRow) blocks.push({ startRow, endRow });
        }
      }
      if (visited > MAX_WALK_NODES) break;
      if (descend && cursor.gotoFirstChild()) continue;
      if (cursor.gotoNextSibling()) {
        descend = true;
        continue;
      }
      if (!cursor.gotoParent()) break;
      descend = false;
    }
    cursor.delete();
    return blocks;
  } finally {
    parsed.dispose();
  }
}
