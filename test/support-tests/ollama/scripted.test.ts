import { Ollama, type ChatResponse } from "ollama";
import { INPUT_TOO_LONG, SERVER_BUSY } from "../../support/ollama/ollama-errors.js";
import { startOllamaTestServer, type OllamaTestServer } from "../../support/ollama/server.js";

const MODEL = "tiny-random:latest";
const PLAN = {
  summary: "Guard the config loader against empty files",
  steps: [{ title: "Return defaults", detail: "In load.ts", files: ["src/load.ts"] }],
  files: [{ path: "src/load.ts", change: "modify", reason: "guard" }],
  risks: [],
  tests: ["empty file gives defaults"],
  openQuestions: [],
};

let server: OllamaTestServer;
let ollama: Ollama;

beforeAll(async () => {
  server = await startOllamaTestServer({ mode: "scripted" });
  ollama = new Ollama({ host: server.url });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.setScript([]);
  server.clearRecords();
});

async function collect(
  stream: AsyncIterable<ChatResponse>,
): Promise<{ parts: ChatResponse[]; error: unknown }> {
  const parts: ChatResponse[] = [];
  try {
    for await (const part of stream) parts.push(part);
    return { parts, error: undefined };
  } catch (error) {
    return { parts, error };
  }
}

function chat(content = "Plan issue #7", extra: Record<string, unknown> = {}) {
  return ollama.chat({
    model: MODEL,
    messages: [{ role: "user", content }],
    stream: true,
    ...extra,
  });
}

async function post(path: string, body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${server.url}${path}`, { method: "POST", body });
  return { status: response.status, text: await response.text() };
}

/** Resolves once the server has recorded `count` requests to `path`. */
async function waitForRequests(path: string, count: number): Promise<void> {
  while (server.requestsTo(path).length < count) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Resolves once the first chat request's outcome is `outcome`. */
async function waitForOutcome(outcome: string): Promise<void> {
  while (server.requestsTo("/api/chat")[0]?.outcome !== outcome) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("scripted replies", () => {
  it("streams the scripted content in token-sized chunks with consistent counts", async () => {
    const content = JSON.stringify(PLAN);
    server.setScript([{ content }]);
    const { parts, error } = await collect(await chat());
    expect(error).toBeUndefined();
    const final = parts.at(-1);
    const text = parts.map((part) => part.message.content).join("");
    expect(JSON.parse(text)).toEqual(PLAN);
    expect(parts.length).toBeGreaterThan(10);
    expect(final?.done).toBe(true);
    expect(final?.done_reason).toBe("stop");
    expect(final?.eval_count).toBe(parts.length - 1);
    expect(final?.prompt_eval_count).toBeGreaterThan(3);
    for (const field of [
      "total_duration",
      "load_duration",
      "prompt_eval_duration",
      "eval_duration",
    ] as const) {
      expect(Number.isInteger(final?.[field])).toBe(true);
    }
    expect(server.scriptRemaining()).toBe(0);
    expect(server.requestsTo("/api/chat")[0]?.outcome).toBe("completed");
    expect(server.violations).toEqual([]);
  });

  it("answers a queue in order and a function from the request", async () => {
    server.setScript([
      { content: "first" },
      ({ prompt, index }) => ({
        content: `#${index} saw ${prompt.includes("second") ? "second" : "?"}`,
      }),
    ]);
    const first = await ollama.chat({ model: MODEL, messages: [{ role: "user", content: "one" }] });
    const second = await ollama.chat({
      model: "tiny-random",
      messages: [{ role: "user", content: "second" }],
    });
    expect(first.message.content).toBe("first");
    expect(second.message.content).toBe("#1 saw second");
    expect(second.model).toBe("tiny-random");

    server.setScript(({ body }) => ({
      content: `echo ${String((body.options as { num_ctx?: number }).num_ctx)}`,
    }));
    const third = await ollama.chat({
      model: MODEL,
      messages: [{ role: "user", content: "x" }],
      options: { num_ctx: 1234 },
    });
    expect(third.message.content).toBe("echo 1234");
    expect(server.scriptRemaining()).toBe(Infinity);
    expect(server.violations).toEqual([]);
  });

  it("serves /api/generate with explicit chunks and reported counts", async () => {
    server.setScript([
      { chunks: ["a", "bc", "def"], doneReason: "length", promptEvalCount: 99, evalCount: 7 },
    ]);
    const parts = [];
    for await (const part of await ollama.generate({ model: MODEL, prompt: "p", stream: true })) {
      parts.push(part);
    }
    expect(parts.map((part) => part.response)).toEqual(["a", "bc", "def", ""]);
    expect(parts.at(-1)).toMatchObject({
      done: true,
      done_reason: "length",
      prompt_eval_count: 99,
      eval_count: 7,
    });
    expect(server.violations).toEqual([]);
  });

  it("records an exhausted queue as a violation and answers 500", async () => {
    await expect(
      ollama.chat({ model: MODEL, messages: [{ role: "user", content: "x" }] }),
    ).rejects.toMatchObject({
      status_code: 500,
    });
    expect(server.violations.map((violation) => violation.direction)).toEqual(["script"]);
  });

  it("answers the instant reply without a script", async () => {
    server.setMode("instant");
    server.setInstantReply('{"ok":true}');
    const reply = await ollama.chat({ model: MODEL, messages: [{ role: "user", content: "x" }] });
    expect(reply.message.content).toBe('{"ok":true}');
    expect(reply.done_reason).toBe("stop");
    server.setMode("scripted");
    expect(server.violations).toEqual([]);
  });

  it("loads without a prompt, as Ollama does for an empty message list", async () => {
    const loaded = await ollama.chat({ model: MODEL, messages: [] });
    expect(loaded).toMatchObject({ done: true, done_reason: "load" });
    const unloaded = await ollama.generate({ model: MODEL, prompt: "", keep_alive: 0 });
    expect(unloaded).toMatchObject({ done: true, done_reason: "unload", response: "" });
    expect(server.violations).toEqual([]);
  });
});

describe("num_ctx in scripted mode", () => {
  it("refuses a prompt longer than num_ctx when truncate is false", async () => {
    server.setScript([{ content: "unused" }]);
    const long = "word ".repeat(400);
    await expect(chat(long, { options: { num_ctx: 128 }, truncate: false })).rejects.toMatchObject({
      status_code: 400,
      error: INPUT_TOO_LONG,
    });
    // The reply stays queued: Ollama fails before generating.
    expect(server.scriptRemaining()).toBe(1);
  });

  it("reports a truncated prompt as num_ctx tokens otherwise", async () => {
    server.setScript([{ content: "ok" }]);
    const reply = await ollama.chat({
      model: MODEL,
      messages: [{ role: "user", content: "word ".repeat(400) }],
      options: { num_ctx: 128 },
    });
    expect(reply.prompt_eval_count).toBe(128);
    expect(server.violations).toEqual([]);
  });
});

describe("faults", () => {
  it("answers 503 and 500 with Ollama's error bodies", async () => {
    server.setScript([
      { fault: { type: "http-error", status: 503 } },
      {
        fault: {
          type: "http-error",
          status: 500,
          error: "llama runner process has terminated: signal: killed",
        },
      },
    ]);
    await expect(chat()).rejects.toMatchObject({ status_code: 503, error: SERVER_BUSY });
    await expect(chat()).rejects.toMatchObject({
      status_code: 500,
      error: "llama runner process has terminated: signal: killed",
    });
    expect(server.violations).toEqual([]);
  });

  it("answers an unknown model and a too-long prompt on demand", async () => {
    server.setScript([
      { fault: { type: "unknown-model" } },
      { fault: { type: "prompt-too-long" } },
    ]);
    await expect(chat()).rejects.toMatchObject({
      status_code: 404,
      error: `model '${MODEL}' not found`,
    });
    await expect(chat()).rejects.toMatchObject({ status_code: 400, error: INPUT_TOO_LONG });
  });

  it("cuts the connection after N chunks", async () => {
    server.setScript([
      { content: "one two three four five six", fault: { type: "cut", afterChunks: 2 } },
    ]);
    const { parts, error } = await collect(await chat());
    expect(parts.map((part) => part.message.content)).toEqual(["one", " two"]);
    // undici reports a connection closed mid-body as "terminated".
    expect((error as Error).message).toBe("terminated");
    expect(server.requestsTo("/api/chat")[0]?.outcome).toBe("cut");
  });

  it("cuts before the headers when afterChunks is 0", async () => {
    server.setScript([{ content: "never", fault: { type: "cut", afterChunks: 0 } }]);
    await expect(chat()).rejects.toThrow();
    expect(server.requestsTo("/api/chat")[0]?.outcome).toBe("cut");
  });

  it("stalls after N chunks: the connection stays open with nothing more on it", async () => {
    server.setScript([{ content: "one two three four", fault: { type: "stall", afterChunks: 2 } }]);
    const client = new AbortController();
    const stalled = new Ollama({
      host: server.url,
      fetch: (input, init) => fetch(input, { ...init, signal: client.signal }),
    });
    const stream = await stalled.chat({
      model: MODEL,
      messages: [{ role: "user", content: "Plan issue #7" }],
      stream: true,
    });
    const parts: string[] = [];
    const reading = (async () => {
      try {
        for await (const part of stream) parts.push(part.message.content);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    while (parts.length < 2) await new Promise((resolve) => setImmediate(resolve));
    // Still open and silent: the request is pending until the client gives up.
    expect(server.requestsTo("/api/chat")[0]?.outcome).toBe("pending");
    client.abort();
    expect(await reading).toBeDefined();
    expect(parts).toEqual(["one", " two"]);
    await waitForOutcome("client-closed");
  });

  it("ends a stream with an error line, as Ollama does mid-generation", async () => {
    server.setScript([
      { content: "one two three", fault: { type: "stream-error", afterChunks: 1, error: "boom" } },
    ]);
    const { parts, error } = await collect(await chat());
    expect(parts.map((part) => part.message.content)).toEqual(["one"]);
    expect((error as Error).message).toBe("boom");
    expect(server.requestsTo("/api/chat")[0]?.status).toBe(200);
    expect(server.violations).toEqual([]);
  });

  it("strikes a fault placed past the last chunk just before the final chunk", async () => {
    server.setScript([
      { chunks: ["a", "b"], fault: { type: "stream-error", afterChunks: 99 } },
      { chunks: ["a", "b"], fault: { type: "cut", afterChunks: 99 } },
    ]);
    const failed = await collect(await chat());
    expect(failed.parts.map((part) => part.message.content)).toEqual(["a", "b"]);
    expect((failed.error as Error).message).toBe(
      "llama runner process has terminated: exit status 2",
    );
    const cut = await collect(await chat());
    expect(cut.parts.map((part) => part.message.content)).toEqual(["a", "b"]);
    expect((cut.error as Error).message).toBe("terminated");
  });

  it("reports a scripted load time in load_duration and the total", async () => {
    server.setScript([{ content: "ok", loadDurationMs: 2500 }]);
    const reply = await ollama.chat({ model: MODEL, messages: [{ role: "user", content: "x" }] });
    expect(reply.load_duration).toBe(2_500_000_000);
    expect(reply.total_duration).toBeGreaterThanOrEqual(
      reply.load_duration + reply.prompt_eval_duration + reply.eval_duration,
    );
  });

  it("holds the headers back until the first token", async () => {
    server.setScript([{ content: "late", delayBeforeFirstTokenMs: 60_000 }]);
    const abort = new AbortController();
    const pending = fetch(`${server.url}/api/chat`, {
      method: "POST",
      body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "x" }] }),
      signal: abort.signal,
    });
    await waitForRequests("/api/chat", 1);
    const state = await Promise.race([
      pending.then(() => "answered"),
      new Promise((resolve) => setImmediate(() => resolve("waiting"))),
    ]);
    expect(state).toBe("waiting");
    abort.abort();
    await expect(pending).rejects.toThrow();
    while (server.requestsTo("/api/chat")[0]?.outcome === "pending") {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(server.requestsTo("/api/chat")[0]?.outcome).toBe("client-closed");
  });

  it("spends the scripted delays and reports them in the durations", async () => {
    server.setScript([
      { chunks: ["a", "b", "c"], delayBeforeFirstTokenMs: 30, delayBetweenChunksMs: 20 },
    ]);
    const { parts } = await collect(await chat());
    const final = parts.at(-1);
    // Timers may fire up to a millisecond early; the lower bounds allow for it.
    expect(final?.prompt_eval_duration).toBeGreaterThanOrEqual(28e6);
    expect(final?.eval_duration).toBeGreaterThanOrEqual(38e6);
    expect(final?.total_duration).toBeGreaterThanOrEqual(66e6);
  });
});

describe("faithfulness", () => {
  it("answers an unknown model with Ollama's exact 404 body", async () => {
    const response = await post(
      "/api/chat",
      JSON.stringify({ model: "nope", messages: [{ role: "user", content: "x" }] }),
    );
    expect(response).toEqual({ status: 404, text: `{"error":"model 'nope' not found"}` });
  });

  it("rejects a schema-violating request with 400 and records the violation", async () => {
    server.setScript([{ content: "unused" }]);
    const response = await post(
      "/api/chat",
      JSON.stringify({
        model: MODEL,
        messages: [{ role: "robot", content: "x" }],
        keep_alive: true,
      }),
    );
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).error).toMatch(/\/messages\/0\/role/);
    expect(server.violations).toHaveLength(1);
    expect(server.violations[0]).toMatchObject({ direction: "request", path: "/api/chat" });
    expect(server.violations[0]?.errors.join("\n")).toMatch(/keep_alive/);
    expect(server.scriptRemaining()).toBe(1);
  });

  it("refuses think, which the test model cannot do, and accepts think: false", async () => {
    server.setScript([{ content: "plain" }]);
    await expect(chat("x", { think: true })).rejects.toMatchObject({
      status_code: 400,
      error: `"${MODEL}" does not support thinking`,
    });
    const reply = await ollama.chat({
      model: MODEL,
      messages: [{ role: "user", content: "x" }],
      think: false,
    });
    expect(reply.message.content).toBe("plain");
    expect(server.violations).toEqual([]);
  });

  it("rejects malformed JSON, an empty body and unknown routes", async () => {
    expect((await post("/api/chat", "{nope")).status).toBe(400);
    expect(await post("/api/generate", "")).toEqual({
      status: 400,
      text: '{"error":"missing request body"}',
    });
    expect(await post("/api/pull", '{"model":"x"}')).toEqual({
      status: 404,
      text: "404 page not found",
    });
    expect(server.violations.map((violation) => violation.direction)).toEqual([
      "request",
      "request",
      "request",
    ]);
  });

  it("describes the served model on /api/tags, /api/show and /api/version", async () => {
    const [tags, show, version] = await Promise.all([
      ollama.list(),
      ollama.show({ model: "tiny-random" }),
      ollama.version(),
    ]);
    expect(tags.models.map((model) => model.name)).toEqual([MODEL]);
    expect(tags.models[0]?.size).toBe(1_750_560);
    expect(tags.models[0]?.digest).toBe(
      "81f226c62d28ed4a1a9b9fa080fcd9f0cc40e0f9d5680036583ff98fbcd035cb",
    );
    expect(show.model_info).toMatchObject({
      "general.architecture": "llama",
      "llama.context_length": 4096,
    });
    expect(show.capabilities).toEqual(["completion"]);
    expect(version.version).toMatch(/^\d+\.\d+\.\d+$/);
    await expect(ollama.show({ model: "other" })).rejects.toMatchObject({
      status_code: 404,
      error: "model 'other' not found",
    });
    expect(server.violations).toEqual([]);
  });
});
