/**
 * Who can make the bot spend GPU time or push code. The trigger gate decides from the
 * event alone; these cases are the ways someone without the right to could try, plus
 * properties over thousands of generated events.
 */
import fc from "fast-check";
import { decide, parseCommand, type GateSettings } from "../../../action/event/trigger-gate.js";

const settings: GateSettings = {
  triggerLabel: "ai-agent",
  quickfixLabel: "ai-quickfix",
  requireLabelOnOpen: true,
  allowedAssociations: ["OWNER", "MEMBER", "COLLABORATOR"],
  branchPrefix: "ai-agent/",
};

const human = (login = "maintainer") => ({ login, type: "User" });

function comment(
  body: string,
  options: {
    association?: string;
    user?: { login: string; type: string };
    sender?: { login: string; type: string };
    action?: string;
    onPullRequest?: boolean;
  } = {},
) {
  const user = options.user ?? human();
  return {
    action: options.action ?? "created",
    issue: {
      number: 7,
      user: human("alice"),
      labels: [],
      ...(options.onPullRequest ? { pull_request: { url: "x" } } : {}),
    },
    comment: { id: 1, body, user, author_association: options.association ?? "COLLABORATOR" },
    sender: options.sender ?? user,
  };
}

function labeled(label: string, sender = human()) {
  return {
    action: "labeled",
    label: { name: label },
    issue: { number: 7, user: human("stranger"), author_association: "NONE", labels: [] },
    sender,
  };
}

function opened(association: string, labels: string[] = ["ai-agent"], body = "") {
  return {
    action: "opened",
    issue: {
      number: 7,
      user: human("author"),
      author_association: association,
      labels: labels.map((name) => ({ name })),
      body,
    },
    sender: human("author"),
  };
}

/** Each case: an attempt that must not run anything. */
const refused: {
  attempt: string;
  event: string;
  payload: object;
  headRef?: string;
  why: RegExp;
}[] = [
  {
    attempt: "a bot labels the issue",
    event: "issues",
    payload: labeled("ai-agent", { login: "renovate[bot]", type: "Bot" }),
    why: /sent by a bot/,
  },
  {
    attempt: "a GitHub App whose login ends in [bot] but typed User",
    event: "issues",
    payload: labeled("ai-agent", { login: "evil[bot]", type: "User" }),
    why: /sent by a bot/,
  },
  {
    attempt: "a bot comments /approve",
    event: "issue_comment",
    payload: comment("/approve", { user: { login: "helper[bot]", type: "Bot" } }),
    why: /bot/,
  },
  {
    attempt: "a comment by a bot relayed by a human sender",
    event: "issue_comment",
    payload: comment("/approve", {
      user: { login: "relay", type: "Bot" },
      sender: human(),
    }),
    why: /written by a bot/,
  },
  {
    attempt: "an outside contributor comments /approve",
    event: "issue_comment",
    payload: comment("/approve", { association: "NONE", user: human("stranger") }),
    why: /association NONE is not in allowed-associations/,
  },
  {
    attempt: "a first-time contributor comments /plan",
    event: "issue_comment",
    payload: comment("/plan", { association: "FIRST_TIME_CONTRIBUTOR" }),
    why: /FIRST_TIME_CONTRIBUTOR/,
  },
  {
    attempt: "a past contributor (no write access) comments /quickfix",
    event: "issue_comment",
    payload: comment("/quickfix", { association: "CONTRIBUTOR" }),
    why: /CONTRIBUTOR is not in allowed-associations/,
  },
  {
    attempt: "a comment without any association",
    event: "issue_comment",
    payload: { ...comment("/approve"), comment: { id: 1, body: "/approve", user: human() } },
    why: /association NONE/,
  },
  {
    attempt: "an edited comment turned into /approve",
    event: "issue_comment",
    payload: comment("/approve", { action: "edited" }),
    why: /only new comments count/,
  },
  {
    attempt: "a deleted comment",
    event: "issue_comment",
    payload: comment("/approve", { action: "deleted" }),
    why: /only new comments count/,
  },
  {
    attempt: "/approve on the second line of a comment",
    event: "issue_comment",
    payload: comment("Looks fine to me.\n/approve"),
    why: /no \/plan, \/approve or \/quickfix command/,
  },
  {
    attempt: "a quoted /approve",
    event: "issue_comment",
    payload: comment("> /approve\nwhy was this approved?"),
    why: /no \/plan/,
  },
  {
    attempt: "/approved (a different word)",
    event: "issue_comment",
    payload: comment("/approved"),
    why: /no \/plan/,
  },
  {
    attempt: "/approve hidden behind a zero-width space",
    event: "issue_comment",
    payload: comment("\u200b/approve"),
    why: /no \/plan/,
  },
  {
    attempt: "/approve inside an HTML comment",
    event: "issue_comment",
    payload: comment("<!-- /approve -->"),
    why: /no \/plan/,
  },
  {
    attempt: "/plan on a pull request",
    event: "issue_comment",
    payload: comment("/plan", { onPullRequest: true }),
    headRef: "ai-agent/issue-7",
    why: /on a pull request is not handled/,
  },
  {
    attempt: "/approve on a pull request from some other branch",
    event: "issue_comment",
    payload: comment("/approve", { onPullRequest: true }),
    headRef: "feature/take-over",
    why: /not an issue-agent branch/,
  },
  {
    attempt: "/approve on a pull request whose branch only looks like the agent's",
    event: "issue_comment",
    payload: comment("/approve", { onPullRequest: true }),
    headRef: "ai-agent/issue-7-evil",
    why: /not an issue-agent branch/,
  },
  {
    attempt: "a pull_request event (from a fork or not)",
    event: "pull_request",
    payload: { action: "opened", sender: human("forker") },
    why: /pull request events are not handled/,
  },
  {
    attempt: "a pull_request_target event from a fork",
    event: "pull_request_target",
    payload: {
      action: "opened",
      pull_request: { head: { repo: { fork: true } } },
      sender: human("forker"),
    },
    why: /pull request events are not handled/,
  },
  {
    attempt: "an issues event on a pull request",
    event: "issues",
    payload: { ...labeled("ai-agent"), issue: { number: 7, pull_request: { url: "x" } } },
    why: /on a pull request/,
  },
  {
    attempt: "another label",
    event: "issues",
    payload: labeled("bug"),
    why: /label 'bug' is not the trigger label/,
  },
  {
    attempt: "a label that only resembles the trigger label",
    event: "issues",
    payload: labeled("AI-Agent "),
    why: /is not the trigger label/,
  },
  {
    attempt: "an outsider opens an issue that already carries the trigger label",
    event: "issues",
    payload: opened("NONE"),
    why: /association NONE/,
  },
  {
    attempt: "an outsider opens an issue whose body says /approve",
    event: "issues",
    payload: opened("NONE", ["ai-quickfix"], "/approve\n/quickfix"),
    why: /association NONE/,
  },
  {
    attempt: "a collaborator opens an issue without the trigger label",
    event: "issues",
    payload: opened("COLLABORATOR", []),
    why: /does not carry the trigger label/,
  },
  {
    attempt: "the issue is edited",
    event: "issues",
    payload: { ...opened("OWNER"), action: "edited" },
    why: /issues\.edited events are not handled/,
  },
  {
    attempt: "a push event",
    event: "push",
    payload: { sender: human() },
    why: /event 'push' is not handled/,
  },
  {
    attempt: "workflow_dispatch without an issue number",
    event: "workflow_dispatch",
    payload: { inputs: { "issue-number": "7; rm -rf /" }, sender: human() },
    why: /needs the issue number/,
  },
];

describe("the trigger gate refuses", () => {
  it.each(refused)("$attempt", ({ event, payload, headRef, why }) => {
    const decision = decide(event, payload, settings, headRef);
    expect(decision).toEqual({ run: false, reason: expect.stringMatching(why) as string });
  });
});

describe("the trigger gate allows only what it should", () => {
  it("a labeller (triage access) may start a plan for anyone's issue; a maintainer may approve", () => {
    expect(decide("issues", labeled("ai-agent") as never, settings)).toMatchObject({
      run: true,
      mode: "plan",
    });
    expect(decide("issue_comment", comment("/approve") as never, settings)).toMatchObject({
      run: true,
      mode: "approve",
      actor: "maintainer",
      command: { commentId: 1 },
    });
    // Only the first line is the command; the rest is guidance, and never a second command.
    expect(
      decide("issue_comment", comment("/approve keep it small\n/quickfix") as never, settings),
    ).toMatchObject({ mode: "approve", guidance: "keep it small\n/quickfix" });
  });

  it("an /approve on the agent's own pull request acts on the issue its branch names", () => {
    expect(
      decide(
        "issue_comment",
        comment("/approve", { onPullRequest: true }) as never,
        settings,
        "ai-agent/issue-12",
      ),
    ).toMatchObject({ run: true, mode: "approve", issueNumber: 12, onPullRequest: true });
  });
});

const association = fc.constantFrom(
  "OWNER",
  "MEMBER",
  "COLLABORATOR",
  "CONTRIBUTOR",
  "FIRST_TIME_CONTRIBUTOR",
  "FIRST_TIMER",
  "MANNEQUIN",
  "NONE",
  "owner",
  "",
);
const user = fc.record({
  login: fc.oneof(
    fc.string(),
    fc.string().map((s) => `${s}[bot]`),
  ),
  type: fc.constantFrom("User", "Bot", "Organization"),
});
const commentPayload = fc.record({
  action: fc.constantFrom("created", "edited", "deleted"),
  issue: fc.record({
    number: fc.integer({ min: 1, max: 1e6 }),
    pull_request: fc.option(fc.constant({ url: "x" }), { nil: undefined }),
  }),
  comment: fc.record({
    id: fc.integer({ min: 1 }),
    body: fc.oneof(
      fc.string(),
      fc.constantFrom("/approve", "/plan", "/quickfix", " /approve\n", "/approve now"),
      fc.tuple(fc.string(), fc.constantFrom("/approve", "/quickfix")).map(([a, b]) => `${a}${b}`),
    ),
    user,
    author_association: association,
  }),
  sender: user,
});
const allowed = new Set(settings.allowedAssociations);

describe("trigger gate properties", () => {
  it("never runs for bots, edits, or comment authors without write-level association", () => {
    fc.assert(
      fc.property(commentPayload, fc.option(fc.string(), { nil: undefined }), (payload, head) => {
        const decision = decide("issue_comment", payload, settings, head);
        if (!decision.run) return;
        expect(payload.action).toBe("created");
        expect(payload.sender.type).not.toBe("Bot");
        expect(payload.sender.login.endsWith("[bot]")).toBe(false);
        expect(payload.comment.user.type).not.toBe("Bot");
        expect(allowed.has(payload.comment.author_association.toUpperCase())).toBe(true);
        expect(parseCommand(payload.comment.body)?.command).toBe(decision.mode);
        if (payload.issue.pull_request) {
          expect(decision.mode).toBe("approve");
          expect(head).toBe(`ai-agent/issue-${decision.issueNumber}`);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("never throws on arbitrary payloads, and never runs for pull request events", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          "issues",
          "issue_comment",
          "pull_request",
          "pull_request_target",
          "workflow_dispatch",
          "push",
        ),
        fc.anything(),
        (event, payload) => {
          const decision = decide(
            event,
            typeof payload === "object" && payload !== null ? payload : {},
            settings,
          );
          if (event.startsWith("pull_request")) expect(decision.run).toBe(false);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
