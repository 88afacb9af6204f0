/**
 * Reasoning models (qwen3, deepseek-r1, gpt-oss) think before they answer. Ollama turns
 * thinking on for any model that can unless the request says `think: false`, and the
 * thinking spends the same num_predict as the answer: with the worker's 2048 tokens, a
 * plan was cut off before its first brace. Here the worker meets such models through
 * the Ollama test server (which then reports the thinking capability and streams
 * thinking as Ollama does) and an OpenAI-compatible stream shaped like vLLM's.
 */
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "@jest/globals";
import { ConfigError, loadWorkerConfig } from "../../backend/config.js";
import { runJob, type JobDeps } from "../../backend/jobs/run-job.js";
import type { LlmBackend } from "../../backend/llm/backend.js";
import { OllamaBackend } from "../../backend/llm/ollama.js";
import { OpenAiCompatibleBackend } from "../../backend/llm/openai-compatible.js";
import { samplePlan, samplePlanRequest } from "../support/fixtures.js";
import { directJobDeps } from "../support/job-deps.js";
import { startOllamaTestServer, type OllamaTestServer } from "../support/ollama/server.js";
import { ScriptedModel } from "../support/scripted-model.js";

const PLAN = JSON.stringify(samplePlan());
/** Thinking as reasoning models write it, code and braces included; 3,201 tokens. */
const LONG_THINKING = Array.from(
  { length: 200 },
  (_, i) => `Step ${i}: maybe { "files": [] } is wrong; `,
).join("");

const LIMITS = { firstTokenTimeoutMs: 5000, streamIdleTimeoutMs: 5000 };

/** A qwen3 worker with a small answer limit, so that thinking can spend it. */
function jobDeps(llm: LlmBackend, env: Record<string, string> = {}): JobDeps {
  return directJobDeps(llm, { MODEL: "qwen3:8b", NUM_CTX: "16384", NUM_PREDICT: "1024", ...env });
}

/**
 * Ollama serving a model like qwen3 (`hybrid`: thinks unless told not to; 40,960 tokens of
 * context) or gpt-oss (`always`), which thinks LONG_THINKING before it answers the plan.
 */
function startThinker(thinking: "hybrid" | "always"): Promise<OllamaTestServer> {
  return startOllamaTestServer({
    model: "qwen3:8b",
    contextLength: 40960,
    thinking,
    script: () => ({ thinking: LONG_THINKING, content: PLAN }),
  });
}

describe("a worker in front of a reasoning model on Ollama", () => {
  let ollama: OllamaTestServer | undefined;
  afterEach(async () => {
    await ollama?.close();
    ollama = undefined;
  });

  const chatBodies = () =>
    (ollama?.requestsTo("/api/chat") ?? []).map((r) => r.body as Record<string, unknown>);

  it("asks a hybrid model (qwen3) not to think, and gets its plan within NUM_PREDICT", async () => {
    // What the model would think if let: more than the whole NUM_PREDICT.
    ollama = await startThinker("hybrid");
    const llm = new OllamaBackend({ host: ollama.url, ...LIMITS });
    const outcome = await runJob(samplePlanRequest(), jobDeps(llm));
    expect(outcome.reply).toMatchObject({ type: "result", kind: "plan", plan: samplePlan() });
    expect(chatBodies()[0]).toMatchObject({ think: false, options: { num_predict: 1024 } });
    expect(ollama.violations).toEqual([]);
  });

  it("names the fix when a model that always thinks (gpt-oss) spends NUM_PREDICT thinking", async () => {
    ollama = await startThinker("always");
    const llm = new OllamaBackend({ host: ollama.url, ...LIMITS });
    const outcome = await runJob(samplePlanRequest(), jobDeps(llm));
    expect(outcome.reply).toMatchObject({
      type: "error",
      code: "invalid_model_output",
      message: expect.stringMatching(
        /thought until the 1024-token limit and wrote no answer: it thinks even with MODEL_THINKING=off: set MODEL_THINKING=on \(or low, for gpt-oss on Ollama\) and THINKING_TOKENS/,
      ),
      // The same settings would think as long again: no retry, no correction round.
      retryable: false,
    });
    expect(chatBodies()).toHaveLength(1);
    expect(ollama.violations).toEqual([]);
  });

  it("turns a hybrid model's thinking on with MODEL_THINKING=on, never a level it would refuse", async () => {
    ollama = await startThinker("hybrid");
    const llm = new OllamaBackend({ host: ollama.url, ...LIMITS });
    const outcome = await runJob(
      samplePlanRequest(),
      jobDeps(llm, { MODEL_THINKING: "on", THINKING_TOKENS: "4096" }),
    );
    expect(outcome.reply).toMatchObject({ type: "result", kind: "plan", plan: samplePlan() });
    expect(chatBodies()[0]).toMatchObject({ think: true, options: { num_predict: 5120 } });
    expect(ollama.violations).toEqual([]);
  });

  it("lets the model think when asked, within THINKING_TOKENS more, and keeps only the answer", async () => {
    ollama = await startThinker("always");
    const llm = new OllamaBackend({ host: ollama.url, ...LIMITS });
    const outcome = await runJob(
      samplePlanRequest(),
      jobDeps(llm, { MODEL_THINKING: "low", THINKING_TOKENS: "6000" }),
    );
    expect(outcome.reply).toMatchObject({ type: "result", kind: "plan", plan: samplePlan() });
    expect(JSON.stringify(outcome.reply)).not.toContain("Step 1:");
    expect(chatBodies()[0]).toMatchObject({ think: "low", options: { num_predict: 7024 } });
    expect(ollama.violations).toEqual([]);
  });

  it("reports a thinking budget the window cannot hold when the worker starts", () => {
    const config = () =>
      loadWorkerConfig({
        NUM_CTX: "8192",
        NUM_PREDICT: "2048",
        MODEL_THINKING: "on",
        THINKING_TOKENS: "6000",
      });
    expect(config).toThrow(ConfigError);
    expect(config).toThrow(/lower NUM_PREDICT or THINKING_TOKENS or raise NUM_CTX/);
  });
});

describe("thinking left in the reply by the server", () => {
  it("reads the answer after a <think> block whose code has braces of its own", async () => {
    const reply = `<think>\nThe plan could be {"summary": "wrong"} or {\n</think>\n\n${PLAN}`;
    const outcome = await runJob(samplePlanRequest(), jobDeps(new ScriptedModel([reply])));
    expect(outcome.reply).toMatchObject({ type: "result", kind: "plan", plan: samplePlan() });
  });

  it("reads the answer after thinking whose opening tag the chat template wrote (DeepSeek-R1)", async () => {
    const reply = `The user wants {x} fixed; maybe {"summary": "no"}.\n</think>\n\n${PLAN}`;
    const outcome = await runJob(samplePlanRequest(), jobDeps(new ScriptedModel([reply])));
    expect(outcome.reply).toMatchObject({ type: "result", kind: "plan", plan: samplePlan() });
  });

  it("does not show the model its own thinking again in the correction round", async () => {
    const bad = `<think>\nSECRET-PLAN-THOUGHTS {"a": 1}\n</think>\n{"summary": "no steps"}`;
    const model = new ScriptedModel([bad, PLAN]);
    const outcome = await runJob(samplePlanRequest(), jobDeps(model));
    expect(outcome.reply).toMatchObject({ type: "result", kind: "plan" });
    const echoed = model.calls[1]?.messages.find((m) => m.role === "assistant")?.content;
    expect(echoed).toBe('\n{"summary": "no steps"}');
  });

  it("says the reply was all thinking when the block never closes", async () => {
    const cut = `<think>\nFirst {"summary": "x", "steps": []} then`;
    const model = new ScriptedModel([cut, cut]);
    const outcome = await runJob(samplePlanRequest(), jobDeps(model));
    expect(outcome.reply).toMatchObject({
      type: "error",
      code: "invalid_model_output",
      message: expect.stringMatching(/thinking that never ended/),
    });
  });
});

describe("a reasoning model behind an OpenAI-compatible server", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  interface Served {
    /** Milliseconds of thinking before the answer, when the model thinks. */
    thinkMs: number;
    /**
     * qwen3's chat template on vLLM or llama.cpp's server: it thinks unless the request's
     * `chat_template_kwargs` say `enable_thinking: false`, and its thinking, streamed as
     * `reasoning_content`, spends `max_tokens` like the answer (finish_reason "length").
     */
    hybrid?: boolean;
    /** Refuses fields OpenAI's API does not define, with the 400 that API sends. */
    strict?: boolean;
    /** A field of OpenAI's that this strict server does not know either. */
    unknownToo?: string;
    /** Refuses the template switch with this message (vLLM with a Mistral tokenizer). */
    refuseSwitch?: string;
  }

  const OPENAI_FIELDS = new Set([
    "model",
    "messages",
    "stream",
    "stream_options",
    "max_tokens",
    "temperature",
    "reasoning_effort",
    "response_format",
  ]);

  /** Serves the behaviour asked for; every request body lands in `bodies`. */
  async function serve(served: Served, bodies: Record<string, unknown>[]): Promise<string> {
    const event = (delta: Record<string, unknown>, finish: string | null = null) =>
      `data: ${JSON.stringify({ model: "qwen3", choices: [{ delta, finish_reason: finish }] })}\n\n`;
    server = createServer((req, res: ServerResponse) => {
      let raw = "";
      req.on("data", (c: Buffer) => (raw += c.toString()));
      req.on("end", () => {
        if (req.method === "GET") {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ object: "list", data: [{ id: "qwen3:8b", object: "model" }] }));
          return;
        }
        const body = JSON.parse(raw) as Record<string, unknown>;
        bodies.push(body);
        const unknown = Object.keys(body).find(
          (key) => !OPENAI_FIELDS.has(key) || key === served.unknownToo,
        );
        if (served.refuseSwitch && "chat_template_kwargs" in body) {
          res.writeHead(400, { "content-type": "application/json" });
          res.end(
            JSON.stringify({
              error: { message: served.refuseSwitch, type: "BadRequestError", code: 400 },
            }),
          );
          return;
        }
        if (served.strict && unknown !== undefined) {
          res.writeHead(400, { "content-type": "application/json" });
          res.end(
            JSON.stringify({
              error: {
                message: `Unrecognized request argument supplied: ${unknown}`,
                type: "invalid_request_error",
                param: null,
                code: null,
              },
              // As validators echo the input: the whole request, switch and all.
              input: body,
            }),
          );
          return;
        }
        const kwargs = body.chat_template_kwargs as { enable_thinking?: boolean } | undefined;
        const thinks = !served.hybrid || kwargs?.enable_thinking !== false;
        res.writeHead(200, { "content-type": "text/event-stream" });
        const started = Date.now();
        let spent = 0;
        const tick = setInterval(() => {
          if (thinks && Date.now() - started < served.thinkMs) {
            res.write(event({ reasoning_content: "hmm, { maybe } " }));
            spent += 4;
            if (!served.hybrid || spent < (body.max_tokens as number)) return;
            clearInterval(tick);
            res.write(event({}, "length"));
            res.end("data: [DONE]\n\n");
            return;
          }
          clearInterval(tick);
          res.write(event({ content: PLAN }));
          res.write(event({}, "stop"));
          res.end("data: [DONE]\n\n");
        }, 5);
      });
    });
    await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  }

  it("counts thinking as the model at work: no first-token timeout while it thinks", async () => {
    const bodies: Record<string, unknown>[] = [];
    const baseUrl = await serve({ thinkMs: 1200 }, bodies);
    // Thinking for four times the first-token limit before the first answer token.
    const llm = new OpenAiCompatibleBackend({
      baseUrl,
      apiKey: undefined,
      firstTokenTimeoutMs: 300,
      streamIdleTimeoutMs: 300,
    });
    const outcome = await runJob(
      samplePlanRequest(),
      jobDeps(llm, { LLM_BACKEND: "openai", MODEL_THINKING: "medium" }),
    );
    expect(outcome.reply).toMatchObject({ type: "result", kind: "plan", plan: samplePlan() });
    expect(bodies[0]).toMatchObject({
      reasoning_effort: "medium",
      chat_template_kwargs: { enable_thinking: true },
    });
  });

  it("switches qwen3's thinking off through its chat template, and gets the plan", async () => {
    // Thinking that would run for a minute: with it on, the answer limit is spent first.
    const bodies: Record<string, unknown>[] = [];
    const baseUrl = await serve({ thinkMs: 60_000, hybrid: true }, bodies);
    const llm = new OpenAiCompatibleBackend({ baseUrl, apiKey: undefined, ...LIMITS });
    const outcome = await runJob(samplePlanRequest(), jobDeps(llm, { LLM_BACKEND: "openai" }));
    expect(outcome.reply).toMatchObject({ type: "result", kind: "plan", plan: samplePlan() });
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({ chat_template_kwargs: { enable_thinking: false } });
    expect(bodies[0]).not.toHaveProperty("reasoning_effort");
  });

  it("asks a server that refuses the template switch again without it, once", async () => {
    const bodies: Record<string, unknown>[] = [];
    const baseUrl = await serve({ thinkMs: 0, strict: true }, bodies);
    const llm = new OpenAiCompatibleBackend({ baseUrl, apiKey: undefined, ...LIMITS });
    const deps = jobDeps(llm, { LLM_BACKEND: "openai" });
    expect((await runJob(samplePlanRequest(), deps)).reply).toMatchObject({ kind: "plan" });
    expect((await runJob(samplePlanRequest(), deps)).reply).toMatchObject({ kind: "plan" });
    expect(bodies.map((b) => "chat_template_kwargs" in b)).toEqual([true, false, false]);
  });

  it("asks vLLM again without the switch when a Mistral tokenizer refuses it in its own words", async () => {
    const bodies: Record<string, unknown>[] = [];
    const refuseSwitch = "chat_template is not supported for Mistral tokenizers.";
    const baseUrl = await serve({ thinkMs: 0, refuseSwitch }, bodies);
    const llm = new OpenAiCompatibleBackend({ baseUrl, apiKey: undefined, ...LIMITS });
    const deps = jobDeps(llm, { LLM_BACKEND: "openai", MODEL: "devstral" });
    expect((await runJob(samplePlanRequest(), deps)).reply).toMatchObject({ kind: "plan" });
    expect((await runJob(samplePlanRequest(), deps)).reply).toMatchObject({ kind: "plan" });
    expect(bodies.map((b) => "chat_template_kwargs" in b)).toEqual([true, false, false]);
  });

  it("sends a level as reasoning_effort to a server without the template switch", async () => {
    const bodies: Record<string, unknown>[] = [];
    const baseUrl = await serve({ thinkMs: 0, strict: true }, bodies);
    const llm = new OpenAiCompatibleBackend({ baseUrl, apiKey: undefined, ...LIMITS });
    const outcome = await runJob(
      samplePlanRequest(),
      jobDeps(llm, { LLM_BACKEND: "openai", MODEL_THINKING: "low" }),
    );
    expect(outcome.reply).toMatchObject({ kind: "plan" });
    expect(bodies.at(-1)).toMatchObject({ reasoning_effort: "low" });
    expect(bodies.at(-1)).not.toHaveProperty("chat_template_kwargs");
  });

  it("reports a refusal of any other field as the server wrote it, after one retry", async () => {
    const bodies: Record<string, unknown>[] = [];
    const baseUrl = await serve({ thinkMs: 0, strict: true, unknownToo: "stream_options" }, bodies);
    const llm = new OpenAiCompatibleBackend({ baseUrl, apiKey: undefined, ...LIMITS });
    const outcome = await runJob(samplePlanRequest(), jobDeps(llm, { LLM_BACKEND: "openai" }));
    expect(outcome.reply).toMatchObject({ type: "error" });
    expect(JSON.stringify(outcome.reply)).toContain("stream_options");
    // Asked once more without the switch; that refused too, so the switch was not the
    // cause (though the refusal, echoing the request, names it) and stays on.
    expect(bodies.map((b) => "chat_template_kwargs" in b)).toEqual([true, false]);
    await runJob(samplePlanRequest(), jobDeps(llm, { LLM_BACKEND: "openai" }));
    expect(bodies.map((b) => "chat_template_kwargs" in b)).toEqual([true, false, true, false]);
  });
});
