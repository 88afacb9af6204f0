/**
 * How much of the model's window the token estimate leaves unused, learned from the
 * model's own counts. `estimateTokens` (protocol/token-estimate.ts) takes 3 bytes a
 * token so that a prompt it says fits does, whatever the tokenizer; today's open models'
 * tokenizers take about 4 bytes of code a token, so a fifth to a quarter of the window
 * went unused. Every answered call reports how many tokens its prompt really was
 * (Ollama's `prompt_eval_count`, an OpenAI-compatible server's `usage.prompt_tokens`,
 * the embedded model's tokenizer), and the room the next prompt of the same model and
 * kind is fitted into is widened by what the least favourable of the recent prompts
 * showed, less a margin (10%).
 *
 * Counts are not always the whole prompt: Ollama has reported only the tokens it did not
 * take from its cache (the system prompt, a few percent, which the margin covers), or
 * none. A count that would mean more than 5 bytes a token is not believed. A prompt that
 * overflows anyway, or leaves the reply less than NUM_PREDICT (Ollama refuses only a
 * prompt over the whole window), forgets what was learned for its kind; one that
 * overflows is fitted again into less (run-job.ts). Until a model has answered, the
 * estimate stands as it is.
 */

import { estimateTokens } from "../../protocol/index.js";
import { userMessageBudget } from "./user-message.js";

/** Prompts remembered per model and kind; the least favourable of them decides. */
const REMEMBERED = 8;
/** Kept free of what the counts allow: prompts of one kind still differ. */
const MARGIN = 0.1;
/** The most the room is widened (4.2 bytes a token). */
const MAX_WIDENING = 1.4;
/**
 * Real tokens per estimated token below which a count is not believed: 5 bytes a token
 * is beyond any tokenizer's average on code and prose, so such a count left tokens out.
 */
const FLOOR_RATIO = 3 / 5;

export class TokenCalibration {
  private readonly ratios = new Map<string, number[]>();

  /**
   * A prompt of `key` (model and request kind) estimated at `estimated` tokens, which the
   * model counted as `counted`. Counts of zero (none reported) and implausibly low ones
   * are ignored.
   */
  observe(key: string, estimated: number, counted: number): void {
    if (!(estimated > 0) || !(counted > 0)) return;
    const ratio = counted / estimated;
    if (ratio < FLOOR_RATIO) return;
    const recent = this.ratios.get(key) ?? [];
    recent.push(ratio);
    if (recent.length > REMEMBERED) recent.shift();
    this.ratios.set(key, recent);
  }

  /** A prompt of `key` overflowed: what was learned for it is forgotten. */
  forget(key: string): void {
    this.ratios.delete(key);
  }

  /**
   * The factor (1 or more) by which an estimated budget for `key` is widened. Never below
   * 1: for a tokenizer finer than the estimate (Llama 2's, on a fifth of the benchmark's
   * code prompts at 8k) narrowing every prompt by the densest one's count cost more
   * context (8k reach 66.3% → 62.4%) than fitting the few refused prompts again.
   */
  widening(key: string): number {
    const recent = this.ratios.get(key);
    if (!recent || recent.length === 0) return 1;
    const worst = Math.max(...recent);
    return Math.min(MAX_WIDENING, Math.max(1, 1 / (worst * (1 + MARGIN))));
  }
}

/**
 * The share of the estimate's room a refused prompt is fitted into when the server did
 * not say how many tokens it was (Ollama): room for a tokenizer 40% finer than estimated.
 */
export const REFIT_SCALE = 0.7;

/**
 * The user-message budget a prompt the model server refused is fitted again into. When
 * the server said how many tokens the refused prompt was (the embedded model, llama.cpp's
 * and vLLM's servers), the room the window leaves at that prompt's density, less the
 * margin; otherwise REFIT_SCALE of the estimate's room. Never more than the refused
 * prompt's own estimate, so the new prompt is shorter.
 */
export function refitBudget(input: {
  numCtx: number;
  numPredict: number;
  system: string;
  /** What was sent, as the estimate counts it (system prompt and messages). */
  sentEstimate: number;
  /** The server's count of the refused prompt, when it said. */
  counted?: number | undefined;
}): number {
  const { numCtx, numPredict, system, sentEstimate, counted } = input;
  const estimated = userMessageBudget(numCtx, numPredict, system);
  if (counted === undefined || !(counted > 0) || !(sentEstimate > 0))
    return Math.floor(estimated * REFIT_SCALE);
  const ratio = counted / sentEstimate;
  const systemEstimate = estimateTokens(system);
  const fits = (estimated + systemEstimate) / (ratio * (1 + MARGIN)) - systemEstimate;
  return Math.max(0, Math.floor(Math.min(fits, sentEstimate - systemEstimate - 1)));
}
