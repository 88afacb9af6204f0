/**
 * The tracking comment's text: a pure rendering of the run's state, and the reverse
 * (reading back the machine line the `/approve` flow needs). No I/O here.
 */
import { sanitizeForPost } from "./markdown-safety.js";

/** Marks the one tracking comment per issue; found again by this exact line. */
export const TRACKING_MARKER = "<!-- issue-agent:tracking -->";

const STATE_PREFIX = "<!-- issue-agent:state ";

/** Which part of the flow the comment is tracking. */
export type TrackingStage = "plan" | "code";

/** Where the run is. `done`, `failed` and `cancelled` are terminal. */
export type TrackingPhase =
  | { kind: "queued"; position?: number; waitSeconds?: number }
  | { kind: "running"; model?: string; tokens?: number; detail?: string }
  | { kind: "done"; pullRequestUrl: string; detail?: string }
  | { kind: "failed"; reason: string; retry?: string; pullRequestUrl?: string }
  /** The workflow run was cancelled: what it left behind, and how to run it again. */
  | { kind: "cancelled"; detail: string; rerun: string };

/** Everything the comment shows. Holds no timestamps, so equal states render equally. */
export interface TrackingView {
  stage?: TrackingStage;
  phase: TrackingPhase;
  /** Hash of the plan as generated; shown, and bound to by `/approve`. */
  planHash?: string;
  /** When set (and the plan is done), tells maintainers how to approve. */
  approveCommand?: string;
  /** Link to the workflow run. */
  runUrl?: string;
}

/** What a tracking comment says about itself, read back from its machine line. */
export interface TrackingRecord {
  stage: TrackingStage;
  phase: TrackingPhase["kind"];
  planHash: string | null;
}

/** True for states that end a run (always written, never coalesced away). */
export function isTerminal(phase: TrackingPhase): boolean {
  return phase.kind === "done" || phase.kind === "failed" || phase.kind === "cancelled";
}

/** Renders the comment body for a state. */
export function renderTrackingComment(view: TrackingView): string {
  const stage = view.stage ?? "plan";
  const record: TrackingRecord = {
    stage,
    phase: view.phase.kind,
    planHash: view.planHash !== undefined && isSafeHash(view.planHash) ? view.planHash : null,
  };
  const lines: string[] = [
    TRACKING_MARKER,
    `${STATE_PREFIX}${JSON.stringify(record)} -->`,
    `### issue-agent: ${stage === "plan" ? "implementation plan" : "code changes"}`,
    "",
    `**Status:** ${statusLine(view.phase, stage)}`,
  ];
  const details = detailLines(view.phase);
  if (details.length > 0) lines.push("", ...details);
  if (record.planHash !== null) lines.push("", `**Plan hash:** \`${record.planHash}\``);
  if (
    view.approveCommand !== undefined &&
    stage === "plan" &&
    view.phase.kind === "done" &&
    record.planHash !== null
  ) {
    lines.push(
      "",
      `To turn this plan into code, a maintainer with write access comments \`${view.approveCommand}\` ` +
        "on this issue. The approval applies to the plan hash above; if the plan on the branch " +
        "has been changed since, the approval is refused.",
    );
  }
  if (view.runUrl !== undefined) lines.push("", `<sub>[Workflow run](${view.runUrl})</sub>`);
  return `${lines.join("\n")}\n`;
}

/** Reads the machine line of a tracking comment; null when `body` is not one. */
export function parseTrackingComment(body: string): TrackingRecord | null {
  if (!body.startsWith(TRACKING_MARKER)) return null;
  const line = body.split("\n").find((l) => l.startsWith(STATE_PREFIX) && l.endsWith(" -->"));
  if (line === undefined) return null;
  try {
    const parsed = JSON.parse(
      line.slice(STATE_PREFIX.length, -" -->".length),
    ) as Partial<TrackingRecord>;
    const stages: TrackingStage[] = ["plan", "code"];
    const phases: TrackingPhase["kind"][] = ["queued", "running", "done", "failed", "cancelled"];
    if (!stages.includes(parsed.stage as TrackingStage)) return null;
    if (!phases.includes(parsed.phase as TrackingPhase["kind"])) return null;
    const hash =
      typeof parsed.planHash === "string" && isSafeHash(parsed.planHash) ? parsed.planHash : null;
    return {
      stage: parsed.stage as TrackingStage,
      phase: parsed.phase as TrackingPhase["kind"],
      planHash: hash,
    };
  } catch {
    return null;
  }
}

function statusLine(phase: TrackingPhase, stage: TrackingStage): string {
  const work = stage === "plan" ? "plan" : "code changes";
  switch (phase.kind) {
    case "queued": {
      const parts: string[] = [];
      if (phase.position !== undefined) parts.push(`position ${phase.position} in the queue`);
      if (phase.waitSeconds !== undefined)
        parts.push(`about ${formatDuration(phase.waitSeconds)} to wait`);
      return `queued${parts.length > 0 ? ` (${parts.join(", ")})` : ""}`;
    }
    case "running": {
      const parts: string[] = [];
      if (phase.model !== undefined) parts.push(`model \`${inlineCode(phase.model)}\``);
      if (phase.tokens !== undefined)
        parts.push(`${phase.tokens.toLocaleString("en-US")} tokens so far`);
      return `writing the ${work}${parts.length > 0 ? ` (${parts.join(", ")})` : ""}`;
    }
    case "done":
      return stage === "plan"
        ? `plan ready in ${phase.pullRequestUrl}`
        : `changes pushed to ${phase.pullRequestUrl}`;
    case "failed":
      // The plan stays in its pull request, which the failed code step leaves as it was.
      return phase.pullRequestUrl === undefined
        ? `failed`
        : `failed; the plan is still in ${phase.pullRequestUrl}`;
    case "cancelled":
      return `cancelled`;
  }
}

function detailLines(phase: TrackingPhase): string[] {
  switch (phase.kind) {
    case "queued":
      return [];
    case "running":
    case "done":
      return phase.detail === undefined ? [] : [sanitizeForPost(phase.detail)];
    case "failed": {
      // Sanitised as it is placed: the reason keeps its lines (fenced check output stays
      // a block), and its first line follows the label.
      const lines = [sanitizeForPost(`**Reason:** ${phase.reason}`)];
      lines.push(
        "",
        `**To retry:** ${phase.retry === undefined ? "re-run the workflow, or remove and re-add the trigger label." : sanitizeForPost(phase.retry)}`,
      );
      return lines;
    }
    case "cancelled":
      return [
        sanitizeForPost(phase.detail),
        "",
        `**To run it again:** ${sanitizeForPost(phase.rerun)}`,
      ];
  }
}

function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

// A model name goes inside a code span; backticks and newlines would break out of it.
function inlineCode(text: string): string {
  return text.replace(/[`\r\n]/g, "").slice(0, 200);
}

// The hash is embedded in an HTML comment and a code span: allow only "algo:hex" shapes.
function isSafeHash(hash: string): boolean {
  return /^(?:[a-z0-9-]+:)?[0-9a-f]{8,128}$/.test(hash);
}
