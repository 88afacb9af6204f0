/**
 * A file's excerpt regions for a query, parsing the file only where the parse can change
 * them. A file with no evidence has no regions whatever its blocks; a file longer than
 * `maxParsedChars` is cut by definitions and indentation (excerpts.ts) instead, because
 * tree-sitter's time grows with the text and, under the Liftoff-only compiler the CLI
 * and the Action run with, reaches 0.2–0.5 s for one large C header or generated source
 * (redis's 174 KB `server.h`: 0.23 s; nlohmann's 920 KB `json.hpp`: 0.43 s; sympy's
 * 471 KB rubi rules: 0.48 s). In a parsed file, the documentation inside all but the
 * best regions comes after every region's code (doc-blocks.ts).
 */
import { lineEvidence, regionsAround, type ExcerptQuery, type Region } from "./excerpts.js";
import { codeBeforeDocs, docSpans } from "./doc-blocks.js";
import { fileBlocks } from "./syntax-blocks.js";

export async function fileRegions(
  path: string,
  text: string,
  query: ExcerptQuery,
  maxParsedChars = Infinity,
): Promise<Region[]> {
  const evidence = lineEvidence(text, query);
  if (evidence.hits.length === 0) return [];
  const blocks = text.length <= maxParsedChars ? await fileBlocks(path, text) : undefined;
  const regions = regionsAround(evidence, blocks?.definitions);
  return blocks ? codeBeforeDocs(regions, docSpans(blocks.docs)) : regions;
}
