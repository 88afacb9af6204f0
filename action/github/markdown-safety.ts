/**
 * Making untrusted text (issue bodies, model output, error messages quoting either) safe
 * to read and safe to post: hidden content is removed before anything reads it, and
 * whatever the bot posts notifies nobody and cannot break the surrounding Markdown.
 */
import { markdownLines } from "./markdown-blocks.js";

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
 * characters, stray control characters, and link reference definitions outside code
 * (`[//]: # (…)`, `[x]: <> "…"`: Markdown renders them as nothing).
 */
export function stripHiddenContent(text: string): string {
  let current = text;
  // Removing one comment (or an invisible character inside "<!-\u200B-") can assemble
  // another from the pieces around it, so repeat until nothing changes.
  for (;;) {
    const next = removeLinkDefinitions(stripHiddenCharacters(current));
    if (next === current) return next;
    current = next;
  }
}

/** {@link stripHiddenContent} within a line of text, Markdown structure aside. */
function stripHiddenCharacters(text: string): string {
  return text
    .replace(/<!--[\s\S]*?(?:-->|$)/g, "")
    .replace(INVISIBLE, "")
    .replace(CONTROL, "");
}

/**
 * Drops the lines of link reference definitions: Markdown renders them as nothing, so a
 * reader never sees what they say. Fenced code is left as it is.
 */
function removeLinkDefinitions(text: string): string {
  const { hidden } = markdownLines(text);
  return hidden.includes(true)
    ? text
        .split("\n")
        .filter((_, i) => !hidden[i])
        .join("\n")
    : text;
}

// A GitHub mention: @user, @org/team. Not preceded by a word character, so e-mail
// addresses (a@b.example) are left alone as GitHub leaves them; after a slash
// (`docs/@alice`) or a backtick that opens no code span GitHub does mention, so those count.
// The preceding character is looked at, not consumed: in `@a-@b` the first name takes the
// hyphen, and a consumed boundary would leave `@b` live.
const MENTION = /(?<!\w)@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\/[A-Za-z0-9_.-]+)?)/g;

// A closing keyword and what it closes: `Fixes #1`, `closes: octo/app#7`, `resolved
// https://github.com/o/r/issues/3`. In a pull request body (or a commit that reaches the
// default branch) GitHub closes those issues on merge.
const CLOSING_REFERENCE =
  /\b(close[sd]?|fix(?:e[sd])?|resolve[sd]?)(\s*:?\s+)((?:[\w.-]+\/[\w.-]+)?#\d+|https?:\/\/\S+\/(?:issues|pull)\/\d+)/gi;

/**
 * Stops `@user` and `@org/team` from notifying anyone: a zero-width space (written as the
 * HTML entity, so the posted source stays visible) goes between `@` and the name. GitHub
 * renders it as plain text. Code spans and fenced blocks, where GitHub never notifies and
 * where an entity would show literally, are left untouched.
 */
export function neutralizeMentions(text: string): string {
  return mapOutsideCode(text, (prose) => escapeReferences(prose).replace(MENTION, "@&#8203;$1"));
}

// A character reference (`&#64;`, `&commat;`, `&#x23;`) is a character once rendered,
// and GitHub finds mentions and closing keywords in the rendered text: `&#64;team`
// notifies the team. Its `&` is escaped, so the reference shows as written; the few that
// render as harmless characters, and those this module writes itself, are kept.
const REFERENCE =
  /&(?=#[0-9]{1,8};|#[xX][0-9a-fA-F]{1,7};|[A-Za-z][A-Za-z0-9]{1,31};)(?!(?:amp|lt|gt|quot|apos|#8203|#33);)/g;

function escapeReferences(prose: string): string {
  return prose.replace(REFERENCE, "&amp;");
}

/**
 * Untrusted text (from the model or an issue author) prepared for anything the Action
 * posts — comments, pull request bodies, job summaries: hidden content removed, and
 * outside code nothing that acts on GitHub or escapes the text: mentions notify nobody,
 * closing keywords close nothing, images embed nothing, raw HTML is shown as text.
 */
export function sanitizeForPost(text: string): string {
  return mapOutsideCode(stripHiddenContent(text), (prose) =>
    escapeReferences(prose)
      .replace(MENTION, "@&#8203;$1")
      .replace(
        CLOSING_REFERENCE,
        (_m, keyword: string, gap: string, ref: string) =>
          `${keyword.charAt(0)}&#8203;${keyword.slice(1)}${gap}${ref}`,
      )
      .replace(/!\[/g, "&#33;[")
      .replace(/<(?=[A-Za-z/!?])/g, "&lt;"),
  );
}

/**
 * Untrusted text for a commit message (plain text, not Markdown): one line, hidden
 * content removed, and closing keywords and mentions broken by a zero-width space, so a
 * merge closes nothing and the log notifies nobody.
 */
export function sanitizeForCommit(text: string): string {
  return stripHiddenContent(text)
    .replace(
      CLOSING_REFERENCE,
      (_m, keyword: string, gap: string, ref: string) =>
        `${keyword.charAt(0)}\u200B${keyword.slice(1)}${gap}${ref}`,
    )
    .replace(MENTION, "@\u200B$1");
}

/**
 * `text` as one inline code span, whatever backticks it holds: the fence is longer than
 * any run inside, so a path like ``a`b`` cannot close it early and spill Markdown.
 */
export function codeSpan(text: string): string {
  const line = stripHiddenCharacters(text).replace(/\r?\n|\r/g, " ");
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(line) ? " " : "";
  return `${fence}${pad}${line}${pad}${fence}`;
}

/** {@link codeSpan} for a table cell: its pipes escaped, as GFM tables need even in code. */
export function codeCell(text: string): string {
  return codeSpan(text).replace(/\|/g, "\\|");
}

/**
 * Applies `transform` to the parts of Markdown outside code blocks and code spans, the
 * blocks as a CommonMark parser finds them. Where GitHub could read a span otherwise (one
 * a line break or a table cell may end early), its text is transformed too: inside real
 * code that only shows an entity, but prose taken for code would act.
 */
function mapOutsideCode(text: string, transform: (prose: string) => string): string {
  const lines = text.split("\n");
  const { code } = markdownLines(text);
  const out: string[] = [];
  let prose: string[] = [];
  const flush = (): void => {
    if (prose.length > 0) out.push(mapOutsideSpans(prose.join("\n"), transform));
    prose = [];
  };
  lines.forEach((line, i) => {
    if (!code[i] && line.trim() !== "") {
      prose.push(line);
      return;
    }
    // A blank line ends the paragraph: no code span reaches past it.
    flush();
    out.push(line);
  });
  flush();
  // Untrusted text never leaves a fence open over what is written after it. Asked of the
  // result: what the transform changed (raw HTML shown as text) may have opened one.
  const result = out.join("\n");
  const closer = markdownLines(result).openFenceCloser;
  return closer === null ? result : `${result}\n${closer}`;
}

function mapOutsideSpans(text: string, transform: (prose: string) => string): string {
  let result = "";
  let index = 0;
  let from = 0;
  while (from < text.length) {
    const open = text.indexOf("`", from);
    if (open === -1) break;
    // A backslash-escaped backtick is a literal one, not the start of a span.
    let slashes = 0;
    while (text[open - 1 - slashes] === "\\") slashes += 1;
    if (slashes % 2 === 1) {
      from = open + 1;
      continue;
    }
    let run = 1;
    while (text[open + run] === "`") run += 1;
    const ticks = "`".repeat(run);
    // A code span closes at the next backtick run of exactly the same length.
    let close = text.indexOf(ticks, open + run);
    while (close !== -1 && (text[close + run] === "`" || text[close - 1] === "`")) {
      close = text.indexOf(ticks, close + 1);
    }
    if (close === -1) {
      from = open + run;
      continue;
    }
    const content = text.slice(open + run, close);
    // Across lines a list item or heading may end the span first; in a table a pipe
    // splits the cell inside it. Either way its text may render as prose.
    const unsure = content.includes("\n") || /(^|[^\\])\|/.test(content);
    result +=
      transform(text.slice(index, open)) + ticks + (unsure ? transform(content) : content) + ticks;
    index = close + run;
    from = index;
  }
  return result + transform(text.slice(index));
}
