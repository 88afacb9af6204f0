import type { ThinkingMode } from "../config.js";

/**
 * What the worker needs from a model server, whichever it is: one schema-constrained,
 * streamed generation with honest token accounting, and a readiness check.
 */
export interface GenerateRequest {
  model: string;
  system: string;
  messages: { role: "user" | "assistant"; content: string }[];
  /** JSON schema the output must follow (Ollama `format`, OpenAI `response_format`). */
  jsonSchema: Record<string, unknown>;
  numCtx: number;
  /** Tokens the model may generate, thinking included. */
  numPredict: number;
  /** Whether a reasoning model thinks first (see ThinkingMode in config.ts). */
  thinking: ThinkingMode;
  temperature: number;
  keepAlive: string;
  signal: AbortSignal;
  /** Called as tokens arrive with the running count of generated tokens, thinking included. */
  onTokens?: (generated: number) => void;
}

export interface GenerateResult {
  text: string;
  model: string;
  promptTokens: number;
  evalTokens: number;
  /** Pieces of thinking the server streamed apart from the answer (0 for most models). */
  thinkingChunks: number;
  loadMs: number;
  promptMs: number;
  evalMs: number;
  totalMs: number;
  /** `stop` when the model finished; `length` when `numPredict` cut it short. */
  doneReason: string;
}

export type Readiness = { ok: true } | { ok: false; reason: string };

export interface LlmBackend {
  readonly kind: "ollama" | "openai" | "embedded";
  generate(request: GenerateRequest): Promise<GenerateResult>;
  /** Whether the server answers and has the model; never throws. */
  checkReady(model: string): Promise<Readiness>;
  /**
   * The longest context the server will give this model, when it says: Ollama caps
   * `num_ctx` at the model's trained length, vLLM refuses past `max_model_len`.
   * Undefined when unknown (asked again next time); never throws.
   */
  contextLimit?(model: string, signal?: AbortSignal): Promise<number | undefined>;
  close(): Promise<void>;
}
