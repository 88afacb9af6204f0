/**
 * Scripted replies: what the server answers, chunk by chunk, when a test needs
 * specific content (a plan, an edit set) or a specific failure, instead of the
 * gibberish a random model writes.
 */

/** A failure injected in place of (or in the middle of) a reply. */
export type ScriptedFault =
  /** An HTTP error status with Ollama's `{"error": ...}` body, before any chunk. */
  | { type: "http-error"; status: number; error?: string }
  /** 404 `model '<name>' not found`, as if the model had been removed. */
  | { type: "unknown-model" }
  /** 400 `the input length exceeds the context length`, whatever the prompt length. */
  | { type: "prompt-too-long" }
  /** The socket is destroyed after `afterChunks` content chunks (0: before any byte). */
  | { type: "cut"; afterChunks: number }
  /**
   * Ollama's mid-stream failure: after `afterChunks` chunks an `{"error": ...}` line
   * ends a 200 stream (a non-streamed request gets a 500 instead).
   */
  | { type: "stream-error"; afterChunks: number; error?: string }
  /**
   * A stalled generation: after `afterChunks` chunks the server keeps the connection
   * open and sends nothing more, until the client gives up (or the server closes).
   */
  | { type: "stall"; afterChunks: number };

/** One scripted reply. Every field is optional; `{}` is an empty answer. */
export interface ScriptedReply {
  /** The whole reply text; streamed in token-sized chunks unless `chunks` is given. */
  content?: string;
  /**
   * A thinking model's thinking, streamed in `thinking` before the content when the
   * request thinks (a server started with `thinking`, and `think` not false, or a model
   * that always thinks). Its tokens count toward `num_predict`, as Ollama's do: reaching
   * the limit while thinking ends the reply with `done_reason: "length"` and no content.
   */
  thinking?: string;
  /** The reply as explicit chunks, one streamed event each (overrides `content`). */
  chunks?: readonly string[];
  /** Reported `done_reason`; default `"stop"`. */
  doneReason?: "stop" | "length";
  /** Reported `prompt_eval_count`; default: the prompt's estimated token count. */
  promptEvalCount?: number;
  /** Reported `eval_count`; default: the number of chunks. */
  evalCount?: number;
  /** Reported `load_duration` in milliseconds (the time itself is not spent). */
  loadDurationMs?: number;
  /** Wait before the first chunk (and before the response headers, as Ollama does). */
  delayBeforeFirstTokenMs?: number;
  /** Wait between chunks. */
  delayBetweenChunksMs?: number;
  fault?: ScriptedFault;
}

/** What a script function sees of a request. */
export interface ScriptRequest {
  endpoint: "/api/chat" | "/api/generate";
  /** The parsed request body. */
  body: Record<string, unknown>;
  /** The prompt as the model would read it (chat template applied). */
  prompt: string;
  /** 0-based position of this request among the script's requests. */
  index: number;
}

/** Computes a reply from the request. */
export type ScriptFunction = (request: ScriptRequest) => ScriptedReply | Promise<ScriptedReply>;

/** A queue of replies (each used once, in order; a function entry answers one request) or one function for every request. */
export type Script = readonly (ScriptedReply | ScriptFunction)[] | ScriptFunction;

/** Thrown when a request arrives and the queue has nothing left. */
export class ScriptExhaustedError extends Error {
  constructor(index: number) {
    super(`scripted reply queue is empty (request #${index + 1})`);
    this.name = "ScriptExhaustedError";
  }
}

/** Hands out scripted replies in order. */
export class ScriptQueue {
  #entries: (ScriptedReply | ScriptFunction)[] = [];
  #fn: ScriptFunction | undefined;
  #served = 0;

  /** Replaces the script; the request counter starts again at 0. */
  set(script: Script): void {
    if (typeof script === "function") {
      this.#fn = script;
      this.#entries = [];
    } else {
      this.#fn = undefined;
      this.#entries = [...script];
    }
    this.#served = 0;
  }

  /** Queued replies not yet used; Infinity for a function script. */
  get remaining(): number {
    return this.#fn === undefined ? this.#entries.length : Infinity;
  }

  /** Takes the reply for the next request. Throws ScriptExhaustedError when none is left. */
  async next(request: Omit<ScriptRequest, "index">): Promise<ScriptedReply> {
    const index = this.#served;
    this.#served += 1;
    const entry = this.#fn ?? this.#entries.shift();
    if (entry === undefined) throw new ScriptExhaustedError(index);
    return typeof entry === "function" ? entry({ ...request, index }) : entry;
  }
}
