import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { getOctokit } from "@actions/github";
import { commitToBranch } from "../../../action/github/branch.js";
import { upsertPullRequest, findOpenPullRequest } from "../../../action/github/pull-request.js";
import { emulatorClient } from "../../support/github/client.js";
import { startGitHubEmulator, type GitHubEmulator } from "../../support/github/emulator.js";

describe("draft pull request per issue branch", () => {
  let github: GitHubEmulator;
  let mainSha: string;
  const repo = { owner: "octo", repo: "app" };

  beforeAll(async () => {
    github = await startGitHubEmulator({ repos: [{ owner: "octo", name: "app" }] });
    mainSha = (await github.repo("octo", "app").branchSha("main")) as string;
  });

  afterAll(async () => {
    expect(github.violations).toEqual([]);
    await github.close();
  });

  async function planBranch(issue: number): Promise<string> {
    const branch = `ai-agent/issue-${issue}`;
    await commitToBranch(emulatorClient(github), {
      ...repo,
      branch,
      baseSha: mainSha,
      files: [{ path: `.github/ai-agent/issue-${issue}/plan.md`, content: "plan\n" }],
      message: "Plan",
    });
    return branch;
  }

  it("opens a draft once and updates it on a re-run", async () => {
    const head = await planBranch(1);
    const client = emulatorClient(github);
    const spec = { ...repo, head, base: "main", title: "Plan for #1", body: "v1" };
    const created = await upsertPullRequest(client, spec);
    expect(created).toMatchObject({ created: true, updated: false, draft: true });
    expect(created.url).toBe(`https://github.com/octo/app/pull/${created.number}`);

    const same = await upsertPullRequest(client, spec);
    expect(same).toMatchObject({ number: created.number, created: false, updated: false });

    const edited = await upsertPullRequest(client, {
      ...spec,
      body: "v2",
      title: "Plan for #1 (rev 2)",
    });
    expect(edited).toMatchObject({ number: created.number, created: false, updated: true });

    const pulls = github
      .repo("octo", "app")
      .pulls()
      .filter((p) => p.pull?.head === head);
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({ title: "Plan for #1 (rev 2)", body: "v2", state: "open" });
    expect(pulls[0]?.pull?.draft).toBe(true);
    expect((await findOpenPullRequest(client, { ...repo, head }))?.number).toBe(created.number);
  });

  it("adopts the pull request a concurrent run opened first", async () => {
    const head = await planBranch(2);
    const rival = getOctokit(github.token, { baseUrl: github.url });
    github.beforeNext({
      route: "pulls/create",
      run: async () => {
        await rival.rest.pulls.create({
          ...repo,
          head,
          base: "main",
          title: "Rival",
          body: "r",
          draft: true,
        });
      },
    });
    const result = await upsertPullRequest(emulatorClient(github), {
      ...repo,
      head,
      base: "main",
      title: "Plan for #2",
      body: "ours",
    });
    expect(result).toMatchObject({ created: false, updated: true });
    const pulls = github
      .repo("octo", "app")
      .pulls()
      .filter((p) => p.pull?.head === head);
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({ number: result.number, title: "Plan for #2", body: "ours" });
    expect(
      github.requestLog.some((e) => e.operationId === "pulls/create" && e.status === 422),
    ).toBe(true);
  });

  it("explains a branch with nothing to merge", async () => {
    const client = emulatorClient(github);
    await client.rest.git.createRef({ ...repo, ref: "refs/heads/ai-agent/issue-3", sha: mainSha });
    await expect(
      upsertPullRequest(client, {
        ...repo,
        head: "ai-agent/issue-3",
        base: "main",
        title: "t",
        body: "b",
      }),
    ).rejects.toThrow("the branch has no commits that main lacks");
    expect(
      github
        .repo("octo", "app")
        .pulls()
        .filter((p) => p.pull?.head === "ai-agent/issue-3"),
    ).toEqual([]);
  });

  it("opens a new one when the earlier pull request was closed", async () => {
    const head = await planBranch(4);
    const client = emulatorClient(github);
    const spec = { ...repo, head, base: "main", title: "Plan", body: "b" };
    const first = await upsertPullRequest(client, spec);
    await client.rest.pulls.update({ ...repo, pull_number: first.number, state: "closed" });
    const second = await upsertPullRequest(client, spec);
    expect(second.created).toBe(true);
    expect(second.number).not.toBe(first.number);
  });
});
