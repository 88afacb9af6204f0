/**
 * Pull request routes: list (with the head/base/state filters), create (with GitHub's
 * 422s for a duplicate head and for a head with nothing to merge), get and update.
 */
import { timestamp, type IssueRecord } from "./model.js";
import { pullRequest } from "./representations.js";
import {
  bodyOf,
  HttpError,
  paginate,
  requireBodyWithinLimit,
  type RouteContext,
  type RouteDefinition,
} from "./router.js";

/** The pull request routes. */
export const pullRoutes: RouteDefinition[] = [
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/pulls",
    scope: "pull_requests",
    handler: async (context) => {
      const state = context.query.state ?? "open";
      const head = context.query.head;
      const base = context.query.base;
      const direction = context.query.direction ?? "desc";
      const matches = pulls(context)
        .filter((p) => state === "all" || p.state === state)
        .filter((p) => head === undefined || headMatches(context, p, head))
        .filter((p) => base === undefined || p.pull?.base === base)
        .sort((a, b) => (direction === "asc" ? a.number - b.number : b.number - a.number));
      const page = paginate(context, matches);
      return { ...page, body: await Promise.all(page.body.map((p) => render(context, p))) };
    },
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/pulls",
    scope: "pull_requests",
    handler: async (context) => {
      const body = bodyOf<{
        title?: string;
        head: string;
        base: string;
        body?: string;
        draft?: boolean;
        maintainer_can_modify?: boolean;
      }>(context);
      requireBodyWithinLimit(body.body, "PullRequest");
      const headBranch = branchOf(body.head);
      if (body.title === undefined || body.title === "") {
        throw validation({ resource: "PullRequest", code: "missing_field", field: "title" });
      }
      // GitHub: "Draft pull requests are available in public repositories with GitHub Free
      // … GitHub Pro …, and in public and private repositories with GitHub Team and GitHub
      // Enterprise Cloud" (REST "Create a pull request").
      const { repo } = context;
      if (body.draft === true && repo.private && (repo.plan === "free" || repo.plan === "pro")) {
        throw validation({
          resource: "PullRequest",
          code: "custom",
          message: "Draft pull requests are not supported in this repository.",
        });
      }
      const git = context.repo.git;
      const baseSha = await git.resolveRef(`refs/heads/${body.base}`);
      if (baseSha === null) {
        throw validation({ resource: "PullRequest", field: "base", code: "invalid" });
      }
      const headSha = await git.resolveRef(`refs/heads/${headBranch}`);
      if (headSha === null) {
        throw validation({ resource: "PullRequest", field: "head", code: "invalid" });
      }
      const open = pulls(context).find((p) => p.state === "open" && p.pull?.head === headBranch);
      if (open !== undefined) {
        throw validation({
          resource: "PullRequest",
          code: "custom",
          message: `A pull request already exists for ${context.repo.owner}:${headBranch}.`,
        });
      }
      if ((await git.commitsBetween(baseSha, headSha)).length === 0) {
        throw validation({
          resource: "PullRequest",
          code: "custom",
          message: `No commits between ${body.base} and ${headBranch}`,
        });
      }
      const now = timestamp();
      const number = context.repo.nextNumber;
      context.repo.nextNumber += 1;
      const record: IssueRecord = {
        number,
        id: context.store.id(),
        title: body.title,
        body: body.body ?? null,
        user: context.actor.login,
        authorAssociation: context.store.association(context.repo, context.actor.login),
        labels: [],
        state: "open",
        locked: false,
        createdAt: now,
        updatedAt: now,
        closedAt: null,
        pull: {
          id: context.store.id(),
          head: headBranch,
          base: body.base,
          draft: body.draft === true,
          maintainerCanModify: body.maintainer_can_modify !== false,
          lastHeadSha: headSha,
        },
      };
      context.repo.issues.set(number, record);
      const json = await render(context, record);
      return { status: 201, body: json, headers: { location: String(json.url) } };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/pulls/{pull_number}",
    scope: "pull_requests",
    handler: async (context) => {
      const record = requirePull(context);
      return { status: 200, body: await render(context, record) };
    },
  },
  {
    method: "PATCH",
    template: "/repos/{owner}/{repo}/pulls/{pull_number}",
    scope: "pull_requests",
    handler: async (context) => {
      const record = requirePull(context);
      const pull = record.pull as NonNullable<IssueRecord["pull"]>;
      const body = bodyOf<{
        title?: string;
        body?: string;
        state?: "open" | "closed";
        base?: string;
        maintainer_can_modify?: boolean;
      }>(context);
      requireBodyWithinLimit(body.body, "PullRequest");
      if (body.base !== undefined) {
        if ((await context.repo.git.resolveRef(`refs/heads/${body.base}`)) === null) {
          throw validation({ resource: "PullRequest", field: "base", code: "invalid" });
        }
        pull.base = body.base;
      }
      if (body.state === "open" && record.state === "closed") {
        const other = pulls(context).find(
          (p) => p !== record && p.state === "open" && p.pull?.head === pull.head,
        );
        if (other !== undefined) {
          throw validation({
            resource: "PullRequest",
            code: "custom",
            message: `A pull request already exists for ${context.repo.owner}:${pull.head}.`,
          });
        }
      }
      if (body.title !== undefined) record.title = body.title;
      if (body.body !== undefined) record.body = body.body;
      if (body.state !== undefined && body.state !== record.state) {
        record.state = body.state;
        record.closedAt = body.state === "closed" ? timestamp() : null;
      }
      if (body.maintainer_can_modify !== undefined) {
        pull.maintainerCanModify = body.maintainer_can_modify;
      }
      record.updatedAt = timestamp();
      return { status: 200, body: await render(context, record) };
    },
  },
];

function pulls(context: RouteContext): IssueRecord[] {
  return [...context.repo.issues.values()].filter((i) => i.pull !== null);
}

function requirePull(context: RouteContext): IssueRecord {
  const record = context.repo.issues.get(Number(context.params.pull_number));
  if (record?.pull == null) throw new HttpError(404, "Not Found");
  return record;
}

// `head` is "owner:branch" for the filter and may be either form on create.
function branchOf(head: string): string {
  const colon = head.indexOf(":");
  return colon === -1 ? head : head.slice(colon + 1);
}

function headMatches(context: RouteContext, record: IssueRecord, head: string): boolean {
  const colon = head.indexOf(":");
  // GitHub only honours the "user:ref-name" form; a bare branch name filters nothing, so
  // code that forgets the owner sees every pull request, as it would in production.
  if (colon === -1) return true;
  const owner = head.slice(0, colon);
  return (
    owner.toLowerCase() === context.repo.owner.toLowerCase() &&
    record.pull?.head === head.slice(colon + 1)
  );
}

function validation(error: Record<string, string>): HttpError {
  return new HttpError(422, "Validation Failed", {
    errors: [error],
    documentation_url: "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
  });
}

async function render(
  context: RouteContext,
  record: IssueRecord,
): Promise<Record<string, unknown>> {
  const pull = record.pull as NonNullable<IssueRecord["pull"]>;
  const git = context.repo.git;
  const head = (await git.resolveRef(`refs/heads/${pull.head}`)) ?? pull.lastHeadSha;
  pull.lastHeadSha = head;
  const base = (await git.resolveRef(`refs/heads/${pull.base}`)) ?? head;
  const commits = (await git.commitsBetween(base, head)).length;
  return pullRequest(context.urls, context.store, context.repo, record, { head, base, commits });
}
