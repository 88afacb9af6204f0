/**
 * The names the Action writes into repositories and reads back, each defined once: the
 * agent's branch and its inverse, where the plan lives on it, the commit trailers, and the
 * state labels. Changing one here changes it everywhere it is written and parsed.
 */
import type { Settings } from "./settings.js";

/** The branch for an issue: `<prefix>issue-<n>` (prefix e.g. "ai-agent/"). */
export function issueBranchName(prefix: string, issueNumber: number): string {
  return `${prefix}issue-${issueNumber}`;
}

/** The issue number an agent branch encodes (`ai-agent/issue-12` → 12), if it is one. */
export function issueNumberFromBranch(branch: string, prefix: string): number | undefined {
  if (!branch.startsWith(prefix)) return undefined;
  const match = /^issue-(\d+)$/.exec(branch.slice(prefix.length));
  return match ? Number(match[1]) : undefined;
}

/**
 * The folder of the agent's plan records. They reach the default branch with merged pull
 * requests, and are never context: the plan goes to the model as the plan itself.
 */
export const PLAN_RECORDS_DIR = ".github/issue-agent/";

/** Where the plan lives on the branch: readable Markdown and the exact JSON the hash covers. */
export function planFilePaths(issueNumber: number): { markdown: string; json: string } {
  const dir = `${PLAN_RECORDS_DIR}issue-${issueNumber}`;
  return { markdown: `${dir}/plan.md`, json: `${dir}/plan.json` };
}

/** Commit trailers: which issue, which plan, who asked. */
export const Trailer = {
  issue: "Issue",
  /** On the commit that records a plan. */
  planHash: "Plan-Hash",
  /** On the commit that applies a plan; a second approval finds it and stops. */
  appliedPlanHash: "Applied-Plan-Hash",
  approvedBy: "Approved-By",
  quickFixBy: "QuickFix-By",
} as const;

/** The state labels the Action moves an issue between. */
export type PlanState = "pending" | "failed" | "applied";

const STATE_LABELS: Record<PlanState, { color: string; description: string }> = {
  pending: { color: "fbca04", description: "issue-agent: a plan awaits review" },
  failed: {
    color: "d93f0b",
    description: "issue-agent: the last run failed (see the tracking comment)",
  },
  applied: { color: "0e8a16", description: "issue-agent: the approved plan was applied" },
};

/** The configured name of a state's label. */
export function stateLabelName(settings: Settings, state: PlanState): string {
  switch (state) {
    case "pending":
      return settings.labelPending;
    case "failed":
      return settings.labelFailed;
    case "applied":
      return settings.labelApplied;
  }
}

/** Every state label as the repository gets it (created when missing). */
export function stateLabels(
  settings: Settings,
): { name: string; color: string; description: string }[] {
  return (Object.keys(STATE_LABELS) as PlanState[]).map((state) => ({
    name: stateLabelName(settings, state),
    ...STATE_LABELS[state],
  }));
}
