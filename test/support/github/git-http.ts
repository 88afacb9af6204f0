/**
 * Git smart HTTP, served by git's own `git http-backend` CGI, so that `git clone`,
 * `git fetch` and `git push` against the emulator exercise the real protocol and land in
 * the same bare repositories the REST routes read.
 */
import { spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isolatedGitEnv } from "./git-repository.js";

/** Where the CGI finds repositories and who the authenticated user is. */
export interface GitHttpTarget {
  projectRoot: string;
  /** Path below the project root, e.g. /octo/app.git/info/refs */
  pathInfo: string;
  query: string;
  remoteUser: string;
}

/** Pipes one request through `git http-backend` and the CGI reply back to the client. */
export function serveGitHttp(
  request: IncomingMessage,
  response: ServerResponse,
  target: GitHttpTarget,
): Promise<void> {
  return new Promise((resolve) => {
    const env: Record<string, string> = {
      GIT_PROJECT_ROOT: target.projectRoot,
      GIT_HTTP_EXPORT_ALL: "1",
      PATH_INFO: target.pathInfo,
      QUERY_STRING: target.query,
      REQUEST_METHOD: request.method ?? "GET",
      REMOTE_USER: target.remoteUser,
      REMOTE_ADDR: request.socket.remoteAddress ?? "127.0.0.1",
      SERVER_PROTOCOL: "HTTP/1.1",
      GATEWAY_INTERFACE: "CGI/1.1",
    };
    const contentType = request.headers["content-type"];
    if (contentType !== undefined) env.CONTENT_TYPE = contentType;
    const contentLength = request.headers["content-length"];
    if (contentLength !== undefined) env.CONTENT_LENGTH = contentLength;
    const encoding = request.headers["content-encoding"];
    if (encoding !== undefined) env.HTTP_CONTENT_ENCODING = encoding;
    const protocol = request.headers["git-protocol"];
    if (typeof protocol === "string") env.GIT_PROTOCOL = protocol;

    const child = spawn("git", ["http-backend"], {
      env: isolatedGitEnv(env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    const stderr: Buffer[] = [];
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on("error", () => {
      // The backend may answer (e.g. with an error) before reading the whole body.
    });
    request.pipe(child.stdin);

    let head = Buffer.alloc(0);
    let headersSent = false;
    child.stdout.on("data", (chunk: Buffer) => {
      if (headersSent) {
        response.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const separator = findHeaderEnd(head);
      if (separator === null) return;
      const lines = head.subarray(0, separator.index).toString("latin1").split(/\r?\n/);
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(":");
        if (colon === -1) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === "status") status = Number(value.split(" ")[0]) || 200;
        else headers[name] = value;
      }
      response.writeHead(status, headers);
      headersSent = true;
      response.write(head.subarray(separator.index + separator.length));
    });
    child.on("close", (code) => {
      if (!headersSent) {
        const message = Buffer.concat(stderr).toString("utf8") || `git http-backend exited ${code}`;
        response.writeHead(500, { "content-type": "text/plain" });
        response.end(message);
      } else {
        response.end();
      }
      resolve();
    });
    child.on("error", () => {
      if (!headersSent) response.writeHead(500);
      response.end();
      resolve();
    });
  });
}

function findHeaderEnd(buffer: Buffer): { index: number; length: number } | null {
  const crlf = buffer.indexOf("\r\n\r\n");
  const lf = buffer.indexOf("\n\n");
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { index: crlf, length: 4 };
  if (lf !== -1) return { index: lf, length: 2 };
  return null;
}
