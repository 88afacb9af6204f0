/**
 * Writes `/api/chat` and `/api/generate` replies exactly as Ollama does: NDJSON events
 * (`application/x-ndjson`) when streaming, one JSON object otherwise; headers only with
 * the first chunk (so a slow first token delays the headers, as with a model still
 * loading); errors before the first chunk as a status with `{"error": ...}`, errors
 * after it as a final `{"error": ...}` line of a 200 stream.
 */
import type { ServerResponse } from "node:http";

/** The final chunk's statistics; durations in nanoseconds. */
export interface ReplyStats {
  doneReason: string;
  totalDurationNs: number;
  loadDurationNs: number;
  promptEvalCount: number;
  promptEvalDurationNs: number;
  evalCount: number;
  evalDurationNs: number;
}

/** Called with every body the writer sends, so the server can validate it. */
export type ResponseCheck = (body: Record<string, unknown>, kind: "json" | "ndjson") => void;

/** Construction options of a ReplyWriter. */
export interface ReplyWriterOptions {
  endpoint: "/api/chat" | "/api/generate";
  /** The model name as the request spelled it (Ollama echoes it). */
  model: string;
  stream: boolean;
  check: ResponseCheck;
}

const JSON_TYPE = "application/json; charset=utf-8";

/** One reply to one chat or generate request. */
export class ReplyWriter {
  readonly #res: ServerResponse;
  readonly #options: ReplyWriterOptions;
  #text = "";
  #thinking = "";
  #chunks = 0;

  constructor(res: ServerResponse, options: ReplyWriterOptions) {
    this.#res = res;
    this.#options = options;
  }

  /** Content chunks written (streamed) or collected (not streamed) so far. */
  get chunks(): number {
    return this.#chunks;
  }

  /** True when nothing more can be written (finished, failed, cut, or the client left). */
  get closed(): boolean {
    return this.#res.writableEnded || this.#res.destroyed;
  }

  /**
   * Sends (or, when not streaming, collects) one piece of content. The promise
   * settles once the bytes are handed to the socket.
   */
  chunk(text: string): Promise<void> {
    this.#chunks += 1;
    if (!this.#options.stream) {
      this.#text += text;
      return Promise.resolve();
    }
    const event = { ...this.#head(), ...this.#content(text), done: false };
    return this.#writeLine(event);
  }

  /**
   * Sends (or collects) one piece of a thinking model's thinking: Ollama streams it in
   * `thinking` beside an empty content, ahead of the answer.
   */
  thinkingChunk(text: string): Promise<void> {
    if (!this.#options.stream) {
      this.#thinking += text;
      return Promise.resolve();
    }
    return this.#writeLine({ ...this.#head(), ...this.#content("", text), done: false });
  }

  /** Sends the final chunk (streaming) or the whole reply, and ends the response. */
  finish(stats: ReplyStats): void {
    const body = {
      ...this.#head(),
      ...(this.#options.stream ? this.#content("") : this.#content(this.#text, this.#thinking)),
      done: true,
      done_reason: stats.doneReason,
      total_duration: Math.round(stats.totalDurationNs),
      load_duration: Math.round(stats.loadDurationNs),
      prompt_eval_count: stats.promptEvalCount,
      prompt_eval_duration: Math.round(stats.promptEvalDurationNs),
      eval_count: stats.evalCount,
      eval_duration: Math.round(stats.evalDurationNs),
    };
    if (this.#options.stream) {
      void this.#writeLine(body);
      this.#res.end();
    } else {
      this.#options.check(body, "json");
      sendJson(this.#res, 200, body);
    }
  }

  /** Answers a request that only loads or unloads the model (no prompt). */
  finishLoad(doneReason: "load" | "unload"): void {
    const body = { ...this.#head(), ...this.#content(""), done: true, done_reason: doneReason };
    this.#options.check(body, this.#options.stream ? "ndjson" : "json");
    sendJson(this.#res, 200, body);
  }

  /** Fails the reply with Ollama's error shape for the point the stream has reached. */
  fail(status: number, message: string): void {
    if (this.closed) return;
    const body = { error: message };
    if (!this.#res.headersSent) {
      this.#options.check(body, "json");
      sendJson(this.#res, status, body);
    } else if (this.#options.stream) {
      void this.#writeLine(body);
      this.#res.end();
    } else {
      this.#res.destroy();
    }
  }

  /** Destroys the connection, as a crashed server or a dropped network would. */
  cut(): void {
    this.#res.socket?.destroy();
    this.#res.destroy();
  }

  #head(): Record<string, unknown> {
    return { model: this.#options.model, created_at: new Date().toISOString() };
  }

  #content(text: string, thinking = ""): Record<string, unknown> {
    // Ollama leaves `thinking` out when there is none (omitempty).
    const thought = thinking === "" ? {} : { thinking };
    return this.#options.endpoint === "/api/chat"
      ? { message: { role: "assistant", content: text, ...thought } }
      : { response: text, ...thought };
  }

  #writeLine(body: Record<string, unknown>): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.#options.check(body, "ndjson");
    if (!this.#res.headersSent) {
      this.#res.writeHead(200, { "Content-Type": "application/x-ndjson" });
    }
    return new Promise((resolve) => {
      this.#res.write(`${JSON.stringify(body)}\n`, () => resolve());
    });
  }
}

/**
 * Sends a JSON body with a status, as every non-streamed Ollama answer is sent.
 */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": JSON_TYPE, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Sends a plain-text body (Ollama's root page, Go's 404 page).
 */
export function sendText(res: ServerResponse, status: number, text: string): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}
