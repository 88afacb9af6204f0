import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { startGitHubEmulator, type GitHubEmulator } from "../../support/github/emulator.js";

const execFileAsync = promisify(execFile);

// Async on purpose: the emulator serves from this process, so a synchronous child would
// deadlock it.
async function git(args: string[], cwd?: string): Promise<string> {
  const { stdout } = await execFileAsync("git", args, {
    cwd,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: os.tmpdir(),
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_TERMINAL_PROMPT: "0",
      GIT_AUTHOR_NAME: "Dev",
      GIT_AUTHOR_EMAIL: "dev@example.com",
      GIT_COMMITTER_NAME: "Dev",
      GIT_COMMITTER_EMAIL: "dev@example.com",
    },
  });
  return stdout;
}

describe("GitHub emulator: git over smart HTTP", () => {
  let github: GitHubEmulator;
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), "gh-emulator-http-test-"));
    const seed = path.join(scratch, "seed");
    await execFileAsync("mkdir", ["-p", path.join(seed, "lib")]);
    await writeFile(path.join(seed, "lib", "a.py"), "print('a')\n");
    await writeFile(path.join(seed, "setup.cfg"), "[metadata]\nname = a\n");
    github = await startGitHubEmulator({ repos: [{ owner: "octo", name: "py", directory: seed }] });
  });

  afterAll(async () => {
    await github.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it("clones with the token, and pushes land in the emulator's state", async () => {
    const work = path.join(scratch, "clone");
    await git(["clone", "--quiet", github.cloneUrl("octo", "py", true), work]);
    expect(await readFile(path.join(work, "lib", "a.py"), "utf8")).toBe("print('a')\n");

    await git(["checkout", "--quiet", "-b", "ai-agent/issue-3"], work);
    await writeFile(path.join(work, "lib", "b.py"), "print('b')\n");
    await git(["add", "."], work);
    await git(["commit", "--quiet", "-m", "Add b"], work);
    await git(["push", "--quiet", "origin", "ai-agent/issue-3"], work);

    const view = github.repo("octo", "py");
    const head = await git(["rev-parse", "HEAD"], work);
    expect(await view.branchSha("ai-agent/issue-3")).toBe(head.trim());
    expect(await view.readFile("ai-agent/issue-3", "lib/b.py")).toBe("print('b')\n");
    expect((await view.commit("ai-agent/issue-3")).message).toBe("Add b\n");

    // What a push wrote is what the REST API serves.
    const { getOctokit } = await import("@actions/github");
    const client = getOctokit(github.token, { baseUrl: github.url });
    const { data } = await client.rest.git.getRef({
      owner: "octo",
      repo: "py",
      ref: "heads/ai-agent/issue-3",
    });
    expect(data.object.sha).toBe(head.trim());
    expect(github.violations).toEqual([]);
  });

  it("accepts the extra-header form actions/checkout uses", async () => {
    const work = path.join(scratch, "checkout-style");
    const basic = Buffer.from(`x-access-token:${github.token}`).toString("base64");
    await git([
      "-c",
      `http.extraheader=AUTHORIZATION: basic ${basic}`,
      "clone",
      "--quiet",
      github.cloneUrl("octo", "py"),
      work,
    ]);
    expect(await readFile(path.join(work, "setup.cfg"), "utf8")).toContain("name = a");

    // actions/checkout fetches one sha, shallow, into an empty repository.
    const shallow = path.join(scratch, "checkout-fetch");
    const sha = (await github.repo("octo", "py").branchSha("main")) as string;
    await git(["init", "--quiet", shallow]);
    await git(["remote", "add", "origin", github.cloneUrl("octo", "py")], shallow);
    await git(
      [
        "-c",
        `http.extraheader=AUTHORIZATION: basic ${basic}`,
        "fetch",
        "--quiet",
        "--no-tags",
        "--depth=1",
        "origin",
        `+${sha}:refs/remotes/origin/main`,
      ],
      shallow,
    );
    expect((await git(["rev-parse", "refs/remotes/origin/main"], shallow)).trim()).toBe(sha);
  });

  it("refuses anonymous access and pushes without contents: write", async () => {
    await expect(git(["ls-remote", github.cloneUrl("octo", "py")])).rejects.toThrow();
    const work = path.join(scratch, "read-only");
    await git(["clone", "--quiet", github.cloneUrl("octo", "py", true), work]);
    await git(["commit", "--quiet", "--allow-empty", "-m", "empty"], work);
    github.setTokenPermissions({ contents: "read" });
    try {
      await expect(
        git(["push", "--quiet", "origin", "HEAD:refs/heads/blocked"], work),
      ).rejects.toThrow(/403/);
    } finally {
      github.setTokenPermissions({});
    }
    expect(await github.repo("octo", "py").branchSha("blocked")).toBeNull();
  });
});
