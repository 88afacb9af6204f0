/**
 * Secrets pasted into ordinarily named files (a key in `settings.py`) are invisible to
 * the path filter, so file text is scrubbed too before anything reads it. Each match is
 * replaced line by line, keeping line numbers (excerpts refer to them) and the rest of
 * the file, which is often exactly what the issue is about.
 */
const PRIVATE_KEY_BLOCK =
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/g;

const TOKEN_PATTERNS: readonly RegExp[] = [
  // GitHub tokens (classic, OAuth, app, refresh, fine-grained).
  /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})\b/g,
  // Slack tokens.
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g,
  // AWS access key ids.
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
  // Values assigned to names that say they are secret: AWS_SECRET_ACCESS_KEY = "…",
  // "api_key": "…", password: … (quoted values of 16+ characters).
  /((?:secret|passw(?:or)?d|api[_-]?key|access[_-]?key|private[_-]?key|auth[_-]?token|client[_-]?secret)[A-Za-z0-9_]*["']?\s*[:=]\s*["'])[^"'\s]{16,}(["'])/gi,
];

export const REDACTED = "[redacted]";

/** Returns the text with secrets replaced, and whether anything was. */
export function redactSecrets(text: string): { text: string; redacted: boolean } {
  let redacted = false;
  let out = text.replace(PRIVATE_KEY_BLOCK, (block) => {
    redacted = true;
    return block
      .split("\n")
      .map(() => REDACTED)
      .join("\n");
  });
  for (const pattern of TOKEN_PATTERNS) {
    out = out.replace(pattern, (match, prefix?: string, quote?: string) => {
      redacted = true;
      return typeof prefix === "string" && typeof quote === "string"
        ? `${prefix}${REDACTED}${quote}`
        : REDACTED;
    });
  }
  return { text: out, redacted };
}
