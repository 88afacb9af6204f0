import { issueNumberFromBranch } from "../../../action/conventions.js";
import { decide, parseCommand } from "../../../action/event/trigger-gate.js";

const settings = {
  triggerLabel: "ai-agent",
  quickfixLabel: "ai-quickfix",
  requireLabelOnOpen: true,
  allowedAssociations: ["OWNER", "MEMBER", "COLLABORATOR"],
  branchPrefix: "ai-agent/",
};
const human = { login: "maintainer", type: "User" };
const issue = (extra: Record<string, unknown> = {}) => ({
  number: 7,
  user: { login: "alice", type: "User" },
  author_association: "COLLABORATOR",
  labels: [{ name: "ai-agent" }],
  ...extra,
});
const comment = (body: string, extra: Record<string, unknown> = {}) => ({
  id: 1,
  body,
  user: human,
  author_association: "MEMBER",
  ...extra,
});

describe("trigger gate", () => {
  it("plans on the trigger label, quick-fixes on the QuickFix label, and skips other labels", () => {
    expect(
      decide(
        "issues",
        { action: "labeled", label: { name: "ai-agent" }, issue: issue(), sender: human },
        settings,
      ),
    ).toMatchObject({ run: true, mode: "plan", issueNumber: 7 });
    expect(
      decide(
        "issues",
        { action: "labeled", label: { name: "ai-quickfix" }, issue: issue(), sender: human },
        settings,
      ),
    ).toMatchObject({ run: true, mode: "quickfix" });
    expect(
      decide(
        "issues",
        { action: "labeled", label: { name: "bug" }, issue: issue(), sender: human },
        settings,
      ),
    ).toMatchObject({ run: false, reason: expect.stringMatching(/not the trigger label/) });
  });

  it("needs the label on opened issues unless configured otherwise, and an allowed author", () => {
    expect(
      decide("issues", { action: "opened", issue: issue({ labels: [] }), sender: human }, settings)
        .run,
    ).toBe(false);
    expect(
      decide(
        "issues",
        { action: "opened", issue: issue({ labels: [] }), sender: human },
        { ...settings, requireLabelOnOpen: false },
      ).run,
    ).toBe(true);
    expect(
      decide(
        "issues",
        { action: "opened", issue: issue({ author_association: "NONE" }), sender: human },
        settings,
      ),
    ).toMatchObject({
      run: false,
      reason: expect.stringMatching(/NONE is not in allowed-associations/),
    });
    expect(
      decide(
        "issues",
        {
          action: "opened",
          issue: issue({ author_association: "FIRST_TIME_CONTRIBUTOR" }),
          sender: human,
        },
        settings,
      ).run,
    ).toBe(false);
  });

  it("runs once for an issue filed with a label: on the labeled event GitHub sends with it, not on opened", () => {
    // GitHub sends `opened` and then `labeled` for each label an issue is created with;
    // the example workflow listens to both, and running on both planned (or fixed) twice.
    for (const label of ["ai-agent", "ai-quickfix"]) {
      const filed = issue({ labels: [{ name: label }] });
      expect(
        decide("issues", { action: "opened", issue: filed, sender: human }, settings),
      ).toMatchObject({
        run: false,
        reason: expect.stringMatching(
          new RegExp(`carries the label '${label}': the labeled event`),
        ),
      });
      expect(
        decide(
          "issues",
          { action: "labeled", label: { name: label }, issue: filed, sender: human },
          settings,
        ),
      ).toMatchObject({ run: true, mode: label === "ai-agent" ? "plan" : "quickfix" });
    }
    // A reopened issue gets no labeled event: it runs on reopened.
    expect(
      decide(
        "issues",
        { action: "reopened", issue: issue({ labels: [{ name: "ai-agent" }] }), sender: human },
        settings,
      ),
    ).toMatchObject({ run: true, mode: "plan" });
  });

  it("does not take a label from the issue's own author as a maintainer's, unless the author is allowed", () => {
    // An issue template's labels are applied whoever files the issue, as the author.
    const outsider = { login: "drive-by", type: "User" };
    const filed = issue({
      user: outsider,
      author_association: "NONE",
      labels: [{ name: "ai-agent" }],
    });
    expect(
      decide(
        "issues",
        { action: "labeled", label: { name: "ai-agent" }, issue: filed, sender: outsider },
        settings,
      ),
    ).toMatchObject({
      run: false,
      reason: expect.stringMatching(/added by the issue's author.*NONE/),
    });
    // A maintainer labelling the outsider's issue is trusted (labelling needs triage access).
    expect(
      decide(
        "issues",
        { action: "labeled", label: { name: "ai-agent" }, issue: filed, sender: human },
        settings,
      ),
    ).toMatchObject({ run: true, mode: "plan" });
  });

  it("skips bots, pull requests and events it does not handle", () => {
    expect(
      decide(
        "issues",
        {
          action: "labeled",
          label: { name: "ai-agent" },
          issue: issue(),
          sender: { login: "renovate[bot]", type: "User" },
        },
        settings,
      ),
    ).toMatchObject({ run: false, reason: expect.stringMatching(/bot/) });
    expect(
      decide(
        "issues",
        {
          action: "labeled",
          label: { name: "ai-agent" },
          issue: issue({ pull_request: {} }),
          sender: human,
        },
        settings,
      ),
    ).toMatchObject({ run: false, reason: expect.stringMatching(/pull request/) });
    expect(decide("pull_request", { action: "opened", sender: human }, settings).run).toBe(false);
    expect(
      decide("issues", { action: "closed", issue: issue(), sender: human }, settings).run,
    ).toBe(false);
  });

  it("takes slash commands from new comments by allowed authors only", () => {
    expect(
      decide(
        "issue_comment",
        {
          action: "created",
          issue: issue(),
          comment: comment("/plan\nFocus on the parser."),
          sender: human,
        },
        settings,
      ),
    ).toMatchObject({ run: true, mode: "plan", guidance: "Focus on the parser." });
    expect(
      decide(
        "issue_comment",
        { action: "created", issue: issue(), comment: comment("/approve"), sender: human },
        settings,
      ),
    ).toMatchObject({ run: true, mode: "approve", command: { commentId: 1 }, actor: "maintainer" });
    expect(
      decide(
        "issue_comment",
        { action: "edited", issue: issue(), comment: comment("/approve"), sender: human },
        settings,
      ),
    ).toMatchObject({ run: false, reason: expect.stringMatching(/never edits/) });
    expect(
      decide(
        "issue_comment",
        {
          action: "created",
          issue: issue(),
          comment: comment("/approve", { author_association: "CONTRIBUTOR" }),
          sender: human,
        },
        settings,
      ).run,
    ).toBe(false);
    expect(
      decide(
        "issue_comment",
        {
          action: "created",
          issue: issue(),
          comment: comment("/approve", { user: { login: "x[bot]", type: "Bot" } }),
          sender: { login: "x[bot]", type: "Bot" },
        },
        settings,
      ).run,
    ).toBe(false);
    expect(
      decide(
        "issue_comment",
        {
          action: "created",
          issue: issue(),
          comment: comment("Please /approve this"),
          sender: human,
        },
        settings,
      ).run,
    ).toBe(false);
  });

  it("maps /approve on the agent's pull request to its issue, and nothing else", () => {
    const pr = issue({ number: 12, pull_request: {} });
    expect(
      decide(
        "issue_comment",
        { action: "created", issue: pr, comment: comment("/approve"), sender: human },
        settings,
        "ai-agent/issue-7",
      ),
    ).toMatchObject({ run: true, mode: "approve", issueNumber: 7, onPullRequest: true });
    expect(
      decide(
        "issue_comment",
        { action: "created", issue: pr, comment: comment("/approve"), sender: human },
        settings,
        "feature/x",
      ).run,
    ).toBe(false);
    expect(
      decide(
        "issue_comment",
        { action: "created", issue: pr, comment: comment("/plan"), sender: human },
        settings,
        "ai-agent/issue-7",
      ).run,
    ).toBe(false);
  });

  it("reads workflow_dispatch's issue number from the input or the event", () => {
    expect(
      decide("workflow_dispatch", { inputs: { "issue-number": "42" }, sender: human }, settings),
    ).toMatchObject({ run: true, issueNumber: 42 });
    expect(
      decide("workflow_dispatch", { inputs: {}, sender: human }, { ...settings, issueNumber: 5 }),
    ).toMatchObject({ run: true, issueNumber: 5 });
    expect(decide("workflow_dispatch", { inputs: {}, sender: human }, settings)).toMatchObject({
      run: false,
      reason: expect.stringMatching(/issue-number/),
    });
  });

  it("parses commands and branch names strictly", () => {
    expect(parseCommand("  /quickfix please\r\nand test it")).toEqual({
      command: "quickfix",
      guidance: "please\nand test it",
    });
    expect(parseCommand("/approved")).toBeUndefined();
    expect(issueNumberFromBranch("ai-agent/issue-31", "ai-agent/")).toBe(31);
    expect(issueNumberFromBranch("ai-agent/issue-31-x", "ai-agent/")).toBeUndefined();
  });
});
