/**
 * Failures injected on demand: the next N requests to a route answer with a given status
 * (and body/headers), or run a hook first (to change state behind the client's back, e.g.
 * a concurrent run creating the same branch).
 */

/** A failure to inject. `route` names the operation three ways, any of which matches. */
export interface FaultSpec {
  /** "pulls/create", "POST /repos/{owner}/{repo}/pulls" or "/repos/{owner}/{repo}/pulls". */
  route: string;
  /** Narrows a bare template to one method. */
  method?: string;
  status: number;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Response body; defaults to GitHub's usual body for the status. */
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * Let the request take effect first and only then answer with the fault, as when
   * GitHub completes a write but the response is lost on the way (a 502 from a proxy).
   * The client cannot tell this from a write that never happened.
   */
  afterWrite?: boolean;
}

/** A hook run before the handler of the next matching request(s). */
export interface HookSpec {
  route: string;
  method?: string;
  times?: number;
  run: () => Promise<void> | void;
}

/** Identifies a request's route in the three forms a spec may use. */
export interface RouteIdentity {
  key: string;
  method: string;
  template: string;
  operationId: string;
}

interface Armed<T> {
  spec: T;
  remaining: number;
}

const DEFAULT_MESSAGES: Record<number, string> = {
  401: "Bad credentials",
  403: "Resource not accessible by integration",
  404: "Not Found",
  409: "Conflict",
  422: "Validation Failed",
  500: "Server Error",
  502: "Server Error",
  503: "Service Unavailable",
};

/** GitHub's text for a secondary rate limit; Octokit's throttling plugin keys on it. */
export const SECONDARY_RATE_LIMIT_MESSAGE =
  "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
  "If you reach out to GitHub Support for help, please include the request ID " +
  "D0C5:1B4D:2B5E8C:5A1F0E:6745A1B2.";

/** The 403 GitHub answers once a secondary rate limit trips, with its `retry-after`. */
export function secondaryRateLimitFault(spec: {
  route: string;
  method?: string;
  times?: number;
  retryAfterSeconds?: number;
}): FaultSpec {
  return {
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
  };
}

/** Pending faults and hooks, consumed in the order they were armed. */
export class FaultQueue {
  private readonly faults: Armed<FaultSpec>[] = [];
  private readonly hooks: Armed<HookSpec>[] = [];

  /** Arms a fault. */
  fail(spec: FaultSpec): void {
    if ((spec.times ?? 1) <= 0) return;
    this.faults.push({ spec, remaining: spec.times ?? 1 });
  }

  /** Arms a hook. */
  hook(spec: HookSpec): void {
    if ((spec.times ?? 1) <= 0) return;
    this.hooks.push({ spec, remaining: spec.times ?? 1 });
  }

  /** The fault response for this request, consuming one use; undefined when none. */
  takeFault(
    route: RouteIdentity,
    afterWrite = false,
  ): { status: number; body: unknown; headers: Record<string, string> } | undefined {
    const armed = take(this.faults, route, (spec) => (spec.afterWrite ?? false) === afterWrite);
    if (armed === undefined) return undefined;
    const body = armed.body ?? {
      message: DEFAULT_MESSAGES[armed.status] ?? "Error",
      documentation_url: "https://docs.github.com/rest",
      status: String(armed.status),
    };
    return { status: armed.status, body, headers: armed.headers ?? {} };
  }

  /** The hook for this request, consuming one use; undefined when none. */
  takeHook(route: RouteIdentity): HookSpec["run"] | undefined {
    return take(this.hooks, route)?.run;
  }

  /** Disarms everything. */
  clear(): void {
    this.faults.length = 0;
    this.hooks.length = 0;
  }

  /** Faults and hooks armed but never triggered. */
  pending(): string[] {
    return [...this.faults, ...this.hooks].map((a) =>
      `${a.spec.method ?? ""} ${a.spec.route} x${a.remaining}`.trim(),
    );
  }
}

function take<T extends { route: string; method?: string }>(
  queue: Armed<T>[],
  route: RouteIdentity,
  accept: (spec: T) => boolean = () => true,
): T | undefined {
  const index = queue.findIndex(({ spec }) => matches(spec, route) && accept(spec));
  const armed = queue[index];
  if (armed === undefined) return undefined;
  armed.remaining -= 1;
  if (armed.remaining <= 0) queue.splice(index, 1);
  return armed.spec;
}

function matches(spec: { route: string; method?: string }, route: RouteIdentity): boolean {
  if (spec.method !== undefined && spec.method.toUpperCase() !== route.method) return false;
  return (
    spec.route === route.operationId || spec.route === route.key || spec.route === route.template
  );
}
