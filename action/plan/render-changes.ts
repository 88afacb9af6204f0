import type { FileChange } from "../edits/apply-edits.js";
import { codeCell, codeSpan, sanitizeForPost } from "../github/markdown-safety.js";
import type { CheckCommandResult } from "../edits/check-command.js";
import type { GateResult } from "../edits/syntax-gate.js";
import { NEXT_STEP_BANNER, nextStepBanner } from "./render-plan.js";

const START = "<!-- issue-agent:changes -->";
const END = "<!-- /issue-agent:changes -->";

export interface ChangesReport {
  written: readonly FileChange[];
  stats: Map<string, { added: number; removed: number }>;
  syntax: GateResult | undefined;
  check: CheckCommandResult | undefined;
  checkCommand: string;
  commitSha: string;
  model: string;
  /** Files the model was shown only in part (or not at all), and what it saw of them. */
  shownInPart?: readonly { path: string; reason: string }[];
  mode: "approve" | "quickfix";
  actor: string;
}

/** The pull request's "Changes" section: files, diffstat, checks and their results. */
export function renderChanges(report: ChangesReport): string {
  const syntaxByPath = new Map((report.syntax?.files ?? []).map((f) => [f.path, f]));
  const lines = [
    // Bare, so that GitHub links it to the commit (it links no SHA inside code).
    `Commit ${report.commitSha.slice(0, 12)} (${report.mode === "quickfix" ? "QuickFix" : "approved"} by ${sanitizeForPost(`@${report.actor}`)}, model ${codeSpan(report.model)}).`,
    "",
    "| File | Change | + | − | Syntax check |",
    "| --- | --- | ---: | ---: | --- |",
  ];
  let added = 0;
  let removed = 0;
  for (const change of report.written) {
    const stat = report.stats.get(change.path) ?? { added: 0, removed: 0 };
    added += stat.added;
    removed += stat.removed;
    const syntax = syntaxByPath.get(change.path);
    const verdict = !syntax
      ? "—"
      : syntax.status === "passed"
        ? `✅ ${syntax.language ?? ""}`.trim()
        : syntax.status === "skipped"
          ? (syntax.note ?? "not checked")
          : "❌";
    lines.push(
      `| ${codeCell(change.path)} | ${change.change} | ${stat.added} | ${stat.removed} | ${verdict} |`,
    );
  }
  lines.push("", `${report.written.length} file(s), +${added} −${removed}.`);
  const partial = report.shownInPart ?? [];
  if (partial.length > 0) {
    lines.push("", "Not shown to the model whole (it did not fit the model's window):", "");
    for (const item of partial)
      lines.push(`- ${codeSpan(item.path)}: ${sanitizeForPost(item.reason)}`);
  }
  if (report.checkCommand.trim()) {
    const check = report.check;
    lines.push(
      "",
      check
        ? `Check command ${codeSpan(report.checkCommand.trim())}: ${check.ok ? "passed" : "failed"} in ${(check.durationMs / 1000).toFixed(1)} s.`
        : `Check command ${codeSpan(report.checkCommand.trim())}: not run.`,
    );
  } else {
    lines.push("", "No `check-command` configured: only the syntax check ran.");
  }
  return lines.join("\n");
}

/**
 * Puts `changes` into the body's Changes section, replacing an earlier one, within the
 * `maxChars` GitHub takes: a section that does not fit is cut at a line (its lines are
 * table rows and list items, each whole on its line), with a note that the commit holds
 * every file.
 */
export function replaceChangesSection(body: string, changes: string, maxChars = Infinity): string {
  const whole = placeChangesSection(body, changes);
  if (whole.length <= maxChars) return whole;
  const note =
    "\n\n_The list is cut here to fit the pull request body; the commit has every file._";
  const keep = changes.slice(
    0,
    Math.max(0, changes.length - (whole.length - maxChars) - note.length),
  );
  return placeChangesSection(body, `${keep.slice(0, Math.max(0, keep.lastIndexOf("\n")))}${note}`);
}

function placeChangesSection(original: string, changes: string): string {
  const section = `${START}\n## Changes\n\n${changes}\n${END}`;
  // Applied: the next step is no longer /approve but review and merge.
  const body = original.replace(NEXT_STEP_BANNER, (_, hash: string) => nextStepBanner(hash, true));
  const start = body.indexOf(START);
  const end = body.indexOf(END);
  if (start >= 0 && end > start)
    return `${body.slice(0, start)}${section}${body.slice(end + END.length)}`;
  return `${body.trimEnd()}\n\n${section}\n`;
}
