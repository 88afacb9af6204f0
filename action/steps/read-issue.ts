/**
 * The issue as every request carries it: read from GitHub (or, in the CLI, from a file)
 * and bounded here, by the contract's limits, before any step builds on it.
 */
import {
  MAX_ISSUE_BODY_CHARS,
  MAX_ISSUE_TITLE_CHARS,
  MAX_LABELS,
  MAX_LABEL_CHARS,
} from "../../protocol/index.js";
import { ActionFailure } from "../failure.js";
import { getIssue } from "../github/issue.js";
import { redactSecrets } from "../context/redact-secrets.js";
import { stripHiddenContent } from "../github/markdown-safety.js";
import type { RunContext } from "../run-context.js";

/**
 * The issue the run works on, cleaned and bounded as the model will see it (see
 * `boundIssueText`). Pull requests are refused: the Action plans issues.
 */
export async function readIssue(ctx: RunContext): Promise<IssueText> {
  return ctx.group("Issue", async () => {
    const found = await getIssue(ctx.client, ctx.issue());
    if (found.isPullRequest)
      throw new ActionFailure(
        `#${ctx.issueNumber} is a pull request, not an issue.`,
        "Run the Action on an issue.",
      );
    ctx.log(`#${found.number}: ${found.title}`);
    const issue = boundIssueText({
      number: found.number,
      title: found.title,
      body: found.body,
      author: found.author?.login ?? "unknown",
      labels: found.labels,
    });
    if (issue.bodyCut) ctx.log(`issue body is ${found.body.length} characters; it was cut`);
    return issue;
  });
}

/** An issue as the model sees it: hidden content removed, bounded. */
export interface IssueText {
  number: number;
  title: string;
  body: string;
  author: string;
  labels: string[];
  /** True when the body was longer than the limit and cut (the text says so too). */
  bodyCut: boolean;
}

/**
 * Text a person wrote on GitHub (an issue, a maintainer's notes), as the model may read
 * it: what a reader cannot see removed, and secrets scrubbed like file text (a log pasted
 * into an issue often holds a connection string or a token).
 */
export function textForModel(raw: string): string {
  return redactSecrets(stripHiddenContent(raw)).text;
}

/**
 * Cleans and bounds an issue's text: hidden HTML comments and invisible characters go
 * (a reviewer cannot see them, the model must not either), the title and labels are
 * capped, and a body over the limit is cut with a note saying so, not silently.
 */
export function boundIssueText(issue: {
  number: number;
  title: string;
  body: string;
  author: string;
  labels: readonly string[];
}): IssueText {
  const title = textForModel(issue.title).slice(0, MAX_ISSUE_TITLE_CHARS);
  let body = textForModel(issue.body);
  const bodyCut = body.length > MAX_ISSUE_BODY_CHARS;
  if (bodyCut) {
    const note = `\n\n[issue text cut at ${MAX_ISSUE_BODY_CHARS} characters]`;
    body = `${body.slice(0, MAX_ISSUE_BODY_CHARS - note.length)}${note}`;
  }
  return {
    number: issue.number,
    title,
    body,
    author: issue.author.slice(0, 100),
    labels: issue.labels.slice(0, MAX_LABELS).map((l) => l.slice(0, MAX_LABEL_CHARS)),
    bodyCut,
  };
}
