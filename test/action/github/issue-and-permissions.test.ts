import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { getIssue } from "../../../action/github/issue.js";
import {
  getRepoPermission,
  hasWriteAccess,
  isWriteLevel,
} from "../../../action/github/permissions.js";
import { emulatorClient } from "../../support/github/client.js";
import { startGitHubEmulator, type GitHubEmulator } from "../../support/github/emulator.js";

describe("issue facts and repository permissions", () => {
  let github: GitHubEmulator;
  const repo = { owner: "octo", repo: "app" };

  beforeAll(async () => {
    github = await startGitHubEmulator({
      users: [{ login: "renovate[bot]", type: "Bot" }],
      repos: [
        {
          owner: "octo",
          name: "app",
          collaborators: { alice: "write", mona: "maintain", tria: "triage", rita: "read" },
          issues: [
            { title: "Crash", body: "Steps: run it", user: "alice", labels: ["ai-agent", "bug"] },
            { title: "No body", user: "stranger" },
            { title: "Bump deps", body: "", user: "renovate[bot]", state: "closed" },
          ],
        },
      ],
    });
  });

  afterAll(async () => {
    expect(github.violations).toEqual([]);
    await github.close();
  });

  it("reads an issue's title, body, labels, author and association", async () => {
    const issue = await getIssue(emulatorClient(github), { ...repo, issueNumber: 1 });
    expect(issue).toEqual({
      number: 1,
      title: "Crash",
      body: "Steps: run it",
      state: "open",
      labels: ["ai-agent", "bug"],
      author: { login: "alice", type: "User" },
      authorAssociation: "COLLABORATOR",
      isPullRequest: false,
      url: "https://github.com/octo/app/issues/1",
    });
    const bare = await getIssue(emulatorClient(github), { ...repo, issueNumber: 2 });
    expect(bare).toMatchObject({ body: "", authorAssociation: "NONE", labels: [] });
    const bot = await getIssue(emulatorClient(github), { ...repo, issueNumber: 3 });
    expect(bot).toMatchObject({ state: "closed", author: { login: "renovate[bot]", type: "Bot" } });
  });

  it("recognises a pull request fetched through the issues API", async () => {
    const client = emulatorClient(github);
    const main = (await github.repo("octo", "app").branchSha("main")) as string;
    const { data: tree } = await client.rest.git.createTree({
      ...repo,
      tree: [{ path: "f.txt", mode: "100644", type: "blob", content: "f" }],
    });
    const { data: commit } = await client.rest.git.createCommit({
      ...repo,
      message: "f",
      tree: tree.sha,
      parents: [main],
    });
    await client.rest.git.createRef({ ...repo, ref: "refs/heads/topic", sha: commit.sha });
    const { data: pr } = await client.rest.pulls.create({
      ...repo,
      head: "topic",
      base: "main",
      title: "PR",
    });
    const issue = await getIssue(client, { ...repo, issueNumber: pr.number });
    expect(issue.isPullRequest).toBe(true);
  });

  it("maps roles to write access", async () => {
    const client = emulatorClient(github);
    const permission = (username: string): ReturnType<typeof getRepoPermission> =>
      getRepoPermission(client, { ...repo, username });
    expect(await permission("octo")).toBe("admin");
    expect(await permission("mona")).toBe("maintain");
    expect(await permission("alice")).toBe("write");
    expect(await permission("tria")).toBe("triage");
    expect(await permission("rita")).toBe("read");
    expect(await permission("nobody-by-this-name")).toBe("none");
    expect(await hasWriteAccess(client, { ...repo, username: "mona" })).toBe(true);
    expect(await hasWriteAccess(client, { ...repo, username: "tria" })).toBe(false);
    expect(await hasWriteAccess(client, { ...repo, username: "stranger" })).toBe(false);
    github.repo("octo", "app").setPermission("stranger", "admin");
    expect(await hasWriteAccess(client, { ...repo, username: "stranger" })).toBe(true);
    expect(isWriteLevel("write")).toBe(true);
    expect(isWriteLevel("read")).toBe(false);
  });
});
