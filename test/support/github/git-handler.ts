/**
 * The git side of the emulator's server: `/{owner}/{repo}.git/...` is authenticated and
 * authorized the way github.com does it for an installation token (basic auth with the
 * token as password; `contents` permission decides fetch vs push), then handed to
 * {@link serveGitHttp} for the protocol itself.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { serveGitHttp } from "./git-http.js";
import type { EmulatorState } from "./state.js";

/** The repository a smart-HTTP path names, and the rest of the path below `.git`. */
export interface GitPath {
  owner: string;
  name: string;
  /** E.g. "/info/refs" or "/git-receive-pack"; empty for the bare `.git` path. */
  rest: string;
}

// The user name git sends is ignored; GitHub's documentation uses this one.
const USERNAME = "x-access-token";

/** The git path in `pathname`, or undefined when it is a REST path. */
export function matchGitPath(pathname: string): GitPath | undefined {
  const match = /^\/([^/]+)\/([^/]+?)\.git(\/.*)?$/.exec(pathname);
  if (match === null) return undefined;
  const [, owner = "", name = "", rest = ""] = match;
  return { owner, name, rest };
}

/** Serves one smart-HTTP request for clone, fetch or push. */
export async function handleGitRequest(
  state: EmulatorState,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  target: GitPath,
): Promise<void> {
  const repo = state.store.repo(target.owner, target.name);
  if (basicPassword(request.headers.authorization) !== state.token) {
    refuse(
      request,
      response,
      401,
      { "www-authenticate": 'Basic realm="GitHub"', "content-type": "text/plain" },
      "Invalid username or token. Password authentication is not supported for Git operations.\n",
    );
    return;
  }
  if (repo === undefined) {
    refuse(request, response, 404, { "content-type": "text/plain" }, "Repository not found.\n");
    return;
  }
  const pushing =
    url.searchParams.get("service") === "git-receive-pack" || target.rest === "/git-receive-pack";
  if (!state.grants("contents", pushing ? "write" : "read")) {
    refuse(
      request,
      response,
      403,
      { "content-type": "text/plain" },
      `Write access to repository not granted.\n`,
    );
    return;
  }
  await serveGitHttp(request, response, {
    projectRoot: state.projectRoot,
    pathInfo: `/${repo.owner}/${repo.name}.git${target.rest}`,
    query: url.search.replace(/^\?/, ""),
    remoteUser: USERNAME,
  });
}

/** The smart-HTTP URL of a repository, optionally with the token embedded. */
export function cloneUrl(
  state: EmulatorState,
  owner: string,
  name: string,
  withToken: boolean,
): string {
  const base = new URL(`${state.urls.api}/${owner}/${name}.git`);
  if (withToken) {
    base.username = USERNAME;
    base.password = state.token;
  }
  return base.toString();
}

function basicPassword(header: string | undefined): string | null {
  const basic = /^basic\s+(.+)$/i.exec(header ?? "");
  if (basic === null) return null;
  return Buffer.from(basic[1] ?? "", "base64")
    .toString("utf8")
    .split(":")
    .slice(1)
    .join(":");
}

function refuse(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  text: string,
): void {
  // Drain the unread body (a push's pack) so the client sees the answer, not a reset.
  request.resume();
  response.writeHead(status, headers);
  response.end(text);
}
