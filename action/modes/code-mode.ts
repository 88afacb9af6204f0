import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  CodeRequestSchema,
  PROTOCOL_VERSION,
  type CodeRequest,
  type CodeResult,
} from "../../backend/protocol/messages.js";
import type { EditSet, Plan } from "../../backend/protocol/plan.js";
import { checkoutRemoteBranch, diffStat, ensureCheckout } from "../checkout.js";
import { buildContext, estimateTokens } from "../context/build-context.js";
import { redactSecrets } from "../context/redact-secrets.js";
import { applyAndCheck, type ApplyAndCheckResult } from "../edits/apply-and-check.js";
import { failureReport } from "../edits/failure-report.js";
import { ActionFailure, failureFromWorker } from "../failure.js";
import { commitSubject, commitToBranch } from "../github/branch.js";
import { getIssue } from "../github/issue.js";
import { sanitizeForPost, stripHiddenContent } from "../github/markdown-safety.js";
import { hasWriteAccess } from "../github/permissions.js";
import { findOpenPullRequest } from "../github/pull-request.js";
import { findTrackingComment, type TrackingComment } from "../github/tracking-comment.js";
import { APPLIED_TRAILER, findApplyingCommit, loadApprovedPlan } from "../plan/approved-plan.js";
import { renderChanges, replaceChangesSection } from "../plan/render-changes.js";
import { codeSummary, refusedSummary, type RunOutputs } from "../summary.js";
import { WorkClient, newRequestId } from "../transport/work-client.js";
import {
  MAX_ISSUE_BODY_CHARS,
  moveStateLabel,
  openTrackingComment,
  planAndPublish,
  planFilePaths,
  reportFailure,
  toFailure,
  type RunContext,
} from "./plan-mode.js";

export interface CodeModeOptions {
  mode: "approve" | "quickfix";
  actor: string;
  /**
   * Set when a comment asked for it (`/approve`, `/quickfix`): its author must have write
   * access. `thread` is the issue or pull request the comment was written on.
   */
  command?: { commentId: number; thread: number } | undefined;
}

/** What a code run did: its outputs and its job summary. */
export interface CodeOutcome {
  outputs: RunOutputs;
  summary: string;
}

/**
 * A command from someone without write access: answered where it was written, and
 * nothing else changes. The plan keeps its state (tracking comment, labels), so the
 * maintainers' own `/approve` still finds it as they left it.
 */
async function refuse(
  ctx: RunContext,
  mode: CodeModeOptions["mode"],
  actor: string,
  thread: number,
): Promise<CodeOutcome> {
  const reason = `@${actor} asked for \`/${mode}\`, but only people with write access to the repository may have code committed. The plan is unchanged and still awaits a maintainer's \`/approve\`.`;
  ctx.log(`refused: ${reason}`);
  await ctx.client.rest.issues.createComment({
    owner: ctx.owner,
    repo: ctx.repo,
    issue_number: thread,
    body: sanitizeForPost(reason),
  });
  return { outputs: { status: "refused" }, summary: refusedSummary(sanitizeForPost(reason)) };
}

interface PlanToApply {
  plan: Plan;
  hash: string;
  branch: string;
  baseSha: string;
  pullRequest: { number: number; url: string };
  checkoutDir: string;
  /** The branch head checked out in `checkoutDir`: what the edits apply to. */
  branchHead: string;
  issue: { number: number; title: string; body: string; author: string; labels: string[] };
  defaultBranch: string;
}

/**
 * `/approve` and QuickFix: turn the plan into edits, apply them, check them, and commit
 * them to the issue's branch — or push nothing and explain why. The approval gate is
 * enforced here, in code: write access checked through the API and the plan bound to
 * the hash the bot recorded.
 */
export async function runCodeMode(ctx: RunContext, options: CodeModeOptions): Promise<CodeOutcome> {
  if (options.command !== undefined) {
    const allowed = await hasWriteAccess(ctx.client, {
      owner: ctx.owner,
      repo: ctx.repo,
      username: options.actor,
    });
    if (!allowed) return refuse(ctx, options.mode, options.actor, options.command.thread);
  }
  const tracking = openTrackingComment(ctx);
  // Whatever happens, the comment keeps showing the hash of the plan on record: a failed
  // run must not erase what a later, valid approval binds to.
  let hash: string | undefined =
    (
      await findTrackingComment(ctx.client, {
        owner: ctx.owner,
        repo: ctx.repo,
        issueNumber: ctx.issueNumber,
      }).catch(() => null)
    )?.record?.planHash ?? undefined;
  try {
    const target =
      options.mode === "quickfix"
        ? await planForQuickFix(ctx, tracking)
        : await planForApproval(ctx);
    hash = target.hash;
    const view = { stage: "code" as const, runUrl: ctx.runUrl, planHash: target.hash };

    const existing = await findApplyingCommit(
      ctx.client,
      ctx.owner,
      ctx.repo,
      target.branch,
      target.hash,
      target.baseSha,
    );
    if (existing) {
      ctx.log(
        `plan ${target.hash.slice(0, 12)} was already applied in ${existing.slice(0, 12)}; nothing to do`,
      );
      await tracking.update({
        ...view,
        phase: {
          kind: "done",
          pullRequestUrl: target.pullRequest.url,
          detail: `This plan was already applied in commit ${existing.slice(0, 12)}; nothing new was committed.`,
        },
      });
      await tracking.flush();
      return applied(
        target,
        tracking.url,
        `This plan was already applied in commit \`${existing.slice(0, 12)}\`; nothing new was committed.`,
      );
    }
    await tracking.update({ ...view, phase: { kind: "queued" } });

    const workClient = await WorkClient.connect({
      amqpUrl: ctx.settings.amqpUrl,
      requestQueue: ctx.settings.requestQueue,
      signingKey: ctx.settings.signingKey || undefined,
      log: ctx.log,
    });
    let result: ApplyAndCheckResult;
    let edits: EditSet;
    let model = "";
    try {
      const base = await ctx.group("Code request", () => buildCodeRequest(ctx, target));
      const ask = async (request: CodeRequest): Promise<CodeResult> => {
        const reply = await workClient.submit(request, {
          onProgress: (p) =>
            void tracking.update({
              ...view,
              phase: {
                kind: "running",
                ...(p.model ? { model: p.model } : {}),
                ...(p.tokens !== undefined ? { tokens: p.tokens } : {}),
              },
            }),
        });
        tracking.discardPending();
        if (reply.type === "error") throw failureFromWorker(reply, ctx.settings.timeoutMinutes);
        if (reply.kind !== "code")
          throw new ActionFailure(
            "The worker answered a code request with a plan.",
            "Check that the Action and worker versions match.",
          );
        return reply;
      };
      const first = await ask(base);
      model = first.usage.model;
      edits = first.edits;
      result = await ctx.group("Apply and check", () => applyEdits(ctx, target.checkoutDir, edits));
      if (!result.ok) {
        // One repair round trip: the model sees exactly what failed.
        const report = failureReport(result);
        ctx.log(
          `edits failed at ${result.failedAt ?? "?"}; asking the model to repair them:\n${report}`,
        );
        const repaired = await ask({
          ...base,
          requestId: newRequestId(),
          deadline: Date.now() + ctx.settings.timeoutMinutes * 60_000,
          repair: { previous: edits, errors: [report.slice(0, 4000)] },
        });
        edits = repaired.edits;
        result = await ctx.group("Apply and check (repair)", () =>
          applyEdits(ctx, target.checkoutDir, edits),
        );
      }
    } finally {
      await workClient.close();
    }
    if (!result.ok) {
      throw new ActionFailure(
        `The model's changes were not pushed: they failed the ${result.failedAt ?? "apply"} step twice.\n\n${failureReport(result, 1500)}`,
        "Comment `/approve` with guidance on the following lines, or refine the plan with `/plan`.",
      );
    }

    return await ctx.group("Commit", async () => {
      const stats = await diffStat(target.checkoutDir);
      const files = result.written
        .filter((c) => c.after !== undefined)
        .map((c) => ({ path: c.path, content: c.after ?? "" }));
      const deletions = result.written.filter((c) => c.after === undefined).map((c) => c.path);
      const commit = await commitToBranch(ctx.client, {
        owner: ctx.owner,
        repo: ctx.repo,
        branch: target.branch,
        baseSha: target.baseSha,
        files,
        deletions,
        message: `${commitSubject(edits.summary) || `Implement the plan for #${target.issue.number}`}\n\nImplements the approved plan for #${target.issue.number}.`,
        trailers: [
          ["Issue", `#${target.issue.number}`],
          [APPLIED_TRAILER, target.hash],
          [options.mode === "quickfix" ? "QuickFix-By" : "Approved-By", options.actor],
        ],
      });
      const headSha = commit.commitSha ?? commit.headSha;
      ctx.log(
        `committed ${result.written.length} file(s) to ${target.branch}: ${headSha.slice(0, 12)}`,
      );
      const changes = renderChanges({
        written: result.written,
        stats,
        syntax: result.syntax,
        check: result.check,
        checkCommand: ctx.settings.checkCommand,
        commitSha: headSha,
        model,
        mode: options.mode,
        actor: options.actor,
      });
      const { data: pr } = await ctx.client.rest.pulls.get({
        owner: ctx.owner,
        repo: ctx.repo,
        pull_number: target.pullRequest.number,
      });
      const body = replaceChangesSection(pr.body ?? "", changes);
      if (body !== pr.body)
        await ctx.client.rest.pulls.update({
          owner: ctx.owner,
          repo: ctx.repo,
          pull_number: pr.number,
          body,
        });
      await moveStateLabel(ctx, ctx.settings.labelApplied);
      await tracking.update({
        ...view,
        phase: {
          kind: "done",
          pullRequestUrl: target.pullRequest.url,
          detail: `Commit ${headSha.slice(0, 12)} changes ${result.written.length} file(s); syntax check passed${result.check ? `, \`check-command\` passed` : ""}. The pull request stays a draft for review.`,
        },
      });
      await tracking.flush();
      return applied(target, tracking.url, changes);
    });
  } catch (error) {
    const failure = toFailure(error, ctx.settings);
    await reportFailure(ctx, tracking, failure, "code", hash);
    throw failure;
  }
}

/** The outcome of a run that leaves the plan applied on its branch. */
function applied(
  target: PlanToApply,
  commentUrl: string | undefined,
  changes: string,
): CodeOutcome {
  return {
    outputs: {
      status: "applied",
      prNumber: target.pullRequest.number,
      prUrl: target.pullRequest.url,
      branch: target.branch,
      commentUrl,
      planHash: target.hash,
    },
    summary: codeSummary({
      issueNumber: target.issue.number,
      pullRequest: target.pullRequest,
      branch: target.branch,
      planHash: target.hash,
      changes,
    }),
  };
}

async function applyEdits(
  ctx: RunContext,
  dir: string,
  edits: EditSet,
): Promise<ApplyAndCheckResult> {
  const result = await applyAndCheck(dir, edits.edits, {
    policy: { protected: ctx.settings.protectedPaths, allow: [] },
    checkCommand: ctx.settings.checkCommand,
    checkTimeoutMs: ctx.settings.checkTimeoutMinutes * 60_000,
  });
  ctx.log(
    result.ok
      ? `applied ${result.written.length} file change(s); all checks passed`
      : `refused at the ${result.failedAt ?? "?"} step`,
  );
  return result;
}

async function planForApproval(ctx: RunContext): Promise<PlanToApply> {
  const approved = await loadApprovedPlan({
    client: ctx.client,
    owner: ctx.owner,
    repo: ctx.repo,
    issueNumber: ctx.issueNumber,
    branchPrefix: ctx.settings.branchPrefix,
    planJsonPath: planFilePaths(ctx.issueNumber).json,
  });
  const pr = await findOpenPullRequest(ctx.client, {
    owner: ctx.owner,
    repo: ctx.repo,
    head: approved.branch,
  });
  if (!pr)
    throw new ActionFailure(
      `The plan's pull request for ${approved.branch} is not open any more.`,
      "Comment `/plan` to make a new plan and pull request.",
    );
  const issue = await getIssue(ctx.client, {
    owner: ctx.owner,
    repo: ctx.repo,
    issueNumber: ctx.issueNumber,
  });
  const repoInfo = await ctx.client.rest.repos.get({ owner: ctx.owner, repo: ctx.repo });
  const checkout = await ensureCheckout({
    workspace: ctx.workspace,
    serverUrl: ctx.serverUrl,
    owner: ctx.owner,
    repo: ctx.repo,
    ref: repoInfo.data.default_branch,
    token: ctx.settings.githubToken,
    log: ctx.log,
  });
  const branchHead = await checkoutRemoteBranch(
    checkout.dir,
    approved.branch,
    ctx.settings.githubToken,
  );
  const body = stripHiddenContent(issue.body).slice(0, MAX_ISSUE_BODY_CHARS);
  return {
    ...approved,
    baseSha: approved.baseSha || checkout.sha,
    pullRequest: { number: pr.number, url: pr.html_url },
    checkoutDir: checkout.dir,
    branchHead,
    issue: {
      number: issue.number,
      title: stripHiddenContent(issue.title),
      body,
      author: issue.author?.login ?? "unknown",
      labels: issue.labels,
    },
    defaultBranch: repoInfo.data.default_branch,
  };
}

async function planForQuickFix(ctx: RunContext, tracking: TrackingComment): Promise<PlanToApply> {
  const outcome = await planAndPublish(ctx, tracking, { awaitApproval: false });
  const branchHead = await checkoutRemoteBranch(
    outcome.checkoutDir,
    outcome.branch,
    ctx.settings.githubToken,
  );
  return {
    plan: outcome.document.plan,
    hash: outcome.document.hash,
    branch: outcome.branch,
    baseSha: "",
    pullRequest: outcome.pullRequest,
    checkoutDir: outcome.checkoutDir,
    branchHead,
    issue: { number: outcome.issueNumber, ...outcome.issue },
    defaultBranch: outcome.defaultBranch,
  };
}

/** The code request: the plan, the full text of the files it changes (within budget), and context. */
async function buildCodeRequest(ctx: RunContext, target: PlanToApply): Promise<CodeRequest> {
  const budget = ctx.settings.contextTokens;
  const files: { path: string; content: string }[] = [];
  const omitted: { path: string; reason: string }[] = [];
  let used = 0;
  for (const change of target.plan.files) {
    if (change.change === "create") continue;
    // Secrets in the file never reach the model; a hunk that needed them fails to apply.
    const raw = await readFile(join(target.checkoutDir, change.path), "utf8").catch(
      () => undefined,
    );
    const content = raw === undefined ? undefined : redactSecrets(raw).text;
    if (content === undefined) {
      omitted.push({ path: change.path, reason: "named by the plan but not in the repository" });
      continue;
    }
    const cost = estimateTokens(content);
    if (used + cost > budget) {
      omitted.push({
        path: change.path,
        reason: `full text (about ${cost} tokens) did not fit the ${budget}-token budget`,
      });
      continue;
    }
    used += cost;
    files.push({ path: change.path, content });
  }
  for (const item of omitted) ctx.log(`not sent in full: ${item.path} (${item.reason})`);
  const context = await buildContext({
    repoDir: target.checkoutDir,
    title: target.issue.title,
    body: target.issue.body,
    tokenBudget: Math.max(1000, Math.floor(budget / 2)),
    ignoreFile: ctx.settings.ignoreFile || undefined,
  });
  const request = {
    version: PROTOCOL_VERSION,
    type: "code" as const,
    requestId: newRequestId(),
    idempotencyKey: `${ctx.owner}/${ctx.repo}#${target.issue.number}@${target.hash}`,
    repo: {
      owner: ctx.owner,
      name: ctx.repo,
      defaultBranch: target.defaultBranch,
      sha: target.branchHead,
    },
    issue: {
      number: target.issue.number,
      title: target.issue.title.slice(0, 1000),
      body: target.issue.body,
      author: target.issue.author,
      labels: target.issue.labels.slice(0, 100),
    },
    context: {
      tree: context.tree,
      files: context.files,
      omitted: [...omitted, ...context.omitted],
      tokenEstimate: context.tokenEstimate + used,
    },
    options: ctx.settings.model ? { model: ctx.settings.model } : {},
    deadline: Date.now() + ctx.settings.timeoutMinutes * 60_000,
    plan: target.plan,
    planHash: target.hash,
    files,
    ...(ctx.guidance ? { guidance: stripHiddenContent(ctx.guidance).slice(0, 10_000) } : {}),
  };
  // Validate before sending: a malformed request is our bug, better caught here.
  return CodeRequestSchema.parse(request);
}
