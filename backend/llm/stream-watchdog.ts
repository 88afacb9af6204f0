import { LlmError } from "./errors.js";

export interface StreamLimits {
  /** Longest wait for the first token (a model still loading, a GPU gone). */
  firstTokenTimeoutMs: number;
  /** Longest silence between two tokens once they flow (a server that stalls mid-stream). */
  streamIdleTimeoutMs: number;
}

/**
 * Aborts a streamed generation that goes quiet: no first token within the first-token
 * limit, or no further token within the idle limit once tokens flow. A stalled server
 * keeps its connection open and sends nothing, so without this the job would hang until
 * its deadline instead of being retried while there is still time.
 */
export class StreamWatchdog {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private tokens = 0;

  constructor(private readonly limits: StreamLimits) {
    this.arm(limits.firstTokenTimeoutMs);
  }

  /** Aborted when the stream went quiet for too long. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get tripped(): boolean {
    return this.controller.signal.aborted;
  }

  /** A token arrived: the idle limit starts again. */
  token(): void {
    this.tokens += 1;
    this.arm(this.limits.streamIdleTimeoutMs);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  /** The retryable error for a stream this watchdog cut. */
  error(cause: unknown): LlmError {
    const message =
      this.tokens === 0
        ? `no token within ${this.limits.firstTokenTimeoutMs} ms (FIRST_TOKEN_TIMEOUT_MS)`
        : `the model stream stalled: no token for ${this.limits.streamIdleTimeoutMs} ms after ${this.tokens} tokens (STREAM_IDLE_TIMEOUT_MS)`;
    return new LlmError("unavailable", message, { cause });
  }

  private arm(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(), ms);
  }
}
