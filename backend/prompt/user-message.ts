import { estimateTokens, type WorkRequest } from "../../protocol/index.js";
import { renderCodeUserMessage } from "./code-prompt.js";
import { fitContext } from "./fit-context.js";
import { renderPlanUserMessage } from "./plan-prompt.js";

/** Room kept free in the window for the chat template's own tokens and estimate error. */
const TEMPLATE_RESERVE_TOKENS = 256;

/** What a model with `numCtx` tokens of window leaves for the user message. */
export function userMessageBudget(numCtx: number, numPredict: number, system: string): number {
  return numCtx - numPredict - TEMPLATE_RESERVE_TOKENS - estimateTokens(system);
}

export type BuiltMessage =
  | { ok: true; userMessage: string; trimmed: { path: string; reason: string }[] }
  | { ok: false; reason: string };

/**
 * The user message for a request, fitted into `budget` tokens: the issue (and for code,
 * the plan and its files) must fit whole; the ranked context gets the rest, lowest-ranked
 * files dropped first and named in `trimmed`.
 */
export function buildUserMessage(request: WorkRequest, budget: number): BuiltMessage {
  if (request.type === "plan") {
    const skeleton = renderPlanUserMessage(request, "");
    const fixed = estimateTokens(skeleton);
    if (fixed > budget) {
      return {
        ok: false,
        reason: `the issue alone needs about ${fixed} tokens but only ${budget} fit num_ctx; raise NUM_CTX or shorten the issue`,
      };
    }
    const context = fitContext(request.context, budget - fixed);
    return {
      ok: true,
      userMessage: renderPlanUserMessage(request, context.text),
      trimmed: context.trimmed,
    };
  }
  const code = renderCodeUserMessage(request, budget);
  const fixed = estimateTokens(code.text);
  if (fixed > budget) {
    return {
      ok: false,
      reason: `the plan and issue alone need about ${fixed} tokens but only ${budget} fit num_ctx; raise NUM_CTX`,
    };
  }
  // Excerpts of related files help the edits fit in; they get whatever room is left.
  const context = fitContext(
    { ...request.context, tree: { paths: [], totalFiles: request.context.tree.totalFiles } },
    budget - fixed,
  );
  const userMessage =
    context.tokens <= budget - fixed ? `${code.text}\n\n${context.text}` : code.text;
  return { ok: true, userMessage, trimmed: [...code.trimmed, ...context.trimmed] };
}
