/**
 * A stateful GitHub REST API emulator on a real HTTP server. Every request and response
 * is checked against GitHub's OpenAPI description; git data lives in real bare
 * repositories, also served over smart HTTP for clone/fetch/push.
 *
 *   const github = await startGitHubEmulator({ repos: [{ owner: "octo", name: "app", files }] });
 *   // ... point the code under test at github.url with github.token ...
 *   expect(github.violations).toEqual([]);
 *   await github.close();
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import {
  FaultQueue,
  SECONDARY_RATE_LIMIT_MESSAGE,
  type FaultSpec,
  type HookSpec,
  type RouteIdentity,
} from "./faults.js";
import { serveGitHttp } from "./git-http.js";
import { GitRepository, type CommitInfo } from "./git-repository.js";
import {
  Store,
  timestamp,
  type AuthorAssociation,
  type CommentRecord,
  type IssueRecord,
  type LabelRecord,
  type Permission,
  type RepoRecord,
  type UserRecord,
} from "./model.js";
import { OpenApiValidator } from "./openapi-validator.js";
import {
  comment as commentJson,
  issue as issueJson,
  label as labelJson,
  repository as repositoryJson,
  simpleUser,
} from "./representations.js";
import {
  compileRoutes,
  HttpError,
  matchRoute,
  type PermissionScope,
  type RouteResult,
} from "./router.js";
import { gitRoutes } from "./routes-git.js";
import { issueRoutes } from "./routes-issues.js";
import { pullRoutes } from "./routes-pulls.js";
import { repoRoutes } from "./routes-repos.js";

export { SECONDARY_RATE_LIMIT_MESSAGE, type FaultSpec, type HookSpec } from "./faults.js";
export type { CommitInfo } from "./git-repository.js";
export type {
  AuthorAssociation,
  CommentRecord,
  IssueRecord,
  LabelRecord,
  Permission,
  RepoRecord,
} from "./model.js";

/** An issue to create when the repository is seeded. */
export interface IssueSeed {
  title: string;
  body?: string | null;
  /** Author login (default "octocat"). */
  user?: string;
  /** Default: derived from the author's permission (OWNER, COLLABORATOR or NONE). */
  authorAssociation?: AuthorAssociation;
  labels?: string[];
  state?: "open" | "closed";
}

/** A repository to create. Its default branch gets one commit with `files` or `directory`. */
export interface RepoSeed {
  owner: string;
  name: string;
  defaultBranch?: string;
  private?: boolean;
  files?: Record<string, string | Buffer>;
  directory?: string;
  labels?: { name: string; color?: string; description?: string }[];
  /** login → permission. The owner is always admin. */
  collaborators?: Record<string, Permission>;
  issues?: IssueSeed[];
}

/** Workflow `permissions:` of the token; anything unset is `write`. */
export type TokenPermissions = Partial<
  Record<Exclude<PermissionScope, "metadata">, "write" | "read" | "none">
>;

export interface GitHubEmulatorOptions {
  /** The token clients must send (default "ghs_emulator0000000000000000000000000000"). */
  token?: string;
  /** Login the token acts as (default "github-actions[bot]"). */
  actor?: string;
  repos?: RepoSeed[];
  users?: { login: string; type?: UserRecord["type"] }[];
  tokenPermissions?: TokenPermissions;
  /** Base of html_url fields (default "https://github.com"). */
  htmlUrl?: string;
}

/** A request that broke the contract: unknown route, or schema mismatch either way. */
export interface Violation {
  kind: "unknown-route" | "request" | "response" | "event";
  method: string;
  path: string;
  operationId: string | null;
  errors: string[];
}

/** One served request. */
export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  operationId: string | null;
  status: number;
  body: unknown;
}

/** Live view of one repository's state, for assertions and setup. */
export interface RepoView {
  readonly owner: string;
  readonly name: string;
  readonly gitDir: string;
  /** The raw record (issues, comments, labels, collaborators), live. */
  readonly record: RepoRecord;
  /** Branch name → head sha. */
  branches(): Promise<Record<string, string>>;
  branchSha(branch: string): Promise<string | null>;
  /** File content at a ref (branch, tag or sha), or null when absent. */
  readFile(ref: string, filePath: string): Promise<string | null>;
  /** All file paths at a ref, sorted. */
  listFiles(ref: string): Promise<string[]>;
  commit(ref: string): Promise<CommitInfo>;
  /** First-parent history from `ref`, newest first. */
  log(ref: string, max?: number): Promise<CommitInfo[]>;
  issue(number: number): IssueRecord | undefined;
  comments(issueNumber: number): CommentRecord[];
  /** Pull requests (issue records with `pull` set), in number order. */
  pulls(): IssueRecord[];
  labels(): LabelRecord[];
  /** Label names on an issue or pull request. */
  issueLabels(number: number): string[];
  addIssue(seed: IssueSeed): IssueRecord;
  /** Adds a comment as `user` (e.g. a maintainer's "/approve"). */
  addComment(issueNumber: number, comment: { user: string; body: string }): CommentRecord;
  setPermission(login: string, permission: Permission): void;
}

export interface GitHubEmulator {
  /** REST base URL; use as GITHUB_API_URL / Octokit baseUrl. */
  readonly url: string;
  /** Web base, e.g. for GITHUB_SERVER_URL (the emulator serves git here too). */
  readonly serverUrl: string;
  readonly token: string;
  readonly actor: string;
  /** Contract breaches seen so far; tests assert this is empty. */
  readonly violations: Violation[];
  readonly requestLog: RequestLogEntry[];
  /** Stops the server and removes the repositories from disk. */
  close(): Promise<void>;
  /** The next `times` matching requests answer `status` (see {@link FaultSpec}). */
  failNext(spec: FaultSpec): void;
  /** The next `times` matching requests hit GitHub's secondary rate limit (403). */
  secondaryRateLimit(spec: {
    route: string;
    method?: string;
    times?: number;
    retryAfterSeconds?: number;
  }): void;
  /** Runs `spec.run` before the handler of the next matching request(s). */
  beforeNext(spec: HookSpec): void;
  /** Faults and hooks armed but not yet triggered. */
  pendingFaults(): string[];
  /** Disarms all faults and hooks. */
  clearFaults(): void;
  setTokenPermissions(permissions: TokenPermissions): void;
  addRepo(seed: RepoSeed): Promise<RepoView>;
  repo(owner: string, name: string): RepoView;
  /** Creates or retypes a user. */
  user(login: string, type?: UserRecord["type"]): UserRecord;
  /** Smart-HTTP clone URL; with `withToken`, credentials are embedded. */
  cloneUrl(owner: string, name: string, withToken?: boolean): string;
  /**
   * The webhook payload GitHub would put in GITHUB_EVENT_PATH for an `issues` or
   * `issue_comment` event, built from the current state.
   */
  eventPayload(event: EventSpec): Record<string, unknown>;
}

/** Which event payload to build. */
export type EventSpec =
  | {
      event: "issues";
      action: "opened" | "labeled" | "edited" | "reopened";
      owner: string;
      repo: string;
      issueNumber: number;
      /** The label just added (for "labeled"). */
      label?: string;
      /** Who triggered it (default: the issue author). */
      sender?: string;
    }
  | {
      event: "issue_comment";
      action: "created" | "edited";
      owner: string;
      repo: string;
      issueNumber: number;
      commentId: number;
      /** Default: the comment author. */
      sender?: string;
    };

const DEFAULT_TOKEN = "ghs_emulator0000000000000000000000000000";
const SEED_SIGNATURE = {
  name: "Octo Cat",
  email: "octocat@example.com",
  date: "2026-01-01T00:00:00Z",
};

const ROUTES = compileRoutes([...repoRoutes, ...gitRoutes, ...issueRoutes, ...pullRoutes]);

// Webhook payloads `eventPayload` builds, checked against the description like responses.
const WEBHOOKS = [
  "issues-opened",
  "issues-labeled",
  "issues-edited",
  "issues-reopened",
  "issue-comment-created",
  "issue-comment-edited",
];

/** Starts an emulator on 127.0.0.1 with an ephemeral port. */
export async function startGitHubEmulator(
  options: GitHubEmulatorOptions = {},
): Promise<GitHubEmulator> {
  const validator = new OpenApiValidator([
    ...ROUTES.map((r) => r.key),
    ...WEBHOOKS.map((name) => `WEBHOOK ${name}`),
  ]);
  const root = await mkdtemp(path.join(os.tmpdir(), "gh-emulator-"));
  const projectRoot = path.join(root, "repos");
  const store = new Store();
  const token = options.token ?? DEFAULT_TOKEN;
  const actor = store.user(options.actor ?? "github-actions[bot]");
  for (const user of options.users ?? []) store.user(user.login, user.type);
  const faults = new FaultQueue();
  const violations: Violation[] = [];
  const requestLog: RequestLogEntry[] = [];
  let permissions: TokenPermissions = { ...options.tokenPermissions };
  let rateRemaining = 5000;
  const rateReset = Math.floor(Date.now() / 1000) + 3600;
  const urls = { api: "", html: options.htmlUrl ?? "https://github.com" };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ message: `emulator error: ${String(error)}` }));
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", urls.api);
    const method = (request.method ?? "GET").toUpperCase();
    const gitMatch = /^\/([^/]+)\/([^/]+?)\.git(\/.*)?$/.exec(url.pathname);
    if (gitMatch !== null) {
      await handleGit(request, response, url, gitMatch);
      return;
    }
    const parsed = parseJson(await readBody(request));
    const query = Object.fromEntries(url.searchParams);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      rateRemaining = Math.max(rateRemaining - 1, 0);
      const common: Record<string, string> = {
        "x-github-api-version-selected": "2022-11-28",
        "x-github-media-type": "github.v3; format=json",
        "x-github-request-id": randomUUID().toUpperCase().slice(0, 23),
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": String(rateRemaining),
        "x-ratelimit-reset": String(rateReset),
        "x-ratelimit-used": String(5000 - rateRemaining),
        "x-ratelimit-resource": "core",
      };
      if (body === undefined) {
        response.writeHead(status, { ...common, ...headers });
        response.end();
      } else {
        response.writeHead(status, {
          ...common,
          "content-type": "application/json; charset=utf-8",
          ...headers,
        });
        response.end(JSON.stringify(body));
      }
    };

    const matched = matchRoute(ROUTES, method, url.pathname);
    if (matched === undefined) {
      violations.push({
        kind: "unknown-route",
        method,
        path: url.pathname,
        operationId: null,
        errors: [`no route for ${method} ${url.pathname}`],
      });
      requestLog.push({
        method,
        path: url.pathname,
        query,
        operationId: null,
        status: 404,
        body: undefined,
      });
      send(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
      return;
    }
    const { route, params } = matched;
    const operation = validator.operation(route.key);
    const identity: RouteIdentity = {
      key: route.key,
      method,
      template: route.template,
      operationId: operation.operationId,
    };
    const finish = (result: RouteResult, validate = true): void => {
      if (validate) {
        const errors = validator.validateResponse(route.key, result.status, result.body);
        if (errors.length > 0) {
          violations.push({
            kind: "response",
            method,
            path: url.pathname,
            operationId: operation.operationId,
            errors,
          });
        }
      }
      requestLog.push({
        method,
        path: url.pathname,
        query,
        operationId: operation.operationId,
        status: result.status,
        body: parsed.value,
      });
      send(result.status, result.body, result.headers);
    };

    if (!parsed.ok) {
      finish({
        status: 400,
        body: {
          message: "Problems parsing JSON",
          documentation_url: "https://docs.github.com/rest",
        },
      });
      return;
    }
    const requestErrors = validator.validateRequest(route.key, {
      pathParams: params,
      query,
      body: parsed.value,
    });
    if (requestErrors.length > 0) {
      violations.push({
        kind: "request",
        method,
        path: url.pathname,
        operationId: operation.operationId,
        errors: requestErrors,
      });
      const onPath = requestErrors.some((e) => e.startsWith("path"));
      finish(
        {
          status: onPath ? 404 : 422,
          body: onPath
            ? { message: "Not Found", documentation_url: "https://docs.github.com/rest" }
            : {
                message: `Invalid request.\n\n${requestErrors.join("\n")}`,
                documentation_url: "https://docs.github.com/rest",
              },
        },
        false,
      );
      return;
    }
    if (!authorized(request.headers.authorization)) {
      finish({
        status: 401,
        body: {
          message: "Bad credentials",
          documentation_url: "https://docs.github.com/rest",
          status: "401",
        },
      });
      return;
    }
    const fault = faults.takeFault(identity);
    if (fault !== undefined) {
      finish(fault);
      return;
    }
    const repo = store.repo(params.owner ?? "", params.repo ?? "");
    if (repo === undefined) {
      finish({ status: 404, body: new HttpError(404, "Not Found").body() });
      return;
    }
    const needed = method === "GET" ? "read" : "write";
    if (route.scope !== "metadata" && !allows(permissions[route.scope] ?? "write", needed)) {
      finish({
        status: 403,
        body: new HttpError(403, "Resource not accessible by integration", {
          documentation_url: "https://docs.github.com/rest",
        }).body(),
        headers: { "x-accepted-github-permissions": `${route.scope}=${needed}` },
      });
      return;
    }
    await faults.takeHook(identity)?.();
    try {
      const result = await route.handler({
        method,
        params,
        query,
        body: parsed.value,
        store,
        urls,
        repo,
        actor,
        url,
      });
      // The write is done; a lost response hides that from the client.
      finish(faults.takeFault(identity, true) ?? result);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      finish({ status: error.status, body: error.body() });
    }
  }

  async function handleGit(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    match: RegExpExecArray,
  ): Promise<void> {
    const [, owner = "", name = "", rest = ""] = match;
    const repo = store.repo(owner, name);
    const basic = /^basic\s+(.+)$/i.exec(request.headers.authorization ?? "");
    const password =
      basic === null
        ? null
        : Buffer.from(basic[1] ?? "", "base64")
            .toString("utf8")
            .split(":")
            .slice(1)
            .join(":");
    if (password !== token) {
      request.resume();
      response.writeHead(401, {
        "www-authenticate": 'Basic realm="GitHub"',
        "content-type": "text/plain",
      });
      response.end(
        "Invalid username or token. Password authentication is not supported for Git operations.\n",
      );
      return;
    }
    if (repo === undefined) {
      request.resume();
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("Repository not found.\n");
      return;
    }
    const pushing =
      url.searchParams.get("service") === "git-receive-pack" || rest === "/git-receive-pack";
    const contents = permissions.contents ?? "write";
    if (!allows(contents, pushing ? "write" : "read")) {
      request.resume();
      response.writeHead(403, { "content-type": "text/plain" });
      response.end(`Write access to repository not granted.\n`);
      return;
    }
    await serveGitHttp(request, response, {
      projectRoot,
      pathInfo: `/${repo.owner}/${repo.name}.git${rest}`,
      query: url.search.replace(/^\?/, ""),
      remoteUser: "x-access-token",
    });
  }

  function authorized(header: string | undefined): boolean {
    const match = /^(?:token|bearer)\s+(.+)$/i.exec(header ?? "");
    return match?.[1] === token;
  }

  async function addRepo(seed: RepoSeed): Promise<RepoView> {
    const defaultBranch = seed.defaultBranch ?? "main";
    store.user(seed.owner);
    const git = await GitRepository.init(
      path.join(projectRoot, seed.owner, `${seed.name}.git`),
      defaultBranch,
    );
    const source =
      seed.directory !== undefined
        ? { directory: seed.directory }
        : { files: seed.files ?? { "README.md": `# ${seed.name}\n` } };
    await git.seed(defaultBranch, source, SEED_SIGNATURE);
    const record: RepoRecord = {
      id: store.id(),
      owner: seed.owner,
      name: seed.name,
      defaultBranch,
      private: seed.private ?? false,
      createdAt: timestamp(),
      git,
      labels: new Map(),
      issues: new Map(),
      comments: new Map(),
      collaborators: new Map(),
      nextNumber: 1,
    };
    store.repos.set(`${seed.owner}/${seed.name}`.toLowerCase(), record);
    for (const [login, permission] of Object.entries(seed.collaborators ?? {})) {
      store.user(login);
      record.collaborators.set(login.toLowerCase(), permission);
    }
    for (const item of seed.labels ?? []) {
      record.labels.set(item.name.toLowerCase(), {
        id: store.id(),
        name: item.name,
        color: item.color ?? "ededed",
        description: item.description ?? null,
        default: false,
      });
    }
    const view = repoView(record);
    for (const item of seed.issues ?? []) view.addIssue(item);
    return view;
  }

  function repoView(record: RepoRecord): RepoView {
    const git = record.git;
    return {
      owner: record.owner,
      name: record.name,
      gitDir: git.gitDir,
      record,
      async branches() {
        const refs = await git.listRefs("refs/heads/");
        return Object.fromEntries(refs.map((r) => [r.ref.slice("refs/heads/".length), r.sha]));
      },
      branchSha: (branch) => git.resolveRef(`refs/heads/${branch}`),
      async readFile(ref, filePath) {
        const commit = await resolve(git, ref);
        const entry = commit === null ? null : await git.entryAt(commit, filePath);
        if (entry === null || entry.type !== "blob") return null;
        return (await git.readBlob(entry.sha)).toString("utf8");
      },
      async listFiles(ref) {
        const commit = await resolve(git, ref);
        if (commit === null) return [];
        return (await git.listTree(commit, true))
          .filter((e) => e.type !== "tree")
          .map((e) => e.path)
          .sort();
      },
      async commit(ref) {
        const sha = await resolve(git, ref);
        if (sha === null) throw new Error(`no commit ${ref}`);
        return git.readCommit(sha);
      },
      async log(ref, max = 50) {
        const out = await git.git([
          "rev-list",
          "--first-parent",
          `--max-count=${max}`,
          "--end-of-options",
          ref,
        ]);
        const shas = out.split("\n").filter((l) => l.length > 0);
        return Promise.all(shas.map((sha) => git.readCommit(sha)));
      },
      issue: (number) => record.issues.get(number),
      comments: (issueNumber) =>
        [...record.comments.values()]
          .filter((c) => c.issueNumber === issueNumber)
          .sort((a, b) => a.id - b.id),
      pulls: () =>
        [...record.issues.values()]
          .filter((i) => i.pull !== null)
          .sort((a, b) => a.number - b.number),
      labels: () => [...record.labels.values()].sort((a, b) => a.id - b.id),
      issueLabels: (number) => [...(record.issues.get(number)?.labels ?? [])],
      addIssue(seed) {
        const author = seed.user ?? "octocat";
        store.user(author);
        const now = timestamp();
        const issue: IssueRecord = {
          number: record.nextNumber,
          id: store.id(),
          title: seed.title,
          body: seed.body ?? null,
          user: author,
          authorAssociation: seed.authorAssociation ?? store.association(record, author),
          labels: [],
          state: seed.state ?? "open",
          locked: false,
          createdAt: now,
          updatedAt: now,
          closedAt: seed.state === "closed" ? now : null,
          pull: null,
        };
        record.nextNumber += 1;
        for (const name of seed.labels ?? []) {
          if (!record.labels.has(name.toLowerCase())) {
            record.labels.set(name.toLowerCase(), {
              id: store.id(),
              name,
              color: "ededed",
              description: null,
              default: false,
            });
          }
          issue.labels.push(name);
        }
        record.issues.set(issue.number, issue);
        return issue;
      },
      addComment(issueNumber, comment) {
        if (!record.issues.has(issueNumber)) throw new Error(`no issue #${issueNumber}`);
        store.user(comment.user);
        const now = timestamp();
        const created: CommentRecord = {
          id: store.id(),
          issueNumber,
          body: comment.body,
          user: comment.user,
          authorAssociation: store.association(record, comment.user),
          createdAt: now,
          updatedAt: now,
          reactions: [],
        };
        record.comments.set(created.id, created);
        return created;
      },
      setPermission(login, permission) {
        store.user(login);
        record.collaborators.set(login.toLowerCase(), permission);
      },
    };
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  urls.api = `http://127.0.0.1:${port}`;
  for (const seed of options.repos ?? []) await addRepo(seed);

  return {
    url: urls.api,
    serverUrl: urls.api,
    token,
    actor: actor.login,
    violations,
    requestLog,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await rm(root, { recursive: true, force: true });
    },
    failNext: (spec) => faults.fail(spec),
    secondaryRateLimit(spec) {
      faults.fail({
        route: spec.route,
        ...(spec.method === undefined ? {} : { method: spec.method }),
        status: 403,
        times: spec.times ?? 1,
        body: {
          message: SECONDARY_RATE_LIMIT_MESSAGE,
          documentation_url:
            "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
        },
        headers: { "retry-after": String(spec.retryAfterSeconds ?? 1) },
      });
    },
    beforeNext: (spec) => faults.hook(spec),
    pendingFaults: () => faults.pending(),
    clearFaults: () => faults.clear(),
    setTokenPermissions(next) {
      permissions = { ...next };
    },
    addRepo,
    repo(owner, name) {
      const record = store.repo(owner, name);
      if (record === undefined) throw new Error(`no repository ${owner}/${name}`);
      return repoView(record);
    },
    user: (login, type) => store.user(login, type),
    eventPayload(spec) {
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
      const webhook = `${spec.event.replace("_", "-")}-${spec.action}`;
      const errors = validator.validateRequest(`WEBHOOK ${webhook}`, {
        pathParams: {},
        query: {},
        body: payload,
      });
      if (errors.length > 0) {
        violations.push({
          kind: "event",
          method: "WEBHOOK",
          path: webhook,
          operationId: null,
          errors,
        });
      }
      return payload;
    },
    cloneUrl(owner, name, withToken = false) {
      const base = new URL(`${urls.api}/${owner}/${name}.git`);
      if (withToken) {
        base.username = "x-access-token";
        base.password = token;
      }
      return base.toString();
    },
  };
}

function allows(granted: "write" | "read" | "none", needed: "write" | "read"): boolean {
  return granted === "write" || (granted === "read" && needed === "read");
}

async function resolve(git: GitRepository, ref: string): Promise<string | null> {
  if (ref.startsWith("-")) return null;
  try {
    return (await git.git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])).trim();
  } catch {
    return null;
  }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolveBody(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false; value: undefined } {
  if (raw.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw.toString("utf8")) as unknown };
  } catch {
    return { ok: false, value: undefined };
  }
}
