import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { getOctokit } from "@actions/github";
import {
  commitSubject,
  commitToBranch,
  formatCommitMessage,
  gitBlobSha,
  type BranchCommitRequest,
} from "../../../action/github/branch.js";
import { issueBranchName } from "../../../action/conventions.js";
import { emulatorClient } from "../../support/github/client.js";
import { startGitHubEmulator, type GitHubEmulator } from "../../support/github/emulator.js";

describe("issue branch through the Git Data API", () => {
  let github: GitHubEmulator;
  let mainSha: string;
  const repo = { owner: "octo", repo: "app" };

  beforeAll(async () => {
    github = await startGitHubEmulator({
      repos: [
        {
          owner: "octo",
          name: "app",
          files: { "README.md": "# app\n", "src/old.ts": "export {};\n", "bin/run": "#!/bin/sh\n" },
        },
      ],
    });
    mainSha = (await github.repo("octo", "app").branchSha("main")) as string;
  });

  afterAll(async () => {
    expect(github.violations).toEqual([]);
    await github.close();
  });

  const planFiles = (issue: number, text: string): BranchCommitRequest["files"] => [
    { path: `.github/ai-agent/issue-${issue}/plan.md`, content: `# Plan\n\n${text}\n` },
    {
      path: `.github/ai-agent/issue-${issue}/plan.json`,
      content: JSON.stringify({ summary: text }),
    },
  ];

  it("creates the branch with one commit holding the files and trailers", async () => {
    const branch = issueBranchName("ai-agent/", 1);
    const result = await commitToBranch(emulatorClient(github), {
      ...repo,
      branch,
      baseSha: mainSha,
      files: planFiles(1, "first"),
      message: "Add plan for #1",
      trailers: [
        ["Issue", "#1"],
        ["Plan-Hash", "sha256:abc"],
      ],
    });
    expect(result).toMatchObject({ branch: "ai-agent/issue-1", createdBranch: true });
    const view = github.repo("octo", "app");
    expect(await view.branchSha(branch)).toBe(result.headSha);
    expect(result.commitSha).toBe(result.headSha);
    const commit = await view.commit(branch);
    expect(commit.message).toBe("Add plan for #1\n\nIssue: #1\nPlan-Hash: sha256:abc\n");
    expect(commit.parents).toEqual([mainSha]);
    expect(await view.readFile(branch, ".github/ai-agent/issue-1/plan.md")).toBe(
      "# Plan\n\nfirst\n",
    );
    expect(await view.listFiles(branch)).toEqual([
      ".github/ai-agent/issue-1/plan.json",
      ".github/ai-agent/issue-1/plan.md",
      "README.md",
      "bin/run",
      "src/old.ts",
    ]);
  });

  it("makes no commit when the content is already there, and a new one when it changes", async () => {
    const client = emulatorClient(github);
    const branch = issueBranchName("ai-agent/", 2);
    const request = {
      ...repo,
      branch,
      baseSha: mainSha,
      files: planFiles(2, "v1"),
      message: "Plan",
    };
    const first = await commitToBranch(client, request);
    const blobsBefore = github.requestLog.filter((e) => e.operationId === "git/create-blob").length;
    const again = await commitToBranch(client, request);
    expect(again).toEqual({
      branch,
      headSha: first.headSha,
      commitSha: null,
      createdBranch: false,
    });
    expect(github.requestLog.filter((e) => e.operationId === "git/create-blob").length).toBe(
      blobsBefore,
    );

    const changed = await commitToBranch(client, { ...request, files: planFiles(2, "v2") });
    expect(changed.commitSha).not.toBeNull();
    const log = await github.repo("octo", "app").log(branch);
    expect(log.map((c) => c.sha)).toEqual([changed.headSha, first.headSha, mainSha]);
  });

  it("deletes files, ignores absent ones, and writes bytes and executable modes", async () => {
    const branch = issueBranchName("ai-agent/", 3);
    const bytes = Uint8Array.from([0, 1, 2, 255]);
    await commitToBranch(emulatorClient(github), {
      ...repo,
      branch,
      baseSha: mainSha,
      files: [
        { path: "assets/blob.bin", content: bytes },
        { path: "bin/tool", content: "#!/bin/sh\necho hi\n", mode: "100755" },
      ],
      deletions: ["src/old.ts", "never/existed.txt"],
      message: "Rework",
    });
    const view = github.repo("octo", "app");
    expect(await view.listFiles(branch)).toEqual([
      "README.md",
      "assets/blob.bin",
      "bin/run",
      "bin/tool",
    ]);
    const tree = await view.record.git.listTree(branch, true);
    expect(tree.find((e) => e.path === "bin/tool")?.mode).toBe("100755");
    expect(tree.find((e) => e.path === "assets/blob.bin")?.sha).toBe(gitBlobSha(bytes));
  });

  // An approved edit of a script committed it as 100644: its callers then failed with
  // "Permission denied", and nothing in the pull request showed the mode change.
  it("keeps an executable file executable when an edit gives no mode", async () => {
    const client = emulatorClient(github);
    const branch = issueBranchName("ai-agent/", 55);
    const base = { ...repo, branch, baseSha: mainSha, message: "Edit" };
    await commitToBranch(client, {
      ...base,
      files: [{ path: "bin/build", content: "#!/bin/sh\nmake\n", mode: "100755" }],
    });
    await commitToBranch(client, {
      ...base,
      files: [
        { path: "bin/build", content: "#!/bin/sh\nmake -j4\n" },
        { path: "bin/new-tool", content: "#!/bin/sh\n" },
      ],
    });
    const tree = await github.repo("octo", "app").record.git.listTree(branch, true);
    expect(tree.find((e) => e.path === "bin/build")?.mode).toBe("100755");
    expect(tree.find((e) => e.path === "bin/new-tool")?.mode).toBe("100644");
    // An explicit mode still wins.
    await commitToBranch(client, {
      ...base,
      files: [{ path: "bin/build", content: "#!/bin/sh\nmake -j4\n", mode: "100644" }],
    });
    const after = await github.repo("octo", "app").record.git.listTree(branch, true);
    expect(after.find((e) => e.path === "bin/build")?.mode).toBe("100644");
  });

  it("reconciles with a branch another run created concurrently", async () => {
    const branch = issueBranchName("ai-agent/", 4);
    const request = {
      ...repo,
      branch,
      baseSha: mainSha,
      files: planFiles(4, "same"),
      message: "Plan",
    };
    // The other run wins the race: it commits the same plan just before our createRef.
    const rival = getOctokit(github.token, { baseUrl: github.url });
    let rivalHead = "";
    github.beforeNext({
      route: "git/create-ref",
      run: async () => {
        const result = await commitToBranch(rival, request);
        rivalHead = result.headSha;
      },
    });
    const ours = await commitToBranch(emulatorClient(github), request);
    const view = github.repo("octo", "app");
    const branches = Object.keys(await view.branches()).filter((b) => b.includes("issue-4"));
    expect(branches).toEqual([branch]);
    expect(ours.headSha).toBe(rivalHead);
    expect(ours.commitSha).toBeNull();
    expect((await view.log(branch)).map((c) => c.sha)).toEqual([rivalHead, mainSha]);
    expect(
      github.requestLog.some((e) => e.operationId === "git/create-ref" && e.status === 422),
    ).toBe(true);
  });

  it("builds on a commit pushed between its read and its write", async () => {
    const branch = issueBranchName("ai-agent/", 5);
    const client = emulatorClient(github);
    await commitToBranch(client, {
      ...repo,
      branch,
      baseSha: mainSha,
      files: planFiles(5, "a"),
      message: "A",
    });
    const rival = getOctokit(github.token, { baseUrl: github.url });
    github.beforeNext({
      route: "git/update-ref",
      run: async () => {
        await commitToBranch(rival, {
          ...repo,
          branch,
          baseSha: mainSha,
          files: [{ path: "notes.md", content: "rival\n" }],
          message: "Rival",
        });
      },
    });
    const ours = await commitToBranch(client, {
      ...repo,
      branch,
      baseSha: mainSha,
      files: planFiles(5, "b"),
      message: "B",
    });
    const view = github.repo("octo", "app");
    expect((await view.log(branch)).map((c) => c.message.trim())).toEqual([
      "B",
      "Rival",
      "A",
      "Initial commit",
    ]);
    expect(await view.readFile(branch, "notes.md")).toBe("rival\n");
    expect(await view.branchSha(branch)).toBe(ours.headSha);
  });

  it("formats messages and trailers as git does", () => {
    expect(formatCommitMessage("Subject\n\nBody\n\n")).toBe("Subject\n\nBody\n");
    expect(formatCommitMessage("S", [["Co-authored-by", "A <a@example.com>"]])).toBe(
      "S\n\nCo-authored-by: A <a@example.com>\n",
    );
    expect(formatCommitMessage("S", [["Note", "two\nlines"]])).toBe("S\n\nNote: two lines\n");
    expect(() => formatCommitMessage("S", [["Bad key", "x"]])).toThrow(/trailer/);
    expect(gitBlobSha("")).toBe("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  });
});

describe("commit subjects from untrusted text", () => {
  it("cuts a long subject at a word, never inside one, and keeps only the first line", () => {
    const title =
      "Fix the parser so that a line ending in a backslash followed by a carriage return and a line feed is split correctly everywhere";
    const subject = commitSubject(`${title}\nsecond line`);
    expect(Array.from(subject).length).toBeLessThanOrEqual(72);
    expect(subject.endsWith("…")).toBe(true);
    const kept = subject.slice(0, -1);
    // Every word kept is a whole word of the title, the last one included.
    expect(title.startsWith(kept)).toBe(true);
    expect(title[kept.length]).toBe(" ");
    expect(subject).not.toContain("second line");
  });

  it("leaves a subject that fits as it is", () => {
    expect(commitSubject("Handle empty input")).toBe("Handle empty input");
  });
});
