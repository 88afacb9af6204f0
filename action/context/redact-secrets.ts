/**
 * Secrets pasted into ordinarily named files (a key in `settings.py`) are invisible to
 * the path filter, so file text is scrubbed too before any of it is sent (excerpts, whole
 * files for the code step); so is the output of the check command before it reaches a
 * comment or the model. Each secret is replaced within
 * its lines, keeping line numbers (excerpts refer to them) and the rest of the text, which
 * is often exactly what the issue is about. What counts as a secret is decided in
 * ./secret-rules.ts (secretlint's recommended preset and a small hand-written layer).
 */
import { encodedSecretRanges } from "./encoded-secrets.js";
import { findSecrets } from "./secret-rules.js";

export const REDACTED = "[redacted]";

export interface RedactOptions {
  /** The file's path, for the rules that look at it (`.npmrc`, `package.json`, key JSON). */
  path?: string;
  /**
   * Strings known to be secret in this run (the token, the AMQP URL and its password, the
   * signing key), replaced wherever they occur, whatever they look like.
   */
  literals?: readonly string[];
  /**
   * Secrets also looked for encoded (base64 or hex, wrapped, from any byte): a run that
   * decodes to one is replaced whole. For output of code that could read them.
   */
  encoded?: readonly string[];
}

/** Returns the text with secrets replaced, and whether anything was. */
export function redactSecrets(
  text: string,
  options: RedactOptions = {},
): { text: string; redacted: boolean } {
  const ranges: [number, number][] = findSecrets(text, options.path).map((m) => [m.start, m.end]);
  for (const literal of options.literals ?? []) {
    if (literal.length < 4) continue;
    for (let at = text.indexOf(literal); at >= 0; at = text.indexOf(literal, at + 1)) {
      ranges.push([at, at + literal.length]);
    }
  }
  ranges.push(...encodedSecretRanges(text, options.encoded ?? []));
  if (ranges.length === 0) return { text, redacted: false };
  return { text: replaceRanges(text, mergeRanges(ranges)), redacted: true };
}

/** A quoted piece of a secret shorter than this is left alone: too short to be worth it. */
const MIN_FRAGMENT = 6;

/**
 * The secrets found in `text` (a file), as literals for {@link redactSecrets} over other
 * text that may quote the file: an error message that shows a line as it is, JSON-quoted,
 * or cut short. Each line of a secret counts on its own (a message quotes one line), in
 * its escaped form too, and so does every prefix, since a quote may end mid-secret.
 */
export function secretLiteralsIn(text: string, path?: string): string[] {
  const out = new Set<string>();
  for (const secret of secretLinesIn(text, path)) {
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) {
      for (let end = form.length; end >= MIN_FRAGMENT; end--) out.add(form.slice(0, end));
    }
  }
  return [...out];
}

/** Each line of each secret found in `text`, trimmed, when long enough to be worth it. */
export function secretLinesIn(text: string, path?: string): string[] {
  const out = new Set<string>();
  for (const match of findSecrets(text, path)) {
    for (const line of text.slice(match.start, match.end).split(/\r?\n/)) {
      const secret = line.trim();
      if (secret.length >= MIN_FRAGMENT) out.add(secret);
    }
  }
  return [...out];
}

function mergeRanges(ranges: [number, number][]): [number, number][] {
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [start, end] of ranges) {
    if (end <= start) continue;
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** Replaces each range line by line: every line it touches keeps its newline. */
function replaceRanges(text: string, ranges: readonly [number, number][]): string {
  let out = "";
  let at = 0;
  for (const [start, end] of ranges) {
    out += text.slice(at, start);
    out += text
      .slice(start, end)
      .split("\n")
      .map((segment) => {
        const cr = segment.endsWith("\r") ? "\r" : "";
        return segment.length > cr.length ? `${REDACTED}${cr}` : segment;
      })
      .join("\n");
    at = end;
  }
  return out + text.slice(at);
}
