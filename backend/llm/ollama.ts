import { Ollama, type ChatResponse } from "ollama";
import type { GenerateRequest, GenerateResult, LlmBackend, Readiness } from "./backend.js";
import { ContextLimits } from "./context-limits.js";
import { LlmError, isConnectionError, modelNotFound } from "./errors.js";
import { StreamWatchdog, type StreamLimits } from "./stream-watchdog.js";

const NS_PER_MS = 1_000_000;

interface OllamaBackendOptions extends StreamLimits {
  host: string;
  /** Sent as a bearer token, for an Ollama behind a proxy that asks for one. */
  apiKey?: string | undefined;
}

/**
 * Ollama's native chat API, always streamed: a non-streamed call dies at Node fetch's
 * 300 s header timeout on long generations, and streaming gives live token counts.
 */
export class OllamaBackend implements LlmBackend {
  readonly kind = "ollama";
  private readonly limits = new ContextLimits((model, signal) =>
    this.trainedContext(model, signal),
  );

  constructor(private readonly options: OllamaBackendOptions) {}

  private client(signal?: AbortSignal): Ollama {
    // A client per call so that our signal also covers the wait for response headers,
    // which the library's own abort handle does not reach.
    return new Ollama({
      host: this.options.host,
      ...(this.options.apiKey
        ? { headers: { Authorization: `Bearer ${this.options.apiKey}` } }
        : {}),
      fetch: async (input, init) =>
        errorAsJson(
          await fetch(input, {
            ...init,
            signal:
              signal && init?.signal
                ? AbortSignal.any([signal, init.signal])
                : (signal ?? init?.signal ?? null),
          }),
        ),
    });
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const started = Date.now();
    const watchdog = new StreamWatchdog(this.options);
    const signal = AbortSignal.any([request.signal, watchdog.signal]);
    let text = "";
    let generated = 0;
    let thinkingChunks = 0;
    let final: ChatResponse | undefined;
    try {
      const stream = await this.client(signal).chat({
        model: request.model,
        messages: [{ role: "system", content: request.system }, ...request.messages],
        stream: true,
        format: request.jsonSchema,
        think: ollamaThink(request.thinking),
        keep_alive: request.keepAlive,
        options: {
          num_ctx: request.numCtx,
          num_predict: request.numPredict,
          temperature: request.temperature,
        },
        // Not in the client's types: without it Ollama silently drops the start of a
        // prompt that does not fit num_ctx. With it, overflow is an error we can report.
        ...({ truncate: false } as object),
      });
      for await (const chunk of stream) {
        watchdog.token();
        if (chunk.message?.content) text += chunk.message.content;
        if (chunk.message?.thinking) thinkingChunks += 1;
        if (chunk.message?.content || chunk.message?.thinking) {
          generated += 1;
          request.onTokens?.(generated);
        }
        if (chunk.done) final = chunk;
      }
    } catch (error) {
      throw watchdog.tripped ? watchdog.error(error) : this.classify(error, request);
    } finally {
      watchdog.stop();
    }
    if (!final)
      throw new LlmError("unavailable", "the model server closed the stream before it finished");
    return {
      text,
      model: final.model || request.model,
      promptTokens: final.prompt_eval_count ?? 0,
      evalTokens: final.eval_count ?? generated,
      thinkingChunks,
      loadMs: (final.load_duration ?? 0) / NS_PER_MS,
      promptMs: (final.prompt_eval_duration ?? 0) / NS_PER_MS,
      evalMs: (final.eval_duration ?? 0) / NS_PER_MS,
      totalMs: final.total_duration ? final.total_duration / NS_PER_MS : Date.now() - started,
      doneReason: final.done_reason ?? "stop",
    };
  }

  private classify(error: unknown, request: GenerateRequest): LlmError {
    if (error instanceof LlmError) return error;
    if (request.signal.aborted)
      return new LlmError("aborted", "generation aborted", { cause: error });
    const status = (error as { status_code?: unknown }).status_code;
    const message = error instanceof Error ? error.message : String(error);
    // "model 'x' not found" from every Ollama; a bare "model not found" from ollama.com's
    // replies for cloud models, which Ollama passes on.
    if (/\bmodel\b.*\bnot found\b/i.test(message)) {
      return modelNotFound(
        request.model,
        `pull it with 'ollama pull ${request.model}' (or set MODEL to a model the server has)`,
      );
    }
    if (status === 404) {
      // Ollama answers a missing model with its name; a bare 404 is another server.
      return new LlmError(
        "bad_request",
        `${this.options.host} answered 404 to /api/chat (${message.slice(0, 200)}): it is not an Ollama server; for vLLM, llama.cpp's server or LM Studio set LLM_BACKEND=openai and OPENAI_BASE_URL`,
        { cause: error },
      );
    }
    if (
      /context length|exceeds the (maximum )?context|prompt is too long|too many tokens/i.test(
        message,
      )
    ) {
      return new LlmError(
        "context_overflow",
        `the prompt does not fit num_ctx=${request.numCtx}: ${message}`,
        { cause: error },
      );
    }
    if (typeof status === "number" && status >= 500) {
      return new LlmError("unavailable", `model server answered ${status}: ${message}`, {
        cause: error,
      });
    }
    if (typeof status === "number" && status >= 400) {
      return new LlmError(
        "bad_request",
        `model server refused the request (${status}): ${message}`,
        { cause: error },
      );
    }
    if (isConnectionError(error) || /did not receive done/i.test(message)) {
      return new LlmError(
        "unavailable",
        `cannot reach the model server at ${this.options.host}: ${message}`,
        { cause: error },
      );
    }
    return new LlmError("unavailable", message, { cause: error });
  }

  async checkReady(model: string): Promise<Readiness> {
    try {
      const signal = AbortSignal.timeout(3000);
      const { models } = await this.client(signal).list();
      const wanted = withTag(model);
      if (models.some((m) => m.name === wanted || m.model === wanted || m.name === model))
        return { ok: true };
      return {
        ok: false,
        reason: `model '${model}' not pulled on ${this.options.host} (ollama pull ${model})`,
      };
    } catch (error) {
      return {
        ok: false,
        reason: `Ollama at ${this.options.host} unreachable: ${(error as Error).message}`,
      };
    }
  }

  /**
   * The model's trained context length: Ollama runs a larger `num_ctx` at that length,
   * with only a warning in its own log.
   */
  contextLimit(model: string, signal?: AbortSignal): Promise<number | undefined> {
    return this.limits.get(model, signal);
  }

  /** `<architecture>.context_length` in `/api/show`'s model_info, as Ollama reads it. */
  private async trainedContext(model: string, signal: AbortSignal): Promise<number | undefined> {
    const shown = await this.client(signal).show({ model });
    // Typed as a Map by the client; parsed from JSON, it is a plain object.
    const info = shown.model_info as unknown;
    const entries = new Map<string, unknown>(
      info instanceof Map
        ? (info as Map<string, unknown>)
        : Object.entries((info ?? {}) as Record<string, unknown>),
    );
    const value = entries.get(`${String(entries.get("general.architecture"))}.context_length`);
    return typeof value === "number" && value > 0 ? value : undefined;
  }

  async close(): Promise<void> {}
}

/**
 * Ollama's `think`: false keeps a hybrid model (qwen3, deepseek-v3.1) from thinking and
 * is accepted by every model; unset, Ollama turns thinking on for any model that can.
 * (gpt-oss thinks whatever it is told; its thinking then counts against num_predict.)
 */
function ollamaThink(mode: GenerateRequest["thinking"]): boolean | "low" | "medium" | "high" {
  if (mode === "off") return false;
  return mode === "on" ? true : mode;
}

/** Ollama names models `name:tag`; a bare name means `:latest`. */
function withTag(model: string): string {
  return model.includes(":") ? model : `${model}:latest`;
}

/** Error text kept: an HTML error page of a proxy is no use whole in a log line. */
const MAX_ERROR_TEXT = 2000;

/**
 * An error response as Ollama's `{"error": text}`, whatever the server sent: for a body
 * that is not JSON (or labelled JSON but not), the client library writes "Getting text
 * from response" or "Failed to parse error response as JSON" to standard output, which
 * is the CLI's output and the worker's JSON log.
 */
async function errorAsJson(response: Response): Promise<Response> {
  if (response.ok) return response;
  const text = await response.text().catch(() => "");
  let error = text.slice(0, MAX_ERROR_TEXT) || `${response.status} ${response.statusText}`;
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === "string") error = parsed.error.slice(0, MAX_ERROR_TEXT);
  } catch {
    // Not JSON: the text itself is the error.
  }
  return new Response(JSON.stringify({ error }), {
    status: response.status,
    statusText: response.statusText,
    headers: { "content-type": "application/json" },
  });
}
