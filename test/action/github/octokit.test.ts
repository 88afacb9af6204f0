import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import {
  describeGitHubError,
  errorStatus,
  GitHubErrorText,
  isGitHubError,
  requiredPermission,
} from "../../../action/github/octokit.js";
import { emulatorClient } from "../../support/github/client.js";
import { startGitHubEmulator, type GitHubEmulator } from "../../support/github/emulator.js";

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the request to fail");
}

describe("GitHub client factory and error messages", () => {
  let github: GitHubEmulator;
  const repo = { owner: "octo", repo: "app" };
  const attempts = (operationId: string): number =>
    github.requestLog.filter((entry) => entry.operationId === operationId).length;

  beforeAll(async () => {
    github = await startGitHubEmulator({
      repos: [{ owner: "octo", name: "app", issues: [{ title: "One" }] }],
    });
  });

  afterEach(() => {
    github.clearFaults();
  });

  afterAll(async () => {
    expect(github.violations).toEqual([]);
    await github.close();
  });

  it("retries server errors and succeeds", async () => {
    const before = attempts("issues/get");
    github.failNext({ route: "issues/get", status: 500, times: 2 });
    const { data } = await emulatorClient(github).rest.issues.get({ ...repo, issue_number: 1 });
    expect(data.title).toBe("One");
    expect(attempts("issues/get") - before).toBe(3);
  });

  it("gives up after the configured retries with a readable message", async () => {
    const before = attempts("issues/get");
    github.failNext({ route: "issues/get", status: 502, times: 10 });
    const error = await failure(
      emulatorClient(github, { retries: 2 }).rest.issues.get({ ...repo, issue_number: 1 }),
    );
    expect(attempts("issues/get") - before).toBe(3);
    expect(errorStatus(error)).toBe(502);
    expect(describeGitHubError(error)).toMatch(
      /GET \/repos\/octo\/app\/issues\/1 failed \(502\).*later/,
    );
  });

  it("does not retry client errors", async () => {
    const before = attempts("issues/get");
    github.failNext({ route: "issues/get", status: 422 });
    await failure(emulatorClient(github).rest.issues.get({ ...repo, issue_number: 1 }));
    expect(attempts("issues/get") - before).toBe(1);
  });

  it("waits out a secondary rate limit and retries", async () => {
    const before = attempts("issues/create-comment");
    github.secondaryRateLimit({ route: "issues/create-comment", retryAfterSeconds: 1 });
    await emulatorClient(github).rest.issues.createComment({
      ...repo,
      issue_number: 1,
      body: "hello",
    });
    expect(attempts("issues/create-comment") - before).toBe(2);
    expect(
      github
        .repo("octo", "app")
        .comments(1)
        .map((c) => c.body),
    ).toContain("hello");
  });

  it("stops after the bounded rate-limit retries and says to retry later", async () => {
    const before = attempts("issues/create-comment");
    const warnings: string[] = [];
    github.secondaryRateLimit({ route: "issues/create-comment", times: 5 });
    const error = await failure(
      emulatorClient(github, {
        rateLimitRetries: 2,
        log: { warn: (m) => warnings.push(m) },
      }).rest.issues.createComment({
        ...repo,
        issue_number: 1,
        body: "never",
      }),
    );
    expect(attempts("issues/create-comment") - before).toBe(3);
    expect(isGitHubError(error, 403, GitHubErrorText.secondaryRateLimit)).toBe(true);
    expect(describeGitHubError(error)).toContain("secondary rate limit");
    expect(describeGitHubError(error)).toContain("Retry the run later");
    expect(warnings.some((w) => w.includes("giving up"))).toBe(true);
  });

  it("names the missing workflow permission on 403 Resource not accessible by integration", async () => {
    const client = emulatorClient(github);
    const mainSha = (await github.repo("octo", "app").branchSha("main")) as string;
    github.setTokenPermissions({ contents: "read", pull_requests: "read" });
    try {
      const refError = await failure(
        client.rest.git.createRef({ ...repo, ref: "refs/heads/denied", sha: mainSha }),
      );
      expect(isGitHubError(refError, 403, GitHubErrorText.resourceNotAccessible)).toBe(true);
      const refMessage = describeGitHubError(refError);
      expect(refMessage).toContain("`contents: write`");
      expect(refMessage).toContain("permissions:");
      expect(refMessage).toContain("POST /repos/octo/app/git/refs");

      const prError = await failure(
        client.rest.pulls.create({ ...repo, head: "main", base: "main", title: "x" }),
      );
      expect(describeGitHubError(prError)).toContain("`pull-requests: write`");
    } finally {
      github.setTokenPermissions({});
    }
    // Without GitHub's header the path decides.
    github.failNext({ route: "issues/create-comment", status: 403 });
    const commentError = await failure(
      client.rest.issues.createComment({ ...repo, issue_number: 1, body: "x" }),
    );
    expect(describeGitHubError(commentError)).toContain("`issues: write`");
  });

  it("quotes GitHub's validation messages on 422", async () => {
    const main = (await github.repo("octo", "app").branchSha("main")) as string;
    const client = emulatorClient(github);
    await client.rest.git.createRef({ ...repo, ref: "refs/heads/same", sha: main });
    const error = await failure(
      client.rest.pulls.create({ ...repo, head: "same", base: "main", title: "t" }),
    );
    expect(describeGitHubError(error)).toBe(
      "POST /repos/octo/app/pulls was rejected (422): Validation Failed; No commits between main and same",
    );
  });

  it("explains a bad token and a missing repository", async () => {
    const badToken = await failure(
      emulatorClient(github, { token: "ghs_not_the_token" }).rest.repos.get(repo),
    );
    expect(describeGitHubError(badToken)).toMatch(/401.*token/);
    const missing = await failure(
      emulatorClient(github).rest.repos.get({ owner: "octo", repo: "nope" }),
    );
    expect(describeGitHubError(missing)).toMatch(/404.*not found/);
    expect(describeGitHubError("plain string")).toContain("plain string");
  });

  it("derives the needed permission from the request path", () => {
    expect(requiredPermission("POST", "/repos/o/r/pulls")).toBe("pull-requests: write");
    expect(describeGitHubError(new Error("our own check failed"))).toBe("our own check failed");
    expect(requiredPermission("PATCH", "https://api.github.com/repos/o/r/issues/comments/1")).toBe(
      "issues: write",
    );
    expect(requiredPermission("POST", "/repos/o/r/labels")).toBe("issues: write");
    expect(requiredPermission("POST", "/repos/o/r/git/trees")).toBe("contents: write");
    expect(requiredPermission("GET", "/repos/o/r/contents/a")).toBe("contents: read");
  });
});
