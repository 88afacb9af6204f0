/**
 * Attacks that got through an earlier version of the defences, kept as ordinary tests
 * now that they are fixed: each fails again if its gap reopens. docs/reliability.md
 * tells how each was found and fixed.
 */
import { afterEach, describe, expect, it } from "@jest/globals";
import { buildContext } from "../../../action/context/build-context.js";
import { stripHiddenContent } from "../../../action/github/markdown-safety.js";
import { fixtureRepo, type FixtureRepo } from "../../action/context/fixture-repo.js";

const cleanup: FixtureRepo[] = [];
afterEach(() => {
  for (const r of cleanup.splice(0)) r.remove();
});

describe("secrets in ordinarily named files", () => {
  // A private key or a cloud key pasted into `config/settings.py` passes the path filter;
  // the text itself is scrubbed, and the rest of the file still goes to the model.
  it("keeps a private key block and an access key out of the context", async () => {
    const r = fixtureRepo({
      "src/lexer.py": "def lex(text):\n    return text.split()\n",
      "config/settings.py": [
        "# lex settings",
        'LEX_MODE = "commas"',
        'AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
        'DEPLOY_KEY = """-----BEGIN RSA PRIVATE KEY-----',
        "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
        '-----END RSA PRIVATE KEY-----"""',
        "",
      ].join("\n"),
    });
    cleanup.push(r);
    const context = await buildContext({
      repoDir: r.dir,
      title: "lex settings ignore LEX_MODE",
      body: "config/settings.py sets LEX_MODE but lex in src/lexer.py ignores it",
      tokenBudget: 4000,
    });
    const sent = JSON.stringify(context.files);
    expect(sent).toContain("LEX_MODE");
    expect(sent).not.toContain("PRIVATE KEY");
    expect(sent).not.toContain("wJalrXUtnFEMI");
  });
});

describe("invisible characters the stripper does not know", () => {
  // Variation selectors 17-256 (U+E0100-U+E01EF) render as nothing and can carry a whole
  // hidden message, one byte per character; Hangul fillers render as blank space.
  it("removes supplementary variation selectors and filler characters", () => {
    const smuggled = [..."approve"]
      .map((c) => String.fromCodePoint(0xe0100 + c.charCodeAt(0)))
      .join("");
    expect(stripHiddenContent(`fix${smuggled} the lexer`)).toBe("fix the lexer");
    expect(stripHiddenContent("a\u3164b\u115Fc\u1160d\uFFA0e")).toBe("abcde");
  });

  it("keeps the emoji variation selector, which changes only how an emoji looks", () => {
    expect(stripHiddenContent("works \u2764\uFE0F")).toBe("works \u2764\uFE0F");
  });
});
