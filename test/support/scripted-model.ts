/**
 * A model backend that answers from a script, for tests of the worker's job logic
 * without a model server: each call takes the next step.
 */
import { loadWorkerConfig } from "../../backend/config.js";
import type { JobDeps } from "../../backend/jobs/run-job.js";
import type { GenerateRequest, GenerateResult, LlmBackend } from "../../backend/llm/backend.js";
import { LlmError } from "../../backend/llm/errors.js";
import { createLogger } from "../../backend/logger.js";
import { createMetrics } from "../../backend/ops/metrics.js";
import type { TokenCalibration } from "../../backend/prompt/token-calibration.js";

/** A reply's text, an LlmError to throw, or a function of the request giving the text. */
export type Step = string | LlmError | ((request: GenerateRequest) => Promise<string>);

/** Answers each call with the next step: text, a thrown LlmError, or a function. */
export class ScriptedModel implements LlmBackend {
  readonly kind = "ollama" as const;
  readonly calls: GenerateRequest[] = [];
  constructor(private readonly steps: Step[]) {}

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    this.calls.push(request);
    const step = this.steps.shift();
    if (step === undefined) throw new Error("the script ran out");
    if (step instanceof LlmError) throw step;
    const text = typeof step === "function" ? await step(request) : step;
    request.onTokens?.(3);
    return {
      text,
      model: request.model,
      promptTokens: 100,
      evalTokens: 20,
      thinkingChunks: 0,
      loadMs: 1,
      promptMs: 2,
      evalMs: 3,
      totalMs: 6,
      doneReason: "stop",
    };
  }
  checkReady(): Promise<{ ok: true }> {
    return Promise.resolve({ ok: true });
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * A step answering `text` after `ms`, or failing as a real backend does when the job is
 * aborted first (a worker stopped, a deadline passed).
 */
export function slowAnswer(
  ms: number,
  text: string,
): (request: GenerateRequest) => Promise<string> {
  return (request) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve(text), ms);
      request.signal.addEventListener(
        "abort",
        () => {
          clearTimeout(timer);
          reject(new LlmError("aborted", "generation aborted"));
        },
        { once: true },
      );
    });
}

/**
 * What runJob needs around a model, for tests of the job logic: a worker configured with
 * `numCtx` (NUM_PREDICT 1024, no retry wait), a silent logger, fresh metrics, progress
 * dropped, never aborted; with `calibration`, the worker's learned token counts.
 */
export function scriptedJobDeps(
  model: LlmBackend,
  options: { numCtx: number; calibration?: TokenCalibration },
): JobDeps {
  return {
    config: loadWorkerConfig({
      MODEL: "coder",
      NUM_CTX: String(options.numCtx),
      NUM_PREDICT: "1024",
      RETRY_BASE_MS: "1",
      PROGRESS_INTERVAL_MS: "0",
    }),
    llm: model,
    logger: createLogger("silent"),
    metrics: createMetrics({ defaultMetrics: false }),
    progress: () => undefined,
    signal: new AbortController().signal,
    ...(options.calibration ? { calibration: options.calibration } : {}),
  };
}
