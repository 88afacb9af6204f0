/**
 * The one Octokit factory, plus what the rest of the Action needs to know about GitHub's
 * failures: the error texts GitHub sends (as named constants) and a translation of an
 * Octokit error into a message that says what to fix.
 */
import { getOctokit } from "@actions/github";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import Bottleneck from "bottleneck";

/** The client every GitHub helper receives. */
export type GitHubClient = ReturnType<typeof getOctokit>;

/** Texts GitHub puts in error messages; matched case-insensitively as substrings. */
export const GitHubErrorText = {
  resourceNotAccessible: "Resource not accessible by integration",
  actionsCannotCreatePullRequests:
    "GitHub Actions is not permitted to create or approve pull requests",
  badCredentials: "Bad credentials",
  secondaryRateLimit: "secondary rate limit",
  primaryRateLimit: "API rate limit exceeded",
  pullRequestExists: "A pull request already exists",
  noCommitsBetween: "No commits between",
  referenceExists: "Reference already exists",
  referenceMissing: "Reference does not exist",
  notFastForward: "Update is not a fast forward",
  labelMissing: "Label does not exist",
  alreadyExists: "already_exists",
  draftsUnsupported: "Draft pull requests are not supported",
  issueLocked: "issue is locked",
} as const;

/** Settings for {@link createGitHubClient}. */
export interface GitHubClientSettings {
  token: string;
  /** REST base URL, e.g. https://api.github.com or the GITHUB_API_URL of the run. */
  baseUrl: string;
  userAgent?: string;
  /** Retries of 5xx and network failures (default 3). */
  retries?: number;
  /** Secondary/primary rate-limit retries before giving up (default 2). */
  rateLimitRetries?: number;
  /** Longest rate-limit wait accepted, in seconds (default 120); longer waits fail fast. */
  maxRateLimitWaitSeconds?: number;
  /**
   * Milliseconds per unit of Octokit's retry waits (retry n waits n² units; a rate limit
   * waits `retry-after` units). 1000 in production; tests make it small.
   */
  retryUnitMs?: number;
  /**
   * Spacing between write requests in milliseconds. Unset keeps the throttling plugin's
   * defaults (1 s between writes, 3 s between notification-triggering writes), which is
   * GitHub's guidance for avoiding secondary rate limits; tests set 0.
   */
  writeSpacingMs?: number;
  /** Where retry and rate-limit notices go (default: nowhere). */
  log?: { warn: (message: string) => void };
}

// Statuses that a retry cannot fix. 403 stays here: the throttling plugin handles the
// rate-limit kind of 403 on its own, and every other 403 is a permission problem.
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 451];

/**
 * Creates the Octokit client: `@actions/github`'s client with retry (5xx, network) and
 * throttling (secondary and primary rate limits, bounded retries) plugins.
 */
export function createGitHubClient(settings: GitHubClientSettings): GitHubClient {
  const retries = settings.retries ?? 3;
  const rateLimitRetries = settings.rateLimitRetries ?? 2;
  const maxWait = settings.maxRateLimitWaitSeconds ?? 120;
  const unit = settings.retryUnitMs ?? 1000;
  const warn = settings.log?.warn ?? ((): void => undefined);
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      options: { method?: string; url?: string },
      _octokit: unknown,
      retryCount: number,
    ) => {
      const request = `${options.method ?? "?"} ${options.url ?? "?"}`;
      if (retryCount < rateLimitRetries && retryAfter <= maxWait) {
        warn(`GitHub ${kind} rate limit on ${request}; retrying after ${retryAfter} s`);
        return true;
      }
      warn(`GitHub ${kind} rate limit on ${request}; giving up after ${retryCount} retries`);
      return false;
    };
  const spacing = settings.writeSpacingMs;
  const groups =
    spacing === undefined
      ? {}
      : {
          write: new Bottleneck.Group({ maxConcurrent: 1, minTime: spacing }),
          notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: spacing }),
        };
  return getOctokit(
    settings.token,
    {
      baseUrl: settings.baseUrl.replace(/\/+$/, ""),
      ...(settings.userAgent === undefined ? {} : { userAgent: settings.userAgent }),
      log: { debug: () => undefined, info: () => undefined, warn, error: warn },
      retry: { doNotRetry: DO_NOT_RETRY, retries, retryAfterBaseValue: unit },
      throttle: {
        onSecondaryRateLimit: onLimit("secondary"),
        onRateLimit: onLimit("primary"),
        retryAfterBaseValue: unit,
        fallbackSecondaryRateRetryAfter: 60,
        ...groups,
      },
    },
    retry,
    throttling,
  );
}

/** The HTTP status of an Octokit error, or undefined for anything else. */
export function errorStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/**
 * Everything GitHub said about a failure: the message plus each entry of `errors`
 * (where GitHub puts "A pull request already exists for …" and "already_exists").
 */
export function errorText(error: unknown): string {
  if (error === null || typeof error !== "object") return String(error);
  const parts: string[] = [];
  if (error instanceof Error) parts.push(error.message);
  const data = (error as { response?: { data?: unknown } }).response?.data;
  if (data !== null && typeof data === "object") {
    const { message, errors } = data as { message?: unknown; errors?: unknown };
    if (typeof message === "string") parts.push(message);
    if (Array.isArray(errors)) {
      for (const entry of errors) {
        if (typeof entry === "string") parts.push(entry);
        else if (entry !== null && typeof entry === "object") {
          const { message: m, code } = entry as { message?: unknown; code?: unknown };
          if (typeof m === "string") parts.push(m);
          if (typeof code === "string") parts.push(code);
        }
      }
    }
  }
  return parts.join("\n");
}

/** True when the error is an HTTP `status` whose text contains `text`. */
export function isGitHubError(error: unknown, status: number, text?: string): boolean {
  if (errorStatus(error) !== status) return false;
  return text === undefined || errorText(error).toLowerCase().includes(text.toLowerCase());
}

/** The workflow permission a request needs, derived from its path. */
export function requiredPermission(method: string, url: string): string {
  const access = method.toUpperCase() === "GET" ? "read" : "write";
  const { pathname } = new URL(url, "https://api.github.invalid");
  if (/^\/repos\/[^/]+\/[^/]+\/pulls(\/|$)/.test(pathname)) return `pull-requests: ${access}`;
  if (/^\/repos\/[^/]+\/[^/]+\/(issues|labels)(\/|$)/.test(pathname)) return `issues: ${access}`;
  return `contents: ${access}`;
}

const PERMISSIONS_BLOCK = [
  "permissions:",
  "  contents: write",
  "  pull-requests: write",
  "  issues: write",
].join("\n");

/**
 * Turns a GitHub failure into a message that names the request and what to fix (missing
 * workflow permission, bad token, missing repository, rate limit). Anything else keeps
 * GitHub's own words.
 */
export function describeGitHubError(error: unknown): string {
  const status = errorStatus(error);
  const text = errorText(error);
  const lower = text.toLowerCase();
  const request = (error as { request?: { method?: string; url?: string } } | null)?.request;
  const method = request?.method ?? "";
  const url = request?.url ?? "";
  const target =
    method !== ""
      ? `${method} ${new URL(url, "https://api.github.invalid").pathname}`
      : "GitHub request";
  const said = firstLine(text);
  if (status === undefined) {
    // Not an HTTP failure (our own checks, a network error): its message is the story.
    return error instanceof Error ? error.message : `${target} failed: ${said}`;
  }
  if (status === 401) {
    return `${target} failed (401 ${said}): the token is missing, expired or invalid. Check the 'github-token' input (the default is the workflow's GITHUB_TOKEN).`;
  }
  if ((status === 403 || status === 429) && lower.includes(GitHubErrorText.secondaryRateLimit)) {
    return `${target} failed: GitHub's secondary rate limit was hit and retries ran out. Retry the run later (re-run the job or re-apply the trigger label).`;
  }
  if (
    (status === 403 || status === 429) &&
    lower.includes(GitHubErrorText.primaryRateLimit.toLowerCase())
  ) {
    return `${target} failed: the token's API rate limit is exhausted. Retry after the limit resets.`;
  }
  if (
    status === 403 &&
    lower.includes(GitHubErrorText.actionsCannotCreatePullRequests.toLowerCase())
  ) {
    return `${target} failed (403): ${said}. Enable "Allow GitHub Actions to create and approve pull requests" in the repository (or organization) Settings → Actions → General, or pass a token with pull request access.`;
  }
  if (status === 403 && lower.includes(GitHubErrorText.issueLocked.toLowerCase())) {
    return `${target} failed (403 ${said}): the issue's conversation is locked, so the agent cannot comment on it. Unlock it (the issue's sidebar, "Unlock conversation") and run again.`;
  }
  if (status === 403) {
    const accepted = headerValue(error, "x-accepted-github-permissions");
    const needed =
      accepted === undefined
        ? requiredPermission(method || "POST", url)
        : (accepted.split(/[;,]/)[0]?.replace("=", ": ").replace("_", "-") ?? "");
    return `${target} failed (403 ${said}): the workflow token lacks \`${needed}\`. Grant it in the workflow file:\n${PERMISSIONS_BLOCK}`;
  }
  if (status === 404) {
    return `${target} failed (404): the repository, issue or object was not found, or the token has no access to it. Check the repository name and that the token can read it.`;
  }
  if (status === 422) {
    // Bare error codes ("custom", "invalid") add nothing to the messages beside them.
    const details = text
      .split("\n")
      .slice(1)
      .filter((l) => l.trim().length > 0 && !/^[a-z_]+$/.test(l.trim()));
    return `${target} was rejected (422): ${details.join("; ") || said}`;
  }
  if (status >= 500)
    return `${target} failed (${status}): GitHub had a server error and retries ran out. Retry the run later.`;
  return `${target} failed (${status}): ${said}`;
}

function firstLine(text: string): string {
  const lines = text.split("\n").filter((l) => l.trim().length > 0);
  // Octokit's message repeats the body; GitHub's own message is more useful when present.
  return lines[1] ?? lines[0] ?? "unknown error";
}

function headerValue(error: unknown, name: string): string | undefined {
  const headers = (error as { response?: { headers?: Record<string, unknown> } } | null)?.response
    ?.headers;
  const value = headers?.[name];
  return typeof value === "string" ? value : undefined;
}
