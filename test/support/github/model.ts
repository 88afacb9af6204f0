/**
 * The emulator's in-memory state: users, repositories and their issues, pull requests,
 * comments, labels and collaborators. Git objects and refs are not here; they live in each
 * repository's bare git directory ({@link GitRepository}).
 */
import type { GitRepository } from "./git-repository.js";

/** Repository permission levels, as the collaborator permission endpoint names them. */
export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

/** GitHub's author_association values. */
export type AuthorAssociation =
  | "OWNER"
  | "MEMBER"
  | "COLLABORATOR"
  | "CONTRIBUTOR"
  | "FIRST_TIME_CONTRIBUTOR"
  | "FIRST_TIMER"
  | "MANNEQUIN"
  | "NONE";

export interface UserRecord {
  login: string;
  id: number;
  type: "User" | "Bot" | "Organization";
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

export interface ReactionRecord {
  id: number;
  user: string;
  content: "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";
  createdAt: string;
}

export interface PullRecord {
  id: number;
  head: string;
  base: string;
  draft: boolean;
  maintainerCanModify: boolean;
  /** Head sha last seen; served when the head branch has been deleted, as GitHub does. */
  lastHeadSha: string;
}

export interface IssueRecord {
  number: number;
  id: number;
  title: string;
  body: string | null;
  user: string;
  authorAssociation: AuthorAssociation;
  /** Label names, in the order they were added. */
  labels: string[];
  state: "open" | "closed";
  locked: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** Present when this issue is a pull request (they share the number space). */
  pull: PullRecord | null;
}

export interface CommentRecord {
  id: number;
  issueNumber: number;
  body: string;
  user: string;
  authorAssociation: AuthorAssociation;
  createdAt: string;
  updatedAt: string;
  reactions: ReactionRecord[];
}

export interface RepoRecord {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  private: boolean;
  plan: "free" | "pro" | "team" | "enterprise";
  createdAt: string;
  git: GitRepository;
  /** Keyed by lower-cased name: GitHub label names are case-insensitive. */
  labels: Map<string, LabelRecord>;
  issues: Map<number, IssueRecord>;
  comments: Map<number, CommentRecord>;
  /** Keyed by lower-cased login. */
  collaborators: Map<string, Permission>;
  nextNumber: number;
}

/** Shared counters and lookups. */
export class Store {
  readonly users = new Map<string, UserRecord>();
  readonly repos = new Map<string, RepoRecord>();
  private nextId = 1000;

  /** A fresh numeric id (GitHub ids are unique per type; one sequence is enough here). */
  id(): number {
    this.nextId += 1;
    return this.nextId;
  }

  /** The user record for `login`, created on first mention (`[bot]` logins are bots). */
  user(login: string, type?: UserRecord["type"]): UserRecord {
    const key = login.toLowerCase();
    let record = this.users.get(key);
    if (record === undefined) {
      record = { login, id: this.id(), type: type ?? (login.endsWith("[bot]") ? "Bot" : "User") };
      this.users.set(key, record);
    } else if (type !== undefined) {
      record.type = type;
    }
    return record;
  }

  /** The repository `owner/name` (case-insensitive), or undefined. */
  repo(owner: string, name: string): RepoRecord | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /** The permission of `login` on `repo` (the owner is an admin). */
  permission(repo: RepoRecord, login: string): Permission {
    if (login.toLowerCase() === repo.owner.toLowerCase()) return "admin";
    return repo.collaborators.get(login.toLowerCase()) ?? (repo.private ? "none" : "read");
  }

  /** The author_association GitHub would derive for `login` on `repo`. */
  association(repo: RepoRecord, login: string): AuthorAssociation {
    if (login.toLowerCase() === repo.owner.toLowerCase()) return "OWNER";
    const permission = repo.collaborators.get(login.toLowerCase());
    if (permission !== undefined && permission !== "none" && permission !== "read") {
      return "COLLABORATOR";
    }
    return "NONE";
  }
}

/** Now, as GitHub writes timestamps (UTC, whole seconds). */
export function timestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}
