import { describe, expect, it } from "@jest/globals";
import { renderChanges } from "../../../action/plan/render-changes.js";
import { renderGfm, unrenderedMarkdown } from "../../support/render-markdown.js";

const base = {
  written: [
    { path: "src/big.py", change: "modify" as const, before: "a\n", after: "b\n", hunks: [] },
  ],
  stats: new Map([["src/big.py", { added: 1, removed: 1 }]]),
  syntax: undefined,
  check: undefined,
  checkCommand: "",
  commitSha: "0123456789abcdef",
  model: "m",
  mode: "approve" as const,
  actor: "maintainer",
};

describe("the pull request's Changes section", () => {
  it("says which files the model saw only in part, and what of them", () => {
    const markdown = renderChanges({
      ...base,
      shownInPart: [
        { path: "src/big.py", reason: "shown in part: the outline and lines 120–180 of 5000" },
      ],
    });
    expect(markdown).toMatch(/Not shown to the model whole/);
    expect(markdown).toContain(
      "- `src/big.py`: shown in part: the outline and lines 120–180 of 5000",
    );
    expect(unrenderedMarkdown(renderGfm(markdown))).toEqual([]);
  });

  it("says nothing of it when every file went whole", () => {
    expect(renderChanges(base)).not.toMatch(/Not shown to the model whole/);
  });
});
