import type { GenerateRequest, GenerateResult, LlmBackend, Readiness } from "./backend.js";
import { ContextLimits } from "./context-limits.js";
import { LlmError, isConnectionError, modelNotFound } from "./errors.js";
import { StreamWatchdog, type StreamLimits } from "./stream-watchdog.js";

/** How long a model's requests go without the thinking switch after it was refused. */
const SWITCH_RETRY_MS = 10 * 60_000;

interface OpenAiBackendOptions extends StreamLimits {
  baseUrl: string;
  apiKey: string | undefined;
}

interface ChatChunk {
  model?: string;
  choices?: {
    delta?: {
      content?: string | null;
      /** Thinking, as vLLM and llama.cpp's server stream it apart from the answer. */
      reasoning_content?: string | null;
      /** The same, as Ollama's and newer vLLM's OpenAI endpoints name it. */
      reasoning?: string | null;
    };
    finish_reason?: string | null;
  }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

/**
 * OpenAI-compatible servers (vLLM, llama.cpp server, LM Studio...): streamed chat
 * completions with a JSON-schema response format. Token usage comes from the final
 * chunk (`stream_options.include_usage`); servers without it fall back to chunk counts.
 */
export class OpenAiCompatibleBackend implements LlmBackend {
  readonly kind = "openai";
  private readonly limits = new ContextLimits((model, signal) => this.servedContext(model, signal));
  /**
   * Models whose requests go without `chat_template_kwargs` (thinking's switch), and since
   * when: those the server refused with it and answered without it. Tried again after a
   * while, so that one refusal that had another cause does not leave thinking on for good.
   */
  private readonly refuseSwitch = new Map<string, number>();

  constructor(private readonly options: OpenAiBackendOptions) {}

  /** An endpoint under OPENAI_BASE_URL, with or without its trailing slash. */
  private url(path: string): string {
    return `${this.options.baseUrl.replace(/\/$/, "")}${path}`;
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    return headers;
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const started = Date.now();
    const watchdog = new StreamWatchdog(this.options);
    const signal = AbortSignal.any([request.signal, watchdog.signal]);
    let text = "";
    let generated = 0;
    let thinkingChunks = 0;
    let firstTokenAt = 0;
    let finishReason = "";
    let usage: ChatChunk["usage"];
    let model = request.model;
    try {
      const since = this.refuseSwitch.get(request.model);
      const withSwitch = since === undefined || Date.now() - since > SWITCH_RETRY_MS;
      let response = await this.post(request, signal, withSwitch);
      if (withSwitch && (response.status === 400 || response.status === 422)) {
        const refusal = await errorText(response, signal);
        response = new Response(refusal, { status: response.status });
        if (!isContextRefusal(refusalMessage(refusal))) {
          // Some servers refuse the switch itself, in words of their own: OpenAI's API and
          // gateways that check fields, vLLM for a model with a Mistral tokenizer ("chat_template
          // is not supported"). Asked again without it; left off for this model from then on
          // only if that is answered, so a refusal for any other reason changes nothing.
          const retry = await this.post(request, signal, false);
          if (retry.ok) this.refuseSwitch.set(request.model, Date.now());
          response = retry;
        }
      }
      if (!response.ok || !response.body) {
        const body = await errorText(response, signal);
        // What the server says, not the request it may echo (which holds the prompt).
        const said = refusalMessage(body);
        if (response.status === 404 && /model/i.test(said)) {
          throw modelNotFound(
            request.model,
            "load it on the OpenAI-compatible server or set MODEL to one it serves",
          );
        }
        if (response.status === 400 && isContextRefusal(said)) {
          const promptTokens = countedPromptTokens(body);
          throw new LlmError(
            "context_overflow",
            `the prompt does not fit the server's context: ${said.slice(0, 300)}`,
            promptTokens === undefined ? {} : { promptTokens },
          );
        }
        throw new LlmError(
          response.status >= 500 || response.status === 429 ? "unavailable" : "bad_request",
          `server answered ${response.status}: ${said.slice(0, 300)}`,
        );
      }
      for await (const data of serverSentEvents(response.body)) {
        if (data === "[DONE]") break;
        const chunk = JSON.parse(data) as ChatChunk;
        if (chunk.model) model = chunk.model;
        if (chunk.usage) usage = chunk.usage;
        const choice = chunk.choices?.[0];
        const thought = choice?.delta?.reasoning_content || choice?.delta?.reasoning;
        // Thinking is the model at work: it keeps the watchdog quiet and counts as
        // progress, though only the answer is kept.
        if (thought) thinkingChunks += 1;
        if (choice?.delta?.content || thought) {
          watchdog.token();
          if (!firstTokenAt) firstTokenAt = Date.now();
          if (choice?.delta?.content) text += choice.delta.content;
          generated += 1;
          request.onTokens?.(generated);
        }
        if (choice?.finish_reason) finishReason = choice.finish_reason;
      }
    } catch (error) {
      if (error instanceof LlmError) throw error;
      if (watchdog.tripped) throw watchdog.error(error);
      if (request.signal.aborted)
        throw new LlmError("aborted", "generation aborted", { cause: error });
      if (isConnectionError(error))
        throw new LlmError(
          "unavailable",
          `cannot reach ${this.options.baseUrl}: ${(error as Error).message}`,
          { cause: error },
        );
      throw new LlmError("unavailable", (error as Error).message, { cause: error });
    } finally {
      watchdog.stop();
    }
    if (!finishReason)
      throw new LlmError("unavailable", "the model server closed the stream before it finished");
    const totalMs = Date.now() - started;
    const promptMs = firstTokenAt ? firstTokenAt - started : totalMs;
    return {
      text,
      model,
      promptTokens: usage?.prompt_tokens ?? 0,
      evalTokens: usage?.completion_tokens ?? generated,
      thinkingChunks,
      loadMs: 0,
      promptMs,
      evalMs: totalMs - promptMs,
      totalMs,
      doneReason: finishReason === "length" ? "length" : "stop",
    };
  }

  private post(
    request: GenerateRequest,
    signal: AbortSignal,
    withSwitch: boolean,
  ): Promise<Response> {
    return fetch(this.url("/chat/completions"), {
      method: "POST",
      headers: this.headers(),
      signal,
      body: JSON.stringify({
        model: request.model,
        messages: [{ role: "system", content: request.system }, ...request.messages],
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: request.numPredict,
        temperature: request.temperature,
        ...thinkingFields(request.thinking, withSwitch),
        response_format: {
          type: "json_schema",
          json_schema: { name: "reply", schema: request.jsonSchema, strict: true },
        },
      }),
    });
  }

  /** The longest context the server gives the model (see servedContext). */
  contextLimit(model: string, signal?: AbortSignal): Promise<number | undefined> {
    return this.limits.get(model, signal);
  }

  /**
   * vLLM's `max_model_len` in `/models` (a longer prompt and answer are refused); else
   * llama.cpp's server's context per slot (`n_ctx` in `/props`, `--ctx-size` divided by
   * `--parallel`); else LM Studio's (0.4 on) loaded instance's `context_length` from its
   * own `/api/v1/models`, which is what runs: LM Studio loads a model with a context far
   * shorter than the model's maximum unless told otherwise. Undefined from a server that
   * gives none of these, or for a model LM Studio has not loaded yet.
   */
  private async servedContext(model: string, signal: AbortSignal): Promise<number | undefined> {
    const models = await this.getJson<{ data?: { id?: string; max_model_len?: unknown }[] }>(
      this.url("/models"),
      signal,
    );
    const vllm = models?.data?.find((m) => m.id === model)?.max_model_len;
    if (isTokenCount(vllm)) return vllm;
    // `/props` and `/api/v1/models` are at the server's root, beside `/v1`.
    const root = this.url("").replace(/\/v1$/, "");
    const props = await this.getJson<{ default_generation_settings?: { n_ctx?: unknown } }>(
      `${root}/props`,
      signal,
    );
    const perSlot = props?.default_generation_settings?.n_ctx;
    if (isTokenCount(perSlot)) return perSlot;
    const lmStudio = await this.getJson<{
      models?: {
        key?: string;
        loaded_instances?: { id?: string; config?: { context_length?: unknown } }[];
      }[];
    }>(`${root}/api/v1/models`, signal);
    const served = lmStudio?.models?.find(
      (m) => m.key === model || m.loaded_instances?.some((instance) => instance.id === model),
    );
    if (!served) return undefined;
    // An instance loaded under the name asked for; else, of the model's instances, the one
    // with the least context, which any of them can take.
    const instances = served.loaded_instances ?? [];
    const contexts = (
      instances.some((instance) => instance.id === model)
        ? instances.filter((instance) => instance.id === model)
        : instances
    )
      .map((instance) => instance.config?.context_length)
      .filter(isTokenCount);
    // A model LM Studio lists but has not loaded yet is loaded by the first request, with a
    // context unknown until then: not an answer to remember.
    if (contexts.length === 0) throw new Error(`LM Studio has not loaded ${model} yet`);
    return Math.min(...contexts);
  }

  /** A GET's JSON body, or undefined when the server has no such endpoint. */
  private async getJson<T>(url: string, signal: AbortSignal): Promise<T | undefined> {
    const response = await fetch(url, { headers: this.headers(), signal });
    if (!response.ok) return undefined;
    try {
      return (await response.json()) as T;
    } catch (error) {
      if (signal.aborted) throw error;
      return undefined;
    }
  }

  async checkReady(model: string): Promise<Readiness> {
    try {
      const response = await fetch(this.url("/models"), {
        headers: this.headers(),
        signal: AbortSignal.timeout(3000),
      });
      if (!response.ok)
        return { ok: false, reason: `${this.options.baseUrl}/models answered ${response.status}` };
      const body = (await response.json()) as { data?: { id?: string }[] };
      if (body.data?.some((m) => m.id === model)) return { ok: true };
      return { ok: false, reason: `model '${model}' not served by ${this.options.baseUrl}` };
    } catch (error) {
      return {
        ok: false,
        reason: `${this.options.baseUrl} unreachable: ${(error as Error).message}`,
      };
    }
  }

  async close(): Promise<void> {}
}

/** A refusal of a request as longer than the model's context. */
function isContextRefusal(body: string): boolean {
  return /context|too long|maximum.*tokens/i.test(body);
}

/**
 * The message of an error body as servers write it (`{"error": {"message"}}` from OpenAI,
 * vLLM and llama.cpp's server, `{"message"}`, `{"error": "…"}` from LM Studio, FastAPI's
 * `{"detail"}`), else the body itself. Validation errors may echo the whole request.
 */
function refusalMessage(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body;
  }
  const top = (parsed ?? {}) as Record<string, unknown>;
  const inner = (typeof top.error === "object" && top.error) || {};
  const message = (inner as Record<string, unknown>).message ?? top.error ?? top.message;
  if (typeof message === "string") return message;
  return typeof top.detail === "string" ? top.detail : body;
}

/** A refusal's text; a stop or timeout while it is read ends the request as one. */
async function errorText(response: Response, signal: AbortSignal): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    if (signal.aborted) throw error;
    return "";
  }
}

function isTokenCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0;
}

/** Yields the `data:` payloads of a server-sent-events stream. */
async function* serverSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let boundary: number;
    while ((boundary = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, boundary).replace(/\r$/, "");
      buffer = buffer.slice(boundary + 1);
      if (line.startsWith("data:")) yield line.slice(5).trim();
    }
  }
  if (buffer.startsWith("data:")) yield buffer.slice(5).trim();
}

/**
 * How many tokens a server counted a refused prompt at, when its error says:
 * llama.cpp's server (`"n_prompt_tokens": 9000`), vLLM ("9000 input tokens", or "you
 * requested 11048 tokens (9000 in the messages, 2048 in the completion)").
 */
export function countedPromptTokens(body: string): number | undefined {
  const match =
    /"n_prompt_tokens"\s*:\s*(\d+)/.exec(body) ??
    /(\d+) in the messages/.exec(body) ??
    /(\d+) input tokens/.exec(body);
  const count = Number(match?.[1]);
  return isTokenCount(count) ? count : undefined;
}

/**
 * How a request says whether to think. OpenAI's `reasoning_effort` carries a level (vLLM
 * and llama.cpp's server pass it to gpt-oss's template). Hybrid models are switched by a
 * variable of their chat template, which vLLM, SGLang and llama.cpp's server take per
 * request in `chat_template_kwargs`: qwen3's, GLM's and SmolLM3's read `enable_thinking`
 * and think when it is absent; DeepSeek-V3.1's and Granite's read `thinking`. Templates
 * ignore variables they do not use, so both are set.
 */
function thinkingFields(
  mode: GenerateRequest["thinking"],
  templateSwitch: boolean,
): { reasoning_effort?: string; chat_template_kwargs?: Record<string, boolean> } {
  const think = mode !== "off";
  return {
    ...(mode === "low" || mode === "medium" || mode === "high" ? { reasoning_effort: mode } : {}),
    ...(templateSwitch
      ? { chat_template_kwargs: { enable_thinking: think, thinking: think } }
      : {}),
  };
}
