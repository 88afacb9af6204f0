import type { GenerateRequest, GenerateResult, LlmBackend, Readiness } from "./backend.js";
import { LlmError } from "./errors.js";

type NodeLlamaCpp = typeof import("node-llama-cpp");
type Llama = Awaited<ReturnType<NodeLlamaCpp["getLlama"]>>;
type LlamaModel = Awaited<ReturnType<Llama["loadModel"]>>;

interface EmbeddedBackendOptions {
  modelFile: string;
  /** CPU threads for inference; tiny models run fastest on one. */
  threads?: number;
}

/**
 * llama.cpp in-process through node-llama-cpp: for machines without a model server,
 * the local CLI and the test suite. The module is imported lazily so that deployments
 * using Ollama never load the native addon.
 */
export class EmbeddedBackend implements LlmBackend {
  readonly kind = "embedded";
  private loading:
    Promise<{ lib: NodeLlamaCpp; llama: Llama; model: LlamaModel; loadMs: number }> | undefined;
  /** One generation at a time: a single context keeps memory predictable. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: EmbeddedBackendOptions) {}

  private load() {
    this.loading ??= (async () => {
      const started = Date.now();
      // Left to Node at run time (not bundled): the native addon ships per platform.
      const lib: NodeLlamaCpp = await import(/* webpackIgnore: true */ "node-llama-cpp");
      // build: "never" so a failed binary self-test can never start a long source build.
      const llama = await lib.getLlama({
        gpu: false,
        build: "never",
        logLevel: lib.LlamaLogLevel.error,
      });
      const model = await llama.loadModel({ modelPath: this.options.modelFile });
      return { lib, llama, model, loadMs: Date.now() - started };
    })().catch((error: unknown) => {
      this.loading = undefined;
      throw new LlmError(
        "model_not_found",
        `cannot load the GGUF model file '${this.options.modelFile}': ${(error as Error).message}`,
        { cause: error },
      );
    });
    return this.loading;
  }

  generate(request: GenerateRequest): Promise<GenerateResult> {
    const run = this.queue.then(() => this.generateNow(request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async generateNow(request: GenerateRequest): Promise<GenerateResult> {
    const started = Date.now();
    const wasLoaded = this.loading !== undefined;
    const { lib, llama, model, loadMs } = await this.load();
    const promptText = [request.system, ...request.messages.map((m) => m.content)].join("\n");
    const promptTokens = model.tokenize(promptText).length;
    if (promptTokens + request.numPredict > request.numCtx) {
      throw new LlmError(
        "context_overflow",
        `the prompt is ${promptTokens} tokens; with num_predict=${request.numPredict} it does not fit num_ctx=${request.numCtx}`,
        { promptTokens },
      );
    }
    const context = await model.createContext({
      contextSize: request.numCtx,
      threads: this.options.threads ?? 1,
    });
    try {
      const grammar = await llama.createGrammarForJsonSchema(
        request.jsonSchema as Parameters<Llama["createGrammarForJsonSchema"]>[0],
      );
      const session = new lib.LlamaChatSession({
        contextSequence: context.getSequence(),
        systemPrompt: request.system,
      });
      const history = request.messages.slice(0, -1);
      const last = request.messages.at(-1);
      if (!last || last.role !== "user")
        throw new LlmError("bad_request", "the last message must be the user's");
      session.setChatHistory([
        { type: "system", text: request.system },
        ...history.map((m) =>
          m.role === "user"
            ? { type: "user" as const, text: m.content }
            : { type: "model" as const, response: [m.content] },
        ),
      ]);
      let generated = 0;
      const promptDone = Date.now();
      const reply = await session.promptWithMeta(last.content, {
        grammar,
        maxTokens: request.numPredict,
        temperature: request.temperature,
        signal: request.signal,
        onToken: (tokens) => {
          generated += tokens.length;
          request.onTokens?.(generated);
        },
      });
      const text = reply.responseText;
      const finished = Date.now();
      return {
        text,
        model: request.model,
        promptTokens,
        evalTokens: generated,
        // The grammar holds from the first token, so node-llama-cpp opens no thought
        // segment: no model thinks here (config.ts keeps no room for it).
        thinkingChunks: 0,
        loadMs: wasLoaded ? 0 : loadMs,
        promptMs: promptDone - started,
        evalMs: finished - promptDone,
        totalMs: finished - started,
        doneReason: reply.stopReason === "maxTokens" ? "length" : "stop",
      };
    } catch (error) {
      if (error instanceof LlmError) throw error;
      if (request.signal.aborted)
        throw new LlmError("aborted", "generation aborted", { cause: error });
      throw new LlmError("bad_request", `embedded inference failed: ${(error as Error).message}`, {
        cause: error,
      });
    } finally {
      await context.dispose();
    }
  }

  async checkReady(): Promise<Readiness> {
    try {
      await this.load();
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    if (!this.loading) return;
    const loaded = await this.loading.catch(() => undefined);
    await loaded?.model.dispose();
    await loaded?.llama.dispose();
  }
}
