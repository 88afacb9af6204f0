/**
 * How the CLI reads the issue it works on: `--issue-file` (first line the title), or
 * `--title` with a body. Options that would be silently ignored are refused instead.
 */
import { describe, expect, it } from "@jest/globals";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { readIssueInput } from "../../cli/issue-input.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "issue-input-"));
const file = (name: string, text: string) => {
  writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
};

describe("the issue the CLI is given", () => {
  it("reads a file's first line as the title, without a byte-order mark or heading marks", () => {
    const issueFile = file("bom.md", "\uFEFF# Parser rejects commas\r\n\r\nIt raises.\r\n");
    expect(readIssueInput({ "issue-file": issueFile })).toEqual({
      title: "Parser rejects commas",
      body: "It raises.",
    });
  });

  it("refuses options that would otherwise be ignored without a word", () => {
    const issueFile = file("issue.md", "# Title\nbody\n");
    const bodyFile = file("body.md", "from a file");
    expect(readIssueInput({ "issue-file": issueFile, title: "Other" })).toMatch(/not both/);
    expect(readIssueInput({ "issue-file": issueFile, body: "more" })).toMatch(/not both/);
    expect(readIssueInput({ title: "T", body: "b", "body-file": bodyFile })).toMatch(
      /--body B or --body-file F, not both/,
    );
    expect(readIssueInput({ body: "a body alone" })).toMatch(/need the issue's --title T/);
    expect(readIssueInput({ title: "T", "body-file": bodyFile })).toEqual({
      title: "T",
      body: "from a file",
    });
  });
});
