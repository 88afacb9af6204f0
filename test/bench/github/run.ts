/**
 * Emulator and GitHub-layer timings: emulator start (first in a process, then warm),
 * single-request latency, and publishing one plan the way the Action does (branch commit,
 * draft pull request, tracking comment, labels). Prints medians; asserts nothing.
 *
 *   npx tsx test/bench/github/run.ts [iterations]
 */
import { performance } from "node:perf_hooks";
import { commitToBranch } from "../../../action/github/branch.js";
import { ensureLabels, setStateLabel } from "../../../action/github/labels.js";
import { upsertPullRequest } from "../../../action/github/pull-request.js";
import { upsertTrackingComment } from "../../../action/github/tracking-comment.js";
import { emulatorClient } from "../../support/github/client.js";
import { startGitHubEmulator } from "../../support/github/emulator.js";

const iterations = Number(process.argv[2] ?? 20);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function time(action: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

const files = Object.fromEntries(
  Array.from({ length: 200 }, (_, i) => [`src/module-${i}.ts`, `export const v${i} = ${i};\n`]),
);
const seed = { owner: "octo", name: "app", files, issues: [{ title: "Bench issue" }] };

const firstStart = performance.now();
const github = await startGitHubEmulator({ repos: [seed] });
const firstStartMs = performance.now() - firstStart;
const warmStarts: number[] = [];
for (let i = 0; i < 5; i += 1) {
  let other: Awaited<ReturnType<typeof startGitHubEmulator>> | undefined;
  warmStarts.push(await time(async () => (other = await startGitHubEmulator({ repos: [seed] }))));
  await other?.close();
}

const client = emulatorClient(github);
const repo = { owner: "octo", repo: "app" };
/** Where tracking comments live, and the only author they may have: the Action itself. */
const trackingTarget = { ...repo, authorLogin: "github-actions[bot]" };
const mainSha = (await github.repo("octo", "app").branchSha("main")) as string;
const getIssue: number[] = [];
const createComment: number[] = [];
const publish: number[] = [];
const republish: number[] = [];
for (let i = 0; i < iterations; i += 1) {
  getIssue.push(await time(() => client.rest.issues.get({ ...repo, issue_number: 1 })));
  createComment.push(
    await time(() => client.rest.issues.createComment({ ...repo, issue_number: 1, body: `c${i}` })),
  );
}
for (let i = 0; i < iterations; i += 1) {
  const issue = github.repo("octo", "app").addIssue({ title: `Issue ${i}` }).number;
  const run = async (): Promise<void> => {
    const branch = `ai-agent/issue-${issue}`;
    await commitToBranch(client, {
      ...repo,
      branch,
      baseSha: mainSha,
      files: [
        { path: `.github/ai-agent/issue-${issue}/plan.md`, content: "# Plan\n" },
        { path: `.github/ai-agent/issue-${issue}/plan.json`, content: "{}" },
      ],
      message: `Plan for #${issue}`,
    });
    const pr = await upsertPullRequest(client, {
      ...repo,
      head: branch,
      base: "main",
      title: "Plan",
      body: "b",
    });
    await upsertTrackingComment(
      client,
      { ...trackingTarget, issueNumber: issue },
      {
        phase: { kind: "done", pullRequestUrl: pr.url },
      },
    );
    await ensureLabels(client, repo, [{ name: "plan-pending", color: "fbca04", description: "d" }]);
    await setStateLabel(client, { ...trackingTarget, issueNumber: issue }, "plan-pending", [
      "plan-pending",
      "plan-failed",
    ]);
  };
  publish.push(await time(run));
  republish.push(await time(run));
}

const requests = github.requestLog.length;
await github.close();
if (github.violations.length > 0) {
  console.error(JSON.stringify(github.violations, null, 2));
  process.exitCode = 1;
}
console.log(
  JSON.stringify(
    {
      iterations,
      emulatorFirstStartMs: Math.round(firstStartMs),
      emulatorWarmStartMedianMs: Math.round(median(warmStarts)),
      getIssueMedianMs: +median(getIssue).toFixed(1),
      createCommentMedianMs: +median(createComment).toFixed(1),
      publishPlanMedianMs: Math.round(median(publish)),
      republishUnchangedMedianMs: Math.round(median(republish)),
      requestsServed: requests,
      violations: github.violations.length,
    },
    null,
    2,
  ),
);
