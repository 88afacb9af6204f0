/**
 * Decides from the workflow event whether this run should act, and how. Pure: it reads
 * the event payload and the settings, nothing else, so every rule is unit-tested.
 * admit.ts adds the rules that need GitHub (the pull request behind a command, the
 * commenter's permission).
 */
import { issueNumberFromBranch } from "../conventions.js";

export type Mode = "plan" | "approve" | "quickfix";

export type GateDecision =
  | {
      run: true;
      mode: Mode;
      issueNumber: number;
      guidance?: string;
      actor: string;
      /** For a slash command: the comment, and the issue or pull request it was written on. */
      command?: { commentId: number; thread: number };
      onPullRequest: boolean;
    }
  | { run: false; reason: string };

export interface GateSettings {
  triggerLabel: string;
  quickfixLabel: string;
  requireLabelOnOpen: boolean;
  allowedAssociations: string[];
  branchPrefix: string;
  issueNumber?: number | undefined;
}

interface User {
  login?: string;
  type?: string;
}

export interface Payload {
  action?: string;
  sender?: User;
  label?: { name?: string };
  issue?: {
    number?: number;
    user?: User;
    author_association?: string;
    labels?: ({ name?: string } | string)[];
    pull_request?: unknown;
    body?: string | null;
  };
  comment?: {
    id?: number;
    body?: string;
    user?: User;
    author_association?: string;
    created_at?: string;
  };
  inputs?: Record<string, unknown>;
}

const COMMAND = /^\/(plan|approve|quickfix)\b[ \t]*(.*)$/;

/** Bots are recognised by account type or the `[bot]` login suffix GitHub Apps get. */
export function isBot(user: User | undefined): boolean {
  return user?.type === "Bot" || Boolean(user?.login?.endsWith("[bot]"));
}

/** Parses a slash command on the comment's first line; the following lines are guidance. */
export function parseCommand(
  body: string,
): { command: "plan" | "approve" | "quickfix"; guidance: string } | undefined {
  const [first = "", ...rest] = body.replace(/\r\n/g, "\n").trim().split("\n");
  const match = COMMAND.exec(first.trim());
  if (!match) return undefined;
  const guidance = [match[2] ?? "", ...rest].join("\n").trim();
  return { command: match[1] as "plan" | "approve" | "quickfix", guidance };
}

function labelNames(issue: Payload["issue"]): string[] {
  return (issue?.labels ?? []).map((label) =>
    typeof label === "string" ? label : (label.name ?? ""),
  );
}

export function decide(
  eventName: string,
  payload: Payload,
  settings: GateSettings,
  headRef?: string,
): GateDecision {
  const skip = (reason: string): GateDecision => ({ run: false, reason });
  const sender = payload.sender;
  if (isBot(sender)) return skip(`the event was sent by a bot (${sender?.login ?? "unknown"})`);
  const actor = sender?.login ?? "unknown";
  const allowed = (association: string | undefined) =>
    settings.allowedAssociations.includes((association ?? "NONE").toUpperCase());

  switch (eventName) {
    case "workflow_dispatch": {
      const fromInputs =
        payload.inputs?.["issue-number"] ?? payload.inputs?.issue_number ?? payload.inputs?.issue;
      const number =
        settings.issueNumber ??
        (fromInputs !== undefined &&
        /^\d+$/.test(
          typeof fromInputs === "number" || typeof fromInputs === "string"
            ? String(fromInputs)
            : "",
        )
          ? Number(fromInputs)
          : undefined);
      if (!number) return skip("workflow_dispatch needs the issue number (input 'issue-number')");
      return runOnIssue("plan", number, actor);
    }
    case "issues": {
      const issue = payload.issue;
      if (!issue?.number) return skip("the event has no issue");
      if (issue.pull_request) return skip("the event is on a pull request");
      if (payload.action === "labeled") {
        // Labelling needs triage access, so the labeller is trusted whoever wrote the issue;
        // except the issue's own author, whose labels may come from an issue template
        // (GitHub applies them whoever files the issue): judged like an opened issue.
        const label = payload.label?.name ?? "";
        const byAuthor = sender?.login !== undefined && sender.login === issue.user?.login;
        if (byAuthor && !allowed(issue.author_association))
          return skip(
            `the label was added by the issue's author, whose association ${issue.author_association ?? "NONE"} is not in allowed-associations (${settings.allowedAssociations.join(", ")}); an issue template's labels come this way`,
          );
        if (label === settings.triggerLabel) return runOnIssue("plan", issue.number, actor);
        if (settings.quickfixLabel && label === settings.quickfixLabel)
          return runOnIssue("quickfix", issue.number, actor);
        return skip(`label '${label}' is not the trigger label '${settings.triggerLabel}'`);
      }
      if (payload.action === "opened" || payload.action === "reopened") {
        if (!allowed(issue.author_association))
          return skip(
            `the issue author's association ${issue.author_association ?? "NONE"} is not in allowed-associations (${settings.allowedAssociations.join(", ")})`,
          );
        const labels = labelNames(issue);
        // An issue filed with a label (picked in the form, or set by a template) also sends
        // a `labeled` event for it; that event starts the run, or the issue would be
        // planned (or fixed) twice.
        const carried = [settings.triggerLabel, settings.quickfixLabel].find(
          (name) => name && labels.includes(name),
        );
        if (payload.action === "opened" && carried)
          return skip(
            `the new issue carries the label '${carried}': the labeled event GitHub sends with it starts the run (the workflow must listen to issues: labeled)`,
          );
        if (settings.quickfixLabel && labels.includes(settings.quickfixLabel))
          return runOnIssue("quickfix", issue.number, actor);
        if (settings.requireLabelOnOpen && !labels.includes(settings.triggerLabel))
          return skip(`the new issue does not carry the trigger label '${settings.triggerLabel}'`);
        return runOnIssue("plan", issue.number, actor);
      }
      return skip(`issues.${payload.action ?? "unknown"} events are not handled`);
    }
    case "issue_comment": {
      if (payload.action !== "created")
        return skip(`comment ${payload.action ?? "event"}: only new comments count, never edits`);
      const comment = payload.comment;
      const issue = payload.issue;
      if (!comment?.body || !issue?.number || comment.id === undefined)
        return skip("the event has no comment");
      if (isBot(comment.user)) return skip("the comment was written by a bot");
      const command = parseCommand(comment.body);
      if (!command) return skip("the comment holds no /plan, /approve or /quickfix command");
      if (!allowed(comment.author_association))
        return skip(
          `the commenter's association ${comment.author_association ?? "NONE"} is not in allowed-associations (${settings.allowedAssociations.join(", ")})`,
        );
      const onPullRequest = Boolean(issue.pull_request);
      let number = issue.number;
      if (onPullRequest) {
        if (command.command !== "approve")
          return skip(`/${command.command} on a pull request is not handled; comment on the issue`);
        const fromBranch = headRef
          ? issueNumberFromBranch(headRef, settings.branchPrefix)
          : undefined;
        if (!fromBranch)
          return skip("/approve on a pull request that is not an issue-agent branch");
        number = fromBranch;
      }
      return {
        run: true,
        mode: command.command,
        issueNumber: number,
        guidance: command.guidance || undefined,
        actor: comment.user?.login ?? actor,
        command: { commentId: comment.id, thread: issue.number },
        onPullRequest,
      };
    }
    case "pull_request":
    case "pull_request_target":
      return skip("pull request events are not handled");
    default:
      return skip(`event '${eventName}' is not handled`);
  }
}

/** A run started from the issue itself (a label, a new issue, a dispatch), not a comment. */
function runOnIssue(mode: "plan" | "quickfix", issueNumber: number, actor: string): GateDecision {
  return { run: true, mode, issueNumber, actor, onPullRequest: false };
}
