import { describe, expect, it } from "@jest/globals";
import { splitIdentifier, termsOf } from "../../../action/context/tokens.js";

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
