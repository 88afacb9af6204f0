import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { getOctokit } from "@actions/github";
import { startGitHubEmulator, type GitHubEmulator } from "../../support/github/emulator.js";

// A bare client (no retry/throttling plugins): these tests look at what the emulator
// answers, status by status.
function bareClient(github: GitHubEmulator, token = github.token): ReturnType<typeof getOctokit> {
  return getOctokit(token, { baseUrl: github.url });
}

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

describe("GitHub emulator", () => {
  let github: GitHubEmulator;
  const repo = { owner: "octo", repo: "app" };

  beforeEach(async () => {
    github = await startGitHubEmulator({
      repos: [
        {
          owner: "octo",
          name: "app",
          files: { "README.md": "# app\n", "src/index.ts": "export const one = 1;\n" },
          collaborators: { maintainer: "maintain", reader: "read" },
          issues: [{ title: "Crash on start", body: "It crashes.", user: "reporter" }],
          labels: [{ name: "bug", color: "d73a4a", description: "Something is broken" }],
        },
      ],
    });
  });

  afterEach(async () => {
    await github.close();
  });

  it("serves the seeded repository from a real git repository", async () => {
    const client = bareClient(github);
    const { data: info } = await client.rest.repos.get(repo);
    expect(info.default_branch).toBe("main");
    expect(info.full_name).toBe("octo/app");

    const view = github.repo("octo", "app");
    const { data: ref } = await client.rest.git.getRef({ ...repo, ref: "heads/main" });
    expect(ref.object.sha).toBe(await view.branchSha("main"));

    const { data: tree } = await client.rest.git.getTree({
      ...repo,
      tree_sha: ref.object.sha,
      recursive: "1",
    });
    expect(tree.tree.map((e) => e.path).sort()).toEqual(["README.md", "src", "src/index.ts"]);

    const { data: content } = await client.rest.repos.getContent({ ...repo, path: "src/index.ts" });
    expect(Buffer.from((content as { content: string }).content, "base64").toString()).toBe(
      "export const one = 1;\n",
    );
    expect(github.violations).toEqual([]);
  });

  it("writes blobs, trees, commits and refs that git itself can read", async () => {
    const client = bareClient(github);
    const view = github.repo("octo", "app");
    const mainSha = (await view.branchSha("main")) as string;
    const { data: parent } = await client.rest.git.getCommit({ ...repo, commit_sha: mainSha });
    const { data: blob } = await client.rest.git.createBlob({
      ...repo,
      content: Buffer.from("plan body\n").toString("base64"),
      encoding: "base64",
    });
    const { data: tree } = await client.rest.git.createTree({
      ...repo,
      base_tree: parent.tree.sha,
      tree: [
        { path: "docs/plan.md", mode: "100644", type: "blob", sha: blob.sha },
        { path: "notes/inline.txt", mode: "100644", type: "blob", content: "inline\n" },
        { path: "src/index.ts", mode: "100644", type: "blob", sha: null },
      ],
    });
    const { data: commit } = await client.rest.git.createCommit({
      ...repo,
      message: "Add plan\n\nIssue: #1\n",
      tree: tree.sha,
      parents: [mainSha],
    });
    await client.rest.git.createRef({ ...repo, ref: "refs/heads/feature/x", sha: commit.sha });

    expect(await view.branches()).toEqual({ main: mainSha, "feature/x": commit.sha });
    expect(await view.listFiles("feature/x")).toEqual([
      "README.md",
      "docs/plan.md",
      "notes/inline.txt",
    ]);
    expect(await view.readFile("feature/x", "docs/plan.md")).toBe("plan body\n");
    const log = await view.log("feature/x");
    expect(log.map((c) => c.message)).toEqual(["Add plan\n\nIssue: #1\n", "Initial commit"]);
    expect(log[0]?.parents).toEqual([mainSha]);

    // Same ref again: GitHub's 422, and the ref is untouched.
    expect(
      await statusOf(
        client.rest.git.createRef({ ...repo, ref: "refs/heads/feature/x", sha: mainSha }),
      ),
    ).toBe(422);
    // Moving backwards is not a fast forward unless forced.
    expect(
      await statusOf(client.rest.git.updateRef({ ...repo, ref: "heads/feature/x", sha: mainSha })),
    ).toBe(422);
    await client.rest.git.updateRef({ ...repo, ref: "heads/feature/x", sha: mainSha, force: true });
    expect(await view.branchSha("feature/x")).toBe(mainSha);

    const { data: matching } = await client.rest.git.listMatchingRefs({
      ...repo,
      ref: "heads/feat",
    });
    expect(matching.map((r) => r.ref)).toEqual(["refs/heads/feature/x"]);
    expect(github.violations).toEqual([]);
  });

  it("paginates comments with Link headers that Octokit follows", async () => {
    const client = bareClient(github);
    for (let i = 0; i < 7; i += 1)
      github.repo("octo", "app").addComment(1, { user: "someone", body: `c${i}` });
    const first = await client.rest.issues.listComments({ ...repo, issue_number: 1, per_page: 3 });
    expect(first.data.map((c) => c.body)).toEqual(["c0", "c1", "c2"]);
    expect(first.headers.link).toContain('rel="next"');
    expect(first.headers.link).toContain('rel="last"');
    const all = await client.paginate(client.rest.issues.listComments, {
      ...repo,
      issue_number: 1,
      per_page: 3,
    });
    expect(all.map((c) => c.body)).toEqual(["c0", "c1", "c2", "c3", "c4", "c5", "c6"]);
    expect(github.violations).toEqual([]);
  });

  it("answers pull request creation with GitHub's 422s", async () => {
    const client = bareClient(github);
    const view = github.repo("octo", "app");
    const mainSha = (await view.branchSha("main")) as string;
    await client.rest.git.createRef({ ...repo, ref: "refs/heads/empty", sha: mainSha });
    const empty = await client.rest.pulls
      .create({ ...repo, head: "empty", base: "main", title: "t" })
      .catch((e: { response: { data: { errors: { message: string }[] } } }) => e.response.data);
    expect(JSON.stringify(empty)).toContain("No commits between main and empty");

    const { data: tree } = await client.rest.git.createTree({
      ...repo,
      tree: [{ path: "x.txt", mode: "100644", type: "blob", content: "x" }],
    });
    const { data: commit } = await client.rest.git.createCommit({
      ...repo,
      message: "x",
      tree: tree.sha,
      parents: [mainSha],
    });
    await client.rest.git.updateRef({ ...repo, ref: "heads/empty", sha: commit.sha });
    // A private repository on the Free or Pro plan has no drafts.
    view.record.private = true;
    view.record.plan = "pro";
    const noDrafts = await client.rest.pulls
      .create({ ...repo, head: "empty", base: "main", title: "t", draft: true })
      .catch((e: { status: number; response: { data: unknown } }) => [e.status, e.response.data]);
    expect(JSON.stringify(noDrafts)).toContain(
      '422,{"message":"Validation Failed","errors":[{"resource":"PullRequest","code":"custom","message":"Draft pull requests are not supported in this repository."}]',
    );
    view.record.plan = "team";
    const { data: pr } = await client.rest.pulls.create({
      ...repo,
      head: "empty",
      base: "main",
      title: "t",
      draft: true,
    });
    expect(pr.draft).toBe(true);
    expect(pr.html_url).toBe(`https://github.com/octo/app/pull/${pr.number}`);
    const duplicate = await client.rest.pulls
      .create({ ...repo, head: "octo:empty", base: "main", title: "t" })
      .catch((e: { response: { data: unknown } }) => e.response.data);
    expect(JSON.stringify(duplicate)).toContain("A pull request already exists for octo:empty.");
    const { data: listed } = await client.rest.pulls.list({ ...repo, head: "octo:empty" });
    expect(listed.map((p) => p.number)).toEqual([pr.number]);
    expect((await client.rest.pulls.list({ ...repo, head: "octo:other" })).data).toEqual([]);
    // Like GitHub, a head filter without "owner:" filters nothing.
    expect((await client.rest.pulls.list({ ...repo, head: "other" })).data).toHaveLength(1);
    expect(view.pulls()).toHaveLength(1);
    expect(github.violations).toEqual([]);
  });

  it("refuses an app's comment on a locked issue, as GitHub does", async () => {
    const client = bareClient(github);
    const { number } = github.repo("octo", "app").addIssue({ title: "Heated", locked: true });
    const refused = await client.rest.issues
      .createComment({ ...repo, issue_number: number, body: "hello" })
      .catch((e: { status: number; response: { data: { message: string } } }) => [
        e.status,
        e.response.data.message,
      ]);
    expect(refused).toEqual([403, "Unable to create comment because issue is locked."]);
    expect(github.violations).toEqual([]);
  });

  it("reports collaborator permissions", async () => {
    const client = bareClient(github);
    const role = async (username: string): Promise<string> =>
      (await client.rest.repos.getCollaboratorPermissionLevel({ ...repo, username })).data
        .role_name;
    expect(await role("octo")).toBe("admin");
    expect(await role("maintainer")).toBe("maintain");
    expect(await role("reader")).toBe("read");
    expect(
      await statusOf(
        client.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: "ghost" }),
      ),
    ).toBe(404);
    expect(github.violations).toEqual([]);
  });

  it("records unknown routes and invalid requests as violations", async () => {
    const client = bareClient(github);
    expect(await statusOf(client.request("GET /repos/{owner}/{repo}/hooks", repo))).toBe(404);
    expect(github.violations.map((v) => v.kind)).toEqual(["unknown-route"]);

    // `title` must be a string or integer, not an object: a client bug the schema catches.
    const invalid = { ...repo, title: { nested: true } } as unknown as { title: string };
    expect(
      await statusOf(client.request("POST /repos/{owner}/{repo}/issues", { ...repo, ...invalid })),
    ).toBe(422);
    expect(github.violations.map((v) => v.kind)).toEqual(["unknown-route", "request"]);
    expect(github.violations[1]?.operationId).toBe("issues/create");
  });

  it("rejects a wrong token with 401", async () => {
    const client = bareClient(github, "ghs_wrong");
    expect(await statusOf(client.rest.repos.get(repo))).toBe(401);
    expect(github.requestLog.at(-1)?.status).toBe(401);
    expect(github.violations).toEqual([]);
  });

  it("injects faults, secondary rate limits and missing workflow permissions on demand", async () => {
    const client = bareClient(github);
    github.failNext({ route: "issues/get", status: 502, times: 2 });
    expect(await statusOf(client.rest.issues.get({ ...repo, issue_number: 1 }))).toBe(502);
    expect(await statusOf(client.rest.issues.get({ ...repo, issue_number: 1 }))).toBe(502);
    expect(await statusOf(client.rest.issues.get({ ...repo, issue_number: 1 }))).toBe(200);

    github.secondaryRateLimit({
      route: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
      retryAfterSeconds: 7,
    });
    const limited = await client.rest.issues
      .createComment({ ...repo, issue_number: 1, body: "hi" })
      .catch(
        (e: {
          status: number;
          response: { headers: Record<string, string>; data: { message: string } };
        }) => e,
      );
    expect("status" in limited && limited.status).toBe(403);
    const response = (
      limited as { response: { headers: Record<string, string>; data: { message: string } } }
    ).response;
    expect(response.headers["retry-after"]).toBe("7");
    expect(response.data.message).toContain("You have exceeded a secondary rate limit");
    expect(github.repo("octo", "app").comments(1)).toEqual([]);

    github.setTokenPermissions({ contents: "read" });
    const mainSha = (await github.repo("octo", "app").branchSha("main")) as string;
    const denied = await client.rest.git
      .createRef({ ...repo, ref: "refs/heads/x", sha: mainSha })
      .catch((e: { status: number; response: { data: { message: string } } }) => e);
    expect((denied as { status: number }).status).toBe(403);
    expect((denied as { response: { data: { message: string } } }).response.data.message).toBe(
      "Resource not accessible by integration",
    );
    expect(await statusOf(client.rest.git.getRef({ ...repo, ref: "heads/main" }))).toBe(200);
    expect(github.pendingFaults()).toEqual([]);
    expect(github.violations).toEqual([]);
  });

  it("serves directory contents, compare, comment reactions and label edits", async () => {
    const client = bareClient(github);
    const { data: dir } = await client.rest.repos.getContent({ ...repo, path: "src" });
    expect(Array.isArray(dir) && dir.map((e) => [e.type, e.path])).toEqual([
      ["file", "src/index.ts"],
    ]);
    expect(await statusOf(client.rest.repos.getContent({ ...repo, path: "missing.txt" }))).toBe(
      404,
    );

    const mainSha = (await github.repo("octo", "app").branchSha("main")) as string;
    const { data: tree } = await client.rest.git.createTree({
      ...repo,
      tree: [{ path: "only.txt", mode: "100644", type: "blob", content: "only\n" }],
    });
    const { data: commit } = await client.rest.git.createCommit({
      ...repo,
      message: "replace everything",
      tree: tree.sha,
      parents: [mainSha],
    });
    await client.rest.git.createRef({ ...repo, ref: "refs/heads/topic", sha: commit.sha });
    const { data: compare } = await client.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: "main...topic",
    });
    expect(compare).toMatchObject({ status: "ahead", ahead_by: 1, behind_by: 0 });
    expect(compare.commits.map((c) => c.sha)).toEqual([commit.sha]);
    // Without base_tree the tree holds only what was given.
    expect(await github.repo("octo", "app").listFiles("topic")).toEqual(["only.txt"]);

    const approval = github
      .repo("octo", "app")
      .addComment(1, { user: "maintainer", body: "/approve" });
    expect(approval.authorAssociation).toBe("COLLABORATOR");
    const first = await client.rest.reactions.createForIssueComment({
      ...repo,
      comment_id: approval.id,
      content: "eyes",
    });
    const again = await client.rest.reactions.createForIssueComment({
      ...repo,
      comment_id: approval.id,
      content: "eyes",
    });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(approval.reactions.map((r) => r.content)).toEqual(["eyes"]);

    await client.rest.issues.updateLabel({
      ...repo,
      name: "bug",
      new_name: "defect",
      color: "000000",
    });
    await client.rest.issues.addLabels({ ...repo, issue_number: 1, labels: ["defect"] });
    const { data: label } = await client.rest.issues.getLabel({ ...repo, name: "DEFECT" });
    expect(label).toMatchObject({ name: "defect", color: "000000" });
    expect(github.repo("octo", "app").issueLabels(1)).toEqual(["defect"]);
    expect(github.violations).toEqual([]);
  });

  it("sends GitHub's rate-limit headers", async () => {
    const { headers } = await bareClient(github).rest.repos.get(repo);
    expect(headers["x-ratelimit-limit"]).toBe("5000");
    expect(Number(headers["x-ratelimit-remaining"])).toBeLessThan(5000);
    expect(Number(headers["x-ratelimit-reset"])).toBeGreaterThan(Date.now() / 1000);
  });
});

describe("GitHub emulator: event payloads", () => {
  it("builds issues and issue_comment payloads that match GitHub's webhook schemas", async () => {
    const github = await startGitHubEmulator({
      repos: [
        {
          owner: "octo",
          name: "app",
          collaborators: { maintainer: "write" },
          labels: [{ name: "ai-agent", color: "5319e7" }],
          issues: [
            { title: "Add dark mode", body: "Please", user: "reporter", labels: ["ai-agent"] },
          ],
        },
      ],
    });
    try {
      const labeled = github.eventPayload({
        event: "issues",
        action: "labeled",
        owner: "octo",
        repo: "app",
        issueNumber: 1,
        label: "ai-agent",
        sender: "maintainer",
      });
      expect(labeled).toMatchObject({
        action: "labeled",
        issue: { number: 1, title: "Add dark mode", user: { login: "reporter" } },
        label: { name: "ai-agent" },
        repository: { full_name: "octo/app", default_branch: "main" },
        sender: { login: "maintainer" },
      });
      const approval = github
        .repo("octo", "app")
        .addComment(1, { user: "maintainer", body: "/approve" });
      const commented = github.eventPayload({
        event: "issue_comment",
        action: "created",
        owner: "octo",
        repo: "app",
        issueNumber: 1,
        commentId: approval.id,
      });
      expect(commented).toMatchObject({
        comment: { id: approval.id, body: "/approve", author_association: "COLLABORATOR" },
        sender: { login: "maintainer" },
      });
      expect(github.violations).toEqual([]);
    } finally {
      await github.close();
    }
  });
});
