import fc from "fast-check";
import { renderChatPrompt, renderGeneratePrompt } from "../../support/ollama/chat-template.js";
import { DEFAULT_KEEP_ALIVE_MS, parseKeepAlive } from "../../support/ollama/keep-alive.js";
import { estimateTokenCount, splitIntoTokens } from "../../support/ollama/token-estimate.js";

describe("token estimate", () => {
  it("splits any text into pieces that join back to it", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (text) => {
        const pieces = splitIntoTokens(text);
        expect(pieces.join("")).toBe(text);
        expect(pieces.every((piece) => piece.length > 0)).toBe(true);
        expect(estimateTokenCount(text)).toBe(pieces.length);
      }),
    );
  });

  it("counts two to five characters per token for English and JSON", () => {
    const english = "The worker calls Ollama and replies with a structured plan. ".repeat(20);
    const json = JSON.stringify({
      summary: "Fix the parser",
      steps: [{ title: "Edit", files: ["src/a.ts"] }],
    });
    for (const text of [english, json]) {
      const ratio = text.length / estimateTokenCount(text);
      expect(ratio).toBeGreaterThan(2);
      expect(ratio).toBeLessThan(5);
    }
  });
});

describe("keep_alive", () => {
  it("reads numbers as seconds and strings as Go durations", () => {
    expect(parseKeepAlive(undefined)).toBe(DEFAULT_KEEP_ALIVE_MS);
    expect(parseKeepAlive(0)).toBe(0);
    expect(parseKeepAlive(30)).toBe(30_000);
    expect(parseKeepAlive("30m")).toBe(1_800_000);
    expect(parseKeepAlive("1h30m")).toBe(5_400_000);
    expect(parseKeepAlive("250ms")).toBe(250);
    expect(parseKeepAlive("120")).toBe(120_000);
    expect(parseKeepAlive("0")).toBe(0);
  });

  it("treats negative values as forever and rejects nonsense with Go's message", () => {
    expect(parseKeepAlive(-1)).toBe(Infinity);
    expect(parseKeepAlive("-1m")).toBe(Infinity);
    expect(() => parseKeepAlive("soon")).toThrow('time: invalid duration "soon"');
  });
});

describe("chat template", () => {
  it("wraps system text into the first user turn and ends where the reply starts", () => {
    const prompt = renderChatPrompt([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello" },
      { role: "user", content: "Plan it" },
    ]);
    expect(prompt).toBe(
      "[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi [/INST] Hello [INST] Plan it [/INST]",
    );
  });

  it("leaves a raw generate prompt untouched", () => {
    expect(renderGeneratePrompt("abc", "sys", true)).toBe("abc");
    expect(renderGeneratePrompt("abc")).toBe("[INST] abc [/INST]");
  });
});
