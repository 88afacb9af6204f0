import * as core from "@actions/core";
import * as github from "@actions/github";
import { decide, parseCommand } from "./event/trigger-gate.js";
import { ActionFailure } from "./failure.js";
import { createGitHubClient, describeGitHubError, errorStatus } from "./github/octokit.js";
import { runPlanMode, type RunContext } from "./modes/plan-mode.js";
import { readSettings, type Settings } from "./settings.js";
import {
  failureSummary,
  planSummary,
  setOutputs,
  skippedSummary,
  writeSummary,
} from "./summary.js";

/**
 * The Action: parse inputs, decide from the event, run the mode, report. The single
 * place where failures become `core.setFailed`.
 */
export async function run(): Promise<void> {
  try {
    const settings = readSettings((name) => core.getInput(name));
    maskSecrets(settings);
    const { context } = github;
    const { owner, repo } = context.repo;
    const gateSettings = { ...settings, issueNumber: settings.issueNumber };
    let headRef: string | undefined;
    const client = createGitHubClient({
      token: settings.githubToken,
      baseUrl: context.apiUrl,
      log: { warn: (m) => core.warning(m) },
      ...apiPacing(),
    });
    const payload = context.payload as Parameters<typeof decide>[1];
    if (
      context.eventName === "issue_comment" &&
      payload.action === "created" &&
      payload.issue?.pull_request &&
      payload.issue.number &&
      parseCommand(payload.comment?.body ?? "")?.command === "approve"
    ) {
      // `/approve` may be written on the agent's pull request; its branch names the issue.
      const pr = await client.rest.pulls.get({ owner, repo, pull_number: payload.issue.number });
      // A fork can name its branch like ours; only this repository's branches count.
      if (pr.data.head.repo?.full_name === `${owner}/${repo}`) headRef = pr.data.head.ref;
    }
    const decision = decide(context.eventName, payload, gateSettings, headRef);
    if (!decision.run) {
      core.info(`Skipping: ${decision.reason}.`);
      await writeSummary(skippedSummary(decision.reason));
      setOutputs({ status: "skipped" });
      return;
    }
    core.info(`${decision.mode} for #${decision.issueNumber}, requested by ${decision.actor}`);
    const ctx: RunContext = {
      client,
      settings,
      owner,
      repo,
      issueNumber: decision.issueNumber,
      guidance: decision.guidance,
      workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
      serverUrl: context.serverUrl,
      runUrl: `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}`,
      log: (message) => core.info(message),
      group: (name, body) => core.group(name, body),
    };
    switch (decision.mode) {
      case "plan": {
        const outcome = await runPlanMode(ctx);
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
        const { runCodeMode } = await import("./modes/code-mode.js");
        const outcome = await runCodeMode(ctx, {
          mode: decision.mode,
          actor: decision.actor,
          command: decision.command,
        });
        await writeSummary(outcome.summary);
        setOutputs(outcome.outputs);
        return;
      }
    }
  } catch (error) {
    const message = describeFailure(error);
    if (error instanceof ActionFailure)
      await writeSummary(failureSummary(error.reason, error.retry)).catch(() => undefined);
    setOutputs({ status: "failed" });
    core.setFailed(message);
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
  try {
    const password = decodeURIComponent(new URL(settings.amqpUrl).password);
    if (password) core.setSecret(password);
  } catch {
    // An unparseable URL is reported by the transport with its host only.
  }
}

/** One readable line for any thrown value, Error or not. */
function describeFailure(error: unknown): string {
  if (error instanceof ActionFailure) return `${error.reason} ${error.retry}`;
  if (errorStatus(error) !== undefined) return describeGitHubError(error);
  if (error instanceof Error) return error.message;
  return `unexpected failure: ${String(error)}`;
}
