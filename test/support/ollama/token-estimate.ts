/**
 * A stand-in tokenizer for replies that do not run a model (scripted and instant
 * modes). It cuts text into pieces the size of typical BPE tokens (a leading space
 * plus up to four letters, up to three digits, one or two punctuation marks, or a
 * short run of whitespace), so that token counts and chunk counts look like a real
 * model's: about one token per four characters of English or JSON.
 */

// Alternatives are tried in order; the last two between them match any character, so
// the pieces always cover the whole text.
const PIECE = /[ ]?[\p{L}\p{M}]{1,4}|[ ]?\p{N}{1,3}|[ ]?[^\s\p{L}\p{M}\p{N}]{1,2}|\s{1,4}/uy;

/**
 * Splits text into token-sized pieces whose concatenation is exactly `text`.
 */
export function splitIntoTokens(text: string): string[] {
  const pieces: string[] = [];
  PIECE.lastIndex = 0;
  while (PIECE.lastIndex < text.length) {
    const match = PIECE.exec(text);
    // Unreachable by construction; guards against an infinite loop if the pattern changes.
    if (match === null) throw new Error(`token estimate: no piece at ${PIECE.lastIndex}`);
    pieces.push(match[0]);
  }
  return pieces;
}

/**
 * Estimates how many tokens a model would see for `text`.
 */
export function estimateTokenCount(text: string): number {
  let count = 0;
  PIECE.lastIndex = 0;
  while (PIECE.lastIndex < text.length && PIECE.exec(text) !== null) count += 1;
  return count;
}
