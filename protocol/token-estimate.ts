/**
 * A deliberately pessimistic token count: one token per 3 UTF-8 bytes. Real tokenizers
 * average 3.5–4.5 characters per token on code and English, so this overestimates, which
 * is the safe direction: a prompt we think fits really does. Non-ASCII text costs more
 * bytes, matching its higher token cost.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, "utf8") / 3);
}
