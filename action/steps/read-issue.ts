import { ActionFailure } from "../failure.js";
import { getIssue } from "../github/issue.js";
import type { RunContext } from "../run-context.js";
import { boundIssueText, type IssueText } from "./work-request.js";

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
