/**
 * An issue body over its share of the model's window keeps its beginning and its end,
 * in whole lines, within the share, and says how much of the middle went.
 */
import { describe, expect, it } from "@jest/globals";
import { fitIssueBody, issueLeftOut } from "../../backend/prompt/issue-text.js";
import { renderCodeUserMessage } from "../../backend/prompt/code-prompt.js";
import { buildUserMessage } from "../../backend/prompt/user-message.js";
import { estimateTokens } from "../../protocol/index.js";
import { sampleCodeRequest, samplePlanRequest } from "../support/fixtures.js";

const pasted = (n: number) =>
  [
    "Calling `parse('')` raises IndexError.",
    ...Array.from({ length: n }, (_, i) => `  File "lib/parser.py", line ${i}, in step_${i}`),
    "Expected: an empty tree. Version 2.1.",
  ].join("\n");

describe("fitIssueBody", () => {
  it("leaves a body within its share whole", () => {
    const body = pasted(10);
    expect(fitIssueBody(body, 10_000)).toEqual({ text: body, leftOut: 0 });
    expect(issueLeftOut(7, { text: body, leftOut: 0 })).toEqual([]);
  });

  it("keeps the beginning and the end of a long body, in whole lines, within the share", () => {
    const body = pasted(5_000);
    const fitted = fitIssueBody(body, 1_000);
    expect(estimateTokens(fitted.text)).toBeLessThanOrEqual(1_000);
    expect(estimateTokens(fitted.text)).toBeGreaterThan(900);
    const lines = fitted.text.split("\n");
    expect(lines[0]).toBe("Calling `parse('')` raises IndexError.");
    expect(lines.at(-1)).toBe("Expected: an empty tree. Version 2.1.");
    const original = new Set(body.split("\n"));
    const marker = lines.filter((line) => !original.has(line));
    expect(marker).toEqual([
      `[… ${fitted.leftOut} characters of the issue's middle left out to fit the model's window …]`,
    ]);
    const kept = lines.filter((line) => original.has(line)).join("\n").length;
    expect(fitted.leftOut).toBeGreaterThan(body.length - kept - 2 * lines.length);
    expect(issueLeftOut(7, fitted)).toEqual([
      {
        path: "issue #7",
        reason: `${fitted.leftOut} characters of the body's middle left out to fit the model's context window`,
      },
    ]);
  });

  it("counts bytes, not characters, for text outside ASCII", () => {
    const body = "問題が発生しました。\n".repeat(3_000);
    const fitted = fitIssueBody(body, 500);
    expect(estimateTokens(fitted.text)).toBeLessThanOrEqual(500);
    expect(fitted.text.startsWith("問題が発生しました。")).toBe(true);
  });

  it("never splits an emoji at a cut, and counts characters as people do", () => {
    const body = "😀".repeat(50_000);
    const fitted = fitIssueBody(body, 1_000);
    expect(estimateTokens(fitted.text)).toBeLessThanOrEqual(1_000);
    const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
    expect(loneSurrogate.test(fitted.text)).toBe(false);
    const kept = [...fitted.text].filter((c) => c === "😀").length;
    expect(fitted.leftOut).toBe(50_000 - kept);
  });

  it("keeps a body whole when its share cannot even hold the note of a cut", () => {
    expect(fitIssueBody("a".repeat(70), 20)).toEqual({ text: "a".repeat(70), leftOut: 0 });
    expect(fitIssueBody("(no description)", 0)).toEqual({ text: "(no description)", leftOut: 0 });
  });

  it("cuts inside a line only when there is no line break near the cut", () => {
    const body = "x".repeat(100_000);
    const fitted = fitIssueBody(body, 300);
    expect(estimateTokens(fitted.text)).toBeLessThanOrEqual(300);
    expect(fitted.leftOut).toBeGreaterThan(99_000);
  });
});

describe("a long issue in the prompts", () => {
  it("leaves the code request's room to the files, and names the cut apart from the files", () => {
    const request = sampleCodeRequest();
    request.issue.body = pasted(4_000);
    const budget = 5_800;
    const message = renderCodeUserMessage(request, budget);
    expect(estimateTokens(message.text)).toBeLessThanOrEqual(budget);
    for (const file of request.files) expect(message.text).toContain(file.content);
    expect(message.trimmed).toEqual([
      expect.objectContaining({ path: `issue #${request.issue.number}` }),
    ]);
    expect(message.text).not.toContain("Not shown for lack of room");
  });

  it("plans within the window instead of refusing the issue", () => {
    const request = samplePlanRequest();
    request.issue.body = pasted(4_000);
    const built = buildUserMessage(request, 3_000);
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(estimateTokens(built.userMessage)).toBeLessThanOrEqual(3_000);
    expect(built.userMessage).toContain("Expected: an empty tree. Version 2.1.");
    expect(built.trimmed[0]).toMatchObject({ path: `issue #${request.issue.number}` });
  });
});
