/**
 * The {@link RepoView} tests get over one repository: git state read straight from the
 * bare repository, records read live from the store, and the seeding shortcuts.
 */
import type { GitRepository } from "./git-repository.js";
import type { RepoRecord, Store } from "./model.js";
import { addComment, addIssue } from "./repo-seed.js";
import type { RepoView } from "./types.js";

/** A view over `record`; it holds no state of its own, so views are cheap and never stale. */
export function repoView(store: Store, record: RepoRecord): RepoView {
  return {
    owner: record.owner,
    name: record.name,
    gitDir: record.git.gitDir,
    record,
    ...gitReads(record.git),
    issue: (number) => record.issues.get(number),
    comments: (issueNumber) =>
      [...record.comments.values()]
        .filter((c) => c.issueNumber === issueNumber)
        .sort((a, b) => a.id - b.id),
    pulls: () =>
      [...record.issues.values()]
        .filter((i) => i.pull !== null)
        .sort((a, b) => a.number - b.number),
    labels: () => [...record.labels.values()].sort((a, b) => a.id - b.id),
    issueLabels: (number) => [...(record.issues.get(number)?.labels ?? [])],
    addIssue: (seed) => addIssue(store, record, seed),
    addComment: (issueNumber, comment) => addComment(store, record, issueNumber, comment),
    setPermission(login, permission) {
      store.user(login);
      record.collaborators.set(login.toLowerCase(), permission);
    },
  };
}

type GitReads = Pick<
  RepoView,
  "branches" | "branchSha" | "readFile" | "listFiles" | "commit" | "log"
>;

function gitReads(git: GitRepository): GitReads {
  return {
    async branches() {
      const refs = await git.listRefs("refs/heads/");
      return Object.fromEntries(refs.map((r) => [r.ref.slice("refs/heads/".length), r.sha]));
    },
    branchSha: (branch) => git.resolveRef(`refs/heads/${branch}`),
    async readFile(ref, filePath) {
      const commit = await resolve(git, ref);
      const entry = commit === null ? null : await git.entryAt(commit, filePath);
      if (entry === null || entry.type !== "blob") return null;
      return (await git.readBlob(entry.sha)).toString("utf8");
    },
    async listFiles(ref) {
      const commit = await resolve(git, ref);
      if (commit === null) return [];
      return (await git.listTree(commit, true))
        .filter((e) => e.type !== "tree")
        .map((e) => e.path)
        .sort();
    },
    async commit(ref) {
      const sha = await resolve(git, ref);
      if (sha === null) throw new Error(`no commit ${ref}`);
      return git.readCommit(sha);
    },
    async log(ref, max = 50) {
      const out = await git.git([
        "rev-list",
        "--first-parent",
        `--max-count=${max}`,
        "--end-of-options",
        ref,
      ]);
      const shas = out.split("\n").filter((l) => l.length > 0);
      return Promise.all(shas.map((sha) => git.readCommit(sha)));
    },
  };
}

/** The commit `ref` names, or null; a ref starting with "-" would be read as an option. */
async function resolve(git: GitRepository, ref: string): Promise<string | null> {
  if (ref.startsWith("-")) return null;
  try {
    return (await git.git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])).trim();
  } catch {
    return null;
  }
}
