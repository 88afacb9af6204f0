import { Ajv2020 } from "ajv/dist/2020.js";
import { Ollama, type ChatResponse } from "ollama";
import { renderChatPrompt } from "../../support/ollama/chat-template.js";
import { INPUT_TOO_LONG } from "../../support/ollama/ollama-errors.js";
import { startOllamaTestServer, type OllamaTestServer } from "../../support/ollama/server.js";
import { estimateTokenCount } from "../../support/ollama/token-estimate.js";

const MODEL = "tiny-random:latest";

// Small enough for a random model to finish inside num_predict: bounded strings and
// arrays, an enum, numbers.
const VERDICT_SCHEMA = {
  type: "object",
  properties: {
    verdict: { type: "string", enum: ["approve", "reject", "unsure"] },
    confidence: { type: "integer" },
    labels: { type: "array", items: { type: "string", maxLength: 6 }, maxItems: 2 },
    note: { type: "string", maxLength: 12 },
  },
  required: ["verdict", "confidence", "labels", "note"],
  additionalProperties: false,
};

let server: OllamaTestServer;
let ollama: Ollama;

beforeAll(async () => {
  server = await startOllamaTestServer({ mode: "real" });
  ollama = new Ollama({ host: server.url });
});

afterAll(async () => {
  await server.close();
});

afterEach(() => {
  expect(server.violations).toEqual([]);
});

async function streamChat(
  request: Parameters<Ollama["chat"]>[0],
): Promise<{ text: string; parts: ChatResponse[] }> {
  const parts: ChatResponse[] = [];
  for await (const part of await ollama.chat({ ...request, stream: true })) parts.push(part);
  return { text: parts.map((part) => part.message.content).join(""), parts };
}

describe("real inference", () => {
  it("streams schema-valid JSON when format is a JSON schema", async () => {
    const { text, parts } = await streamChat({
      model: MODEL,
      messages: [
        { role: "system", content: "Answer in JSON." },
        { role: "user", content: "Should this pull request be merged?" },
      ],
      format: VERDICT_SCHEMA,
      options: { num_ctx: 512, num_predict: 200, temperature: 0.7, seed: 3 },
      keep_alive: "5m",
    });
    const value: unknown = JSON.parse(text);
    const validate = new Ajv2020({ strict: false }).compile(VERDICT_SCHEMA);
    expect(validate(value)).toBe(true);

    const final = parts.at(-1);
    expect(final?.done).toBe(true);
    expect(final?.done_reason).toBe("stop");
    expect(final?.eval_count).toBeGreaterThan(3);
    expect(final?.eval_count).toBeLessThanOrEqual(200);
    expect(final?.prompt_eval_count).toBeGreaterThan(5);
    expect(final?.load_duration).toBeGreaterThan(0);
    // Every content chunk but the final one carries text.
    expect(parts.slice(0, -1).every((part) => !part.done && part.message.content !== "")).toBe(
      true,
    );
  });

  it("refuses a prompt longer than num_ctx when truncate is false", async () => {
    await expect(
      ollama.chat({
        model: MODEL,
        messages: [{ role: "user", content: "lorem ipsum ".repeat(300) }],
        options: { num_ctx: 256 },
        truncate: false,
      } as Parameters<Ollama["chat"]>[0]),
    ).rejects.toMatchObject({ status_code: 400, error: INPUT_TOO_LONG });
  });

  it("truncates to num_ctx tokens by default and stops at num_predict", async () => {
    const reply = await ollama.chat({
      model: MODEL,
      messages: [{ role: "user", content: "lorem ipsum ".repeat(300) }],
      options: { num_ctx: 256, num_predict: 4 },
    });
    expect(reply.prompt_eval_count).toBe(256);
    expect(reply.eval_count).toBeLessThanOrEqual(4);
    expect(reply.done_reason === "length").toBe(reply.eval_count === 4);
  });

  it("stops at num_predict even when the last token allowed ends inside a character", async () => {
    // With these seeds the first token sampled is a byte that starts a multi-byte UTF-8
    // character: the runtime generates another to finish it. Ollama stops at num_predict
    // all the same and drops the unfinished character. (The seeds were found on this
    // model; sampling on another CPU may not meet the case, and then this only checks
    // the ordinary stop.)
    for (const seed of [461, 566]) {
      const reply = await ollama.chat({
        model: MODEL,
        messages: [{ role: "user", content: "lorem ipsum ".repeat(300) }],
        options: { num_ctx: 256, num_predict: 1, seed, temperature: 5, top_k: 32000, top_p: 1 },
      });
      expect([seed, reply.eval_count, reply.done_reason]).toEqual([seed, 1, "length"]);
      expect(reply.message.content).not.toContain("\uFFFD");
    }
  });

  it("stops at a full context when shift is false", async () => {
    const reply = await ollama.chat({
      model: MODEL,
      messages: [{ role: "user", content: "lorem ipsum ".repeat(300) }],
      options: { num_ctx: 256, num_predict: 50 },
      shift: false,
    } as Parameters<Ollama["chat"]>[0]);
    expect(reply).toMatchObject({ done_reason: "length", prompt_eval_count: 256, eval_count: 0 });
  });

  it("is deterministic at temperature 0 and varies with the seed above it", async () => {
    const ask = (options: Record<string, number>) =>
      ollama.generate({
        model: MODEL,
        prompt: "Once upon a time",
        options: { num_predict: 12, ...options },
      });
    const [a, b] = [await ask({ temperature: 0 }), await ask({ temperature: 0 })];
    expect(a.response).toBe(b.response);
    const seeded = [await ask({ temperature: 1, seed: 1 }), await ask({ temperature: 1, seed: 1 })];
    expect(seeded[0]?.response).toBe(seeded[1]?.response);
    const other = await ask({ temperature: 1, seed: 2 });
    expect(other.response).not.toBe(seeded[0]?.response);
  });

  it("constrains format json to a JSON value", async () => {
    const reply = await ollama.generate({
      model: MODEL,
      prompt: "JSON please",
      format: "json",
      options: { num_predict: 8 },
    });
    expect(reply.response).toMatch(/^\s*[{[]/);
  });

  it("keeps the model for keep_alive and unloads it at 0", async () => {
    await ollama.generate({
      model: MODEL,
      prompt: "hi",
      keep_alive: "10m",
      options: { num_predict: 1 },
    });
    const loaded = await ollama.ps();
    expect(loaded.models.map((model) => model.name)).toEqual([MODEL]);
    expect(new Date(loaded.models[0]?.expires_at ?? 0).getTime()).toBeGreaterThan(
      Date.now() + 5 * 60_000,
    );

    await ollama.generate({
      model: MODEL,
      prompt: "hi",
      keep_alive: 0,
      options: { num_predict: 1 },
    });
    expect((await ollama.ps()).models).toEqual([]);
    expect(server.loadedModel()).toBeUndefined();

    // The next request loads it again lazily.
    const reply = await ollama.generate({
      model: MODEL,
      prompt: "hi",
      options: { num_predict: 1, num_ctx: 300 },
    });
    expect(reply.load_duration).toBeGreaterThan(0);
    expect(server.loadedModel()?.contextLength).toBe(300);
  });

  it("stops generating when the client goes away and serves the next request", async () => {
    const stream = await ollama.chat({
      model: MODEL,
      messages: [{ role: "user", content: "go on" }],
      stream: true,
      options: { num_predict: 10_000, num_ctx: 4096 },
    });
    for await (const part of stream) {
      if (part.message.content !== "") {
        stream.abort();
        break;
      }
    }
    const next = await ollama.generate({
      model: MODEL,
      prompt: "next",
      options: { num_predict: 2 },
    });
    expect(next.done).toBe(true);
    const aborted = server.requestsTo("/api/chat").at(-1);
    expect(aborted?.outcome).toBe("client-closed");
  });

  it("counts prompt tokens close to what the scripted mode estimates", async () => {
    const messages = [
      { role: "system", content: "You write implementation plans as JSON." },
      {
        role: "user",
        content:
          "Issue #12: the config loader crashes on an empty file.\n\n" +
          "export function load(path: string): Config {\n  return JSON.parse(readFileSync(path, 'utf8'));\n}\n",
      },
    ];
    const reply = await ollama.chat({ model: MODEL, messages, options: { num_predict: 1 } });
    const estimate = 1 + estimateTokenCount(renderChatPrompt(messages));
    expect(reply.prompt_eval_count).toBeGreaterThan(40);
    expect(Math.abs(estimate - reply.prompt_eval_count) / reply.prompt_eval_count).toBeLessThan(
      0.25,
    );
  });
});
