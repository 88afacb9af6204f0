/**
 * Issue routes: issues, issue comments, labels (on issues and on the repository), and
 * reactions on comments. Pull requests are issues too, so these routes serve them as well.
 */
import { timestamp, type CommentRecord, type LabelRecord, type ReactionRecord } from "./model.js";
import { comment, issue, label, reaction } from "./representations.js";
import {
  bodyOf,
  HttpError,
  paginate,
  requireBodyWithinLimit,
  requireIssue,
  type RouteContext,
  type RouteDefinition,
} from "./router.js";

/** A label as the add/set endpoints accept it: a name or `{ name }`. */
type RouteLabelInput = string | { name: string };

/** The issue routes. */
export const issueRoutes: RouteDefinition[] = [
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/issues",
    scope: "issues",
    handler: (context) => {
      const body = bodyOf<{
        title: string | number;
        body?: string | null;
        labels?: RouteLabelInput[];
      }>(context);
      requireBodyWithinLimit(body.body, "Issue");
      const now = timestamp();
      const number = context.repo.nextNumber;
      context.repo.nextNumber += 1;
      const record = {
        number,
        id: context.store.id(),
        title: String(body.title),
        body: body.body ?? null,
        user: context.actor.login,
        authorAssociation: context.store.association(context.repo, context.actor.login),
        labels: [] as string[],
        state: "open" as const,
        locked: false,
        createdAt: now,
        updatedAt: now,
        closedAt: null,
        pull: null,
      };
      context.repo.issues.set(number, record);
      addLabels(context, record.labels, body.labels ?? []);
      return Promise.resolve({
        status: 201,
        body: issue(context.urls, context.store, context.repo, record),
        headers: {
          location: `${context.urls.api}/repos/${context.repo.owner}/${context.repo.name}/issues/${number}`,
        },
      });
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/issues/{issue_number}",
    scope: "issues",
    handler: (context) => {
      const record = requireIssue(context, context.params.issue_number);
      return Promise.resolve({
        status: 200,
        body: issue(context.urls, context.store, context.repo, record),
      });
    },
  },
  {
    method: "PATCH",
    template: "/repos/{owner}/{repo}/issues/{issue_number}",
    scope: "issues",
    handler: (context) => {
      const record = requireIssue(context, context.params.issue_number);
      const body = bodyOf<{
        title?: string | number | null;
        body?: string | null;
        state?: "open" | "closed";
        labels?: RouteLabelInput[];
      }>(context);
      requireBodyWithinLimit(body.body, "Issue");
      if (body.title !== undefined && body.title !== null) record.title = String(body.title);
      if (body.body !== undefined) record.body = body.body;
      if (body.state !== undefined && body.state !== record.state) {
        record.state = body.state;
        record.closedAt = body.state === "closed" ? timestamp() : null;
      }
      if (body.labels !== undefined) {
        record.labels = [];
        addLabels(context, record.labels, body.labels);
      }
      record.updatedAt = timestamp();
      return Promise.resolve({
        status: 200,
        body: issue(context.urls, context.store, context.repo, record),
      });
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    scope: "issues",
    handler: (context) => {
      const record = requireIssue(context, context.params.issue_number);
      const since = context.query.since;
      const comments = [...context.repo.comments.values()]
        .filter((c) => c.issueNumber === record.number)
        .filter((c) => since === undefined || c.updatedAt >= since)
        .sort((a, b) => a.id - b.id)
        .map((c) => comment(context.urls, context.store, context.repo, c));
      return Promise.resolve(paginate(context, comments));
    },
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    scope: "issues",
    handler: (context) => {
      const record = requireIssue(context, context.params.issue_number);
      const { body } = bodyOf<{ body: string }>(context);
      requireBodyWithinLimit(body, "IssueComment");
      // A locked conversation takes comments from people with write access only; the
      // workflow token's app is refused (as Renovate and stale-bot users report).
      if (record.locked && context.actor.login.endsWith("[bot]")) {
        throw new HttpError(403, "Unable to create comment because issue is locked.", {
          documentation_url: "https://docs.github.com/articles/locking-conversations/",
        });
      }
      const now = timestamp();
      const created: CommentRecord = {
        id: context.store.id(),
        issueNumber: record.number,
        body,
        user: context.actor.login,
        authorAssociation: context.store.association(context.repo, context.actor.login),
        createdAt: now,
        updatedAt: now,
        reactions: [],
      };
      context.repo.comments.set(created.id, created);
      record.updatedAt = now;
      const json = comment(context.urls, context.store, context.repo, created);
      return Promise.resolve({ status: 201, body: json, headers: { location: String(json.url) } });
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    scope: "issues",
    handler: (context) => {
      const record = requireComment(context);
      return Promise.resolve({
        status: 200,
        body: comment(context.urls, context.store, context.repo, record),
      });
    },
  },
  {
    method: "PATCH",
    template: "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    scope: "issues",
    handler: (context) => {
      const record = requireComment(context);
      const { body } = bodyOf<{ body: string }>(context);
      requireBodyWithinLimit(body, "IssueComment");
      record.body = body;
      record.updatedAt = timestamp();
      return Promise.resolve({
        status: 200,
        body: comment(context.urls, context.store, context.repo, record),
      });
    },
  },
  {
    method: "DELETE",
    template: "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    scope: "issues",
    handler: (context) => {
      const record = requireComment(context);
      context.repo.comments.delete(record.id);
      return Promise.resolve({ status: 204 });
    },
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
    scope: "issues",
    handler: (context) => {
      const record = requireComment(context);
      const { content } = bodyOf<{ content: ReactionRecord["content"] }>(context);
      const existing = record.reactions.find(
        (r) => r.content === content && r.user === context.actor.login,
      );
      if (existing !== undefined) {
        return Promise.resolve({
          status: 200,
          body: reaction(context.urls, context.store, existing),
        });
      }
      const created: ReactionRecord = {
        id: context.store.id(),
        user: context.actor.login,
        content,
        createdAt: timestamp(),
      };
      record.reactions.push(created);
      return Promise.resolve({
        status: 201,
        body: reaction(context.urls, context.store, created),
      });
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/issues/{issue_number}/labels",
    scope: "issues",
    handler: (context) => {
      const record = requireIssue(context, context.params.issue_number);
      return Promise.resolve(paginate(context, issueLabels(context, record.labels)));
    },
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/issues/{issue_number}/labels",
    scope: "issues",
    handler: (context) => {
      const record = requireIssue(context, context.params.issue_number);
      addLabels(context, record.labels, labelInputs(context.body));
      record.updatedAt = timestamp();
      return Promise.resolve({ status: 200, body: issueLabels(context, record.labels) });
    },
  },
  {
    method: "PUT",
    template: "/repos/{owner}/{repo}/issues/{issue_number}/labels",
    scope: "issues",
    handler: (context) => {
      const record = requireIssue(context, context.params.issue_number);
      record.labels = [];
      addLabels(context, record.labels, labelInputs(context.body));
      record.updatedAt = timestamp();
      return Promise.resolve({ status: 200, body: issueLabels(context, record.labels) });
    },
  },
  {
    method: "DELETE",
    template: "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}",
    scope: "issues",
    handler: (context) => {
      const record = requireIssue(context, context.params.issue_number);
      const name = (context.params.name ?? "").toLowerCase();
      const index = record.labels.findIndex((l) => l.toLowerCase() === name);
      if (index === -1) throw new HttpError(404, "Label does not exist");
      record.labels.splice(index, 1);
      record.updatedAt = timestamp();
      return Promise.resolve({ status: 200, body: issueLabels(context, record.labels) });
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/labels",
    scope: "issues",
    handler: (context) => {
      const all = [...context.repo.labels.values()]
        .sort((a, b) => a.id - b.id)
        .map((l) => label(context.urls, context.repo, l));
      return Promise.resolve(paginate(context, all));
    },
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/labels",
    scope: "issues",
    handler: (context) => {
      const body = bodyOf<{ name: string; color?: string; description?: string }>(context);
      if (context.repo.labels.has(body.name.toLowerCase())) {
        throw new HttpError(422, "Validation Failed", {
          errors: [{ resource: "Label", code: "already_exists", field: "name" }],
          documentation_url: "https://docs.github.com/rest/issues/labels#create-a-label",
        });
      }
      const color = (body.color ?? "ededed").replace(/^#/, "");
      if (!/^[0-9a-fA-F]{6}$/.test(color)) {
        throw new HttpError(422, "Validation Failed", {
          errors: [{ resource: "Label", code: "invalid", field: "color" }],
        });
      }
      const created = createLabel(context, body.name, color, body.description ?? null);
      return Promise.resolve({ status: 201, body: label(context.urls, context.repo, created) });
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/labels/{name}",
    scope: "issues",
    handler: (context) => {
      const record = context.repo.labels.get((context.params.name ?? "").toLowerCase());
      if (record === undefined) throw new HttpError(404, "Not Found");
      return Promise.resolve({ status: 200, body: label(context.urls, context.repo, record) });
    },
  },
  {
    method: "PATCH",
    template: "/repos/{owner}/{repo}/labels/{name}",
    scope: "issues",
    handler: (context) => {
      const key = (context.params.name ?? "").toLowerCase();
      const record = context.repo.labels.get(key);
      if (record === undefined) throw new HttpError(404, "Not Found");
      const body = bodyOf<{ new_name?: string; color?: string; description?: string }>(context);
      if (body.color !== undefined) record.color = body.color.replace(/^#/, "");
      if (body.description !== undefined) record.description = body.description;
      if (body.new_name !== undefined && body.new_name !== record.name) {
        const previous = record.name;
        context.repo.labels.delete(key);
        record.name = body.new_name;
        context.repo.labels.set(record.name.toLowerCase(), record);
        for (const item of context.repo.issues.values()) {
          item.labels = item.labels.map((n) => (n === previous ? record.name : n));
        }
      }
      return Promise.resolve({ status: 200, body: label(context.urls, context.repo, record) });
    },
  },
];

function requireComment(context: RouteContext): CommentRecord {
  const record = context.repo.comments.get(Number(context.params.comment_id));
  if (record === undefined) throw new HttpError(404, "Not Found");
  return record;
}

function issueLabels(context: RouteContext, names: readonly string[]): Record<string, unknown>[] {
  return names.flatMap((name) => {
    const record = context.repo.labels.get(name.toLowerCase());
    return record === undefined ? [] : [label(context.urls, context.repo, record)];
  });
}

// The add/set label endpoints accept several body shapes; normalise to names.
function labelInputs(body: unknown): RouteLabelInput[] {
  if (Array.isArray(body)) return body as RouteLabelInput[];
  if (typeof body === "string") return [body];
  if (body !== null && typeof body === "object") {
    const labels = (body as { labels?: unknown }).labels;
    if (Array.isArray(labels)) return labels as RouteLabelInput[];
    if (typeof labels === "string") return [labels];
  }
  return [];
}

/** Adds labels by name, creating unknown ones in the repository as GitHub does. */
function addLabels(
  context: RouteContext,
  target: string[],
  inputs: readonly RouteLabelInput[],
): void {
  for (const input of inputs) {
    const name = typeof input === "string" ? input : input.name;
    let record = context.repo.labels.get(name.toLowerCase());
    record ??= createLabel(context, name, "ededed", null);
    if (!target.some((n) => n.toLowerCase() === record.name.toLowerCase()))
      target.push(record.name);
  }
}

function createLabel(
  context: RouteContext,
  name: string,
  color: string,
  description: string | null,
): LabelRecord {
  const record: LabelRecord = { id: context.store.id(), name, color, description, default: false };
  context.repo.labels.set(name.toLowerCase(), record);
  return record;
}
