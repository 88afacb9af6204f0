/**
 * Making untrusted text (issue bodies, model output, error messages quoting either) safe
 * to read and safe to post: hidden content is removed before anything reads it, and
 * whatever the bot posts notifies nobody and cannot break the surrounding Markdown.
 */

// Characters that render as nothing (or reorder text) and so can hide instructions from a
// human reviewer while a model still reads them: zero-width and joiner characters, bidi
// embeddings/overrides/isolates, word joiner and invisible operators, BOM, soft hyphen,
// Mongolian vowel separator, Hangul fillers (rendered as blank space), the Unicode
// "tag" block and the supplementary variation selectors, which can each carry a hidden
// byte. The emoji variation selector U+FE0F stays: it only changes how an emoji looks.
// The rule warns about combining characters inside classes; matching them alone is the point.
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class
  /[\u00AD\u115F\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]|\u1160|[\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}]/gu;

// C0/C1 controls other than tab, newline and carriage return.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/**
 * Removes what a reader of the rendered issue cannot see: HTML comments (an unterminated
 * one hides everything after it, so that goes too), invisible and bidi-control
 * characters, and stray control characters.
 */
export function stripHiddenContent(text: string): string {
  let current = text;
  // Removing one comment (or an invisible character inside "<!-\u200B-") can assemble
  // another from the pieces around it, so repeat until nothing changes.
  for (;;) {
    const next = current
      .replace(/<!--[\s\S]*?(?:-->|$)/g, "")
      .replace(INVISIBLE, "")
      .replace(CONTROL, "");
    if (next === current) return next;
    current = next;
  }
}

// A GitHub mention: @user, @org/team. Not preceded by a word character, so e-mail
// addresses (a@b.example) are left alone as GitHub leaves them.
const MENTION = /(^|[^\w`/])@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\/[A-Za-z0-9_.-]+)?)/g;

/**
 * Stops `@user` and `@org/team` from notifying anyone: a zero-width space (written as the
 * HTML entity, so the posted source stays visible) goes between `@` and the name. GitHub
 * renders it as plain text. Code spans and fenced blocks, where GitHub never notifies and
 * where an entity would show literally, are left untouched.
 */
export function neutralizeMentions(text: string): string {
  return mapOutsideCode(text, (prose) => prose.replace(MENTION, "$1@&#8203;$2"));
}

/**
 * Text to place inside one cell of a Markdown table: one line, `|` escaped, hidden
 * content removed and mentions neutralised.
 */
export function escapeTableCell(text: string): string {
  return neutralizeMentions(stripHiddenContent(text))
    .replace(/\r?\n|\r/g, " ")
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .trim();
}

/**
 * Untrusted text prepared for a comment or pull request body: hidden content removed and
 * mentions neutralised.
 */
export function sanitizeForPost(text: string): string {
  return neutralizeMentions(stripHiddenContent(text));
}

/** Applies `transform` to the parts of Markdown outside fenced blocks and code spans. */
function mapOutsideCode(text: string, transform: (prose: string) => string): string {
  const lines = text.split("\n");
  const out: string[] = [];
  let fence: string | null = null;
  let prose: string[] = [];
  const flush = (): void => {
    if (prose.length > 0) out.push(mapOutsideSpans(prose.join("\n"), transform));
    prose = [];
  };
  for (const line of lines) {
    const opener = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === null && opener !== undefined) {
      flush();
      fence = opener;
      out.push(line);
    } else if (fence !== null) {
      out.push(line);
      const closer = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line)?.[1];
      if (closer !== undefined && closer[0] === fence[0] && closer.length >= fence.length) {
        fence = null;
      }
    } else {
      prose.push(line);
    }
  }
  flush();
  return out.join("\n");
}

function mapOutsideSpans(text: string, transform: (prose: string) => string): string {
  let result = "";
  let index = 0;
  while (index < text.length) {
    const open = text.indexOf("`", index);
    if (open === -1) break;
    let run = 1;
    while (text[open + run] === "`") run += 1;
    const ticks = "`".repeat(run);
    // A code span closes at the next backtick run of exactly the same length.
    let close = text.indexOf(ticks, open + run);
    while (close !== -1 && (text[close + run] === "`" || text[close - 1] === "`")) {
      close = text.indexOf(ticks, close + 1);
    }
    if (close === -1) {
      result += transform(text.slice(index, open + run));
      index = open + run;
      continue;
    }
    result += transform(text.slice(index, open)) + text.slice(open, close + run);
    index = close + run;
  }
  return result + transform(text.slice(index));
}
