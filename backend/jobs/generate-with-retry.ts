import { PROTOCOL_VERSION, type ProgressReply } from "../../protocol/index.js";
import type { GenerateRequest, GenerateResult, LlmBackend } from "../llm/backend.js";
import { LlmError } from "../llm/errors.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../ops/metrics.js";
import { backoffDelay, sleep } from "./backoff.js";

export interface RetryPolicy {
  maxAttempts: number;
  retryBaseMs: number;
  /** Epoch ms: no retry is started that could not finish waiting before it. */
  deadline: number;
  progressIntervalMs: number;
}

/**
 * Calls the model, retrying transient failures (server down, 5xx, cut stream, slow first
 * token) with exponential backoff and jitter, always inside the deadline. Streams token
 * counts as progress at most every `progressIntervalMs`. Throws the last LlmError.
 */
export function generatorWithRetry(deps: {
  llm: LlmBackend;
  logger: Logger;
  metrics: Metrics;
  progress: (reply: ProgressReply) => void;
  requestId: string;
  policy: RetryPolicy;
  now: () => number;
}): (request: Omit<GenerateRequest, "onTokens">) => Promise<GenerateResult> {
  const { policy, now } = deps;
  const base = { version: PROTOCOL_VERSION, requestId: deps.requestId } as const;
  let lastTokenProgress = 0;
  return async (request) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const started = now();
        const result = await deps.llm.generate({
          ...request,
          onTokens: (tokens) => {
            const t = now();
            if (t - lastTokenProgress >= policy.progressIntervalMs) {
              lastTokenProgress = t;
              deps.progress({
                ...base,
                at: t,
                type: "progress",
                stage: "generating",
                model: request.model,
                tokens,
              });
            }
          },
        });
        deps.metrics.observeGeneration(result, now() - started);
        return result;
      } catch (error) {
        const llmError =
          error instanceof LlmError
            ? error
            : new LlmError("unavailable", String(error), { cause: error });
        const wait = backoffDelay(attempt, policy.retryBaseMs);
        if (
          !llmError.retryable ||
          attempt >= policy.maxAttempts ||
          now() + wait >= policy.deadline ||
          request.signal.aborted
        ) {
          throw llmError;
        }
        deps.metrics.llmRetries.inc();
        deps.logger.warn(
          { attempt, maxAttempts: policy.maxAttempts, waitMs: wait, err: llmError.message },
          "model call failed, retrying",
        );
        deps.progress({
          ...base,
          at: now(),
          type: "progress",
          stage: "retrying",
          model: request.model,
          message: `model server problem, attempt ${attempt + 1} of ${policy.maxAttempts}`,
        });
        try {
          await sleep(wait, request.signal);
        } catch (error) {
          // Stopped (a shutdown or the deadline) between two attempts: the same as being
          // stopped during one, so a shutdown returns the job to the queue.
          throw new LlmError("aborted", "stopped while waiting to ask the model again", {
            cause: error,
          });
        }
      }
    }
  };
}
