import { describe, expect, it } from "@jest/globals";
import {
  isTerminal,
  parseTrackingComment,
  renderTrackingComment,
  TRACKING_MARKER,
} from "../../../action/github/tracking-comment-render.js";

const HASH = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

describe("tracking comment rendering", () => {
  it("starts with the marker and shows the queue position and wait", () => {
    const body = renderTrackingComment({
      phase: { kind: "queued", position: 2, waitSeconds: 150 },
    });
    expect(body.startsWith(`${TRACKING_MARKER}\n`)).toBe(true);
    expect(body).toContain("**Status:** queued (position 2 in the queue, about 3 min to wait)");
  });

  it("shows the model and token count while running", () => {
    const body = renderTrackingComment({
      phase: { kind: "running", model: "qwen2.5-coder:7b", tokens: 1234 },
    });
    expect(body).toContain("writing the plan (model `qwen2.5-coder:7b`, 1,234 tokens so far)");
  });

  it("links the pull request, shows the plan hash and the approve hint when done", () => {
    const body = renderTrackingComment({
      phase: { kind: "done", pullRequestUrl: "https://github.com/o/r/pull/7" },
      planHash: HASH,
      approveCommand: "/approve",
      runUrl: "https://github.com/o/r/actions/runs/1",
    });
    expect(body).toContain("plan ready in https://github.com/o/r/pull/7");
    expect(body).toContain(`**Plan hash:** \`${HASH}\``);
    expect(body).toContain("comments `/approve`");
    expect(body).toContain("[Workflow run](https://github.com/o/r/actions/runs/1)");
  });

  it("omits the approve hint until the plan is done", () => {
    const body = renderTrackingComment({
      phase: { kind: "running" },
      planHash: HASH,
      approveCommand: "/approve",
    });
    expect(body).not.toContain("/approve");
  });

  it("explains a failure and how to retry, without pinging anyone", () => {
    const body = renderTrackingComment({
      phase: { kind: "failed", reason: "Model said: ask @octocat\n<!-- hidden -->about it" },
    });
    expect(body).toContain("**Status:** failed");
    expect(body).toContain("**Reason:** Model said: ask @&#8203;octocat\nabout it");
    expect(body).not.toContain("hidden");
    expect(body).toContain("**To retry:** re-run the workflow");
  });

  it("describes the code stage differently", () => {
    const body = renderTrackingComment({
      stage: "code",
      phase: { kind: "done", pullRequestUrl: "https://github.com/o/r/pull/7" },
    });
    expect(body).toContain("issue-agent: code changes");
    expect(body).toContain("changes pushed to https://github.com/o/r/pull/7");
  });

  it("reads back what it wrote, and rejects what it did not", () => {
    const body = renderTrackingComment({
      phase: { kind: "done", pullRequestUrl: "https://github.com/o/r/pull/7" },
      planHash: HASH,
    });
    expect(parseTrackingComment(body)).toEqual({ stage: "plan", phase: "done", planHash: HASH });
    expect(parseTrackingComment("hello")).toBeNull();
    expect(parseTrackingComment(`${TRACKING_MARKER}\nno state line`)).toBeNull();
    const tampered = body.replace('"phase":"done"', '"phase":"owned"');
    expect(parseTrackingComment(tampered)).toBeNull();
  });

  it("refuses to embed a hash that could break out of the comment", () => {
    const body = renderTrackingComment({ phase: { kind: "running" }, planHash: "x --> <b>" });
    expect(body).not.toContain("<b>");
    expect(parseTrackingComment(body)?.planHash).toBeNull();
  });

  it("renders equal states identically and different states differently", () => {
    const a = renderTrackingComment({ phase: { kind: "running", tokens: 10 } });
    expect(renderTrackingComment({ phase: { kind: "running", tokens: 10 } })).toBe(a);
    expect(renderTrackingComment({ phase: { kind: "running", tokens: 11 } })).not.toBe(a);
  });

  it("knows which phases are terminal", () => {
    expect(isTerminal({ kind: "queued" })).toBe(false);
    expect(isTerminal({ kind: "running" })).toBe(false);
    expect(isTerminal({ kind: "done", pullRequestUrl: "u" })).toBe(true);
    expect(isTerminal({ kind: "failed", reason: "r" })).toBe(true);
    expect(isTerminal({ kind: "cancelled", detail: "d", rerun: "r" })).toBe(true);
  });

  it("says a run was cancelled, how to run it again, and reads it back with its plan hash", () => {
    const body = renderTrackingComment({
      stage: "plan",
      phase: {
        kind: "cancelled",
        detail: "The workflow run was cancelled (SIGINT) while @alice watched.",
        rerun: "re-run the workflow, or comment `/plan` on the issue.",
      },
      planHash: HASH,
    });
    expect(body).toContain("**Status:** cancelled");
    expect(body).toContain("**To run it again:** re-run the workflow, or comment `/plan`");
    expect(body).not.toContain("@alice");
    expect(parseTrackingComment(body)).toEqual({
      stage: "plan",
      phase: "cancelled",
      planHash: HASH,
    });
  });
});
