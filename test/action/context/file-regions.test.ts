import { describe, expect, it } from "@jest/globals";
import { excerptRegions, type ExcerptQuery } from "../../../action/context/excerpts.js";
import { fileRegions } from "../../../action/context/file-regions.js";
import { syntaxBlocks } from "../../../action/context/syntax-blocks.js";

function query(identifiers: string[]): ExcerptQuery {
  return { terms: new Map(), identifiers: new Set(identifiers), messages: [], frameLines: [] };
}

// The body's first line is mis-indented: the parser still ends the function at its
// closing brace, while the indentation heuristic ends it before that line.
const C_SOURCE = [
  "static void other(void) {}",
  "",
  "int target(int x) {",
  "int y = x;",
  "  return y;",
  "}",
  "",
].join("\n");

describe("fileRegions", () => {
  it("follows the parsed blocks of a file within the size limit", async () => {
    const regions = await fileRegions("a.c", C_SOURCE, query(["target"]), C_SOURCE.length);
    const parsed = excerptRegions(C_SOURCE, query(["target"]), await syntaxBlocks("a.c", C_SOURCE));
    expect(regions).toEqual(parsed);
    expect(regions[0]).toMatchObject({ startLine: 3, endLine: 6 });
  });

  it("cuts a file over the size limit by definitions and indentation, without parsing", async () => {
    const regions = await fileRegions("a.c", C_SOURCE, query(["target"]), C_SOURCE.length - 1);
    expect(regions).toEqual(excerptRegions(C_SOURCE, query(["target"])));
    // The proof that no parse was used: the parsed block would reach the closing brace.
    expect(regions[0]?.endLine).not.toBe(6);
  });

  it("returns no region for a file without evidence", async () => {
    expect(await fileRegions("a.c", C_SOURCE, query(["absent"]))).toEqual([]);
  });
});
