import MarkdownIt from "markdown-it";

/**
 * Markdown rendered the way GitHub shows it, for tests that check what people will see:
 * GitHub Flavored Markdown (CommonMark plus tables, strikethrough and autolinks) with raw
 * HTML passed through, for comments, pull request bodies and job summaries alike. As in
 * CommonMark, an HTML block (`<h2>…</h2>`) swallows the Markdown right under it, up to
 * the next blank line, as raw text.
 */
const gfm = new MarkdownIt("default", { html: true, linkify: true });

export function renderGfm(markdown: string): string {
  return gfm.render(markdown);
}

/**
 * Markdown syntax that survived rendering as visible text (outside code): a heading
 * mark, bold, a link, a table row. Empty when everything rendered.
 */
export function unrenderedMarkdown(html: string): string[] {
  const text = html
    .replace(/<(code|pre)[^>]*>[\s\S]*?<\/\1>/g, " ")
    .replace(/<[^>]+>/g, "\n")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
  const patterns = [
    /^[ \t]*#{1,6} \S.*$/gm,
    /\*\*[^*\n]+\*\*/g,
    /\[[^\]\n]+\]\([^)\n]+\)/g,
    /^[ \t]*\|.*\|[ \t]*$/gm,
  ];
  return patterns.flatMap((pattern) => text.match(pattern) ?? []);
}

/**
 * What would act on GitHub in rendered HTML, outside code: a mention (notifies), an image
 * (fetched from the attacker's server by every reader), raw `<b>` HTML (stands for any
 * markup the text was not meant to carry), a closing keyword (closes an issue on merge).
 * Empty when the text is inert.
 */
export function liveEffects(html: string): string[] {
  const prose = html.replace(/<(code|pre)[^>]*>[\s\S]*?<\/\1>/g, " ");
  const text = prose.replace(/<[^>]+>/g, " ");
  const effects: string[] = [];
  if (/(^|\W)@[A-Za-z0-9]/.test(text)) effects.push("mention");
  if (/<img\b/.test(html)) effects.push("image");
  if (/<b>/.test(prose)) effects.push("raw HTML");
  if (/\b(close[sd]?|fix(e[sd])?|resolve[sd]?)\s*:?\s+#\d/i.test(text))
    effects.push("closing keyword");
  return effects;
}

/** Text that performs every effect {@link liveEffects} looks for, when posted as it is. */
export const HOSTILE_MARKDOWN =
  "@octo/admins ![p](https://evil.example/p.png) <img src=x> <b>raw</b> Fixes #1";
