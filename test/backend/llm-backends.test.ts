/**
 * The two model backends besides Ollama: an OpenAI-compatible server (a small scripted
 * SSE server here, shaped like vLLM's and llama.cpp server's streams) and llama.cpp
 * in-process on the tiny test model.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { GenerateRequest } from "../../backend/llm/backend.js";
import { EmbeddedBackend } from "../../backend/llm/embedded.js";
import { LlmError } from "../../backend/llm/errors.js";
import { OllamaBackend } from "../../backend/llm/ollama.js";
import { OpenAiCompatibleBackend } from "../../backend/llm/openai-compatible.js";
import { planJsonSchema } from "../../protocol/index.js";
import { TINY_MODEL } from "../support/fixture-files.js";

const MODEL_FILE = TINY_MODEL;

function request(overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    model: "coder",
    system: "Reply in JSON.",
    messages: [{ role: "user", content: "Plan the change." }],
    jsonSchema: planJsonSchema,
    numCtx: 2048,
    numPredict: 256,
    thinking: "off",
    temperature: 0,
    keepAlive: "5m",
    signal: new AbortController().signal,
    ...overrides,
  };
}

describe("OpenAI-compatible backend", () => {
  let server: Server;
  let baseUrl: string;
  let answer: (body: Record<string, unknown>, res: import("node:http").ServerResponse) => void;
  const bodies: Record<string, unknown>[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = "";
      req.on("data", (c: Buffer) => (raw += c.toString()));
      req.on("end", () => {
        if (req.url === "/v1/models") {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ object: "list", data: [{ id: "coder", object: "model" }] }));
          return;
        }
        const body = JSON.parse(raw) as Record<string, unknown>;
        bodies.push(body);
        answer(body, res);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const stream = (
    res: import("node:http").ServerResponse,
    pieces: string[],
    finish: string | null = "stop",
    usage = true,
  ) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    for (const piece of pieces)
      res.write(
        `data: ${JSON.stringify({ model: "coder", choices: [{ delta: { content: piece }, finish_reason: null }] })}\n\n`,
      );
    if (finish)
      res.write(
        `data: ${JSON.stringify({ model: "coder", choices: [{ delta: {}, finish_reason: finish }] })}\n\n`,
      );
    if (usage)
      res.write(
        `data: ${JSON.stringify({ model: "coder", choices: [], usage: { prompt_tokens: 42, completion_tokens: pieces.length } })}\n\n`,
      );
    res.end("data: [DONE]\n\n");
  };

  it("streams a schema-constrained completion with token usage", async () => {
    answer = (_body, res) => stream(res, ['{"summary":', '"ok"}']);
    const backend = new OpenAiCompatibleBackend({
      baseUrl,
      apiKey: "k",
      firstTokenTimeoutMs: 5000,
      streamIdleTimeoutMs: 5000,
    });
    const tokens: number[] = [];
    const result = await backend.generate(request({ onTokens: (n) => tokens.push(n) }));
    expect(result).toMatchObject({
      text: '{"summary":"ok"}',
      promptTokens: 42,
      evalTokens: 2,
      doneReason: "stop",
      model: "coder",
    });
    expect(tokens).toEqual([1, 2]);
    expect(bodies.at(-1)).toMatchObject({
      stream: true,
      max_tokens: 256,
      response_format: { type: "json_schema", json_schema: { schema: planJsonSchema } },
    });
    expect(await backend.checkReady("coder")).toEqual({ ok: true });
    expect((await backend.checkReady("other")).ok).toBe(false);
  });

  it("reports the length limit, a cut stream, a missing model and a server error by kind", async () => {
    const backend = new OpenAiCompatibleBackend({
      baseUrl,
      apiKey: undefined,
      firstTokenTimeoutMs: 5000,
      streamIdleTimeoutMs: 5000,
    });
    answer = (_body, res) => stream(res, ["{"], "length");
    expect((await backend.generate(request())).doneReason).toBe("length");

    answer = (_body, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(`data: ${JSON.stringify({ choices: [{ delta: { content: "{" } }] })}\n\n`);
    };
    await expect(backend.generate(request())).rejects.toMatchObject({ kind: "unavailable" });

    answer = (_body, res) => {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "The model `coder` does not exist." } }));
    };
    await expect(backend.generate(request())).rejects.toMatchObject({ kind: "model_not_found" });

    answer = (_body, res) => {
      res.writeHead(503);
      res.end("overloaded");
    };
    const error = await backend.generate(request()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).retryable).toBe(true);
  });

  it("gives up on a server that sends nothing before the first-token limit", async () => {
    answer = (_body, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      setTimeout(() => res.end(), 2000).unref();
    };
    const backend = new OpenAiCompatibleBackend({
      baseUrl,
      apiKey: undefined,
      firstTokenTimeoutMs: 100,
      streamIdleTimeoutMs: 5000,
    });
    await expect(backend.generate(request())).rejects.toMatchObject({
      kind: "unavailable",
      message: expect.stringMatching(/no token within 100 ms/),
    });
  });
  const event = (piece: string) =>
    `data: ${JSON.stringify({ model: "coder", choices: [{ delta: { content: piece }, finish_reason: null }] })}\n\n`;

  it("cuts a stream that stalls after its first tokens, as a retryable failure", async () => {
    let closed: Promise<void> = Promise.resolve();
    answer = (_body, res) => {
      // Two tokens, then the connection stays open with nothing on it.
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(event('{"summary":'));
      res.write(event('"ok"'));
      closed = new Promise((resolve) => res.on("close", () => resolve()));
    };
    const backend = new OpenAiCompatibleBackend({
      baseUrl,
      apiKey: undefined,
      firstTokenTimeoutMs: 5000,
      streamIdleTimeoutMs: 200,
    });
    const error = await backend.generate(request()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({
      kind: "unavailable",
      message: expect.stringMatching(/stream stalled: no token for 200 ms after 2 tokens/),
    });
    expect((error as LlmError).retryable).toBe(true);
    // The stalled connection was closed by the client, not left open.
    await closed;
  });

  it("does not cut a slow but steady stream, however long it runs in total", async () => {
    const pieces = [
      '{"summary":',
      '"slow',
      " but",
      " steady",
      ",",
      " and",
      " steady",
      " again",
      '"}',
    ];
    answer = (_body, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      // Each gap is under the idle limit; the whole stream takes several times it.
      const next = (i: number) => {
        if (i < pieces.length) {
          res.write(event(pieces[i] ?? ""));
          setTimeout(() => next(i + 1), 80);
          return;
        }
        res.write(
          `data: ${JSON.stringify({ model: "coder", choices: [{ delta: {}, finish_reason: "stop" }] })}\n\n`,
        );
        res.end("data: [DONE]\n\n");
      };
      next(0);
    };
    const backend = new OpenAiCompatibleBackend({
      baseUrl,
      apiKey: undefined,
      firstTokenTimeoutMs: 5000,
      streamIdleTimeoutMs: 400,
    });
    const result = await backend.generate(request());
    expect(result.text).toBe('{"summary":"slow but steady, and steady again"}');
  });
});

describe("Ollama backend pointed at a server that is not Ollama", () => {
  let server: Server;
  let host: string;
  let answer404: { type: string; body: string };
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(404, { "content-type": answer404.type });
        res.end(answer404.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it.each([
    ["Go's plain-text 404 (llama.cpp's server, a proxy)", "text/plain", "404 page not found"],
    ["FastAPI's JSON 404 (vLLM)", "application/json", JSON.stringify({ detail: "Not Found" })],
    ["a proxy's empty body labelled JSON", "application/json", ""],
  ])(
    "says so for %s, not that the model must be pulled, and prints nothing",
    async (_, type, body) => {
      answer404 = { type, body };
      const printed = jest.spyOn(console, "log").mockImplementation(() => undefined);
      try {
        const backend = new OllamaBackend({
          host,
          firstTokenTimeoutMs: 5000,
          streamIdleTimeoutMs: 5000,
        });
        const error = await backend
          .generate(request({ model: "qwen2.5-coder:14b" }))
          .catch((e) => e);
        expect(error).toMatchObject({
          kind: "bad_request",
          message: expect.stringMatching(
            /answered 404 to \/api\/chat .*it is not an Ollama server; .*LLM_BACKEND=openai/,
          ),
        });
        expect(String((error as Error).message)).not.toMatch(/ollama pull/);
        expect(printed).not.toHaveBeenCalled();
      } finally {
        printed.mockRestore();
      }
    },
  );
});

describe("Ollama's own refusals", () => {
  it.each([
    ["a local model", "model 'qwen2.5-coder:14b' not found, try pulling it first"],
    ["a cloud model (ollama.com's reply, passed on)", "model not found"],
  ])("reads a missing %s as model_not_found", async (_, message) => {
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: message }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const backend = new OllamaBackend({
        host: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        firstTokenTimeoutMs: 5000,
        streamIdleTimeoutMs: 5000,
      });
      await expect(backend.generate(request({ model: "qwen2.5-coder:14b" }))).rejects.toMatchObject(
        { kind: "model_not_found" },
      );
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe("embedded llama.cpp backend", () => {
  const backend = new EmbeddedBackend({ modelFile: MODEL_FILE });
  afterAll(() => backend.close());

  it("generates schema-constrained JSON in-process with exact token counts", async () => {
    const schema = {
      type: "object",
      properties: { answer: { type: "string", maxLength: 20 } },
      required: ["answer"],
      additionalProperties: false,
    };
    const result = await backend.generate(request({ jsonSchema: schema, numPredict: 64 }));
    expect(result.promptTokens).toBeGreaterThan(0);
    if (result.doneReason === "stop")
      expect(() => JSON.parse(result.text) as unknown).not.toThrow();
    expect(await backend.checkReady()).toEqual({ ok: true });
  }, 60_000);

  it("refuses a prompt that does not fit the window, counted by the real tokenizer", async () => {
    const long = request({
      messages: [{ role: "user", content: "word ".repeat(3000) }],
      numCtx: 1024,
    });
    await expect(backend.generate(long)).rejects.toMatchObject({ kind: "context_overflow" });
  }, 60_000);

  it("names a model file it cannot load", async () => {
    const missing = new EmbeddedBackend({ modelFile: "/nonexistent/model.gguf" });
    await expect(missing.generate(request())).rejects.toMatchObject({
      kind: "model_not_found",
      message: expect.stringMatching(/nonexistent\/model\.gguf/),
    });
  }, 60_000);
});
