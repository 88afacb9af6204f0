/**
 * Everything one emulator instance remembers between requests. The REST pipeline, the git
 * endpoint, the seeding code and the handle tests hold share this one object, so a change
 * made through any of them (a fault armed, a permission narrowed) is seen by all the others.
 */
import path from "node:path";
import { FaultQueue } from "./faults.js";
import { Store, type UserRecord } from "./model.js";
import type { OpenApiValidator } from "./openapi-validator.js";
import type { Urls } from "./representations.js";
import type { PermissionScope } from "./router.js";
import type {
  GitHubEmulatorOptions,
  RequestLogEntry,
  TokenPermissions,
  Violation,
} from "./types.js";

const DEFAULT_TOKEN = "ghs_emulator0000000000000000000000000000";
const DEFAULT_ACTOR = "github-actions[bot]";
// GitHub's primary rate limit for an installation token, per hour.
const RATE_LIMIT = 5000;

/** A token permission scope that can be narrowed (`metadata` is always readable). */
export type GrantableScope = Exclude<PermissionScope, "metadata">;

/** The mutable state of one emulator. */
export class EmulatorState {
  readonly store = new Store();
  readonly faults = new FaultQueue();
  /** Contract breaches, in the order seen; the handle exposes this very array. */
  readonly violations: Violation[] = [];
  /** Served REST requests; the handle exposes this very array. */
  readonly requestLog: RequestLogEntry[] = [];
  readonly token: string;
  /** The user the token acts as. */
  readonly actor: UserRecord;
  /**
   * Link bases for representations. `api` is empty until the server listens; handlers keep
   * a reference to this object, so it is filled in place rather than replaced.
   */
  readonly urls: Urls;
  /** Bare repositories live at `<projectRoot>/<owner>/<name>.git`, as `git http-backend` expects. */
  readonly projectRoot: string;
  private permissions: TokenPermissions;
  private rateRemaining = RATE_LIMIT;
  private readonly rateReset: number;

  /**
   * @param root a fresh temporary directory the emulator owns and removes on close
   * @param validator the OpenAPI validator for every operation and webhook it serves
   */
  constructor(
    readonly root: string,
    readonly validator: OpenApiValidator,
    options: GitHubEmulatorOptions,
  ) {
    this.projectRoot = path.join(root, "repos");
    this.token = options.token ?? DEFAULT_TOKEN;
    // The actor and the listed users come first so their ids are the same in every run.
    this.actor = this.store.user(options.actor ?? DEFAULT_ACTOR);
    for (const user of options.users ?? []) this.store.user(user.login, user.type);
    this.permissions = { ...options.tokenPermissions };
    this.rateReset = Math.floor(Date.now() / 1000) + 3600;
    this.urls = { api: "", html: options.htmlUrl ?? "https://github.com" };
  }

  /** Replaces the token's permissions (the workflow's `permissions:`). */
  setTokenPermissions(permissions: TokenPermissions): void {
    this.permissions = { ...permissions };
  }

  /** Whether the token may `needed` (read or write) in `scope`; unset scopes are `write`. */
  grants(scope: GrantableScope, needed: "write" | "read"): boolean {
    const granted = this.permissions[scope] ?? "write";
    return granted === "write" || (granted === "read" && needed === "read");
  }

  /** Counts one response against the primary rate limit; the headers GitHub sends for it. */
  consumeRateLimit(): Record<string, string> {
    this.rateRemaining = Math.max(this.rateRemaining - 1, 0);
    return {
      "x-ratelimit-limit": String(RATE_LIMIT),
      "x-ratelimit-remaining": String(this.rateRemaining),
      "x-ratelimit-reset": String(this.rateReset),
      "x-ratelimit-used": String(RATE_LIMIT - this.rateRemaining),
      "x-ratelimit-resource": "core",
    };
  }
}
