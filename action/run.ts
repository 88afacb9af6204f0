import * as core from "@actions/core";
import * as github from "@actions/github";
import { Cancellation, cancelOnSignals } from "./cancellation.js";
import { admit } from "./event/admit.js";
import { ActionFailure } from "./failure.js";
import { createGitHubClient, describeGitHubError, errorStatus } from "./github/octokit.js";
import { sanitizeForPost } from "./github/markdown-safety.js";
import { inertLogText } from "./log-text.js";
import { runApprovePipeline } from "./pipelines/code.js";
import { runPlanPipeline } from "./pipelines/plan.js";
import { runQuickFixPipeline } from "./pipelines/quickfix.js";
import { RunContext } from "./run-context.js";
import { readSettings, type Settings } from "./settings.js";
import { splitBrokerUrls } from "../protocol/index.js";
import {
  codeSummary,
  failureSummary,
  planSummary,
  refusedSummary,
  setOutputs,
  skippedSummary,
  writeSummary,
} from "./summary.js";

/**
 * The Action: parse inputs, admit the event, run its pipeline, report. The single place
 * where failures become `core.setFailed`, and where outputs and the job summary are set.
 */
export async function run(): Promise<void> {
  // From the first line: a run cancelled early must still stop cleanly, not be killed.
  const cancellation = new Cancellation();
  const stopListening = cancelOnSignals(cancellation, process, {
    first: (message) => core.warning(message),
    again: (message) => core.info(message),
  });
  try {
    const settings = readSettings((name) => core.getInput(name));
    maskSecrets(settings);
    if (!settings.signingKey)
      core.warning(
        "allow-unsigned is true: requests and replies are not signed, so anyone who can publish to the broker can forge the plans and code this run will act on.",
      );
    const { context } = github;
    const { owner, repo } = context.repo;
    const client = createGitHubClient({
      token: settings.githubToken,
      baseUrl: context.apiUrl,
      log: { warn: (m) => core.warning(m) },
      ...apiPacing(),
    });
    const admission = await admit(context.eventName, context.payload, settings, {
      client,
      owner,
      repo,
    });
    switch (admission.kind) {
      case "skip":
        core.info(inertLogText(`Skipping: ${admission.reason}.`));
        await writeSummary(skippedSummary(admission.reason));
        setOutputs({ status: "skipped" });
        return;
      case "refuse": {
        // Answered where it was asked; the plan, its comment and its labels stay as they are.
        const reason = sanitizeForPost(admission.reason);
        core.info(inertLogText(`refused: ${admission.reason}`));
        await client.rest.issues.createComment({
          owner,
          repo,
          issue_number: admission.thread,
          body: reason,
        });
        await writeSummary(refusedSummary(reason));
        setOutputs({ status: "refused" });
        return;
      }
      case "run":
        break;
    }
    core.info(
      inertLogText(
        `${admission.mode} for #${admission.issueNumber}, requested by ${admission.actor}`,
      ),
    );
    // Cancelled before anything was started on the issue: nothing to report there.
    cancellation.throwIfCancelled();
    const ctx = new RunContext(client, settings, owner, repo, admission.issueNumber, {
      guidance: admission.guidance,
      workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
      serverUrl: context.serverUrl,
      runUrl: `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}`,
      log: (message) => core.info(inertLogText(message)),
      group: (name, body) => core.group(name, body),
      cancellation,
    });
    switch (admission.mode) {
      case "plan": {
        const outcome = await runPlanPipeline(ctx);
        await writeSummary(planSummary(outcome));
        setOutputs({
          status: "planned",
          prNumber: outcome.pullRequest.number,
          prUrl: outcome.pullRequest.url,
          branch: outcome.branch,
          commentUrl: outcome.commentUrl,
          planHash: outcome.document.hash,
        });
        return;
      }
      case "approve":
      case "quickfix": {
        const outcome =
          admission.mode === "quickfix"
            ? await runQuickFixPipeline(ctx, admission.actor)
            : await runApprovePipeline(ctx, { mode: "approve", actor: admission.actor });
        await writeSummary(codeSummary(outcome));
        setOutputs({
          status: "applied",
          prNumber: outcome.target.pullRequest.number,
          prUrl: outcome.target.pullRequest.url,
          branch: outcome.target.branch,
          commentUrl: outcome.commentUrl,
          planHash: outcome.target.hash,
        });
        return;
      }
    }
  } catch (error) {
    const message = describeFailure(error);
    // Every failed run leaves a summary, also one that stopped before any stage (a bad
    // input, GitHub refusing the first call): the run page is where people look first.
    const summary =
      error instanceof ActionFailure
        ? failureSummary(error.reason, error.retry)
        : failureSummary(message, EARLY_FAILURE_RETRY);
    await writeSummary(summary).catch(() => undefined);
    setOutputs({ status: cancellation.requested ? "cancelled" : "failed" });
    core.setFailed(message);
  } finally {
    stopListening();
  }
}

/**
 * GitHub asks integrations to space their writes (1 s; 3 s for writes that notify). The
 * end-to-end tests and benchmarks run against an emulator and shorten the spacing with
 * ISSUE_AGENT_API_SPACING_MS; a workflow never needs it.
 */
function apiPacing(): { writeSpacingMs?: number; retryUnitMs?: number } {
  const raw = process.env.ISSUE_AGENT_API_SPACING_MS;
  if (raw === undefined || !/^\d+$/.test(raw)) return {};
  return { writeSpacingMs: Number(raw), retryUnitMs: Math.max(1, Number(raw)) };
}

function maskSecrets(settings: Settings): void {
  core.setSecret(settings.githubToken);
  core.setSecret(Buffer.from(`x-access-token:${settings.githubToken}`).toString("base64"));
  if (settings.signingKey) core.setSecret(settings.signingKey);
  for (const url of splitBrokerUrls(settings.amqpUrl)) {
    try {
      const password = decodeURIComponent(new URL(url).password);
      if (password) core.setSecret(password);
    } catch {
      // An unparseable URL is reported by the transport with its host only.
    }
  }
}

/** One readable line for any thrown value, Error or not. */
/** What to do about a failure that came before any stage (inputs, the first API calls). */
const EARLY_FAILURE_RETRY =
  "Correct what the reason names (the workflow's inputs, the token's permissions or the repository's settings), then re-run the workflow.";

function describeFailure(error: unknown): string {
  if (error instanceof ActionFailure) return `${error.reason} ${error.retry}`;
  if (errorStatus(error) !== undefined) return describeGitHubError(error);
  if (error instanceof Error) return error.message;
  return `unexpected failure: ${String(error)}`;
}
