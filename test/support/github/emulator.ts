/**
 * A stateful GitHub REST API emulator on a real HTTP server. Every request and response
 * is checked against GitHub's OpenAPI description; git data lives in real bare
 * repositories, also served over smart HTTP for clone/fetch/push.
 *
 *   const github = await startGitHubEmulator({ repos: [{ owner: "octo", name: "app", files }] });
 *   // ... point the code under test at github.url with github.token ...
 *   expect(github.violations).toEqual([]);
 *   await github.close();
 *
 * This module composes the parts: the shared state (state.ts), the server (server.ts) with
 * its REST (rest-handler.ts) and git (git-handler.ts) sides, seeding (repo-seed.ts), views
 * (repo-view.ts) and webhook payloads (events.ts). The public types are in types.ts.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { eventPayload, WEBHOOK_KEYS } from "./events.js";
import { secondaryRateLimitFault } from "./faults.js";
import { cloneUrl } from "./git-handler.js";
import { OpenApiValidator } from "./openapi-validator.js";
import { seedRepo } from "./repo-seed.js";
import { repoView } from "./repo-view.js";
import { ROUTES } from "./rest-handler.js";
import { listen } from "./server.js";
import { EmulatorState } from "./state.js";
import type { GitHubEmulator, GitHubEmulatorOptions, RepoSeed, RepoView } from "./types.js";

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
export type {
  EventSpec,
  GitHubEmulator,
  GitHubEmulatorOptions,
  IssueSeed,
  RepoSeed,
  RepoView,
  RequestLogEntry,
  TokenPermissions,
  Violation,
} from "./types.js";

/** Starts an emulator on 127.0.0.1 with an ephemeral port. */
export async function startGitHubEmulator(
  options: GitHubEmulatorOptions = {},
): Promise<GitHubEmulator> {
  // The validator caches its compiled schemas by this exact key list, so keep its order.
  const validator = new OpenApiValidator([...ROUTES.map((r) => r.key), ...WEBHOOK_KEYS]);
  const root = await mkdtemp(path.join(os.tmpdir(), "gh-emulator-"));
  const state = new EmulatorState(root, validator, options);
  const server = await listen(state);
  state.urls.api = server.url;
  const addRepo = async (seed: RepoSeed): Promise<RepoView> =>
    repoView(state.store, await seedRepo(state, seed));
  for (const seed of options.repos ?? []) await addRepo(seed);

  const { faults, store } = state;
  return {
    url: server.url,
    serverUrl: server.url,
    token: state.token,
    actor: state.actor.login,
    violations: state.violations,
    requestLog: state.requestLog,
    async close() {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
    failNext: (spec) => faults.fail(spec),
    secondaryRateLimit: (spec) => faults.fail(secondaryRateLimitFault(spec)),
    beforeNext: (spec) => faults.hook(spec),
    pendingFaults: () => faults.pending(),
    clearFaults: () => faults.clear(),
    setTokenPermissions: (permissions) => state.setTokenPermissions(permissions),
    addRepo,
    repo(owner, name) {
      const record = store.repo(owner, name);
      if (record === undefined) throw new Error(`no repository ${owner}/${name}`);
      return repoView(store, record);
    },
    user: (login, type) => store.user(login, type),
    eventPayload: (spec) => eventPayload(state, spec),
    cloneUrl: (owner, name, withToken = false) => cloneUrl(state, owner, name, withToken),
  };
}
