import type { Plan, Usage } from "../../protocol/index.js";
import { planFilePaths } from "../conventions.js";
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
  return oneLine(text).replace(/\|/g, "\\|");
}

/**
 * Sanitised text where Markdown wants one line (a step's title, a table cell). Collapsed
 * after sanitising: the closing fence the sanitiser adds after an open one is a line of
 * its own, which in a list item's first line would land outside the item and open a
 * fence over the rest of the document.
 */
function oneLine(text: string): string {
  return text.replace(/[ \t]*(?:\r?\n|\r)[ \t]*/g, " ");
}

/**
 * A list item: `marker` then `text`, every further line indented to the item's content
 * column, so all of it (a fence and the closing fence the sanitiser added included) stays
 * inside the item.
 */
function listItem(marker: string, text: string): string {
  const pad = " ".repeat(marker.length);
  return text
    .split("\n")
    .map((line, i) => (i === 0 ? `${marker}${line}` : line.trim() === "" ? "" : `${pad}${line}`))
    .join("\n");
}

function list(items: string[], safe: Sanitise, empty: string): string {
  return items.length ? items.map((item) => listItem("- ", safe(item))).join("\n") : `_${empty}_`;
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
    const marker = `${i + 1}. `;
    const files = step.files.length ? ` (${step.files.map((f) => codeSpan(f)).join(", ")})` : "";
    // A paragraph of its own: in a Markdown file or job summary a single line break is a
    // space, and the title would run into the detail.
    const detail = step.detail.trim() ? `\n\n${safe(step.detail)}` : "";
    out.push(listItem(marker, `**${oneLine(safe(step.title))}**${files}${detail}`));
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
  // Kept out by rule (ignore file, secrets, too large) is not sent at all; what the worker
  // cut to fit its window may have been shown in part (its reason names the lines).
  const groups: [string, { path: string; reason: string }[]][] = [
    ["Kept from the model", context.omitted],
    ["Cut by the worker to fit the model's window", context.trimmedByWorker],
  ];
  for (const [heading, items] of groups) {
    if (items.length === 0) continue;
    out.push("", `${heading} (${items.length}):`, "");
    for (const item of items.slice(0, 50))
      out.push(`- ${codeSpan(item.path)}: ${sanitizeForPost(item.reason)}`);
    if (items.length > 50) out.push(`- … and ${items.length - 50} more`);
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

/** GitHub refuses a pull request body (or a comment) longer than this. */
export const MAX_BODY_CHARS = 65_536;
/** Room a plan's pull request body leaves for the Changes section `/approve` adds. */
const CHANGES_ROOM = 12_000;
/** What each text of a plan too long for the body is cut to there. */
const SHORTENED_TEXT_CHARS = 300;
/** The paths a step lists when its plan is too long for the body. */
const SHORTENED_STEP_FILES = 5;

/**
 * The draft pull request's body. `Part of #N` links the issue without closing it on merge.
 * A plan too long for a body is shown shortened (every text cut, then, if still too long,
 * the plan cut at a line), with a note that `plan.md` on the branch holds it whole.
 */
export function renderPullRequestBody(doc: PlanDocument, safe: Sanitise, changes?: string): string {
  const room = MAX_BODY_CHARS - (changes === undefined ? CHANGES_ROOM : 0);
  const full = composeBody(doc, renderPlanMarkdown(doc, safe), changes);
  if (full.length <= room) return full;
  const note = `> ⚠️ This plan is longer than a pull request body may be, so it is shortened here. ${codeSpan(planFilePaths(doc.issueNumber).markdown)} on this branch holds it in full.`;
  const shortened = `${note}\n\n${renderPlanMarkdown({ ...doc, plan: shortenPlan(doc.plan) }, safe)}`;
  const body = composeBody(doc, shortened, changes);
  if (body.length <= room) return body;
  // Still too long: the plan is cut at a line, after which a line at the left margin ends
  // any list item (and any code in it) the cut fell in.
  const tail = `\n\n_The plan is cut here; ${codeSpan(planFilePaths(doc.issueNumber).markdown)} holds the rest._`;
  const keep = shortened.slice(
    0,
    Math.max(0, shortened.length - (body.length - room) - tail.length),
  );
  return composeBody(doc, `${keep.slice(0, Math.max(0, keep.lastIndexOf("\n")))}${tail}`, changes);
}

/** Every text of the plan cut to a few hundred characters, each step's paths to a few. */
function shortenPlan(plan: Plan): Plan {
  const cut = (text: string): string =>
    text.length <= SHORTENED_TEXT_CHARS ? text : `${text.slice(0, SHORTENED_TEXT_CHARS)}…`;
  return {
    ...plan,
    summary: cut(plan.summary),
    steps: plan.steps.map((step) => ({
      ...step,
      title: cut(step.title),
      detail: cut(step.detail),
      files: step.files.slice(0, SHORTENED_STEP_FILES),
    })),
    files: plan.files.map((file) => ({ ...file, reason: cut(file.reason) })),
    risks: plan.risks.map(cut),
    tests: plan.tests.map(cut),
    openQuestions: plan.openQuestions.map(cut),
  };
}

/**
 * The line under the pull request's first: what the maintainer does next. Before the plan
 * is applied, approve it; after, review the commit and merge (render-changes.ts swaps it).
 */
export function nextStepBanner(hash: string, implemented: boolean): string {
  const tail = `Plan hash: \`${hash.slice(0, 16)}\``;
  return implemented
    ? `> The plan below is implemented on this branch (see Changes). Review the commit, then mark this pull request ready for review and merge it. ${tail}`
    : `> Review the plan below. To have it implemented on this branch, comment \`/approve\` on the issue or here (notes on the following lines are passed on). ${tail}`;
}

/** A banner of either kind, with its plan hash. */
export const NEXT_STEP_BANNER =
  /^> (?:Review the plan below\.|The plan below is implemented).*Plan hash: `([0-9a-f]+)`$/m;

function composeBody(doc: PlanDocument, planMarkdown: string, changes?: string): string {
  return [
    PR_MARKER,
    `Implementation plan for #${doc.issueNumber} — part of #${doc.issueNumber} (merging this does not close the issue).`,
    "",
    nextStepBanner(doc.hash, changes !== undefined),
    "",
    planMarkdown,
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
