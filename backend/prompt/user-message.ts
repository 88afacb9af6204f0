import { estimateTokens, type ContextFile, type WorkRequest } from "../../protocol/index.js";
import { renderCodeUserMessage, type CodePart } from "./code-prompt.js";
import { fitContext } from "./fit-context.js";
import { fitIssueBody, issueLeftOut, PLAN_ISSUE_SHARE } from "./issue-text.js";
import { renderPlanUserMessage } from "./plan-prompt.js";

/** Room kept free in the window for the chat template's own tokens and estimate error. */
const TEMPLATE_RESERVE_TOKENS = 256;

/** What a model with `numCtx` tokens of window leaves for the user message. */
export function userMessageBudget(numCtx: number, numPredict: number, system: string): number {
  return numCtx - numPredict - TEMPLATE_RESERVE_TOKENS - estimateTokens(system);
}

export type BuiltMessage =
  | {
      ok: true;
      userMessage: string;
      trimmed: { path: string; reason: string }[];
      /** The ranked files as the message shows them (fewer, or shortened, when cut). */
      contextFiles: ContextFile[];
    }
  | { ok: false; reason: string };

/**
 * The user message for a request, fitted into `budget` tokens: the issue body within its
 * share of the budget (issue-text.ts), the rest of the issue (and for code, the plan and
 * its files) whole; the ranked context gets the rest, shared among its files (fit-context.ts).
 * Whatever was left out is named in `trimmed`. `part`: the files one reply of a code
 * request answered in parts edits (code-prompt.ts).
 */
export function buildUserMessage(
  request: WorkRequest,
  budget: number,
  part?: CodePart,
): BuiltMessage {
  if (request.type === "plan") {
    const body = fitIssueBody(request.issue.body, Math.floor(budget * PLAN_ISSUE_SHARE));
    const fitted = { ...request, issue: { ...request.issue, body: body.text } };
    const skeleton = renderPlanUserMessage(fitted, "");
    const fixed = estimateTokens(skeleton);
    if (fixed > budget) {
      return {
        ok: false,
        reason: `the issue's title and guidance alone need about ${fixed} tokens but only ${budget} fit num_ctx; raise NUM_CTX`,
      };
    }
    const words = `${request.issue.title}\n${request.issue.body}\n${request.guidance ?? ""}`;
    const context = fitContext(request.context, budget - fixed, words);
    return {
      ok: true,
      userMessage: renderPlanUserMessage(fitted, context.text),
      contextFiles: context.files,
      trimmed: [
        ...issueLeftOut(request.issue.number, body),
        ...context.trimmed,
        ...context.shortened,
      ],
    };
  }
  const code = renderCodeUserMessage(request, budget, part);
  const fixed = estimateTokens(code.text);
  if (fixed > budget) {
    return {
      ok: false,
      reason: `the plan and issue alone need about ${fixed} tokens but only ${budget} fit num_ctx; raise NUM_CTX`,
    };
  }
  // Excerpts of related files help the edits fit in; they get whatever room is left.
  const context = fitContext(
    { ...request.context, tree: { paths: [], totalFiles: request.context.tree.totalFiles } },
    budget - fixed,
    `${request.issue.title}\n${request.issue.body}\n${JSON.stringify(request.plan).replace(/"\w+":/g, " ")}`,
  );
  const userMessage =
    context.tokens <= budget - fixed ? `${code.text}\n\n${context.text}` : code.text;
  const shown = context.tokens <= budget - fixed;
  return {
    ok: true,
    userMessage,
    contextFiles: shown ? context.files : [],
    trimmed: [...code.trimmed, ...context.trimmed, ...context.shortened],
  };
}
