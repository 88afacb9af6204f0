/**
 * The Action's GitHub client pointed at an emulator, with retry waits and write spacing
 * shrunk so tests run in milliseconds while exercising the same plugins as production.
 */
import {
  createGitHubClient,
  type GitHubClient,
  type GitHubClientSettings,
} from "../../../action/github/octokit.js";
import type { GitHubEmulator } from "./emulator.js";

/** A production-configured client for `github`, with fast retries. */
export function emulatorClient(
  github: GitHubEmulator,
  overrides: Partial<GitHubClientSettings> = {},
): GitHubClient {
  return createGitHubClient({
    token: github.token,
    baseUrl: github.url,
    retryUnitMs: 1,
    writeSpacingMs: 0,
    ...overrides,
  });
}
