import type { WorkerConfig } from "../config.js";
import type { LlmBackend } from "../llm/backend.js";
import type { Logger } from "../logger.js";
import { userMessageBudget } from "../prompt/user-message.js";

/** Least room for the issue and its context worth asking a model with. */
const MIN_USER_MESSAGE_TOKENS = 256;

/**
 * The window a job is fitted to: NUM_CTX, or the model's own limit when the server gives
 * one below it. Ollama (0.9.3 on) runs a larger num_ctx at the model's trained length,
 * noting it only in its own log, so a prompt fitted to NUM_CTX was refused (or, without
 * `truncate: false`, cut from the start); vLLM refuses past `max_model_len`. When that
 * limit leaves a prompt no room after NUM_PREDICT, the job runs as configured only where
 * it still can: on Ollama, whose prompt fitted to NUM_CTX is within the model's length
 * (the answer then ends where the window does); otherwise it is refused, with the fix.
 */
export async function modelWindow(
  deps: { config: WorkerConfig; llm: LlmBackend; logger: Logger; signal: AbortSignal },
  model: string,
  numPredict: number,
  system: string,
): Promise<{ numCtx: number } | { problem: string }> {
  const configured = deps.config.llm.numCtx;
  const limit = await deps.llm.contextLimit?.(model, deps.signal);
  if (limit === undefined || limit >= configured) return { numCtx: configured };
  if (userMessageBudget(limit, numPredict, system) >= MIN_USER_MESSAGE_TOKENS) {
    deps.logger.info(
      { numCtx: configured, modelLimit: limit, model },
      "NUM_CTX is over the model's own context length: prompts are fitted to the model's",
    );
    return { numCtx: limit };
  }
  const reserve = deps.config.llm.thinkingTokens
    ? `NUM_PREDICT and THINKING_TOKENS (${numPredict})`
    : `NUM_PREDICT (${numPredict})`;
  if (deps.llm.kind === "ollama" && userMessageBudget(configured, numPredict, system) < limit) {
    deps.logger.warn(
      { numCtx: configured, modelLimit: limit, numPredict, model },
      `${model}'s own context length leaves no room for a prompt after ${reserve}: the prompt is fitted to NUM_CTX as set, and the answer may end where the model's window does; lower NUM_PREDICT`,
    );
    return { numCtx: configured };
  }
  return {
    problem: `${model}'s own context length (${limit}, as the model server reports it) leaves no room for a prompt after ${reserve}: lower them, or use a model with a longer context`,
  };
}
