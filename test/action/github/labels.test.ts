import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { getOctokit } from "@actions/github";
import {
  ensureLabels,
  setStateLabel,
  type LabelDefinition,
} from "../../../action/github/labels.js";
import { emulatorClient } from "../../support/github/client.js";
import { startGitHubEmulator, type GitHubEmulator } from "../../support/github/emulator.js";

const LABELS: LabelDefinition[] = [
  { name: "ai-agent", color: "5319e7", description: "Ask for an implementation plan" },
  { name: "plan-pending", color: "fbca04", description: "A plan awaits review" },
  { name: "plan-applied", color: "0e8a16", description: "The approved plan was applied" },
  { name: "plan-failed", color: "d93f0b", description: "Planning or applying failed" },
];
const STATES = ["plan-pending", "plan-applied", "plan-failed"];

describe("labels", () => {
  let github: GitHubEmulator;
  const repo = { owner: "octo", repo: "app" };

  beforeAll(async () => {
    github = await startGitHubEmulator({
      repos: [
        {
          owner: "octo",
          name: "app",
          labels: [{ name: "AI-Agent", color: "000000" }, { name: "bug" }],
          issues: [{ title: "One", labels: ["AI-Agent", "bug"] }],
        },
      ],
    });
  });

  afterAll(async () => {
    expect(github.violations).toEqual([]);
    await github.close();
  });

  it("creates the missing labels once, matching names case-insensitively", async () => {
    const client = emulatorClient(github);
    const created = await ensureLabels(client, repo, LABELS);
    expect(created).toEqual(["plan-pending", "plan-applied", "plan-failed"]);
    const labels = github.repo("octo", "app").labels();
    expect(labels.map((l) => l.name)).toEqual([
      "AI-Agent",
      "bug",
      "plan-pending",
      "plan-applied",
      "plan-failed",
    ]);
    expect(labels.find((l) => l.name === "plan-failed")).toMatchObject({
      color: "d93f0b",
      description: "Planning or applying failed",
    });
    expect(await ensureLabels(client, repo, LABELS)).toEqual([]);
  });

  it("tolerates a label created concurrently", async () => {
    const rival = getOctokit(github.token, { baseUrl: github.url });
    github.beforeNext({
      route: "issues/create-label",
      run: async () => {
        await rival.rest.issues.createLabel({ ...repo, name: "ai-quickfix", color: "1d76db" });
      },
    });
    const created = await ensureLabels(emulatorClient(github), repo, [
      { name: "ai-quickfix", color: "1d76db", description: "Plan and code in one pass" },
    ]);
    expect(created).toEqual([]);
    expect(
      github
        .repo("octo", "app")
        .labels()
        .filter((l) => l.name === "ai-quickfix"),
    ).toHaveLength(1);
  });

  it("moves the issue from one state label to the next and leaves other labels alone", async () => {
    const client = emulatorClient(github);
    const target = { ...repo, issueNumber: 1 };
    expect(await setStateLabel(client, target, "plan-pending", STATES)).toEqual([
      "AI-Agent",
      "bug",
      "plan-pending",
    ]);
    await setStateLabel(client, target, "plan-failed", STATES);
    expect(github.repo("octo", "app").issueLabels(1)).toEqual(["AI-Agent", "bug", "plan-failed"]);
    await setStateLabel(client, target, "plan-applied", STATES);
    expect(github.repo("octo", "app").issueLabels(1)).toEqual(["AI-Agent", "bug", "plan-applied"]);
    await setStateLabel(client, target, null, STATES);
    expect(github.repo("octo", "app").issueLabels(1)).toEqual(["AI-Agent", "bug"]);
  });

  it("treats a label removed by someone else as removed", async () => {
    const client = emulatorClient(github);
    const target = { ...repo, issueNumber: 1 };
    await setStateLabel(client, target, "plan-pending", STATES);
    github.beforeNext({
      route: "issues/remove-label",
      run: () => {
        const issue = github.repo("octo", "app").issue(1);
        if (issue !== undefined) issue.labels = issue.labels.filter((l) => l !== "plan-pending");
      },
    });
    await setStateLabel(client, target, "plan-applied", STATES);
    expect(github.repo("octo", "app").issueLabels(1)).toEqual(["AI-Agent", "bug", "plan-applied"]);
    expect(
      github.requestLog.some((e) => e.operationId === "issues/remove-label" && e.status === 404),
    ).toBe(true);
  });
});
