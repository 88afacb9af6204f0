/**
 * Creating repository state directly, without going through the REST API: a repository
 * with its first commit, labels, collaborators and issues, and issues or comments added
 * later by a test (as a maintainer would on github.com).
 */
import path from "node:path";
import { GitRepository } from "./git-repository.js";
import {
  timestamp,
  type CommentRecord,
  type IssueRecord,
  type RepoRecord,
  type Store,
} from "./model.js";
import type { EmulatorState } from "./state.js";
import type { IssueSeed, RepoSeed } from "./types.js";

// A fixed author and date make a seeded commit's sha depend on its files alone.
const SEED_SIGNATURE = {
  name: "Octo Cat",
  email: "octocat@example.com",
  date: "2026-01-01T00:00:00Z",
};

/** Creates the bare repository and its record, and registers it in the store. */
export async function seedRepo(state: EmulatorState, seed: RepoSeed): Promise<RepoRecord> {
  const { store } = state;
  const defaultBranch = seed.defaultBranch ?? "main";
  store.user(seed.owner);
  const git = await GitRepository.init(
    path.join(state.projectRoot, seed.owner, `${seed.name}.git`),
    defaultBranch,
  );
  const source =
    seed.directory !== undefined
      ? { directory: seed.directory }
      : { files: seed.files ?? { "README.md": `# ${seed.name}\n` } };
  await git.seed(defaultBranch, source, SEED_SIGNATURE);
  const record: RepoRecord = {
    id: store.id(),
    owner: seed.owner,
    name: seed.name,
    defaultBranch,
    private: seed.private ?? false,
    plan: seed.plan ?? "team",
    createdAt: timestamp(),
    git,
    labels: new Map(),
    issues: new Map(),
    comments: new Map(),
    collaborators: new Map(),
    nextNumber: 1,
  };
  store.repos.set(`${seed.owner}/${seed.name}`.toLowerCase(), record);
  for (const [login, permission] of Object.entries(seed.collaborators ?? {})) {
    store.user(login);
    record.collaborators.set(login.toLowerCase(), permission);
  }
  for (const item of seed.labels ?? []) {
    record.labels.set(item.name.toLowerCase(), {
      id: store.id(),
      name: item.name,
      color: item.color ?? "ededed",
      description: item.description ?? null,
      default: false,
    });
  }
  for (const item of seed.issues ?? []) addIssue(store, record, item);
  return record;
}

/** Opens an issue; labels it names that do not exist yet are created. */
export function addIssue(store: Store, record: RepoRecord, seed: IssueSeed): IssueRecord {
  const author = seed.user ?? "octocat";
  store.user(author);
  const now = timestamp();
  const issue: IssueRecord = {
    number: record.nextNumber,
    id: store.id(),
    title: seed.title,
    body: seed.body ?? null,
    user: author,
    authorAssociation: seed.authorAssociation ?? store.association(record, author),
    labels: [],
    state: seed.state ?? "open",
    locked: seed.locked ?? false,
    createdAt: now,
    updatedAt: now,
    closedAt: seed.state === "closed" ? now : null,
    pull: null,
  };
  record.nextNumber += 1;
  for (const name of seed.labels ?? []) {
    if (!record.labels.has(name.toLowerCase())) {
      record.labels.set(name.toLowerCase(), {
        id: store.id(),
        name,
        color: "ededed",
        description: null,
        default: false,
      });
    }
    issue.labels.push(name);
  }
  record.issues.set(issue.number, issue);
  return issue;
}

/** Comments on an issue or pull request as `comment.user`. */
export function addComment(
  store: Store,
  record: RepoRecord,
  issueNumber: number,
  comment: { user: string; body: string },
): CommentRecord {
  if (!record.issues.has(issueNumber)) throw new Error(`no issue #${issueNumber}`);
  store.user(comment.user);
  const now = timestamp();
  const created: CommentRecord = {
    id: store.id(),
    issueNumber,
    body: comment.body,
    user: comment.user,
    authorAssociation: store.association(record, comment.user),
    createdAt: now,
    updatedAt: now,
    reactions: [],
  };
  record.comments.set(created.id, created);
  return created;
}
