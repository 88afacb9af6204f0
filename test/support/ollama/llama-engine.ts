/**
 * Real inference for the test server: node-llama-cpp running a GGUF model on the CPU,
 * behaving the way an Ollama runner does. The model is loaded on the first request and
 * kept for `keep_alive`; a request with a different `num_ctx` reloads the context (as
 * Ollama reloads its runner); requests run one at a time (Ollama on a CPU with
 * `OLLAMA_NUM_PARALLEL=1`).
 */
import { statSync } from "node:fs";
import type { Llama, LlamaContext, LlamaGrammar, LlamaModel, Token } from "node-llama-cpp";
import { INPUT_TOO_LONG, INVALID_FORMAT_SCHEMA, invalidFormat } from "./ollama-errors.js";
import { OllamaHttpError } from "./ollama-http-error.js";

/** Sampling and runtime options, as Ollama's `options` object names them. */
export interface EngineOptions {
  num_ctx?: number;
  num_predict?: number;
  temperature?: number;
  seed?: number;
  top_k?: number;
  top_p?: number;
  min_p?: number;
  stop?: string | string[];
}

/** One generation: the rendered prompt and everything that shapes the answer. */
export interface EngineRequest {
  prompt: string;
  options: EngineOptions;
  /** `"json"`, a JSON schema, or undefined for free text. */
  format: unknown;
  /** false: a prompt longer than num_ctx is an error instead of losing its beginning. */
  truncate: boolean;
  /** false: stop with `done_reason: "length"` when the context is full. */
  shift: boolean;
  keepAliveMs: number;
  signal: AbortSignal;
  /** Called with each piece of generated text, in order. */
  onText: (text: string) => void;
}

/** What Ollama reports in the final chunk, durations in nanoseconds. */
export interface EngineResult {
  doneReason: "stop" | "length";
  promptEvalCount: number;
  evalCount: number;
  loadDurationNs: number;
  promptEvalDurationNs: number;
  evalDurationNs: number;
}

/** A loaded model as `/api/ps` describes it. */
export interface LoadedModelState {
  contextLength: number;
  /** When the keep-alive timer unloads it; undefined while a request runs or forever. */
  expiresAt: Date | undefined;
  sizeBytes: number;
}

/** Construction options of the engine. */
export interface LlamaEngineOptions {
  modelFile: string;
  /** num_ctx when a request names none (Ollama's default is 4096). */
  defaultNumCtx?: number;
  /**
   * Tokens generated when num_predict is unset or -1 (Ollama: unbounded). A random
   * model rarely stops by itself, so tests would otherwise run to the context end.
   */
  unboundedPredictCap?: number;
  /** CPU threads; one is fastest for the tiny test model on a busy 2-core machine. */
  threads?: number;
}

// The native binding is loaded once per process: about a second, and many servers in
// one test file should not pay it again.
let sharedLlama: Promise<Llama> | undefined;

async function getSharedLlama(): Promise<Llama> {
  sharedLlama ??= import("node-llama-cpp").then(({ getLlama, LlamaLogLevel }) =>
    // build: "never" so that a failed binary self-test fails fast instead of starting a
    // five-minute source build.
    getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error }),
  );
  return sharedLlama;
}

/** Runs real llama.cpp inference with Ollama's loading, context and sampling rules. */
export class LlamaEngine {
  readonly #modelFile: string;
  readonly #defaultNumCtx: number;
  readonly #unboundedPredictCap: number;
  readonly #threads: number;
  #model: LlamaModel | undefined;
  #context: LlamaContext | undefined;
  #contextLength = 0;
  #unloadTimer: NodeJS.Timeout | undefined;
  #expiresAt: Date | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #grammars = new Map<string, Promise<LlamaGrammar>>();
  #closed = false;

  constructor(options: LlamaEngineOptions) {
    this.#modelFile = options.modelFile;
    this.#defaultNumCtx = options.defaultNumCtx ?? 4096;
    this.#unboundedPredictCap = options.unboundedPredictCap ?? 256;
    this.#threads = options.threads ?? 1;
  }

  /** The loaded model, or undefined when nothing is loaded. */
  get loaded(): LoadedModelState | undefined {
    if (this.#model === undefined) return undefined;
    return {
      contextLength: this.#contextLength,
      expiresAt: this.#expiresAt,
      sizeBytes: statSync(this.#modelFile).size,
    };
  }

  /**
   * Generates a reply. Throws OllamaHttpError for what Ollama answers with an error
   * status (prompt too long, bad format).
   */
  generate(request: EngineRequest): Promise<EngineResult> {
    return this.#serialise(() => this.#generate(request));
  }

  /**
   * Loads the model (an empty chat or generate request) and applies keep_alive;
   * returns the load duration in nanoseconds.
   */
  load(numCtx: number | undefined, keepAliveMs: number): Promise<number> {
    return this.#serialise(async () => {
      const started = process.hrtime.bigint();
      try {
        await this.#ensureContext(numCtx);
        return elapsedNs(started);
      } finally {
        await this.#scheduleUnload(keepAliveMs);
      }
    });
  }

  /** Unloads the model (keep_alive: 0 without a prompt). */
  unload(): Promise<void> {
    return this.#serialise(() => this.#unload());
  }

  /** Frees the model and context; the engine cannot be used afterwards. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#unloadTimer);
    // Let a generation in hand finish unloading before the model goes away.
    await this.#queue.catch(() => undefined);
    await this.#unload();
  }

  #serialise<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #generate(request: EngineRequest): Promise<EngineResult> {
    const started = process.hrtime.bigint();
    try {
      const grammar = await this.#grammarFor(request.format);
      const context = await this.#ensureContext(request.options.num_ctx);
      const loadDurationNs = elapsedNs(started);
      const model = this.#requireModel();
      const numCtx = this.#contextLength;

      let tokens: Token[] = model.tokenize(request.prompt, false);
      if (model.tokens.bos !== null && model.tokens.shouldPrependBosToken) {
        tokens = [model.tokens.bos, ...tokens];
      }
      if (tokens.length > numCtx) {
        if (!request.truncate) throw new OllamaHttpError(400, INPUT_TOO_LONG);
        // Ollama keeps the first tokens and drops from the beginning of the rest.
        tokens = [...tokens.slice(0, 1), ...tokens.slice(tokens.length - numCtx + 1)];
      }

      const room = numCtx - tokens.length;
      let maxTokens = this.#predictLimit(request.options.num_predict, room);
      if (!request.shift) maxTokens = Math.min(maxTokens, room);
      const promptEvalCount = tokens.length;
      if (maxTokens <= 0) {
        return {
          doneReason: "length",
          promptEvalCount,
          evalCount: 0,
          loadDurationNs,
          promptEvalDurationNs: 1,
          evalDurationNs: 1,
        };
      }

      const { LlamaCompletion } = await import("node-llama-cpp");
      const sequence = context.getSequence();
      const completion = new LlamaCompletion({ contextSequence: sequence });
      const generationStarted = process.hrtime.bigint();
      let firstToken: bigint | undefined;
      let evalCount = 0;
      // node-llama-cpp holds back a token that ends inside a UTF-8 character and generates
      // another to complete it, even when the held one was the last num_predict allowed,
      // so it can return more than maxTokens tokens. Ollama stops at num_predict and drops
      // the unfinished character: tokens past the limit are neither counted nor shown.
      let pastLimit = false;
      try {
        const stop = request.options.stop;
        const result = await completion.generateCompletionWithMeta(tokens, {
          maxTokens,
          temperature: request.options.temperature ?? 0.8,
          ...(request.options.seed !== undefined && { seed: request.options.seed }),
          topK: request.options.top_k ?? 40,
          topP: request.options.top_p ?? 0.9,
          minP: request.options.min_p ?? 0,
          ...(grammar !== undefined && { grammar }),
          ...(stop !== undefined && {
            customStopTriggers: (typeof stop === "string" ? [stop] : stop).filter((s) => s !== ""),
          }),
          disableContextShift: !request.shift,
          signal: request.signal,
          stopOnAbortSignal: true,
          onToken: (generated) => {
            firstToken ??= process.hrtime.bigint();
            pastLimit = evalCount + generated.length > maxTokens;
            evalCount = Math.min(maxTokens, evalCount + generated.length);
          },
          // Called right after onToken with the text of the same tokens.
          onTextChunk: (text) => {
            if (text !== "" && !pastLimit) request.onText(text);
          },
        });
        const finished = process.hrtime.bigint();
        const promptEnd = firstToken ?? finished;
        // At the limit, tokens node-llama-cpp still held (never passed to onToken) were
        // generated all the same: Ollama counts num_predict of them.
        const hitLimit = result.metadata.stopReason === "maxTokens" || evalCount >= maxTokens;
        return {
          doneReason: hitLimit ? "length" : "stop",
          promptEvalCount,
          evalCount: hitLimit ? maxTokens : evalCount,
          loadDurationNs,
          promptEvalDurationNs: Math.max(1, Number(promptEnd - generationStarted)),
          evalDurationNs: Math.max(1, Number(finished - promptEnd)),
        };
      } finally {
        completion.dispose({ disposeSequence: true });
      }
    } finally {
      await this.#scheduleUnload(request.keepAliveMs);
    }
  }

  #predictLimit(numPredict: number | undefined, room: number): number {
    if (numPredict === undefined || numPredict === -1) return this.#unboundedPredictCap;
    if (numPredict === -2) return room;
    if (numPredict < 0) return this.#unboundedPredictCap;
    return numPredict;
  }

  async #grammarFor(format: unknown): Promise<LlamaGrammar | undefined> {
    if (format === undefined || format === null || format === "") return undefined;
    if (typeof format === "string" && format !== "json") {
      throw new OllamaHttpError(500, invalidFormat(format));
    }
    const key = JSON.stringify(format);
    let grammar = this.#grammars.get(key);
    if (grammar === undefined) {
      grammar = getSharedLlama().then((llama) =>
        format === "json"
          ? llama.getGrammarFor("json")
          : llama.createGrammarForJsonSchema(
              format as Parameters<Llama["createGrammarForJsonSchema"]>[0],
            ),
      );
      this.#grammars.set(key, grammar);
    }
    try {
      return await grammar;
    } catch (error) {
      this.#grammars.delete(key);
      throw new OllamaHttpError(500, INVALID_FORMAT_SCHEMA, { cause: error });
    }
  }

  async #ensureContext(requestedNumCtx: number | undefined): Promise<LlamaContext> {
    if (this.#closed) throw new Error("llama engine is closed");
    clearTimeout(this.#unloadTimer);
    this.#expiresAt = undefined;
    if (this.#model === undefined) {
      const llama = await getSharedLlama();
      this.#model = await llama.loadModel({ modelPath: this.#modelFile });
    }
    // Ollama caps num_ctx at what the model was trained for.
    const numCtx = Math.max(
      1,
      Math.min(requestedNumCtx ?? this.#defaultNumCtx, this.#model.trainContextSize),
    );
    if (this.#context === undefined || this.#contextLength !== numCtx) {
      await this.#context?.dispose();
      this.#context = undefined;
      this.#context = await this.#model.createContext({
        contextSize: numCtx,
        threads: this.#threads,
        sequences: 1,
      });
      this.#contextLength = numCtx;
    }
    return this.#context;
  }

  #requireModel(): LlamaModel {
    if (this.#model === undefined) throw new Error("model is not loaded");
    return this.#model;
  }

  async #scheduleUnload(keepAliveMs: number): Promise<void> {
    clearTimeout(this.#unloadTimer);
    if (keepAliveMs <= 0) {
      await this.#unload();
      return;
    }
    if (!Number.isFinite(keepAliveMs)) {
      this.#expiresAt = undefined;
      return;
    }
    this.#expiresAt = new Date(Date.now() + keepAliveMs);
    // Past ~24.8 days setTimeout fires at once; such a keep_alive is forever in a test.
    if (keepAliveMs > 2 ** 31 - 1) return;
    this.#unloadTimer = setTimeout(() => {
      void this.#serialise(() => this.#unload());
    }, keepAliveMs);
    // A loaded model must not keep a finished test process alive.
    this.#unloadTimer.unref();
  }

  async #unload(): Promise<void> {
    clearTimeout(this.#unloadTimer);
    this.#expiresAt = undefined;
    const context = this.#context;
    const model = this.#model;
    this.#context = undefined;
    this.#model = undefined;
    this.#contextLength = 0;
    await context?.dispose();
    await model?.dispose();
  }
}

function elapsedNs(since: bigint): number {
  return Math.max(1, Number(process.hrtime.bigint() - since));
}
