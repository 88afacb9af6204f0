/**
 * Webhook payloads, as GitHub would write them to GITHUB_EVENT_PATH for a workflow run,
 * built from the emulator's current state and checked against the description like
 * responses are.
 */
import {
  comment as commentJson,
  issue as issueJson,
  label as labelJson,
  repository as repositoryJson,
  simpleUser,
} from "./representations.js";
import type { EmulatorState } from "./state.js";
import type { EventSpec } from "./types.js";

/** Validator keys of the webhooks {@link eventPayload} can build. */
export const WEBHOOK_KEYS = [
  "issues-opened",
  "issues-labeled",
  "issues-edited",
  "issues-reopened",
  "issue-comment-created",
  "issue-comment-edited",
].map((name) => `WEBHOOK ${name}`);

/**
 * The payload of an `issues` or `issue_comment` event. A payload that breaks the schema
 * is still returned, and recorded as an "event" violation.
 */
export function eventPayload(state: EmulatorState, spec: EventSpec): Record<string, unknown> {
  const { store, urls } = state;
  const record = store.repo(spec.owner, spec.repo);
  const issue = record?.issues.get(spec.issueNumber);
  if (record === undefined || issue === undefined) {
    throw new Error(`no issue ${spec.owner}/${spec.repo}#${spec.issueNumber}`);
  }
  const payload: Record<string, unknown> = {
    action: spec.action,
    issue: issueJson(urls, store, record, issue),
    repository: repositoryJson(urls, store, record),
  };
  let sender = spec.sender ?? issue.user;
  if (spec.event === "issues" && spec.label !== undefined) {
    const found = record.labels.get(spec.label.toLowerCase());
    if (found === undefined) throw new Error(`no label ${spec.label}`);
    payload.label = labelJson(urls, record, found);
  }
  if (spec.event === "issue_comment") {
    const found = record.comments.get(spec.commentId);
    if (found === undefined) throw new Error(`no comment ${spec.commentId}`);
    payload.comment = commentJson(urls, store, record, found);
    sender = spec.sender ?? found.user;
  }
  payload.sender = simpleUser(urls, store.user(sender));
  checkPayload(state, `${spec.event.replace("_", "-")}-${spec.action}`, payload);
  return payload;
}

function checkPayload(state: EmulatorState, webhook: string, payload: unknown): void {
  const errors = state.validator.validateRequest(`WEBHOOK ${webhook}`, {
    pathParams: {},
    query: {},
    body: payload,
  });
  if (errors.length > 0) {
    state.violations.push({
      kind: "event",
      method: "WEBHOOK",
      path: webhook,
      operationId: null,
      errors,
    });
  }
}
