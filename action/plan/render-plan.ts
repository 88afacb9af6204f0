import type { Plan, Usage } from "../../protocol/index.js";
import { codeCell, codeSpan, sanitizeForPost } from "../github/markdown-safety.js";
import type { GroundingIssue } from "./ground-plan.js";

/** Text from the model or the issue, made safe to post: passed in by the caller. */
export type Sanitise = (text: string) => string;

export interface ContextReport {
  files: { path: string; score: number; reasons: string[] }[];
  omitted: { path: string; reason: string }[];
  trimmedByWorker: { path: string; reason: string }[];
  totalFiles: number;
  tokenEstimate: number;
}

export interface PlanDocument {
  issueNumber: number;
  issueTitle: string;
  plan: Plan;
  hash: string;
  grounding: GroundingIssue[];
  usage: Usage;
  context: ContextReport;
  timings: { contextMs: number; queueAndModelMs: number };
}

const CHANGE_ICON: Record<string, string> = {
  modify: "✏️ modify",
  create: "🆕 create",
  delete: "🗑️ delete",
};

/** One table cell: no pipes or newlines can break the table. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function list(items: string[], safe: Sanitise, empty: string): string {
  return items.length ? items.map((item) => `- ${safe(item)}`).join("\n") : `_${empty}_`;
}

/** The plan itself as Markdown: what `plan.md` on the branch holds. */
export function renderPlanMarkdown(
  doc: Pick<PlanDocument, "plan" | "grounding" | "issueNumber" | "issueTitle">,
  safe: Sanitise,
): string {
  const { plan } = doc;
  const flagged = new Map(doc.grounding.map((g) => [g.path, g.problem]));
  const out: string[] = [];
  out.push(`## Summary`, "", safe(plan.summary), "");
  out.push(`## Steps`, "");
  plan.steps.forEach((step, i) => {
    out.push(
      `${i + 1}. **${safe(step.title)}**${step.files.length ? ` (${step.files.map((f) => codeSpan(f)).join(", ")})` : ""}`,
    );
    if (step.detail.trim())
      out.push(
        ...safe(step.detail)
          .split("\n")
          .map((line) => `   ${line}`),
      );
  });
  out.push("", `## Files`, "", "| File | Change | Why |", "| --- | --- | --- |");
  for (const file of plan.files) {
    const warning = flagged.has(file.path) ? ` ⚠️ ${cell(flagged.get(file.path) ?? "")}` : "";
    out.push(
      `| ${codeCell(file.path)}${warning} | ${CHANGE_ICON[file.change] ?? file.change} | ${cell(safe(file.reason))} |`,
    );
  }
  if (plan.files.length === 0) out.push("| _none_ | | |");
  if (doc.grounding.length > 0) {
    out.push(
      "",
      "## ⚠️ Paths not found in the repository",
      "",
      "The plan names these paths, which do not match the repository tree. Check them before approving:",
      "",
    );
    for (const g of doc.grounding) out.push(`- ${codeSpan(g.path)}: ${g.problem}`);
  }
  out.push("", `## Risks`, "", list(plan.risks, safe, "none noted"));
  out.push("", `## Tests`, "", list(plan.tests, safe, "none noted"));
  out.push("", `## Open questions`, "", list(plan.openQuestions, safe, "none"));
  return out.join("\n");
}

/** Where the context came from: the ranked files, with scores and reasons, and what was left out. */
export function renderContextTable(context: ContextReport): string {
  const out = [
    `${context.files.length} ${context.files.length === 1 ? "file" : "files"} sent (about ${context.tokenEstimate} tokens) from ${context.totalFiles} in the repository.`,
    "",
    "| File | Score | Why |",
    "| --- | ---: | --- |",
  ];
  for (const file of context.files)
    out.push(
      `| ${codeCell(file.path)} | ${file.score.toFixed(2)} | ${cell(sanitizeForPost(file.reasons.join("; ")))} |`,
    );
  const left = [...context.omitted, ...context.trimmedByWorker];
  if (left.length > 0) {
    // The worker's entries include files it showed in part (their reason names the lines).
    out.push("", `Not shown to the model in full (${left.length}):`, "");
    for (const item of left.slice(0, 50))
      out.push(`- ${codeSpan(item.path)}: ${sanitizeForPost(item.reason)}`);
    if (left.length > 50) out.push(`- … and ${left.length - 50} more`);
  }
  return out.join("\n");
}

export function renderUsage(usage: Usage, timings: PlanDocument["timings"]): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return [
    "| Model | Prompt tokens | Output tokens | Model time | Context build | Queue + model |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    `| ${codeCell(usage.model)} | ${usage.promptTokens} | ${usage.evalTokens} | ${seconds(usage.totalMs)} | ${seconds(timings.contextMs)} | ${seconds(timings.queueAndModelMs)} |`,
  ].join("\n");
}

/** Hidden marker that lets a re-run find its pull request body sections. */
export const PR_MARKER = "<!-- issue-agent:pull-request -->";

/** The draft pull request's body. `Part of #N` links the issue without closing it on merge. */
export function renderPullRequestBody(doc: PlanDocument, safe: Sanitise, changes?: string): string {
  return [
    PR_MARKER,
    `Implementation plan for #${doc.issueNumber} — part of #${doc.issueNumber} (merging this does not close the issue).`,
    "",
    `> Review the plan below. To have it implemented on this branch, comment \`/approve\` on the issue or here (notes on the following lines are passed on). Plan hash: \`${doc.hash.slice(0, 16)}\``,
    "",
    renderPlanMarkdown(doc, safe),
    ...(changes ? ["", "## Changes", "", changes] : []),
    "",
    "<details><summary>Context the plan was made from</summary>",
    "",
    renderContextTable(doc.context),
    "",
    "</details>",
    "",
    "<details><summary>Model and timings</summary>",
    "",
    renderUsage(doc.usage, doc.timings),
    "",
    "</details>",
  ].join("\n");
}
