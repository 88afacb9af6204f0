/**
 * Real tokenizers for the code-reach benchmark's calibrated windows: the worker learns
 * its model's bytes per token from the model's own counts (token-calibration.ts), so the
 * benchmark needs counts a real model would give. Two families:
 * - `cl100k`: the BPE vocabulary Llama 3's tokenizer extends (and close to Qwen 2.5's in
 *   bytes per token on code), from `gpt-tokenizer`, which ships it in JavaScript;
 * - `llama2`: Llama 2's 32k SentencePiece vocabulary, from the test suite's GGUF model
 *   through node-llama-cpp, as the worker's embedded backend counts.
 */
import { TINY_MODEL } from "../../support/fixture-files.js";

export const TOKENIZERS = ["cl100k", "llama2"] as const;
export type TokenizerName = (typeof TOKENIZERS)[number];

/** Counts the tokens of a text as the named tokenizer does. */
export async function loadTokenizer(name: TokenizerName): Promise<(text: string) => number> {
  if (name === "cl100k") {
    const { encode } = await import("gpt-tokenizer/encoding/cl100k_base");
    // Text that spells a special token ("<|endoftext|>") is counted as plain text.
    return (text) => encode(text, { disallowedSpecial: new Set() }).length;
  }
  const lib = await import("node-llama-cpp");
  const llama = await lib.getLlama({
    gpu: false,
    build: "never",
    logLevel: lib.LlamaLogLevel.error,
  });
  const model = await llama.loadModel({ modelPath: TINY_MODEL });
  return (text) => model.tokenize(text).length;
}
