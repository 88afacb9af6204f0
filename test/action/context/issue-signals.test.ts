import { describe, expect, it } from "@jest/globals";
import { readIssueSignals, stackFrames } from "../../../action/context/issue-signals.js";

describe("stackFrames", () => {
  it("reads Python tracebacks with line and function", () => {
    const frames = stackFrames(
      'Traceback (most recent call last):\n  File "/venv/lib/site-packages/pkg/forms/fields.py", line 151, in clean\n',
    );
    expect(frames).toEqual([
      { path: "/venv/lib/site-packages/pkg/forms/fields.py", line: 151, symbol: "clean", depth: 0 },
    ]);
  });

  it("reads Java frames as package paths", () => {
    const frames = stackFrames("\tat com.acme.util.Parser.parse(Parser.java:42)");
    expect(frames[0]).toMatchObject({
      path: "com/acme/util/Parser.java",
      line: 42,
      symbol: "parse",
    });
  });

  it("reads JavaScript, Go, Rust and Ruby locations", () => {
    const text = [
      "    at render (/app/src/view/render.js:10:5)",
      "\t/home/u/go/src/example.com/x/server/handler.go:88 +0x1d",
      "thread 'main' panicked at src/parse/lexer.rs:12:9",
      "lib/tool/runner.rb:33:in `call'",
    ].join("\n");
    const paths = stackFrames(text).map((f) => `${f.path}:${f.line ?? ""}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        "/app/src/view/render.js:10",
        "/home/u/go/src/example.com/x/server/handler.go:88",
        "src/parse/lexer.rs:12",
        "lib/tool/runner.rb:33",
      ]),
    );
  });
});

describe("readIssueSignals", () => {
  it("finds paths, qualified names, code identifiers and error messages", () => {
    const signals = readIssueSignals(
      "URLField throws ValueError in clean",
      [
        "Calling `forms.URLField().clean('x')` fails, see django/forms/fields.py.",
        "Also sympy.core.numbers.Rational is affected.",
        "```",
        "ValueError: Invalid IPv6 URL for host 'abc'",
        "```",
      ].join("\n"),
    );
    expect(signals.paths).toContain("django/forms/fields.py");
    expect(signals.qualifiedNames).toContainEqual(["sympy", "core", "numbers", "Rational"]);
    expect(signals.identifiers.has("URLField")).toBe(true);
    expect(signals.identifiers.has("ValueError")).toBe(true);
    expect(signals.messages).toContain("Invalid IPv6 URL for host");
    expect((signals.terms.get("urlfield") ?? 0) > (signals.terms.get("rational") ?? 0)).toBe(true);
  });

  it("does not take versions or prose for file names", () => {
    const signals = readIssueSignals("Broken since v1.2.3", "e.g. this fails on www.example.com");
    expect(signals.paths).toEqual([]);
  });

  it("tells when an issue is about tests or documentation", () => {
    expect(readIssueSignals("Flaky test for parser", "").aboutTests).toBe(true);
    expect(readIssueSignals("Typo in the docs", "").aboutDocs).toBe(true);
    expect(readIssueSignals("Parser crashes", "").aboutTests).toBe(false);
  });

  it("searches for the reporter's words, not the words of a link", () => {
    const signals = readIssueSignals(
      "Cookie decryption fails",
      "See https://github.com/o/p/wiki/FAQ#video-url-contains-an-ampersand and " +
        "[the guide](https://example.com/guide/strange-output). The cookie is empty.",
    );
    expect(signals.terms.get("cookie")).toBe(3);
    for (const word of ["video", "ampersand", "strange", "wiki", "github", "example"])
      expect(signals.terms.has(word)).toBe(false);
  });

  it("keeps a link's path as a written path", () => {
    const signals = readIssueSignals(
      "Wrong key",
      "It is here: https://github.com/o/p/blob/3b7e832/pkg/jwe.py#L36",
    );
    expect(signals.paths.some((path) => path.endsWith("/pkg/jwe.py"))).toBe(true);
  });

  it("drops an issue template's first-person pledges, keeps other task lists", () => {
    const signals = readIssueSignals(
      "Parser crashes",
      [
        "### Checklist",
        "- [X] I've read the [guidelines](https://github.com/o/p/blob/main/CONTRIBUTING.md)",
        "- [x] I have searched the `TemplateSearch` issues",
        "- [ ] I'm using the latest version",
        "",
        "- [ ] Make `parse_header` accept an empty line",
      ].join("\n"),
    );
    expect(signals.paths).not.toContain("CONTRIBUTING.md");
    expect(signals.identifiers.has("TemplateSearch")).toBe(false);
    expect(signals.terms.has("searched")).toBe(false);
    expect(signals.terms.has("guidelines")).toBe(false);
    expect(signals.identifiers.has("parse_header")).toBe(true);
  });
});
