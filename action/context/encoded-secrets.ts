/**
 * Known secrets printed encoded. Code the model wrote runs in the check's copy of the
 * tree, and a test may print a file it can read as base64 or hex (line-wrapped, from any
 * byte on), past every pattern and literal. Each run of base64 or hex characters in the
 * text is decoded, at each alignment, and a run whose bytes hold a known secret is
 * reported whole. Other encodings (a cipher, reversed text, a hex dump in groups such as
 * `xxd` or `od` print by default) are not caught: see docs/security.md.
 */

/** A run of base64 (standard or URL-safe) or hex characters within a line. */
const ENCODED_RUN = /[A-Za-z0-9+/_=-]{12,}/g;
/** A line that is nothing but such characters: a piece of a wrapped block. */
const ENCODED_LINE = /^[A-Za-z0-9+/_=-]+$/;
const HEX = /^[0-9a-fA-F]+$/;
const HEX_STRETCH = /[0-9a-fA-F]{12,}/g;
/** Shorter secrets are too likely to turn up in decoded noise. */
const MIN_SECRET_BYTES = 6;

/** The [start, end) ranges of `text` that encode one of `secrets`. */
export function encodedSecretRanges(text: string, secrets: readonly string[]): [number, number][] {
  const wanted = [...new Set(secrets)]
    .map((s) => Buffer.from(s, "utf8"))
    .filter((b) => b.length >= MIN_SECRET_BYTES);
  if (wanted.length === 0) return [];
  const holdsSecret = (chars: string) =>
    decodings(chars).some((bytes) => wanted.some((secret) => bytes.includes(secret)));
  const found: [number, number][] = [];
  ENCODED_RUN.lastIndex = 0;
  for (let m = ENCODED_RUN.exec(text); m; m = ENCODED_RUN.exec(text)) {
    if (holdsSecret(m[0])) found.push([m.index, m.index + m[0].length]);
  }
  for (const block of wrappedBlocks(text)) {
    if (holdsSecret(block.chars)) found.push([block.start, block.end]);
  }
  return found;
}

/**
 * Blocks of lines that are wrapped encoded text, as `base64` and `xxd -p` print it: every
 * line nothing but encoded characters, all as long as the first (at least 16) but the
 * last, which may be shorter. Read as one text, since a secret may straddle a wrap.
 */
function wrappedBlocks(text: string): { start: number; end: number; chars: string }[] {
  const blocks: { start: number; end: number; chars: string }[] = [];
  const lines: { start: number; end: number; text: string }[] = [];
  let at = 0;
  for (const line of text.split("\n")) {
    // Indented lines too (a test runner indents what the code logs).
    lines.push({ start: at, end: at + line.replace(/\r$/, "").length, text: line.trim() });
    at += line.length + 1;
  }
  for (let i = 0; i < lines.length;) {
    const first = lines[i]!;
    const width = first.text.length;
    let j = i + 1;
    if (width >= 16 && ENCODED_LINE.test(first.text)) {
      while (j < lines.length && ENCODED_LINE.test(lines[j]!.text)) {
        const length = lines[j]!.text.length;
        if (length > width) break;
        j++;
        if (length < width) break; // the last, shorter line
      }
    }
    if (j - i >= 2) {
      const last = lines[j - 1]!;
      blocks.push({
        start: first.start,
        end: last.end,
        chars: lines
          .slice(i, j)
          .map((l) => l.text)
          .join(""),
      });
    }
    i = j;
  }
  return blocks;
}

/** Every reading of `chars`: base64 from each of 4 character offsets, hex from 2. */
function decodings(chars: string): Buffer[] {
  const out: Buffer[] = [];
  const base64 = chars.replace(/-/g, "+").replace(/_/g, "/").replace(/=+/g, "");
  for (let offset = 0; offset < 4; offset++) out.push(Buffer.from(base64.slice(offset), "base64"));
  // Hex: the whole run, or each hex stretch inside it (`x=4150…`, `data-4150…`).
  for (const hex of HEX.test(chars) ? [chars] : (chars.match(HEX_STRETCH) ?? [])) {
    for (let offset = 0; offset < 2; offset++) {
      const even = hex.slice(offset, offset + ((hex.length - offset) & ~1));
      out.push(Buffer.from(even, "hex"));
    }
  }
  return out;
}
