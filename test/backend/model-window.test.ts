/**
 * The window is the model's: NUM_CTX, or the model's own limit when that is smaller.
 * Ollama runs a num_ctx above a model's trained context length at that length (with a
 * warning in its own log only), and vLLM refuses past `max_model_len`; a prompt fitted
 * to NUM_CTX alone was then refused, and the refit (a share of NUM_CTX) still did not
 * fit, so every large request failed with "does not fit num_ctx".
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "@jest/globals";
import { runJob } from "../../backend/jobs/run-job.js";
import { OllamaBackend } from "../../backend/llm/ollama.js";
import { OpenAiCompatibleBackend } from "../../backend/llm/openai-compatible.js";
import { estimateTokens, type PlanRequest } from "../../protocol/index.js";
import { samplePlan, samplePlanRequest } from "../support/fixtures.js";
import { directJobDeps } from "../support/job-deps.js";
import { startOllamaTestServer, type OllamaTestServer } from "../support/ollama/server.js";
import { splitIntoTokens } from "../support/ollama/token-estimate.js";

const PLAN = JSON.stringify(samplePlan());
const LIMITS = { firstTokenTimeoutMs: 5000, streamIdleTimeoutMs: 5000 };

/** A plan request whose context is about 24,000 tokens: more than the model can take. */
function largeRequest(): PlanRequest {
  const base = samplePlanRequest();
  const body = Array.from(
    { length: 40 },
    (_, i) => `    # Step ${i}: the parser reads each argument and checks the separator before it.`,
  );
  const files = Array.from({ length: 40 }, (_, f) => ({
    path: `src/module_${f}.py`,
    score: 40 - f,
    reasons: ["content terms: parser"],
    excerpts: [{ startLine: 1, endLine: 41, text: `def step_${f}():\n${body.join("\n")}` }],
  }));
  return {
    ...base,
    context: { ...base.context, files: [...base.context.files, ...files] },
  };
}

describe("a model whose own context is shorter than NUM_CTX", () => {
  let ollama: OllamaTestServer | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await ollama?.close();
    ollama = undefined;
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  it("on Ollama: fits the prompt to the model's trained length from /api/show", async () => {
    ollama = await startOllamaTestServer({
      model: "coder:7b",
      contextLength: 8192,
      script: () => ({ content: PLAN }),
    });
    const env = { MODEL: "coder:7b", NUM_CTX: "32768", NUM_PREDICT: "1024" };
    const llm = new OllamaBackend({ host: ollama.url, ...LIMITS });
    const outcome = await runJob(largeRequest(), directJobDeps(llm, env));
    expect(outcome.reply).toMatchObject({ type: "result", kind: "plan", plan: samplePlan() });
    const chats = ollama.requestsTo("/api/chat");
    expect(chats).toHaveLength(1);
    expect(chats[0]?.body).toMatchObject({ options: { num_ctx: 8192 } });
    expect(outcome.reply.type === "result" && outcome.reply.trimmed.length).toBeGreaterThan(0);
    expect(ollama.violations).toEqual([]);
    // The length is asked once, not on every job.
    await runJob(largeRequest(), directJobDeps(llm, env));
    expect(ollama.requestsTo("/api/show")).toHaveLength(1);
  });

  it("refuses at once, naming the fix, when the model's length leaves no room after NUM_PREDICT", async () => {
    ollama = await startOllamaTestServer({
      model: "coder:7b",
      contextLength: 2048,
      script: () => ({ content: PLAN }),
    });
    const env = { MODEL: "coder:7b", NUM_CTX: "8192", NUM_PREDICT: "2048" };
    const llm = new OllamaBackend({ host: ollama.url, ...LIMITS });
    const outcome = await runJob(largeRequest(), directJobDeps(llm, env));
    expect(outcome.reply).toMatchObject({
      type: "error",
      code: "context_overflow",
      retryable: false,
      message: expect.stringMatching(
        /coder:7b's own context length \(2048, as the model server reports it\) leaves no room for a prompt after NUM_PREDICT \(2048\): lower them/,
      ),
    });
    expect(ollama.requestsTo("/api/chat")).toHaveLength(0);
  });

  it("on Ollama without the model's limit (as before): refused, and the refit still too long", async () => {
    ollama = await startOllamaTestServer({
      model: "coder:7b",
      contextLength: 8192,
      script: () => ({ content: PLAN }),
    });
    const env = { MODEL: "coder:7b", NUM_CTX: "32768", NUM_PREDICT: "1024" };
    const blind = new OllamaBackend({ host: ollama.url, ...LIMITS });
    blind.contextLimit = () => Promise.resolve(undefined);
    const outcome = await runJob(largeRequest(), directJobDeps(blind, env));
    expect(outcome.reply).toMatchObject({ type: "error", code: "context_overflow" });
  });

  /**
   * An OpenAI-compatible server whose model runs with a context of `limit` tokens, telling
   * it the way `kind` does, and refusing a longer prompt and answer as that server does.
   */
  async function serveWindow(
    kind: "vllm" | "llama.cpp" | "lmstudio",
    limit: number,
    lmStudioInstances: () => { id: string; config: { context_length: number } }[] = () => [
      { id: "coder", config: { context_length: limit } },
    ],
  ) {
    const bodies: { messages: { content: string }[]; max_tokens: number }[] = [];
    const json = (res: import("node:http").ServerResponse, status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    server = createServer((req, res) => {
      let raw = "";
      req.on("data", (c: Buffer) => (raw += c.toString()));
      req.on("end", () => {
        if (req.method === "GET" && req.url === "/v1/models") {
          const model = kind === "vllm" ? { max_model_len: limit } : {};
          json(res, 200, { object: "list", data: [{ id: "coder", object: "model", ...model }] });
        } else if (req.method === "GET" && req.url === "/props" && kind === "llama.cpp") {
          // The context per slot (`--ctx-size` over `--parallel`).
          json(res, 200, { default_generation_settings: { n_ctx: limit }, total_slots: 4 });
        } else if (req.method === "GET" && req.url === "/api/v1/models" && kind === "lmstudio") {
          // LM Studio 0.4's own API: the loaded instance's context, not the model's maximum.
          json(res, 200, {
            models: [
              { type: "llm", key: "other", loaded_instances: [], max_context_length: 131072 },
              {
                type: "llm",
                key: "coder",
                loaded_instances: lmStudioInstances(),
                max_context_length: 32768,
              },
            ],
          });
        } else if (req.method === "GET") {
          json(res, 404, { error: "Unexpected endpoint or method." });
        } else {
          const body = JSON.parse(raw) as { messages: { content: string }[]; max_tokens: number };
          bodies.push(body);
          // Counted by the test server's tokenizer rather than the worker's.
          const prompt = body.messages.reduce((n, m) => n + splitIntoTokens(m.content).length, 0);
          if (prompt + body.max_tokens > limit) {
            json(res, 400, {
              object: "error",
              message: `This model's maximum context length is ${limit} tokens. However, you requested ${prompt + body.max_tokens} tokens (${prompt} in the messages, ${body.max_tokens} in the completion). Please reduce the length of the messages or completion.`,
            });
            return;
          }
          const event = (delta: object, finish: string | null = null) =>
            `data: ${JSON.stringify({ model: "coder", choices: [{ delta, finish_reason: finish }] })}\n\n`;
          res.writeHead(200, { "content-type": "text/event-stream" });
          res.write(event({ content: PLAN }));
          res.write(event({}, "stop"));
          res.end("data: [DONE]\n\n");
        }
      });
    });
    await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const backend = () => new OpenAiCompatibleBackend({ baseUrl, apiKey: undefined, ...LIMITS });
    return { bodies, llm: backend(), backend };
  }

  it.each([
    ["vLLM", "max_model_len from /models", "vllm"],
    ["llama.cpp's server", "the context per slot from /props", "llama.cpp"],
    ["LM Studio", "the loaded instance's context from /api/v1/models", "lmstudio"],
  ] as const)("on %s: fits the prompt to %s", async (_name, _source, kind) => {
    const { bodies, llm } = await serveWindow(kind, 6144);
    const env = { LLM_BACKEND: "openai", MODEL: "coder", NUM_CTX: "32768", NUM_PREDICT: "1024" };
    const outcome = await runJob(largeRequest(), directJobDeps(llm, env));
    expect(outcome.reply).toMatchObject({ type: "result", kind: "plan" });
    expect(bodies).toHaveLength(1);
    const messages = bodies[0]?.messages as { content: string }[];
    const promptTokens = messages.reduce((n, m) => n + estimateTokens(m.content), 0);
    expect(promptTokens).toBeGreaterThan(3000);
  });

  it("on LM Studio: the instance loaded under the name asked for, else the least context of the model's", async () => {
    let instances: { id: string; config: { context_length: number } }[] = [];
    const { llm, backend } = await serveWindow("lmstudio", 4096, () => instances);
    // Not loaded yet: LM Studio loads it on the first request, so no answer is kept.
    expect(await llm.contextLimit("coder")).toBeUndefined();
    instances = [
      { id: "coder:2", config: { context_length: 32768 } },
      { id: "coder", config: { context_length: 4096 } },
    ];
    expect(await llm.contextLimit("coder")).toBe(4096);
    expect(await llm.contextLimit("coder:2")).toBe(32768);
    instances = [
      { id: "coder:2", config: { context_length: 32768 } },
      { id: "coder:3", config: { context_length: 8192 } },
    ];
    expect(await llm.contextLimit("coder:3")).toBe(8192);
    expect(await backend().contextLimit("coder")).toBe(8192);
  });
});
