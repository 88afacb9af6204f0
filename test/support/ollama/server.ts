/**
 * An Ollama-API-compatible HTTP server for tests: `/api/chat`, `/api/generate`,
 * `/api/show`, `/api/tags`, `/api/ps`, `/api/version` on 127.0.0.1 with an ephemeral
 * port. Three modes answer chat and generate requests:
 *
 * - `real`: llama.cpp inference (node-llama-cpp) on a GGUF model, with Ollama's rules
 *   for `num_ctx`, `truncate`, `num_predict`, `format`, `keep_alive`;
 * - `scripted`: replies and faults from a script, for tests where content matters;
 * - `instant`: one fixed reply with no delays, for throughput benchmarks.
 *
 * Every request body and every response body (each streamed event included) is
 * validated against Ollama's OpenAPI description; a request that violates it gets a
 * 400 and, like any response that violates it, lands in `violations`.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { renderChatPrompt, renderGeneratePrompt, type TemplateMessage } from "./chat-template.js";
import { parseKeepAlive } from "./keep-alive.js";
import { LlamaEngine, type EngineOptions, type LoadedModelState } from "./llama-engine.js";
import { describeModel, type ModelDescription } from "./model-info.js";
import {
  INPUT_TOO_LONG,
  MISSING_BODY,
  modelNotFound,
  thinkingNotSupported,
} from "./ollama-errors.js";
import { OllamaHttpError } from "./ollama-http-error.js";
import {
  getOllamaOpenApiValidator,
  type OllamaEndpoint,
  type OllamaOpenApiValidator,
} from "./openapi-validator.js";
import { ReplyWriter, sendJson, sendText, type ReplyStats } from "./reply-writer.js";
import { ScriptExhaustedError, ScriptQueue, type Script, type ScriptedReply } from "./script.js";
import { playScriptedReply } from "./scripted-playback.js";
import { estimateTokenCount } from "./token-estimate.js";
import { TINY_MODEL } from "../fixture-files.js";

/** How chat and generate requests are answered. */
export type ServerMode = "real" | "scripted" | "instant";

/** Options of startOllamaTestServer; all optional. */
export interface OllamaTestServerOptions {
  /** Default: `"scripted"` when `script` is given, else `"real"`. */
  mode?: ServerMode;
  /** The model name served; a name without a tag means `:latest`. Default `tiny-random:latest`. */
  model?: string;
  /** GGUF file for real mode and for `/api/show`. Default `test/fixtures/models/llama-2-tiny-random.gguf`. */
  modelFile?: string;
  /** Replies for scripted mode. */
  script?: Script;
  /** The instant-mode reply content. Default `"{}"`. */
  instantReply?: string;
  /** Default 0 (ephemeral). */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** What `/api/version` reports. Default `0.12.6`. */
  version?: string;
  /** num_ctx when a request names none. Default 4096 (Ollama's default). */
  defaultNumCtx?: number;
  /** Real mode: tokens generated when num_predict is unset or -1. Default 256. */
  unboundedPredictCap?: number;
  /** Real mode: CPU threads. Default 1. */
  threads?: number;
  /**
   * The model's trained context length, as `/api/show` reports it and as scripted and
   * instant modes cap `num_ctx` (Ollama runs a larger `num_ctx` at this length). Default:
   * the GGUF's (4096 for the test model), which real mode always uses.
   */
  contextLength?: number;
  /**
   * The served model can think, as `/api/show` then reports: `hybrid` like qwen3 (Ollama
   * turns thinking on unless the request says `think: false`), `always` like gpt-oss
   * (it thinks whatever `think` says). Default: it cannot, and `think` on is a 400.
   */
  thinking?: "hybrid" | "always";
  /** Ollama's OpenAPI description. Default `test/fixtures/ollama/openapi.yaml`. */
  openApiFile?: string;
}

/** One request as the server received it. */
export interface RecordedRequest {
  id: number;
  method: string;
  path: string;
  /** The parsed JSON body; the raw text when it was not JSON; undefined when empty. */
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  receivedAt: Date;
  /** The response status, once sent. */
  status: number | undefined;
  /**
   * - `pending`: still being answered;
   * - `completed`: answered in full (an error status is a complete answer);
   * - `cut`: the server destroyed the connection (a `cut` fault);
   * - `client-closed`: the client went away before the answer was complete.
   */
  outcome: "pending" | "completed" | "cut" | "client-closed";
}

/** A departure from Ollama's API (or an internal failure) that a test should notice. */
export interface Violation {
  /**
   * - `request`: the client sent a body that violates the description, malformed JSON,
   *   or called a route Ollama does not have;
   * - `response`: the server sent a body that violates the description (a server bug);
   * - `script`: scripted mode had no reply left for a request;
   * - `server`: real inference failed unexpectedly.
   */
  direction: "request" | "response" | "script" | "server";
  method: string;
  path: string;
  errors: string[];
  body: unknown;
}

/** A running test server. */
export interface OllamaTestServer {
  /** `http://127.0.0.1:<port>`, ready for `new Ollama({ host: url })`. */
  readonly url: string;
  readonly port: number;
  /** The served model name (normalised, with its tag). */
  readonly model: string;
  readonly mode: ServerMode;
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Every violation seen, in order; empty while all traffic is faithful. */
  readonly violations: readonly Violation[];
  /** Switches how chat and generate requests are answered. */
  setMode(mode: ServerMode): void;
  /** Replaces the script and switches to scripted mode. */
  setScript(script: Script): void;
  /** Sets the instant-mode reply content. */
  setInstantReply(content: string): void;
  /** Scripted replies not yet used (Infinity for a function script). */
  scriptRemaining(): number;
  /** Requests to one path, e.g. `"/api/chat"`. */
  requestsTo(path: string): RecordedRequest[];
  /** Real mode: the loaded model, as `/api/ps` reports it; undefined when none is loaded. */
  loadedModel(): LoadedModelState | undefined;
  /** Forgets recorded requests and violations. */
  clearRecords(): void;
  /** Stops listening, drops open connections, and frees the model. */
  close(): Promise<void>;
}

const DEFAULT_MODEL_FILE = TINY_MODEL;

// What `/api/show` reports as the template: the Go-template form of chat-template.ts.
const TEMPLATE_TEXT =
  "[INST] {{ if .System }}<<SYS>>\n{{ .System }}\n<</SYS>>\n\n{{ end }}{{ .Prompt }} [/INST]";

const FINAL_FIELDS = [
  "total_duration",
  "load_duration",
  "prompt_eval_count",
  "prompt_eval_duration",
  "eval_count",
  "eval_duration",
] as const;

/**
 * Starts an Ollama-compatible server on an ephemeral port (unless `port` is given)
 * and resolves once it is listening.
 */
export async function startOllamaTestServer(
  options: OllamaTestServerOptions = {},
): Promise<OllamaTestServer> {
  const server = new OllamaTestServerImpl(options);
  await server.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  return server;
}

type GenerateEndpoint = "/api/chat" | "/api/generate";

interface RequestContext {
  res: ServerResponse;
  record: RecordedRequest;
  parsed: ParsedJson;
  startedAt: bigint;
  signal: AbortSignal;
  markCut: () => void;
}

class OllamaTestServerImpl implements OllamaTestServer {
  readonly model: string;
  readonly requests: RecordedRequest[] = [];
  readonly violations: Violation[] = [];
  #mode: ServerMode;
  #url = "";
  #port = 0;
  readonly #http: Server;
  readonly #options: OllamaTestServerOptions;
  readonly #modelFile: string;
  readonly #validator: OllamaOpenApiValidator;
  readonly #script = new ScriptQueue();
  #instantReply: string;
  #engine: LlamaEngine | undefined;
  #description: Promise<ModelDescription> | undefined;
  readonly #inflight = new Set<AbortController>();
  #nextId = 1;

  constructor(options: OllamaTestServerOptions) {
    this.#options = options;
    this.model = normaliseModelName(options.model ?? "tiny-random:latest");
    this.#modelFile = options.modelFile ?? DEFAULT_MODEL_FILE;
    this.#mode = options.mode ?? (options.script === undefined ? "real" : "scripted");
    if (options.script !== undefined) this.#script.set(options.script);
    this.#instantReply = options.instantReply ?? "{}";
    this.#validator = getOllamaOpenApiValidator(options.openApiFile);
    this.#http = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        this.#violation("server", req.method ?? "", req.url ?? "", [String(error)], undefined);
        sendJson(res, 500, { error: errorMessage(error) });
      });
    });
    // Ollama lets a request run for as long as generation takes.
    this.#http.requestTimeout = 0;
    this.#http.headersTimeout = 0;
  }

  get url(): string {
    return this.#url;
  }

  get port(): number {
    return this.#port;
  }

  get mode(): ServerMode {
    return this.#mode;
  }

  async listen(port: number, host: string): Promise<void> {
    this.#http.listen(port, host);
    await once(this.#http, "listening");
    const address = this.#http.address() as AddressInfo;
    this.#port = address.port;
    this.#url = `http://${host}:${address.port}`;
  }

  setMode(mode: ServerMode): void {
    this.#mode = mode;
  }

  setScript(script: Script): void {
    this.#script.set(script);
    this.#mode = "scripted";
  }

  setInstantReply(content: string): void {
    this.#instantReply = content;
  }

  scriptRemaining(): number {
    return this.#script.remaining;
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  loadedModel(): LoadedModelState | undefined {
    return this.#engine?.loaded;
  }

  clearRecords(): void {
    this.requests.length = 0;
    this.violations.length = 0;
  }

  async close(): Promise<void> {
    for (const controller of this.#inflight) controller.abort();
    const closed = new Promise<void>((resolve) => this.#http.close(() => resolve()));
    this.#http.closeAllConnections();
    await closed;
    await this.#engine?.close();
    this.#engine = undefined;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const method = req.method ?? "GET";
    const raw = await readBody(req);
    const parsed = parseJson(raw);
    const record: RecordedRequest = {
      id: this.#nextId++,
      method,
      path,
      body: parsed.ok ? parsed.value : raw === "" ? undefined : raw,
      headers: { ...req.headers },
      receivedAt: new Date(),
      status: undefined,
      outcome: "pending",
    };
    this.requests.push(record);

    const controller = new AbortController();
    this.#inflight.add(controller);
    let cut = false;
    res.on("close", () => {
      this.#inflight.delete(controller);
      record.status = res.headersSent ? res.statusCode : undefined;
      if (cut) record.outcome = "cut";
      else record.outcome = res.writableFinished ? "completed" : "client-closed";
      controller.abort();
    });
    const context: RequestContext = {
      res,
      record,
      parsed,
      startedAt: process.hrtime.bigint(),
      signal: controller.signal,
      markCut: () => {
        cut = true;
      },
    };

    const route = `${method} ${path}`;
    switch (route) {
      case "GET /":
      case "HEAD /":
        sendText(res, 200, "Ollama is running");
        return;
      case "GET /api/version":
        this.#sendChecked(res, "/api/version", { version: this.#options.version ?? "0.12.6" });
        return;
      case "GET /api/tags":
        await this.#tags(res);
        return;
      case "GET /api/ps":
        await this.#ps(res);
        return;
      case "POST /api/show":
        await this.#show(context);
        return;
      case "POST /api/chat":
      case "POST /api/generate":
        await this.#generate(context, path as GenerateEndpoint);
        return;
      default:
        this.#violation("request", method, path, [`Ollama has no route ${route}`], record.body);
        // Ollama's router (gin) answers unknown routes with Go's plain-text 404.
        sendText(res, 404, "404 page not found");
    }
  }

  async #generate(context: RequestContext, endpoint: GenerateEndpoint) {
    const { res, record } = context;
    const body = this.#parseRequest(context, endpoint);
    if (body === undefined) return;

    let keepAliveMs: number;
    try {
      keepAliveMs = parseKeepAlive(body.keep_alive as string | number | undefined);
    } catch (error) {
      this.#sendChecked(res, endpoint, { error: errorMessage(error) }, 400);
      return;
    }
    const requestedModel = body.model as string;
    if (normaliseModelName(requestedModel) !== this.model) {
      this.#sendChecked(res, endpoint, { error: modelNotFound(requestedModel) }, 404);
      return;
    }
    const thinkRefusal = this.#thinkRefusal(body.think, requestedModel);
    if (thinkRefusal !== undefined) {
      this.#sendChecked(res, endpoint, { error: thinkRefusal }, 400);
      return;
    }

    const stream = body.stream !== false;
    const writer = new ReplyWriter(res, {
      endpoint,
      model: requestedModel,
      stream,
      check: (sent, kind) => this.#checkResponse(record, endpoint, sent, kind),
    });

    const messages = endpoint === "/api/chat" ? (body.messages as TemplateMessage[]) : undefined;
    const promptText = endpoint === "/api/generate" ? (body.prompt as string | undefined) : "";
    const loadOnly = messages === undefined ? (promptText ?? "") === "" : messages.length === 0;
    const options = (body.options ?? {}) as EngineOptions;
    if (loadOnly) {
      await this.#loadOnly(writer, options, keepAliveMs);
      return;
    }
    const prompt =
      messages !== undefined
        ? renderChatPrompt(messages)
        : renderGeneratePrompt(
            promptText ?? "",
            body.system as string | undefined,
            body.raw as boolean | undefined,
          );

    switch (this.#mode) {
      case "real":
        await this.#real(context, writer, body, prompt, options, keepAliveMs);
        return;
      case "scripted":
        await this.#scripted(context, writer, endpoint, body, prompt, options);
        return;
      case "instant":
        await this.#instant(context, writer, body, prompt, options);
        return;
    }
  }

  async #loadOnly(writer: ReplyWriter, options: EngineOptions, keepAliveMs: number) {
    if (this.#mode === "real") {
      if (keepAliveMs === 0) await this.#realEngine().unload();
      else await this.#realEngine().load(options.num_ctx, keepAliveMs);
    }
    writer.finishLoad(keepAliveMs === 0 ? "unload" : "load");
  }

  async #real(
    context: RequestContext,
    writer: ReplyWriter,
    body: Record<string, unknown>,
    prompt: string,
    options: EngineOptions,
    keepAliveMs: number,
  ) {
    try {
      const result = await this.#realEngine().generate({
        prompt,
        options,
        format: body.format,
        truncate: body.truncate !== false,
        shift: body.shift !== false,
        keepAliveMs,
        signal: context.signal,
        onText: (text) => void writer.chunk(text),
      });
      if (context.signal.aborted) return;
      writer.finish({
        doneReason: result.doneReason,
        totalDurationNs: elapsedNs(context.startedAt),
        loadDurationNs: result.loadDurationNs,
        promptEvalCount: result.promptEvalCount,
        promptEvalDurationNs: result.promptEvalDurationNs,
        evalCount: result.evalCount,
        evalDurationNs: result.evalDurationNs,
      });
    } catch (error) {
      if (error instanceof OllamaHttpError) {
        writer.fail(error.status, error.message);
        return;
      }
      if (context.signal.aborted) return;
      const { record } = context;
      this.#violation("server", record.method, record.path, [errorMessage(error)], record.body);
      writer.fail(500, errorMessage(error));
    }
  }

  async #scripted(
    context: RequestContext,
    writer: ReplyWriter,
    endpoint: GenerateEndpoint,
    body: Record<string, unknown>,
    prompt: string,
    options: EngineOptions,
  ) {
    const promptTokens = this.#estimatePromptTokens(
      prompt,
      options,
      body,
      await this.#trainedContext(),
    );
    if (promptTokens === undefined) {
      writer.fail(400, INPUT_TOO_LONG);
      return;
    }
    let reply: ScriptedReply;
    try {
      reply = await this.#script.next({ endpoint, body, prompt });
    } catch (error) {
      if (!(error instanceof ScriptExhaustedError)) throw error;
      const { record } = context;
      this.#violation("script", record.method, record.path, [error.message], record.body);
      writer.fail(500, error.message);
      return;
    }
    await playScriptedReply(reply, {
      writer,
      model: body.model as string,
      promptTokens,
      startedAt: context.startedAt,
      signal: context.signal,
      onCut: context.markCut,
      thinks:
        this.#options.thinking === "always" ||
        (this.#options.thinking === "hybrid" && body.think !== false),
      numPredict: options.num_predict,
      // With `format`, Ollama lets a thinking model think unconstrained, then starts a
      // second completion whose prompt holds the thinking, under the schema.
      structuredAfterThinking: body.format !== undefined,
    });
  }

  /**
   * Ollama's 400 for a `think` the model cannot honour: thinking asked of a model without
   * the capability, or a level (`"low"`…) of a model other than gpt-oss (as Ollama
   * versions that check levels answer; newer ones take any level as `true`).
   */
  #thinkRefusal(think: unknown, requestedModel: string): string | undefined {
    const asked = think === true || typeof think === "string";
    if (this.#options.thinking === undefined)
      return asked ? thinkingNotSupported(requestedModel) : undefined;
    if (typeof think === "string" && this.#options.thinking === "hybrid")
      return `think value ${JSON.stringify(think)} is not supported for this model`;
    return undefined;
  }

  async #instant(
    context: RequestContext,
    writer: ReplyWriter,
    body: Record<string, unknown>,
    prompt: string,
    options: EngineOptions,
  ) {
    const promptTokens = this.#estimatePromptTokens(
      prompt,
      options,
      body,
      await this.#trainedContext(),
    );
    if (promptTokens === undefined) {
      writer.fail(400, INPUT_TOO_LONG);
      return;
    }
    const content = this.#instantReply;
    await writer.chunk(content);
    const stats: ReplyStats = {
      doneReason: "stop",
      totalDurationNs: elapsedNs(context.startedAt),
      loadDurationNs: 1,
      promptEvalCount: promptTokens,
      promptEvalDurationNs: 1,
      evalCount: estimateTokenCount(content),
      evalDurationNs: 1,
    };
    writer.finish(stats);
  }

  /**
   * The prompt's token count as a model would report it (BOS included), applying
   * num_ctx like Ollama: undefined when it does not fit and `truncate` is false,
   * num_ctx when it is truncated.
   */
  #estimatePromptTokens(
    prompt: string,
    options: EngineOptions,
    body: Record<string, unknown>,
    trainedContext: number,
  ): number | undefined {
    const tokens = 1 + estimateTokenCount(prompt);
    const numCtx = Math.min(options.num_ctx ?? this.#options.defaultNumCtx ?? 4096, trainedContext);
    if (tokens <= numCtx) return tokens;
    return body.truncate === false ? undefined : numCtx;
  }

  async #show(context: RequestContext) {
    const body = this.#parseRequest(context, "/api/show");
    if (body === undefined) return;
    const requested = body.model as string;
    if (normaliseModelName(requested) !== this.model) {
      this.#sendChecked(context.res, "/api/show", { error: modelNotFound(requested) }, 404);
      return;
    }
    const description = await this.#describe();
    this.#sendChecked(context.res, "/api/show", {
      license: "MIT",
      modelfile: `# Modelfile generated by "ollama show"\nFROM ${this.#modelFile}\nTEMPLATE """${TEMPLATE_TEXT}"""\n`,
      template: TEMPLATE_TEXT,
      details: description.details,
      model_info:
        this.#options.contextLength === undefined
          ? description.modelInfo
          : {
              ...description.modelInfo,
              [`${description.details.family}.context_length`]: this.#options.contextLength,
            },
      capabilities: this.#options.thinking ? ["completion", "thinking"] : ["completion"],
      modified_at: description.modifiedAt,
    });
  }

  async #tags(res: ServerResponse) {
    const description = await this.#describe();
    this.#sendChecked(res, "/api/tags", {
      models: [
        {
          name: this.model,
          model: this.model,
          modified_at: description.modifiedAt,
          size: description.sizeBytes,
          digest: description.digest,
          details: description.details,
        },
      ],
    });
  }

  async #ps(res: ServerResponse) {
    const loaded = this.#engine?.loaded;
    if (loaded === undefined) {
      this.#sendChecked(res, "/api/ps", { models: [] });
      return;
    }
    const description = await this.#describe();
    this.#sendChecked(res, "/api/ps", {
      models: [
        {
          name: this.model,
          model: this.model,
          size: loaded.sizeBytes,
          digest: description.digest,
          details: description.details,
          // Ollama shows a model kept forever (or busy) as expiring centuries ahead.
          expires_at: (loaded.expiresAt ?? new Date(Date.UTC(2318, 0, 1))).toISOString(),
          size_vram: 0,
          context_length: loaded.contextLength,
        },
      ],
    });
  }

  /** Parses and validates a request body; answers the error and returns undefined when it is bad. */
  #parseRequest(
    context: RequestContext,
    endpoint: OllamaEndpoint,
  ): Record<string, unknown> | undefined {
    const { res, record, parsed } = context;
    if (!parsed.ok) {
      const error = parsed.error ?? MISSING_BODY;
      this.#violation("request", record.method, record.path, [error], record.body);
      this.#sendChecked(res, endpoint, { error }, 400);
      return undefined;
    }
    const body = parsed.value;
    const errors = this.#validator.validateRequest(endpoint, body);
    if (errors.length > 0) {
      this.#violation("request", record.method, record.path, errors, body);
      this.#sendChecked(res, endpoint, { error: errors.join("; ") }, 400);
      return undefined;
    }
    return body as Record<string, unknown>;
  }

  #sendChecked(res: ServerResponse, endpoint: OllamaEndpoint, body: object, status = 200) {
    const errors = this.#validator.validateResponse(endpoint, body, "json");
    if (errors.length > 0) this.#violation("response", "", endpoint, errors, body);
    sendJson(res, status, body);
  }

  #checkResponse(
    record: RecordedRequest,
    endpoint: GenerateEndpoint,
    body: Record<string, unknown>,
    kind: "json" | "ndjson",
  ) {
    const errors = this.#validator.validateResponse(endpoint, body, kind);
    if (body.done === true && body.done_reason !== "load" && body.done_reason !== "unload") {
      if (typeof body.done_reason !== "string") errors.push("final chunk has no done_reason");
      for (const field of FINAL_FIELDS) {
        const value = body[field];
        if (!Number.isInteger(value) || (value as number) < 0) {
          errors.push(`final chunk ${field} is not a non-negative integer: ${String(value)}`);
        }
      }
    }
    if (errors.length > 0) this.#violation("response", record.method, record.path, errors, body);
  }

  #violation(
    direction: Violation["direction"],
    method: string,
    path: string,
    errors: string[],
    body: unknown,
  ) {
    this.violations.push({ direction, method, path, errors, body });
  }

  #realEngine(): LlamaEngine {
    this.#engine ??= new LlamaEngine({
      modelFile: this.#modelFile,
      ...(this.#options.defaultNumCtx !== undefined && {
        defaultNumCtx: this.#options.defaultNumCtx,
      }),
      ...(this.#options.unboundedPredictCap !== undefined && {
        unboundedPredictCap: this.#options.unboundedPredictCap,
      }),
      ...(this.#options.threads !== undefined && { threads: this.#options.threads }),
    });
    return this.#engine;
  }

  /** The context length num_ctx is capped at: the `contextLength` option, else the GGUF's. */
  async #trainedContext(): Promise<number> {
    return this.#options.contextLength ?? (await this.#describe()).contextLength;
  }

  #describe(): Promise<ModelDescription> {
    this.#description ??= describeModel(this.#modelFile);
    return this.#description;
  }
}

/** Ollama's rule: a name without a tag means `:latest`. */
function normaliseModelName(name: string): string {
  const lastSegment = name.slice(name.lastIndexOf("/") + 1);
  return lastSegment.includes(":") ? name : `${name}:latest`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** A request body parsed once: the value, or why it is not JSON (no error: empty body). */
type ParsedJson = { ok: true; value: unknown } | { ok: false; error: string | undefined };

function parseJson(raw: string): ParsedJson {
  if (raw.trim() === "") return { ok: false, error: undefined };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch (error) {
    return { ok: false, error: errorMessage(error) };
  }
}

function elapsedNs(since: bigint): number {
  return Math.max(1, Number(process.hrtime.bigint() - since));
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export type { Script, ScriptedReply } from "./script.js";
export type { ScriptedFault, ScriptFunction, ScriptRequest } from "./script.js";
export type { LoadedModelState } from "./llama-engine.js";
