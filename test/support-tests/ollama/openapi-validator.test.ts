import { getOllamaOpenApiValidator } from "../../support/ollama/openapi-validator.js";

const validator = getOllamaOpenApiValidator();

describe("Ollama OpenAPI validator", () => {
  it("accepts a chat request as the worker sends it", () => {
    const request = {
      model: "qwen2.5-coder:7b",
      messages: [
        { role: "system", content: "You plan changes." },
        { role: "user", content: "Issue #1" },
      ],
      stream: true,
      format: { type: "object", properties: { summary: { type: "string" } } },
      options: { num_ctx: 8192, num_predict: 2048, temperature: 0.2 },
      keep_alive: "30m",
      truncate: false,
      shift: false,
    };
    expect(validator.validateRequest("/api/chat", request)).toEqual([]);
  });

  it("names the field and rule a bad chat request breaks", () => {
    const errors = validator.validateRequest("/api/chat", {
      model: "m",
      messages: [{ role: "robot", content: "hi" }],
    });
    expect(errors.join("\n")).toMatch(/ChatRequest \/messages\/0\/role must be equal to one of/);
    expect(validator.validateRequest("/api/chat", { messages: [] }).join("\n")).toMatch(
      /must have required property 'model'/,
    );
  });

  it("knows truncate and shift on chat and generate, which the description omits", () => {
    expect(
      validator.validateRequest("/api/chat", { model: "m", messages: [], truncate: "no" }),
    ).not.toEqual([]);
    expect(validator.validateRequest("/api/generate", { model: "m", shift: 1 })).not.toEqual([]);
    expect(
      validator.validateRequest("/api/generate", { model: "m", truncate: false, shift: true }),
    ).toEqual([]);
  });

  it("rejects a format other than json or a schema on chat", () => {
    expect(
      validator.validateRequest("/api/chat", { model: "m", messages: [], format: "xml" }),
    ).not.toEqual([]);
  });

  it("checks streamed events, whole responses and error bodies", () => {
    const event = {
      model: "m",
      created_at: new Date().toISOString(),
      message: { role: "assistant", content: "a" },
      done: false,
    };
    expect(validator.validateResponse("/api/chat", event, "ndjson")).toEqual([]);
    expect(
      validator.validateResponse("/api/chat", { ...event, created_at: "yesterday" }, "ndjson"),
    ).not.toEqual([]);
    expect(
      validator.validateResponse("/api/chat", { ...event, eval_count: 1.5 }, "json"),
    ).not.toEqual([]);
    expect(
      validator.validateResponse("/api/generate", { response: 3, done: false }, "ndjson"),
    ).not.toEqual([]);
    expect(validator.validateResponse("/api/chat", { error: "boom" }, "json")).toEqual([]);
    expect(validator.validateResponse("/api/chat", { error: 42 }, "json")).not.toEqual([]);
  });

  it("is compiled once per description file", () => {
    expect(getOllamaOpenApiValidator()).toBe(validator);
  });
});
