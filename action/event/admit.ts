/**
 * The gate, whole: whether this event may start a run, of which kind, and whether the
 * person who caused it may have it. The event's own rules are in trigger-gate.ts (pure);
 * the rules that need GitHub are here:
 *
 * - every path that can lead to a push needs write access, checked through the API, of
 *   the person who caused the event: `/approve`, `/quickfix`, the QuickFix label, and a
 *   new plan (by comment, label or dispatch) that would replace one awaiting approval;
 * - an `/approve` applies only to the plan that was current when it was written: a plan
 *   made after the comment (someone re-planned meanwhile) is not approved by it.
 */
import { issueBranchName, Trailer } from "../conventions.js";
import { errorStatus, type GitHubClient } from "../github/octokit.js";
import { hasWriteAccess } from "../github/permissions.js";
import { findTrackingComment } from "../github/tracking-comment.js";
import {
  decide,
  parseCommand,
  type GateSettings,
  type Mode,
  type Payload,
} from "./trigger-gate.js";

export type Admission =
  | { kind: "skip"; reason: string }
  /** Someone who may not do this asked: answered where they asked, nothing else changes. */
  | { kind: "refuse"; mode: Mode; actor: string; thread: number; reason: string }
  | { kind: "run"; mode: Mode; issueNumber: number; actor: string; guidance?: string | undefined };

interface GitHubAccess {
  client: GitHubClient;
  owner: string;
  repo: string;
}

export async function admit(
  eventName: string,
  payload: Payload,
  settings: GateSettings & { botLogin: string },
  github: GitHubAccess,
): Promise<Admission> {
  const decision = decide(
    eventName,
    payload,
    settings,
    await agentBranchOf(eventName, payload, github),
  );
  if (!decision.run) return { kind: "skip", reason: decision.reason };
  const { mode, actor } = decision;
  const thread = decision.command?.thread ?? decision.issueNumber;
  const refuse = (reason: string): Admission => ({ kind: "refuse", mode, actor, thread, reason });

  const pending =
    mode === "quickfix"
      ? undefined
      : await pendingPlanHash(github, decision.issueNumber, settings.botLogin);
  const replacesPending = mode === "plan" && pending !== undefined;
  if (mode !== "plan" || replacesPending) {
    const allowed = await hasWriteAccess(github.client, {
      owner: github.owner,
      repo: github.repo,
      username: actor,
    });
    if (!allowed)
      return refuse(
        replacesPending
          ? `@${actor} asked for a new plan, but a plan awaits approval and only people with write access to the repository may replace it. The plan is unchanged.`
          : `@${actor} asked for ${mode === "approve" ? "`/approve`" : "QuickFix"}, but only people with write access to the repository may have code committed. The plan is unchanged and still awaits a maintainer's \`/approve\`.`,
      );
  }

  if (mode === "approve" && pending !== undefined) {
    const written = Date.parse(payload.comment?.created_at ?? "");
    const planned = await planMadeAt(
      github,
      issueBranchName(settings.branchPrefix, decision.issueNumber),
      pending,
    );
    if (Number.isNaN(written) || planned === undefined || written < planned)
      return refuse(
        `This \`/approve\` was written ${Number.isNaN(written) ? "at an unknown time" : `at ${new Date(written).toISOString()}`}, before the plan now on the branch was made${planned === undefined ? "" : ` (${new Date(planned).toISOString()})`}: it approved an earlier plan, so nothing was applied. Review the current plan and comment \`/approve\` again.`,
      );
  }
  return {
    kind: "run",
    mode,
    issueNumber: decision.issueNumber,
    actor,
    guidance: decision.guidance,
  };
}

/**
 * For `/approve` written on a pull request: its head branch, which names the issue. Only
 * this repository's branches count (a fork can name its branch like ours).
 */
async function agentBranchOf(
  eventName: string,
  payload: Payload,
  github: GitHubAccess,
): Promise<string | undefined> {
  if (
    eventName !== "issue_comment" ||
    payload.action !== "created" ||
    !payload.issue?.pull_request ||
    !payload.issue.number ||
    parseCommand(payload.comment?.body ?? "")?.command !== "approve"
  )
    return undefined;
  const pr = await github.client.rest.pulls.get({
    owner: github.owner,
    repo: github.repo,
    pull_number: payload.issue.number,
  });
  return pr.data.head.repo?.full_name === `${github.owner}/${github.repo}`
    ? pr.data.head.ref
    : undefined;
}

/** The hash of the plan awaiting approval on the issue, as the Action's own comment records it. */
async function pendingPlanHash(
  github: GitHubAccess,
  issueNumber: number,
  botLogin: string,
): Promise<string | undefined> {
  const tracking = await findTrackingComment(github.client, {
    owner: github.owner,
    repo: github.repo,
    issueNumber,
    authorLogin: botLogin,
  });
  const record = tracking?.record;
  // A plan is awaiting approval once published, and stays so through failed or refused
  // code runs (they keep its hash); an applied plan awaits nothing.
  if (!record?.planHash) return undefined;
  if (record.stage === "code" && record.phase === "done") return undefined;
  return record.planHash;
}

/**
 * When the plan with `hash` was committed to `branch` (the newest such commit among the
 * last 50), in epoch ms; undefined when it cannot be found.
 */
async function planMadeAt(
  github: GitHubAccess,
  branch: string,
  hash: string,
): Promise<number | undefined> {
  const repo = { owner: github.owner, repo: github.repo };
  let sha: string | undefined;
  try {
    sha = (await github.client.rest.git.getRef({ ...repo, ref: `heads/${branch}` })).data.object
      .sha;
  } catch (error) {
    if (errorStatus(error) === 404) return undefined;
    throw error;
  }
  for (let i = 0; i < 50 && sha; i++) {
    const {
      data,
    }: { data: { message: string; committer: { date: string }; parents: { sha: string }[] } } =
      await github.client.rest.git.getCommit({ ...repo, commit_sha: sha });
    if (data.message.includes(`${Trailer.planHash}: ${hash}`))
      return Date.parse(data.committer.date);
    sha = data.parents[0]?.sha;
  }
  return undefined;
}
