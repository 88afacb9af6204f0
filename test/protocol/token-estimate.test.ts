import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { estimateTokens } from "../../protocol/index.js";

describe("estimateTokens, the one estimator of the Action and the worker", () => {
  it("never estimates fewer tokens than a third of the characters", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(estimateTokens(text) * 3).toBeGreaterThanOrEqual(text.length);
      }),
    );
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("abcd")).toBe(2);
  });

  it("counts non-ASCII text by its UTF-8 bytes, as tokenizers cost it", () => {
    // Three characters, nine bytes: three tokens, not one.
    expect(estimateTokens("日本語")).toBe(3);
    expect(estimateTokens("é".repeat(30))).toBe(20);
  });
});
