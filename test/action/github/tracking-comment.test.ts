import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  findTrackingComment,
  TrackingComment,
  upsertTrackingComment,
  type Scheduler,
} from "../../../action/github/tracking-comment.js";
import { TRACKING_MARKER } from "../../../action/github/tracking-comment-render.js";
import { emulatorClient } from "../../support/github/client.js";
import { startGitHubEmulator, type GitHubEmulator } from "../../support/github/emulator.js";

/** A clock the test moves by hand; due timers fire when it advances past them. */
class ManualScheduler implements Scheduler {
  private time = 0;
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 1;

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, callback, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  get armed(): number {
    return this.timers.length;
  }

  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((t) => t.at <= this.time);
    this.timers = this.timers.filter((t) => t.at > this.time);
    for (const timer of due) timer.callback();
  }
}

describe("tracking comment on GitHub", () => {
  let github: GitHubEmulator;
  let issue = 0;
  const repo = { owner: "octo", repo: "app" };
  /** Where tracking comments live, and the only author they may have: the Action itself. */
  const trackingTarget = { ...repo, authorLogin: "github-actions[bot]" };

  beforeAll(async () => {
    github = await startGitHubEmulator({ repos: [{ owner: "octo", name: "app" }] });
  });

  afterAll(async () => {
    expect(github.violations).toEqual([]);
    await github.close();
  });

  function newIssue(): number {
    issue = github
      .repo("octo", "app")
      .addIssue({ title: `Issue ${issue + 1}`, user: "reporter" }).number;
    return issue;
  }

  it("creates one comment and edits it in place across many updates", async () => {
    const issueNumber = newIssue();
    const client = emulatorClient(github);
    const target = { ...trackingTarget, issueNumber };
    const tracking = new TrackingComment(client, target, { minIntervalMs: 0 });
    await tracking.update({ phase: { kind: "queued", position: 3 } });
    for (let tokens = 100; tokens <= 500; tokens += 100) {
      await tracking.update({ phase: { kind: "running", model: "m", tokens } });
    }
    await tracking.update({
      phase: { kind: "done", pullRequestUrl: "https://github.com/octo/app/pull/9" },
    });

    const comments = github.repo("octo", "app").comments(issueNumber);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.user).toBe("github-actions[bot]");
    expect(comments[0]?.body).toContain("plan ready in https://github.com/octo/app/pull/9");
    expect(tracking.url).toContain(`#issuecomment-${comments[0]?.id}`);

    // A second run finds the same comment.
    const rerun = new TrackingComment(client, target, { minIntervalMs: 0 });
    await rerun.update({ phase: { kind: "queued" } });
    expect(github.repo("octo", "app").comments(issueNumber)).toHaveLength(1);
    expect(rerun.id).toBe(comments[0]?.id);
  });

  it("coalesces progress: one write per interval, the latest state wins, terminal states at once", async () => {
    const issueNumber = newIssue();
    const scheduler = new ManualScheduler();
    const tracking = new TrackingComment(
      emulatorClient(github),
      { ...trackingTarget, issueNumber },
      {
        minIntervalMs: 10_000,
        scheduler,
      },
    );
    const body = (): string => github.repo("octo", "app").comments(issueNumber)[0]?.body ?? "";

    await tracking.update({ phase: { kind: "queued", position: 1 } });
    expect(tracking.writeCount).toBe(1);
    await tracking.update({ phase: { kind: "running", tokens: 1 } });
    await tracking.update({ phase: { kind: "running", tokens: 2 } });
    await tracking.update({ phase: { kind: "running", tokens: 3 } });
    expect(tracking.writeCount).toBe(1);
    expect(body()).toContain("position 1");
    expect(scheduler.armed).toBe(1);

    scheduler.advance(10_000);
    await tracking.flush();
    expect(tracking.writeCount).toBe(2);
    expect(body()).toContain("3 tokens so far");

    await tracking.update({ phase: { kind: "running", tokens: 4 } });
    await tracking.update({ phase: { kind: "failed", reason: "model unavailable" } });
    expect(tracking.writeCount).toBe(3);
    expect(scheduler.armed).toBe(0);
    expect(body()).toContain("model unavailable");
    expect(github.repo("octo", "app").comments(issueNumber)).toHaveLength(1);
  });

  it("skips writes that would not change the body", async () => {
    const issueNumber = newIssue();
    const tracking = new TrackingComment(
      emulatorClient(github),
      { ...trackingTarget, issueNumber },
      { minIntervalMs: 0 },
    );
    await tracking.update({ phase: { kind: "running", tokens: 5 } });
    const edits = github.requestLog.filter((e) => e.operationId === "issues/update-comment").length;
    await tracking.update({ phase: { kind: "running", tokens: 5 } });
    await tracking.flush();
    expect(tracking.writeCount).toBe(1);
    expect(github.requestLog.filter((e) => e.operationId === "issues/update-comment").length).toBe(
      edits,
    );
  });

  it("ignores a look-alike comment posted by another bot", async () => {
    const issueNumber = newIssue();
    const view = github.repo("octo", "app");
    view.addComment(issueNumber, {
      user: "evil-app[bot]",
      body: `${TRACKING_MARKER}\n<!-- issue-agent:state {"stage":"plan","phase":"done","planHash":"${"a".repeat(64)}"} -->`,
    });
    const client = emulatorClient(github);
    expect(await findTrackingComment(client, { ...trackingTarget, issueNumber })).toBeNull();
  });

  it("ignores a look-alike comment posted by someone else", async () => {
    const issueNumber = newIssue();
    const view = github.repo("octo", "app");
    view.addComment(issueNumber, {
      user: "mallory",
      body: `${TRACKING_MARKER}\nfake approval state`,
    });
    const client = emulatorClient(github);
    expect(await findTrackingComment(client, { ...trackingTarget, issueNumber })).toBeNull();
    await upsertTrackingComment(
      client,
      { ...trackingTarget, issueNumber },
      { phase: { kind: "queued" } },
    );
    const comments = view.comments(issueNumber);
    expect(comments.map((c) => c.user)).toEqual(["mallory", "github-actions[bot]"]);
    expect(comments[0]?.body).toContain("fake approval state");
    const found = await findTrackingComment(client, {
      ...repo,
      issueNumber,
      authorLogin: "github-actions[bot]",
    });
    expect(found?.id).toBe(comments[1]?.id);
    expect(found?.record?.phase).toBe("queued");
  });

  it("finds the comment beyond the first page of comments", async () => {
    const issueNumber = newIssue();
    const client = emulatorClient(github);
    const first = await upsertTrackingComment(
      client,
      { ...trackingTarget, issueNumber },
      { phase: { kind: "queued" } },
    );
    const view = github.repo("octo", "app");
    for (let i = 0; i < 120; i += 1)
      view.addComment(issueNumber, { user: "chatty", body: `+1 #${i}` });
    const again = await upsertTrackingComment(
      client,
      { ...trackingTarget, issueNumber },
      { phase: { kind: "running" } },
    );
    expect(again.id).toBe(first.id);
    expect(view.comments(issueNumber).filter((c) => c.user === "github-actions[bot]")).toHaveLength(
      1,
    );
  });

  it("posts a new comment when the old one was deleted", async () => {
    const issueNumber = newIssue();
    const client = emulatorClient(github);
    const tracking = new TrackingComment(
      client,
      { ...trackingTarget, issueNumber },
      { minIntervalMs: 0 },
    );
    await tracking.update({ phase: { kind: "queued" } });
    const view = github.repo("octo", "app");
    const [original] = view.comments(issueNumber);
    view.record.comments.delete(original?.id ?? -1);
    await tracking.update({ phase: { kind: "running" } });
    const now = view.comments(issueNumber);
    expect(now).toHaveLength(1);
    expect(now[0]?.id).not.toBe(original?.id);
    expect(now[0]?.body).toContain("writing the plan");
  });
});
