import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { sanitizeForPost } from "../../../action/github/markdown-safety.js";
import { HOSTILE_MARKDOWN, liveEffects, renderGfm } from "../../support/render-markdown.js";

/**
 * Untrusted text that tries to escape the sanitiser through Markdown structure: a code
 * span the sanitiser believes in but GitHub ends early (or never opens), so the text
 * "inside" it renders as prose and acts. Each attack is judged on the rendered HTML, as
 * a reader (and GitHub's notifier) meets it, not on the Markdown source.
 */

const PAYLOAD = HOSTILE_MARKDOWN;

const attacks: Record<string, string> = {
  "a code span across a blank line (GFM ends the paragraph first)": `Split on commas \`x\n\n${PAYLOAD}\n\ny\` done.`,
  "escaped backticks (GFM shows them literally, opening no span)": `see \\\`${PAYLOAD} \\\` end`,
  "a span a list item ends first": `a \`x\n- ${PAYLOAD} \``,
  "a span a heading ends first": `a \`x\n# ${PAYLOAD} \``,
  "a fence whose info string holds a backtick (a paragraph, not a fence)":
    "``` x`\n" + PAYLOAD + "\n```",
  "an indented fence in a list item, ended by the item": "- item\n  ```\n" + PAYLOAD + "\n  ```",
  "a span split by a table cell": `| a | b |\n| - | - |\n| \`x | ${PAYLOAD} \` | c |`,
  "a backtick run inside a fence line": "x ``` " + PAYLOAD + " ``` y",
  // GitHub finds mentions and closing keywords in the rendered text, where a character
  // reference has become its character.
  "a mention written as a character reference": "&#64;octo/admins, &commat;alice and &#x40;bob",
  "a closing keyword whose `#` is a character reference": "Fixes &#35;1, closes &num;2",
  "a closing keyword before a no-break space written as a reference": "Fixes&nbsp;#1",
  // Only spaces and tabs may follow a closing fence: after any other space the line is
  // code, the next fence line closes the block, and what follows it is prose.
  ...Object.fromEntries(
    ["\u00A0", "\u2003", "\u3000", "\u1680"].map((space) => [
      `a closing fence followed by U+${space.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`,
      "```\nx\n```" + space + "\n```\n" + PAYLOAD + "\n```",
    ]),
  ),
  "a fence a list item ends, then a fence line of the item's indentation":
    "- Guard it:\n  ```py\nif not text:\n  ```\n" + PAYLOAD,
};

describe("untrusted text cannot break out of code on GitHub", () => {
  it("the payload acts when posted raw (the check can see an attack)", () => {
    expect(liveEffects(renderGfm(PAYLOAD))).toEqual([
      "mention",
      "image",
      "raw HTML",
      "closing keyword",
    ]);
  });

  it("character references act when posted raw (the check can see that attack too)", () => {
    expect(liveEffects(renderGfm("&#64;alice, Fixes &#35;1"))).toEqual([
      "mention",
      "closing keyword",
    ]);
  });

  it("sanitising twice changes nothing: the references it writes itself are kept", () => {
    const once = sanitizeForPost(`${PAYLOAD} &#64;bob &amp; &lt;`);
    expect(sanitizeForPost(once)).toBe(once);
    expect(once).toContain("&amp;#64;bob &amp; &lt;");
  });

  for (const [name, attack] of Object.entries(attacks)) {
    it(`neutralises ${name}`, () => {
      expect(liveEffects(renderGfm(sanitizeForPost(attack)))).toEqual([]);
    });
  }

  it("an unclosed fence does not swallow what is written after the text", () => {
    const posted = `${sanitizeForPost("```\nstill code")}\n\n**To retry:** comment`;
    expect(renderGfm(posted)).toContain("<strong>To retry:</strong>");
  });

  it("never renders a live effect, whatever the structure around the payload (property)", () => {
    const pieces = fc.constantFrom(
      "`",
      "``",
      "```",
      "~~~",
      "\\",
      "\n",
      "\n\n",
      "    ",
      "  ",
      "- ",
      "# ",
      "> ",
      "| ",
      "|",
      "x",
      " ",
      "@alice",
      "![i](https://e.example/i.png)",
      "<img src=x>",
      "<b>raw</b>",
      "Fixes #1",
      "&#64;",
      "&",
      "#",
      ";",
      "\u00A0",
      "\t",
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 24 }), (parts) => {
        const html = renderGfm(sanitizeForPost(parts.join("")));
        expect(liveEffects(html)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });
});
