/**
 * The gate, whole: whether this event may start a run, of which kind, and whether the
 * person who caused it may have code committed. The event's own rules are in
 * trigger-gate.ts (pure); the rules that need GitHub are here.
 */
import { hasWriteAccess } from "../github/permissions.js";
import type { GitHubClient } from "../github/octokit.js";
import {
  decide,
  parseCommand,
  type GateSettings,
  type Mode,
  type Payload,
} from "./trigger-gate.js";

export type Admission =
  | { kind: "skip"; reason: string }
  /** A command from someone who may not have code committed: answered, nothing else. */
  | { kind: "refuse"; mode: Mode; actor: string; thread: number; reason: string }
  | { kind: "run"; mode: Mode; issueNumber: number; actor: string; guidance?: string | undefined };

export async function admit(
  eventName: string,
  payload: Payload,
  settings: GateSettings,
  github: { client: GitHubClient; owner: string; repo: string },
): Promise<Admission> {
  const repo = { owner: github.owner, repo: github.repo };
  // `/approve` may be written on the agent's pull request: its branch names the issue.
  let headRef: string | undefined;
  if (
    eventName === "issue_comment" &&
    payload.action === "created" &&
    payload.issue?.pull_request &&
    payload.issue.number &&
    parseCommand(payload.comment?.body ?? "")?.command === "approve"
  ) {
    const pr = await github.client.rest.pulls.get({ ...repo, pull_number: payload.issue.number });
    // A fork can name its branch like ours; only this repository's branches count.
    if (pr.data.head.repo?.full_name === `${github.owner}/${github.repo}`)
      headRef = pr.data.head.ref;
  }
  const decision = decide(eventName, payload, settings, headRef);
  if (!decision.run) return { kind: "skip", reason: decision.reason };

  // Commands that lead to code being committed need write access, checked through the API.
  if (decision.command !== undefined && decision.mode !== "plan") {
    const allowed = await hasWriteAccess(github.client, { ...repo, username: decision.actor });
    if (!allowed)
      return {
        kind: "refuse",
        mode: decision.mode,
        actor: decision.actor,
        thread: decision.command.thread,
        reason: `@${decision.actor} asked for \`/${decision.mode}\`, but only people with write access to the repository may have code committed. The plan is unchanged and still awaits a maintainer's \`/approve\`.`,
      };
  }
  return {
    kind: "run",
    mode: decision.mode,
    issueNumber: decision.issueNumber,
    actor: decision.actor,
    guidance: decision.guidance,
  };
}
