/**
 * The REST side of the emulator. One request goes: route match → request validation →
 * authentication → injected fault → repository lookup → token permission → hook →
 * handler → response validation → request log. Each step that answers early still goes
 * through {@link finish}, so the log and the violations see every response.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RouteIdentity } from "./faults.js";
import type { RepoRecord } from "./model.js";
import {
  compileRoutes,
  HttpError,
  matchRoute,
  type CompiledRoute,
  type RouteResult,
} from "./router.js";
import { gitRoutes } from "./routes-git.js";
import { issueRoutes } from "./routes-issues.js";
import { pullRoutes } from "./routes-pulls.js";
import { repoRoutes } from "./routes-repos.js";
import type { EmulatorState } from "./state.js";

/** Every REST operation the emulator serves, in match order. */
export const ROUTES = compileRoutes([...repoRoutes, ...gitRoutes, ...issueRoutes, ...pullRoutes]);

const DOCS = "https://docs.github.com/rest";

/** One request on its way through the pipeline. */
interface Exchange {
  method: string;
  url: URL;
  query: Record<string, string>;
  /** The parsed JSON body; undefined when there was none or it did not parse. */
  body: unknown;
  /** False when a body was sent but is not JSON. */
  jsonOk: boolean;
  authorization: string | undefined;
  response: ServerResponse;
}

/** An exchange whose route is known. */
interface Call extends Exchange {
  route: CompiledRoute;
  params: Record<string, string>;
  identity: RouteIdentity;
}

/**
 * Serves one REST request. Handlers signal GitHub's error answers with {@link HttpError};
 * anything else thrown is an emulator bug and propagates to the server.
 */
export async function handleRestRequest(
  state: EmulatorState,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  const method = (request.method ?? "GET").toUpperCase();
  const parsed = parseJson(await readBody(request));
  const query = Object.fromEntries(url.searchParams);
  const exchange: Exchange = {
    method,
    url,
    query,
    body: parsed.value,
    jsonOk: parsed.ok,
    authorization: request.headers.authorization,
    response,
  };
  const matched = matchRoute(ROUTES, method, url.pathname);
  if (matched === undefined) {
    answerUnknownRoute(state, exchange);
    return;
  }
  const { route, params } = matched;
  const identity: RouteIdentity = {
    key: route.key,
    method,
    template: route.template,
    operationId: state.validator.operation(route.key).operationId,
  };
  await serve(state, { ...exchange, route, params, identity });
}

async function serve(state: EmulatorState, call: Call): Promise<void> {
  const refusal = screen(state, call);
  if (refusal !== undefined) {
    finish(state, call, refusal.result, refusal.validate);
    return;
  }
  const repo = state.store.repo(call.params.owner ?? "", call.params.repo ?? "");
  if (repo === undefined) {
    finish(state, call, { status: 404, body: new HttpError(404, "Not Found").body() });
    return;
  }
  const denied = forbidden(state, call);
  if (denied !== undefined) {
    finish(state, call, denied);
    return;
  }
  await state.faults.takeHook(call.identity)?.();
  finish(state, call, await runHandler(state, call, repo));
}

/**
 * The answer for a request refused before any repository is looked at, or undefined to go
 * on. `validate` is false when the request itself broke the contract: that is already a
 * violation, and the answer to it is not checked on top.
 */
function screen(
  state: EmulatorState,
  call: Call,
): { result: RouteResult; validate: boolean } | undefined {
  if (!call.jsonOk) {
    return {
      result: { status: 400, body: { message: "Problems parsing JSON", documentation_url: DOCS } },
      validate: true,
    };
  }
  const invalid = invalidRequest(state, call);
  if (invalid !== undefined) return { result: invalid, validate: false };
  if (!authorized(state, call.authorization)) {
    return {
      result: {
        status: 401,
        body: { message: "Bad credentials", documentation_url: DOCS, status: "401" },
      },
      validate: true,
    };
  }
  const fault = state.faults.takeFault(call.identity);
  return fault === undefined ? undefined : { result: fault, validate: true };
}

/** Records a request that does not match its operation's schema, and GitHub's answer to it. */
function invalidRequest(state: EmulatorState, call: Call): RouteResult | undefined {
  const errors = state.validator.validateRequest(call.route.key, {
    pathParams: call.params,
    query: call.query,
    body: call.body,
  });
  if (errors.length === 0) return undefined;
  state.violations.push({
    kind: "request",
    method: call.method,
    path: call.url.pathname,
    operationId: call.identity.operationId,
    errors,
  });
  // A path that breaks a parameter's pattern names no resource; a bad query or body is a 422.
  const onPath = errors.some((e) => e.startsWith("path"));
  return {
    status: onPath ? 404 : 422,
    body: onPath
      ? { message: "Not Found", documentation_url: DOCS }
      : { message: `Invalid request.\n\n${errors.join("\n")}`, documentation_url: DOCS },
  };
}

function authorized(state: EmulatorState, header: string | undefined): boolean {
  const match = /^(?:token|bearer)\s+(.+)$/i.exec(header ?? "");
  return match?.[1] === state.token;
}

/** GitHub's 403 when the token's permissions do not cover the route, or undefined. */
function forbidden(state: EmulatorState, call: Call): RouteResult | undefined {
  const { scope } = call.route;
  const needed = call.method === "GET" ? "read" : "write";
  if (scope === "metadata" || state.grants(scope, needed)) return undefined;
  return {
    status: 403,
    body: new HttpError(403, "Resource not accessible by integration", {
      documentation_url: DOCS,
    }).body(),
    headers: { "x-accepted-github-permissions": `${scope}=${needed}` },
  };
}

async function runHandler(
  state: EmulatorState,
  call: Call,
  repo: RepoRecord,
): Promise<RouteResult> {
  try {
    const result = await call.route.handler({
      method: call.method,
      params: call.params,
      query: call.query,
      body: call.body,
      store: state.store,
      urls: state.urls,
      repo,
      actor: state.actor,
      url: call.url,
    });
    // The write is done; a lost response hides that from the client.
    return state.faults.takeFault(call.identity, true) ?? result;
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { status: error.status, body: error.body() };
  }
}

/** Checks the answer against the description (unless told not to), logs it and sends it. */
function finish(state: EmulatorState, call: Call, result: RouteResult, validate = true): void {
  const { operationId } = call.identity;
  if (validate) {
    const errors = state.validator.validateResponse(call.route.key, result.status, result.body);
    if (errors.length > 0) {
      state.violations.push({
        kind: "response",
        method: call.method,
        path: call.url.pathname,
        operationId,
        errors,
      });
    }
  }
  state.requestLog.push({
    method: call.method,
    path: call.url.pathname,
    query: call.query,
    operationId,
    status: result.status,
    body: call.body,
  });
  send(state, call.response, result.status, result.body, result.headers);
}

function answerUnknownRoute(state: EmulatorState, exchange: Exchange): void {
  const { method, query } = exchange;
  const path = exchange.url.pathname;
  state.violations.push({
    kind: "unknown-route",
    method,
    path,
    operationId: null,
    errors: [`no route for ${method} ${path}`],
  });
  state.requestLog.push({ method, path, query, operationId: null, status: 404, body: undefined });
  send(state, exchange.response, 404, { message: "Not Found", documentation_url: DOCS });
}

/** Writes a response with the headers GitHub puts on every REST answer. */
function send(
  state: EmulatorState,
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const common: Record<string, string> = {
    "x-github-api-version-selected": "2022-11-28",
    "x-github-media-type": "github.v3; format=json",
    "x-github-request-id": randomUUID().toUpperCase().slice(0, 23),
    ...state.consumeRateLimit(),
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
