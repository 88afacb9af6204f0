import * as core from "@actions/core";
import type { PlanOutcome } from "./modes/plan-mode.js";
import { renderContextTable, renderUsage } from "./plan/render-plan.js";

export interface RunOutputs {
  status: "skipped" | "planned" | "applied" | "failed";
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

/** The job summary for a plan run: the plan, where it came from, and the figures. */
export async function writePlanSummary(outcome: PlanOutcome): Promise<void> {
  const doc = outcome.document;
  await core.summary
    .addHeading(`Plan for #${doc.issueNumber}`, 2)
    .addRaw(
      `Draft pull request: [#${outcome.pullRequest.number}](${outcome.pullRequest.url}) on \`${outcome.branch}\` — plan hash \`${doc.hash.slice(0, 16)}\``,
      true,
    )
    .addRaw(`\n\n${outcome.markdown}\n\n`, true)
    .addHeading("Context", 3)
    .addRaw(`${renderContextTable(doc.context)}\n\n`, true)
    .addHeading("Model and timings", 3)
    .addRaw(`${renderUsage(doc.usage, doc.timings)}\n`, true)
    .write();
}

/** The job summary for a failed run. */
export async function writeFailureSummary(reason: string, retry: string): Promise<void> {
  await core.summary
    .addHeading("issue-agent failed", 2)
    .addRaw(`**Reason:** ${reason}\n\n**To retry:** ${retry}\n`, true)
    .write();
}
