import { buildContext, collectRepositoryFiles } from "../context/build-context.js";
import { ensureCheckout } from "../checkout.js";
import { ActionFailure, failureFromWorker } from "../failure.js";
import { commitSubject, commitToBranch, issueBranchName, shortenAtWord } from "../github/branch.js";
import { getIssue } from "../github/issue.js";
import { ensureLabels, setStateLabel } from "../github/labels.js";
import { sanitizeForPost, stripHiddenContent } from "../github/markdown-safety.js";
import { describeGitHubError, errorStatus, type GitHubClient } from "../github/octokit.js";
import { upsertPullRequest } from "../github/pull-request.js";
import { TrackingComment } from "../github/tracking-comment.js";
import { groundPlan } from "../plan/ground-plan.js";
import { planHash } from "../plan/plan-hash.js";
import {
  renderPlanMarkdown,
  renderPullRequestBody,
  type PlanDocument,
} from "../plan/render-plan.js";
import type { Settings } from "../settings.js";
import { DeadlineError, WorkClient, newRequestId } from "../transport/work-client.js";
import type { PlanResult, PlanRequest } from "../../backend/protocol/messages.js";
import { PROTOCOL_VERSION } from "../../backend/protocol/messages.js";

/** Where the plan lives on the branch: readable Markdown and the exact JSON the hash covers. */
export function planFilePaths(issueNumber: number): { markdown: string; json: string } {
  const dir = `.github/issue-agent/issue-${issueNumber}`;
  return { markdown: `${dir}/plan.md`, json: `${dir}/plan.json` };
}

/** Issue bodies are bounded before they reach the model; the cut is stated, not silent. */
export const MAX_ISSUE_BODY_CHARS = 65_000;

export interface RunContext {
  client: GitHubClient;
  settings: Settings;
  owner: string;
  repo: string;
  issueNumber: number;
  guidance?: string | undefined;
  workspace: string;
  serverUrl: string;
  runUrl: string;
  /** Log lines for the run's log (core.info in the Action). */
  log: (message: string) => void;
  /** Groups log lines by phase (core.group in the Action). */
  group: <T>(name: string, body: () => Promise<T>) => Promise<T>;
  /** Tracking comment write spacing; tests make it small. */
  trackingIntervalMs?: number;
}

export interface PlanOutcome {
  status: "planned";
  issueNumber: number;
  branch: string;
  pullRequest: { number: number; url: string };
  commentUrl: string | undefined;
  document: PlanDocument;
  markdown: string;
  /** What QuickFix needs to go on to the code step. */
  checkoutDir: string;
  issue: { title: string; body: string; author: string; labels: string[] };
  defaultBranch: string;
}

export const STATE_LABEL_COLORS = {
  pending: "fbca04",
  failed: "d93f0b",
  applied: "0e8a16",
} as const;

/** The labels the Action moves between, created in the repository when missing. */
export function stateLabels(settings: Settings) {
  return [
    {
      name: settings.labelPending,
      color: STATE_LABEL_COLORS.pending,
      description: "issue-agent: a plan awaits review",
    },
    {
      name: settings.labelFailed,
      color: STATE_LABEL_COLORS.failed,
      description: "issue-agent: the last run failed (see the tracking comment)",
    },
    {
      name: settings.labelApplied,
      color: STATE_LABEL_COLORS.applied,
      description: "issue-agent: the approved plan was applied",
    },
  ];
}

/** Sets one state label and removes the others. */
export async function moveStateLabel(ctx: RunContext, state: string): Promise<void> {
  const target = { owner: ctx.owner, repo: ctx.repo };
  await ensureLabels(ctx.client, target, stateLabels(ctx.settings));
  await setStateLabel(ctx.client, { ...target, issueNumber: ctx.issueNumber }, state, [
    ctx.settings.labelPending,
    ctx.settings.labelFailed,
    ctx.settings.labelApplied,
  ]);
}

/** The run's handle on the issue's one tracking comment. */
export function openTrackingComment(ctx: RunContext): TrackingComment {
  return new TrackingComment(
    ctx.client,
    { owner: ctx.owner, repo: ctx.repo, issueNumber: ctx.issueNumber },
    {
      minIntervalMs: ctx.trackingIntervalMs ?? 5000,
      onError: (e) => ctx.log(`tracking comment update failed: ${String(e)}`),
    },
  );
}

/**
 * Plan mode, from the issue to the draft pull request: tracking comment, checkout,
 * context, the request over RabbitMQ, then branch, commit, pull request and labels. Any
 * failure is shown in the tracking comment with how to retry, and labelled.
 */
export async function runPlanMode(ctx: RunContext): Promise<PlanOutcome> {
  const tracking = openTrackingComment(ctx);
  try {
    return await planAndPublish(ctx, tracking, { awaitApproval: true });
  } catch (error) {
    const failure = toFailure(error, ctx.settings);
    await reportFailure(ctx, tracking, failure);
    throw failure;
  }
}

/**
 * Plan mode's work, reporting into an existing tracking comment (QuickFix reuses it).
 * With `awaitApproval` (plan mode) the plan ends labelled pending with `/approve` offered;
 * QuickFix goes straight on to the code step, which sets the final state.
 */
export async function planAndPublish(
  ctx: RunContext,
  tracking: TrackingComment,
  publish: { awaitApproval: boolean },
): Promise<PlanOutcome> {
  const { settings } = ctx;
  const view = { stage: "plan" as const, runUrl: ctx.runUrl };
  const issue = await ctx.group("Issue", async () => {
    const found = await getIssue(ctx.client, {
      owner: ctx.owner,
      repo: ctx.repo,
      issueNumber: ctx.issueNumber,
    });
    if (found.isPullRequest)
      throw new ActionFailure(
        `#${ctx.issueNumber} is a pull request, not an issue.`,
        "Run the Action on an issue.",
      );
    ctx.log(`#${found.number}: ${found.title}`);
    return found;
  });
  await tracking.update({ ...view, phase: { kind: "queued" } });

  const repoInfo = await ctx.client.rest.repos.get({ owner: ctx.owner, repo: ctx.repo });
  const defaultBranch = repoInfo.data.default_branch;
  const checkout = await ctx.group("Checkout", () =>
    ensureCheckout({
      workspace: ctx.workspace,
      serverUrl: ctx.serverUrl,
      owner: ctx.owner,
      repo: ctx.repo,
      ref: defaultBranch,
      token: settings.githubToken,
      log: ctx.log,
    }),
  );

  const cleanTitle = stripHiddenContent(issue.title).slice(0, 1000);
  let cleanBody = stripHiddenContent(issue.body);
  if (cleanBody.length > MAX_ISSUE_BODY_CHARS) {
    ctx.log(
      `issue body is ${cleanBody.length} characters; the first ${MAX_ISSUE_BODY_CHARS} are used`,
    );
    cleanBody = `${cleanBody.slice(0, MAX_ISSUE_BODY_CHARS)}\n\n[issue text cut at ${MAX_ISSUE_BODY_CHARS} characters]`;
  }

  const contextStarted = Date.now();
  const context = await ctx.group("Context", async () => {
    const built = await buildContext({
      repoDir: checkout.dir,
      title: cleanTitle,
      body: cleanBody,
      tokenBudget: settings.contextTokens,
      ignoreFile: settings.ignoreFile || undefined,
    });
    ctx.log(
      `${built.files.length} files in context (about ${built.tokenEstimate} tokens) out of ${built.tree.totalFiles}; ${built.omitted.length} left out`,
    );
    for (const file of built.files)
      ctx.log(`  ${file.score.toFixed(2)}  ${file.path}  (${file.reasons.join("; ")})`);
    return built;
  });
  const contextMs = Date.now() - contextStarted;

  const deadline = Date.now() + settings.timeoutMinutes * 60_000;
  const request: PlanRequest = {
    version: PROTOCOL_VERSION,
    type: "plan",
    requestId: newRequestId(),
    idempotencyKey: `${ctx.owner}/${ctx.repo}#${issue.number}@${checkout.sha}`,
    repo: { owner: ctx.owner, name: ctx.repo, defaultBranch, sha: checkout.sha },
    issue: {
      number: issue.number,
      title: cleanTitle,
      body: cleanBody,
      author: issue.author?.login ?? "unknown",
      labels: issue.labels.slice(0, 100),
    },
    context: {
      tree: context.tree,
      files: context.files,
      omitted: context.omitted,
      tokenEstimate: context.tokenEstimate,
    },
    options: settings.model ? { model: settings.model } : {},
    deadline,
    ...(ctx.guidance ? { guidance: stripHiddenContent(ctx.guidance).slice(0, 10_000) } : {}),
  };

  const requestStarted = Date.now();
  const reply = await ctx.group("Plan request", async () => {
    const client = await WorkClient.connect({
      amqpUrl: settings.amqpUrl,
      requestQueue: settings.requestQueue,
      signingKey: settings.signingKey || undefined,
      log: ctx.log,
    });
    try {
      return await client.submit(request, {
        onQueued: ({ ahead }) => {
          // Milliseconds since the process started: the Action's own overhead before the model.
          ctx.log(
            `request ${request.requestId} queued ${Math.round(performance.now())} ms after start; ${ahead} ahead of it`,
          );
          void tracking.update({ ...view, phase: { kind: "queued", position: ahead + 1 } });
        },
        onProgress: (progress) => {
          if (progress.stage === "generating" && progress.tokens)
            ctx.log(`generating: ${progress.tokens} tokens`);
          else
            ctx.log(`worker: ${progress.stage}${progress.message ? ` (${progress.message})` : ""}`);
          void tracking.update({
            ...view,
            phase: {
              kind: "running",
              ...(progress.model ? { model: progress.model } : {}),
              ...(progress.tokens !== undefined ? { tokens: progress.tokens } : {}),
              ...(progress.message ? { detail: progress.message } : {}),
            },
          });
        },
      });
    } finally {
      await client.close();
    }
  });
  tracking.discardPending();
  if (reply.type === "error") throw failureFromWorker(reply, settings.timeoutMinutes);
  if (reply.kind !== "plan")
    throw new ActionFailure(
      "The worker answered a plan request with code edits.",
      "Check that the Action and worker versions match.",
    );
  const result: PlanResult = reply;
  const queueAndModelMs = Date.now() - requestStarted;

  const publishStarted = performance.now();
  return ctx.group("Publish", async () => {
    const hash = planHash(result.plan);
    // Ground against every file that exists, including those kept out of the context.
    const files = await collectRepositoryFiles(checkout.dir, {
      ignoreFile: settings.ignoreFile || undefined,
    });
    const grounding = groundPlan(
      result.plan,
      new Set([...files.paths, ...files.excluded.map((e) => e.path)]),
    );
    for (const problem of grounding)
      ctx.log(`plan path not in the repository: ${problem.path} (${problem.problem})`);
    const document: PlanDocument = {
      issueNumber: issue.number,
      issueTitle: cleanTitle,
      plan: result.plan,
      hash,
      grounding,
      usage: result.usage,
      context: {
        files: context.files,
        omitted: context.omitted,
        trimmedByWorker: result.trimmed,
        totalFiles: context.tree.totalFiles,
        tokenEstimate: context.tokenEstimate,
      },
      timings: { contextMs, queueAndModelMs },
    };
    const markdown = renderPlanMarkdown(document, sanitizeForPost);
    const paths = planFilePaths(issue.number);
    const branch = issueBranchName(settings.branchPrefix, issue.number);
    const planJson = `${JSON.stringify({ issue: issue.number, planHash: hash, baseSha: checkout.sha, model: result.usage.model, plan: result.plan }, null, 2)}\n`;
    const commit = await commitToBranch(ctx.client, {
      owner: ctx.owner,
      repo: ctx.repo,
      branch,
      baseSha: checkout.sha,
      files: [
        {
          path: paths.markdown,
          content: `# Plan for #${issue.number}: ${sanitizeForPost(cleanTitle)}\n\n${markdown}\n`,
        },
        { path: paths.json, content: planJson },
      ],
      message: commitSubject(`Plan for #${issue.number}: ${cleanTitle}`),
      trailers: [
        ["Issue", `#${issue.number}`],
        ["Plan-Hash", hash],
      ],
    });
    ctx.log(
      commit.commitSha
        ? `committed the plan to ${branch} (${commit.commitSha.slice(0, 12)})`
        : `${branch} already holds this plan`,
    );
    let pullRequest;
    try {
      pullRequest = await upsertPullRequest(ctx.client, {
        owner: ctx.owner,
        repo: ctx.repo,
        head: branch,
        base: defaultBranch,
        title: shortenAtWord(`Plan for #${issue.number}: ${cleanTitle}`, 256),
        body: renderPullRequestBody(document, sanitizeForPost),
        draft: true,
      });
    } catch (error) {
      // A branch without its pull request helps nobody: remove the one this run created.
      if (commit.createdBranch) {
        await ctx.client.rest.git
          .deleteRef({ owner: ctx.owner, repo: ctx.repo, ref: `heads/${branch}` })
          .catch(() => undefined);
      }
      throw error;
    }
    ctx.log(
      `${pullRequest.created ? "opened" : "updated"} draft pull request #${pullRequest.number}: ${pullRequest.url}`,
    );
    if (publish.awaitApproval) {
      await moveStateLabel(ctx, settings.labelPending);
      await tracking.update({
        ...view,
        phase: { kind: "done", pullRequestUrl: pullRequest.url },
        planHash: hash,
        approveCommand: "/approve",
      });
      await tracking.flush();
    }
    ctx.log(`published the plan in ${Math.round(performance.now() - publishStarted)} ms`);
    return {
      status: "planned" as const,
      issueNumber: issue.number,
      branch,
      pullRequest: { number: pullRequest.number, url: pullRequest.url },
      commentUrl: tracking.url,
      document,
      markdown,
      checkoutDir: checkout.dir,
      issue: {
        title: cleanTitle,
        body: cleanBody,
        author: issue.author?.login ?? "unknown",
        labels: issue.labels,
      },
      defaultBranch,
    };
  });
}

/** Turns anything thrown into a failure a maintainer can act on. */
export function toFailure(error: unknown, settings: Settings): ActionFailure {
  if (error instanceof ActionFailure) return error;
  if (error instanceof DeadlineError) {
    return new ActionFailure(
      `No worker answered within ${settings.timeoutMinutes} minutes.`,
      "Check that the backend is running and consuming the queue (e.g. `kubectl -n ai-agent get pods`), then comment `/plan` to retry.",
      { cause: error },
    );
  }
  const message =
    errorStatus(error) !== undefined
      ? describeGitHubError(error)
      : error instanceof Error
        ? error.message
        : String(error);
  return new ActionFailure(
    message,
    "Fix the cause above, then comment `/plan` on the issue (or re-run the workflow) to retry.",
    { cause: error },
  );
}

/** Shows a failure in the tracking comment and labels the issue as failed. */
export async function reportFailure(
  ctx: RunContext,
  tracking: TrackingComment,
  failure: ActionFailure,
  stage: "plan" | "code" = "plan",
  planHash?: string,
): Promise<void> {
  ctx.log(`failed: ${failure.reason}`);
  await tracking
    .update({
      stage,
      runUrl: ctx.runUrl,
      phase: { kind: "failed", reason: failure.reason, retry: failure.retry },
      ...(planHash ? { planHash } : {}),
    })
    .catch((e: unknown) => ctx.log(`could not update the tracking comment: ${String(e)}`));
  await tracking.flush().catch(() => undefined);
  // A refused approval from someone without access must not let them move the labels.
  if (failure.relabel)
    await moveStateLabel(ctx, ctx.settings.labelFailed).catch((e: unknown) =>
      ctx.log(`could not set the failure label: ${String(e)}`),
    );
}
