/**
 * The emulator's public types: what tests pass in (seeds, options, fault specs) and what
 * they get back (the handle, repository views, violations, the request log).
 * `emulator.ts` re-exports them; import them from there.
 */
import type { CommitInfo } from "./git-repository.js";
import type { FaultSpec, HookSpec } from "./faults.js";
import type {
  AuthorAssociation,
  CommentRecord,
  IssueRecord,
  LabelRecord,
  Permission,
  RepoRecord,
  UserRecord,
} from "./model.js";
import type { PermissionScope } from "./router.js";

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
  /** A locked conversation: only people with write access may comment (not an app token). */
  locked?: boolean;
}

/** A repository to create. Its default branch gets one commit with `files` or `directory`. */
export interface RepoSeed {
  owner: string;
  name: string;
  defaultBranch?: string;
  private?: boolean;
  /**
   * The owner's GitHub plan (default "team"). Draft pull requests exist in public
   * repositories on every plan, in private ones only on Team and Enterprise Cloud.
   */
  plan?: "free" | "pro" | "team" | "enterprise";
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

/** How to start an emulator; every field has a default. */
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

/** A running emulator, as `startGitHubEmulator` returns it. */
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
