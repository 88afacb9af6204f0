import * as core from "@actions/core";
import { sanitizeForPost } from "./github/markdown-safety.js";
import type { CodeOutcome } from "./pipelines/code.js";
import type { PlanOutcome } from "./pipelines/plan.js";
import { renderContextTable, renderUsage } from "./plan/render-plan.js";

export interface RunOutputs {
  status: "skipped" | "planned" | "applied" | "refused" | "failed" | "cancelled";
  prNumber?: number;
  prUrl?: string;
  branch?: string;
  commentUrl?: string;
  planHash?: string;
}

/** Sets every output in one place and echoes them as `key = value`. */
export function setOutputs(outputs: RunOutputs): void {
  const values: Record<string, string> = {
    status: outputs.status,
    "pr-number": outputs.prNumber !== undefined ? String(outputs.prNumber) : "",
    "pr-url": outputs.prUrl ?? "",
    branch: outputs.branch ?? "",
    "comment-url": outputs.commentUrl ?? "",
    "plan-hash": outputs.planHash ?? "",
  };
  for (const [key, value] of Object.entries(values)) {
    core.setOutput(key, value);
    core.info(`${key} = ${value}`);
  }
}

/**
 * Appends the run's job summary. GitHub renders job summaries as CommonMark, where
 * Markdown written directly under an HTML line (`<h2>` as `core.summary.addHeading`
 * writes it) stays raw text: summaries are therefore Markdown only, built by the
 * functions below.
 */
export async function writeSummary(markdown: string): Promise<void> {
  await core.summary.addRaw(`${markdown.trimEnd()}\n`).write();
}

/** A plan run: the plan, where it came from, and the figures. */
export function planSummary(outcome: PlanOutcome): string {
  const doc = outcome.document;
  return [
    `## Plan for #${doc.issueNumber}`,
    "",
    `Draft pull request: [#${outcome.pullRequest.number}](${outcome.pullRequest.url}) on \`${outcome.branch}\` — plan hash \`${doc.hash.slice(0, 16)}\``,
    "",
    outcome.markdown,
    "",
    "### Context",
    "",
    renderContextTable(doc.context),
    "",
    "### Model and timings",
    "",
    renderUsage(doc.usage, doc.timings),
  ].join("\n");
}

/** An `/approve` or QuickFix run that committed the plan's changes, or found them committed. */
export function codeSummary(outcome: CodeOutcome): string {
  const { target } = outcome;
  return [
    `## Changes for #${target.issue.number}`,
    "",
    `Pull request: [#${target.pullRequest.number}](${target.pullRequest.url}) on \`${target.branch}\` — plan hash \`${target.hash.slice(0, 16)}\``,
    "",
    outcome.changes,
  ].join("\n");
}

/** A run that did not act: why. */
export function skippedSummary(reason: string): string {
  return `## issue-agent: nothing to do\n\nSkipped: ${reason}.`;
}

/** A command refused to its author (for example `/approve` without write access). */
export function refusedSummary(reason: string): string {
  return `## issue-agent: command refused\n\n${reason}`;
}

/** A failed run: what went wrong and how to retry. */
export function failureSummary(reason: string, retry: string): string {
  // The reason quotes model output and file text: sanitised as it is placed, like the comment's.
  return `## issue-agent failed\n\n${sanitizeForPost(`**Reason:** ${reason}`)}\n\n${sanitizeForPost(`**To retry:** ${retry}`)}`;
}
