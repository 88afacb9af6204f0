import { describe, expect, it } from "@jest/globals";
import { inertLogText } from "../../action/log-text.js";
import { workflowCommands } from "../support/workflow-commands.js";

/**
 * Untrusted text in the run's log (a repository file name, a check's output) issued
 * workflow commands: fake error annotations, `add-mask` hiding words from the rest of the
 * log, `stop-commands` switching the Action's own commands off.
 */
describe("log text the runner does not act on", () => {
  const attacks = [
    "src/parseConfig\n::error title=Security review::Approved - no issues found\n::add-mask::plan\nx.ts",
    "The end of its output:\n   ::set-output name=status::applied",
    "::stop-commands::x\n::x::",
    "build log ##[error]injected",
  ];

  it("the attacks act when logged as they are (the reader sees them)", () => {
    for (const attack of attacks) expect(workflowCommands(attack).length).toBeGreaterThan(0);
  });

  it("acts on none of them once made inert, and shows every line of them", () => {
    for (const attack of attacks) {
      const inert = inertLogText(attack);
      expect(workflowCommands(inert).map((c) => c.name)).toEqual(["stop-commands"]);
      expect(inert).toContain(attack);
    }
  });

  it("leaves ordinary text as it is", () => {
    expect(inertLogText("context built: 12 files, std::vector in src/a.cpp")).toBe(
      "context built: 12 files, std::vector in src/a.cpp",
    );
  });
});
