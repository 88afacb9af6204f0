import { describe, expect, it } from "@jest/globals";
import {
  forEachIdentifier,
  identifiersIn,
  splitIdentifier,
  termsOf,
} from "../../../action/context/tokens.js";

describe("splitIdentifier", () => {
  it("splits camelCase, PascalCase acronyms, snake_case and digits", () => {
    expect(splitIdentifier("parseHTTPResponse_v2")).toEqual([
      "parse",
      "http",
      "response",
      "v",
      "2",
    ]);
    expect(splitIdentifier("URLField")).toEqual(["url", "field"]);
    expect(splitIdentifier("run_validators")).toEqual(["run", "validators"]);
    expect(splitIdentifier("kebab-case-name")).toEqual(["kebab", "case", "name"]);
  });

  it("splits exactly as the regular-expression definition it replaced", () => {
    // The earlier definition, kept as the specification: rankings depend on every split.
    const reference = (identifier: string): string[] =>
      identifier
        .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
        .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
        .split(/[^A-Za-z0-9]+|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])/)
        .filter((part) => part.length > 0)
        .map((part) => part.toLowerCase());
    const alphabet = ["a", "b", "z", "A", "B", "Z", "0", "9", "_", "$", "-", " ", "é", "?"];
    let seed = 12345;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor(seed / 65536) % n;
    };
    for (let i = 0; i < 20000; i++) {
      let identifier = "";
      for (let length = next(12); length > 0; length--) identifier += alphabet[next(14)];
      expect([identifier, splitIdentifier(identifier)]).toEqual([
        identifier,
        reference(identifier),
      ]);
    }
    for (const identifier of ["HTTPServer", "XMLHttpRequest2D", "ABCdEFg", "aBCd", "IOError"])
      expect(splitIdentifier(identifier)).toEqual(reference(identifier));
  });
});

describe("forEachIdentifier", () => {
  it("visits exactly the words of the regular expression it replaced, in order", () => {
    const visited = (text: string): string[] => {
      const words: string[] = [];
      forEachIdentifier(text, (word) => words.push(word));
      return words;
    };
    const alphabet = ["a", "Z", "q", "_", "$", "0", "7", " ", "\n", ".", "-", "é", "𝑥", "("];
    let seed = 777;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor(seed / 65536) % n;
    };
    for (let i = 0; i < 5000; i++) {
      let text = "";
      for (let length = next(40); length > 0; length--) text += alphabet[next(alphabet.length)];
      expect([text, visited(text)]).toEqual([text, identifiersIn(text)]);
    }
    expect(visited("9lives $el _x1 été a.b")).toEqual(["lives", "$el", "_x1", "t", "a", "b"]);
  });
});

describe("forEachIdentifier over data", () => {
  // A notebook's image output: one JSON string of base64, with no whitespace in it.
  const base64 = "iVBORw0KGgo+AAAAdbNSUhEUgAA/idFoo+".repeat(100);
  const text = `"image/png": "${base64}"\n load_config(path)\n`;

  it("counts the words deep in a run without whitespace instead of visiting them", () => {
    const visited: string[] = [];
    const counted = forEachIdentifier(text, (word) => visited.push(word), 1_000);
    // Every word is either visited or counted: the total stays what the text holds.
    expect(visited.length + counted).toBe(identifiersIn(text).length);
    expect(counted).toBeGreaterThan(100);
    // The words before the run reached 1,000 characters, and the text after it, are seen.
    expect(visited.slice(0, 3)).toEqual(["image", "png", "iVBORw0KGgo"]);
    expect(visited.slice(-2)).toEqual(["load_config", "path"]);
    expect(visited.filter((word) => word === "idFoo").length).toBeLessThan(40);
  });

  it("visits everything without a limit, and text broken by whitespace whatever its length", () => {
    const all: string[] = [];
    expect(forEachIdentifier(text, (word) => all.push(word))).toBe(0);
    expect(all).toEqual(identifiersIn(text));
    const prose = "word ".repeat(2_000);
    const words: string[] = [];
    expect(forEachIdentifier(prose, (word) => words.push(word), 1_000)).toBe(0);
    expect(words.length).toBe(2_000);
  });
});

describe("termsOf", () => {
  it("keeps compound identifiers whole beside their parts and drops stop words", () => {
    const terms = termsOf("The URLField throws in run_validators");
    expect(terms).toEqual(
      expect.arrayContaining(["url", "field", "urlfield", "throws", "validators"]),
    );
    expect(terms).toContain("run_validators");
    expect(terms).not.toContain("the");
  });
});
