/**
 * The emulator's HTTP server on 127.0.0.1: smart HTTP under `/{owner}/{repo}.git`, the
 * REST API everywhere else, as on github.com where one host serves both.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleGitRequest, matchGitPath } from "./git-handler.js";
import { handleRestRequest } from "./rest-handler.js";
import type { EmulatorState } from "./state.js";

/** A listening server. */
export interface EmulatorServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Drops open connections and stops listening. */
  close(): Promise<void>;
}

/** Starts serving `state` on an ephemeral port. */
export async function listen(state: EmulatorState): Promise<EmulatorServer> {
  const server = createServer((request, response) => {
    dispatch(state, request, response).catch((error: unknown) => {
      // An emulator bug, not a GitHub answer: say so instead of leaving the client hanging.
      if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ message: `emulator error: ${String(error)}` }));
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      // Keep-alive connections would hold close() open until they time out.
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

// Async so that anything thrown, even while parsing the URL, reaches the 500 above.
async function dispatch(
  state: EmulatorState,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? "/", state.urls.api);
  const git = matchGitPath(url.pathname);
  if (git !== undefined) {
    await handleGitRequest(state, request, response, url, git);
    return;
  }
  await handleRestRequest(state, request, response, url);
}
