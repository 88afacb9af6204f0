import { describe, expect, it } from "@jest/globals";
import { excerptRegions, type ExcerptQuery } from "../../../action/context/excerpts.js";
import { fileRegions } from "../../../action/context/file-regions.js";
import { fileBlocks } from "../../../action/context/syntax-blocks.js";

const syntaxBlocks = async (path: string, text: string) =>
  (await fileBlocks(path, text))?.definitions;

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

  it("offers the code of every region before the docstrings of all but the best three", async () => {
    // Five functions the issue names, each a long docstring and a short body.
    const source = Array.from({ length: 5 }, (_, i) => [
      `def target_${i}(x):`,
      '    """',
      ...Array.from({ length: 8 }, (_, k) => `    Prose ${k}.`),
      '    """',
      `    return x + ${i}`,
      "",
    ]).flat();
    const text = source.join("\n");
    const names = Array.from({ length: 5 }, (_, i) => `target_${i}`);
    const regions = await fileRegions("m.py", text, query(names));
    const plain = excerptRegions(text, query(names), await syntaxBlocks("m.py", text));
    expect(regions.slice(0, 3)).toEqual(plain.slice(0, 3));
    // The other two: their def lines and bodies first, then their docstrings.
    const rest = regions.slice(3).map((r) => text.split("\n")[r.startLine - 1]?.trim());
    expect(rest.slice(0, 4).every((line) => !line?.startsWith('"""'))).toBe(true);
    expect(rest.slice(4)).toEqual(['"""', '"""']);
  });
});
