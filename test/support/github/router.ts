/**
 * Route table plumbing for the emulator: what a handler receives and returns, how
 * templates from GitHub's description ("/repos/{owner}/{repo}/git/ref/{ref}") become
 * matchers, pagination, and the error type handlers throw.
 */
import type { IssueRecord, RepoRecord, Store, UserRecord } from "./model.js";
import type { Urls } from "./representations.js";

/** Which token permission a route needs (`write` for anything but GET). */
export type PermissionScope = "contents" | "issues" | "pull_requests" | "metadata";

/** What a handler sees. */
export interface RouteContext {
  method: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  store: Store;
  urls: Urls;
  /** The repository named by {owner}/{repo}. */
  repo: RepoRecord;
  /** The user the token acts as. */
  actor: UserRecord;
  /** The full request URL, for pagination links. */
  url: URL;
}

/** What a handler returns. */
export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One route: a documented GitHub operation and its handler. */
export interface RouteDefinition {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  template: string;
  scope: PermissionScope;
  handler: (context: RouteContext) => Promise<RouteResult>;
}

/** A route ready to match. */
export interface CompiledRoute extends RouteDefinition {
  key: string;
  pattern: RegExp;
  names: string[];
}

/** An error answer in GitHub's shape ({ message, documentation_url, errors? }). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: { errors?: unknown[]; documentation_url?: string } = {},
  ) {
    super(message);
    this.name = "HttpError";
  }

  /** The response body GitHub would send. */
  body(): Record<string, unknown> {
    return {
      message: this.message,
      ...(this.extra.errors === undefined ? {} : { errors: this.extra.errors }),
      documentation_url: this.extra.documentation_url ?? "https://docs.github.com/rest",
      status: String(this.status),
    };
  }
}

// Parameters that may span several path segments (GitHub marks them x-multi-segment).
const MULTI_SEGMENT = new Set(["ref", "path", "basehead"]);

/** Compiles definitions and orders them so literal segments win over parameters. */
export function compileRoutes(definitions: readonly RouteDefinition[]): CompiledRoute[] {
  const compiled = definitions.map((definition) => {
    const names: string[] = [];
    const source = definition.template
      .split("/")
      .map((segment) =>
        segment.replace(/\{([^}]+)\}|([^{]+)/g, (_whole, name: string | undefined, literal) => {
          if (name !== undefined) {
            names.push(name);
            return MULTI_SEGMENT.has(name) ? "(.+)" : "([^/]+)";
          }
          return (literal as string).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        }),
      )
      .join("/");
    return {
      ...definition,
      key: `${definition.method} ${definition.template}`,
      pattern: new RegExp(`^${source}$`),
      names,
    };
  });
  const literalCount = (template: string): number =>
    template.split("/").filter((s) => s.length > 0 && !s.includes("{")).length;
  return compiled.sort((a, b) => literalCount(b.template) - literalCount(a.template));
}

/** Finds the route for a method and raw path; params are percent-decoded. */
export function matchRoute(
  routes: readonly CompiledRoute[],
  method: string,
  pathname: string,
): { route: CompiledRoute; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(pathname);
    if (match === null) continue;
    const params: Record<string, string> = {};
    try {
      route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(match[i + 1] ?? "");
      });
    } catch {
      continue;
    }
    return { route, params };
  }
  return undefined;
}

/**
 * Slices `items` by `per_page` (default 30, at most 100) and `page`, and builds the
 * `Link` header GitHub sends (next/last/first/prev) so Octokit's paginate can follow it.
 */
export function paginate<T>(
  context: RouteContext,
  items: readonly T[],
): RouteResult & { body: T[] } {
  const perPage = Math.min(Math.max(Number(context.query.per_page ?? 30) || 30, 1), 100);
  const page = Math.max(Number(context.query.page ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const body = items.slice((page - 1) * perPage, page * perPage);
  const link = (target: number, rel: string): string => {
    const url = new URL(context.url.toString());
    url.searchParams.set("per_page", String(perPage));
    url.searchParams.set("page", String(target));
    return `<${context.urls.api}${url.pathname}${url.search}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, "prev"));
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  if (page > 1) links.push(link(1, "first"));
  return { status: 200, body, headers: links.length > 0 ? { link: links.join(", ") } : {} };
}

/** The issue (or pull request) `number` of the context's repository, or a 404. */
export function requireIssue(context: RouteContext, number: string | undefined): IssueRecord {
  const record = context.repo.issues.get(Number(number));
  if (record === undefined) throw new HttpError(404, "Not Found");
  return record;
}

/** The request body as an object (validated against the description beforehand). */
export function bodyOf<T>(context: RouteContext): T {
  return (context.body ?? {}) as T;
}

/** GitHub's limit on an issue, pull request or comment body, in characters. */
export const MAX_BODY_CHARS = 65536;

/** Refuses a body over GitHub's limit as GitHub does (422, the field named). */
export function requireBodyWithinLimit(body: string | null | undefined, resource: string): void {
  if (typeof body !== "string" || body.length <= MAX_BODY_CHARS) return;
  throw new HttpError(422, "Validation Failed", {
    errors: [
      {
        resource,
        code: "custom",
        field: "body",
        message: `Body is too long (maximum is ${MAX_BODY_CHARS} characters)`,
      },
    ],
  });
}
