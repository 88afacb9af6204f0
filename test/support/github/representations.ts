/**
 * Builds the JSON GitHub returns for each kind of object, with every field its OpenAPI
 * schema requires filled with realistic values (ids, node ids, the usual URL family).
 * The emulator validates these against the description on every response, so a missing
 * field shows up as a violation rather than as a surprise in production.
 */
import type { CommitInfo, TreeEntry } from "./git-repository.js";
import type {
  CommentRecord,
  IssueRecord,
  LabelRecord,
  Permission,
  ReactionRecord,
  RepoRecord,
  Store,
  UserRecord,
} from "./model.js";

/** Where API links and web links point. */
export interface Urls {
  /** The emulator's REST base, e.g. http://127.0.0.1:1234 */
  api: string;
  /** The web base used in html_url fields, e.g. https://github.com */
  html: string;
}

type Json = Record<string, unknown>;

/** GitHub's legacy node id: base64 of "<len>:<Type><id>". */
export function nodeId(type: string, id: number | string): string {
  return Buffer.from(`0${type.length}:${type}${id}`).toString("base64");
}

/** A `simple-user` object. */
export function simpleUser(urls: Urls, user: UserRecord): Json {
  const api = `${urls.api}/users/${encodeURIComponent(user.login)}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === "Bot" ? "Bot" : "User", user.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: "",
    url: api,
    html_url: `${urls.html}/${encodeURIComponent(user.login)}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    user_view_type: "public",
    site_admin: false,
  };
}

/** A `repository` / `full-repository` object. */
export function repository(urls: Urls, store: Store, repo: RepoRecord): Json {
  const fullName = `${repo.owner}/${repo.name}`;
  const api = `${urls.api}/repos/${fullName}`;
  const openIssues = [...repo.issues.values()].filter((i) => i.state === "open").length;
  return {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: fullName,
    private: repo.private,
    owner: simpleUser(urls, store.user(repo.owner)),
    html_url: `${urls.html}/${fullName}`,
    description: null,
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://github.com/${fullName}.git`,
    hooks_url: `${api}/hooks`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@github.com:${fullName}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${urls.api}/${fullName}.git`,
    mirror_url: null,
    svn_url: `${urls.html}/${fullName}`,
    homepage: null,
    language: null,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 0,
    default_branch: repo.defaultBranch,
    open_issues_count: openIssues,
    open_issues: openIssues,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: repo.private ? "private" : "public",
    pushed_at: repo.createdAt,
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
    network_count: 0,
    subscribers_count: 0,
  };
}

/** A `label` object. */
export function label(urls: Urls, repo: RepoRecord, record: LabelRecord): Json {
  return {
    id: record.id,
    node_id: nodeId("Label", record.id),
    url: `${urls.api}/repos/${repo.owner}/${repo.name}/labels/${encodeURIComponent(record.name)}`,
    name: record.name,
    description: record.description,
    color: record.color,
    default: record.default,
  };
}

function labelsOf(urls: Urls, repo: RepoRecord, issue: IssueRecord): Json[] {
  return issue.labels.flatMap((name) => {
    const record = repo.labels.get(name.toLowerCase());
    return record === undefined ? [] : [label(urls, repo, record)];
  });
}

function reactionRollup(url: string, reactions: readonly ReactionRecord[]): Json {
  const count = (content: ReactionRecord["content"]): number =>
    reactions.filter((r) => r.content === content).length;
  return {
    url,
    total_count: reactions.length,
    "+1": count("+1"),
    "-1": count("-1"),
    laugh: count("laugh"),
    confused: count("confused"),
    heart: count("heart"),
    hooray: count("hooray"),
    eyes: count("eyes"),
    rocket: count("rocket"),
  };
}

/** An `issue` object (pull requests carry a `pull_request` link block, as on GitHub). */
export function issue(urls: Urls, store: Store, repo: RepoRecord, record: IssueRecord): Json {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const api = `${repoApi}/issues/${record.number}`;
  const comments = [...repo.comments.values()].filter((c) => c.issueNumber === record.number);
  const kind = record.pull === null ? "issues" : "pull";
  const json: Json = {
    id: record.id,
    node_id: nodeId(record.pull === null ? "Issue" : "PullRequest", record.id),
    url: api,
    repository_url: repoApi,
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: `${urls.html}/${repo.owner}/${repo.name}/${kind}/${record.number}`,
    number: record.number,
    state: record.state,
    state_reason: null,
    title: record.title,
    body: record.body,
    user: simpleUser(urls, store.user(record.user)),
    labels: labelsOf(urls, repo, record),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: record.locked,
    active_lock_reason: null,
    comments: comments.length,
    closed_at: record.closedAt,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    author_association: record.authorAssociation,
    timeline_url: `${api}/timeline`,
    performed_via_github_app: null,
    reactions: reactionRollup(`${api}/reactions`, []),
  };
  if (record.pull !== null) {
    const pullApi = `${repoApi}/pulls/${record.number}`;
    const pullHtml = `${urls.html}/${repo.owner}/${repo.name}/pull/${record.number}`;
    json.draft = record.pull.draft;
    json.pull_request = {
      url: pullApi,
      html_url: pullHtml,
      diff_url: `${pullHtml}.diff`,
      patch_url: `${pullHtml}.patch`,
      merged_at: null,
    };
  }
  return json;
}

/** An `issue-comment` object. */
export function comment(urls: Urls, store: Store, repo: RepoRecord, record: CommentRecord): Json {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const parent = repo.issues.get(record.issueNumber);
  const kind = parent?.pull == null ? "issues" : "pull";
  return {
    id: record.id,
    node_id: nodeId("IssueComment", record.id),
    url: `${repoApi}/issues/comments/${record.id}`,
    html_url: `${urls.html}/${repo.owner}/${repo.name}/${kind}/${record.issueNumber}#issuecomment-${record.id}`,
    body: record.body,
    user: simpleUser(urls, store.user(record.user)),
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    issue_url: `${repoApi}/issues/${record.issueNumber}`,
    author_association: record.authorAssociation,
    performed_via_github_app: null,
    reactions: reactionRollup(
      `${repoApi}/issues/comments/${record.id}/reactions`,
      record.reactions,
    ),
  };
}

/** A `reaction` object. */
export function reaction(urls: Urls, store: Store, record: ReactionRecord): Json {
  return {
    id: record.id,
    node_id: nodeId("Reaction", record.id),
    user: simpleUser(urls, store.user(record.user)),
    content: record.content,
    created_at: record.createdAt,
  };
}

/** A `pull-request` object; `headSha`/`baseSha` come from the git repository. */
export function pullRequest(
  urls: Urls,
  store: Store,
  repo: RepoRecord,
  record: IssueRecord,
  shas: { head: string; base: string; commits: number },
): Json {
  const pull = record.pull;
  if (pull === null) throw new Error(`#${record.number} is not a pull request`);
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const api = `${repoApi}/pulls/${record.number}`;
  const html = `${urls.html}/${repo.owner}/${repo.name}/pull/${record.number}`;
  const repoJson = repository(urls, store, repo);
  const owner = simpleUser(urls, store.user(repo.owner));
  const comments = [...repo.comments.values()].filter((c) => c.issueNumber === record.number);
  const branchEnd = (ref: string, sha: string): Json => ({
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    user: owner,
    repo: repoJson,
  });
  return {
    url: api,
    id: pull.id,
    node_id: nodeId("PullRequest", pull.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${repoApi}/issues/${record.number}`,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: `${repoApi}/pulls/comments{/number}`,
    comments_url: `${repoApi}/issues/${record.number}/comments`,
    statuses_url: `${repoApi}/statuses/${shas.head}`,
    number: record.number,
    state: record.state,
    locked: record.locked,
    title: record.title,
    user: simpleUser(urls, store.user(record.user)),
    body: record.body,
    labels: labelsOf(urls, repo, record),
    milestone: null,
    active_lock_reason: null,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    closed_at: record.closedAt,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: branchEnd(pull.head, shas.head),
    base: branchEnd(pull.base, shas.base),
    _links: {
      self: { href: api },
      html: { href: html },
      issue: { href: `${repoApi}/issues/${record.number}` },
      comments: { href: `${repoApi}/issues/${record.number}/comments` },
      review_comments: { href: `${api}/comments` },
      review_comment: { href: `${repoApi}/pulls/comments{/number}` },
      commits: { href: `${api}/commits` },
      statuses: { href: `${repoApi}/statuses/${shas.head}` },
    },
    author_association: record.authorAssociation,
    auto_merge: null,
    draft: pull.draft,
    merged: false,
    mergeable: null,
    rebaseable: null,
    mergeable_state: "unknown",
    merged_by: null,
    comments: comments.length,
    review_comments: 0,
    maintainer_can_modify: pull.maintainerCanModify,
    commits: shas.commits,
    additions: 0,
    deletions: 0,
    changed_files: 0,
  };
}

/** A `git-ref` object. */
export function gitRef(urls: Urls, repo: RepoRecord, ref: string, sha: string, type: string): Json {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const plural = type === "tag" ? "tags" : type === "commit" ? "commits" : `${type}s`;
  return {
    ref,
    node_id: nodeId("Ref", `${repo.id}:${ref}`),
    url: `${repoApi}/git/${ref}`,
    object: { type, sha, url: `${repoApi}/git/${plural}/${sha}` },
  };
}

/** A `git-commit` object (the Git Data API's view of a commit). */
export function gitCommit(urls: Urls, repo: RepoRecord, commit: CommitInfo): Json {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const html = `${urls.html}/${repo.owner}/${repo.name}/commit`;
  return {
    sha: commit.sha,
    node_id: nodeId("Commit", commit.sha),
    url: `${repoApi}/git/commits/${commit.sha}`,
    html_url: `${html}/${commit.sha}`,
    author: commit.author,
    committer: commit.committer,
    tree: { sha: commit.tree, url: `${repoApi}/git/trees/${commit.tree}` },
    message: commit.message,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${repoApi}/git/commits/${sha}`,
      html_url: `${html}/${sha}`,
    })),
    verification: {
      verified: false,
      reason: "unsigned",
      signature: null,
      payload: null,
      verified_at: null,
    },
  };
}

/** A `commit` object (the Commits API's view, used by branches and compare). */
export function restCommit(urls: Urls, repo: RepoRecord, commit: CommitInfo): Json {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const html = `${urls.html}/${repo.owner}/${repo.name}/commit`;
  return {
    url: `${repoApi}/commits/${commit.sha}`,
    sha: commit.sha,
    node_id: nodeId("Commit", commit.sha),
    html_url: `${html}/${commit.sha}`,
    comments_url: `${repoApi}/commits/${commit.sha}/comments`,
    commit: {
      url: `${repoApi}/git/commits/${commit.sha}`,
      author: commit.author,
      committer: commit.committer,
      message: commit.message,
      comment_count: 0,
      tree: { sha: commit.tree, url: `${repoApi}/git/trees/${commit.tree}` },
      verification: {
        verified: false,
        reason: "unsigned",
        signature: null,
        payload: null,
        verified_at: null,
      },
    },
    author: null,
    committer: null,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${repoApi}/commits/${sha}`,
      html_url: `${html}/${sha}`,
    })),
  };
}

/** One entry of a `git-tree` listing. */
export function treeEntry(urls: Urls, repo: RepoRecord, entry: TreeEntry): Json {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const json: Json = { path: entry.path, mode: entry.mode, type: entry.type, sha: entry.sha };
  if (entry.type === "blob") {
    json.size = entry.size;
    json.url = `${repoApi}/git/blobs/${entry.sha}`;
  } else if (entry.type === "tree") {
    json.url = `${repoApi}/git/trees/${entry.sha}`;
  }
  return json;
}

/** A `content-file` / directory item of the Contents API. */
export function contentItem(
  urls: Urls,
  repo: RepoRecord,
  ref: string,
  entry: TreeEntry,
  content?: Buffer,
): Json {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const self = `${repoApi}/contents/${entry.path}?ref=${encodeURIComponent(ref)}`;
  const isDir = entry.type === "tree";
  const git = `${repoApi}/git/${isDir ? "trees" : "blobs"}/${entry.sha}`;
  const html = `${urls.html}/${repo.owner}/${repo.name}/${isDir ? "tree" : "blob"}/${ref}/${entry.path}`;
  const json: Json = {
    type: isDir ? "dir" : entry.type === "commit" ? "submodule" : "file",
    size: entry.size ?? 0,
    name: entry.path.split("/").pop() ?? entry.path,
    path: entry.path,
    sha: entry.sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url: isDir
      ? null
      : `${urls.api}/raw/${repo.owner}/${repo.name}/${encodeURIComponent(ref)}/${entry.path}`,
    _links: { self, git, html },
  };
  if (content !== undefined) {
    // GitHub wraps base64 at 60 columns with a trailing newline.
    const encoded = content.toString("base64").replace(/.{60}/g, "$&\n");
    json.content = encoded.endsWith("\n") || encoded === "" ? encoded : `${encoded}\n`;
    json.encoding = "base64";
  }
  return json;
}

/** The collaborator permission object. */
export function collaboratorPermission(urls: Urls, user: UserRecord, permission: Permission): Json {
  // The legacy `permission` field folds maintain into write and triage into read.
  const legacy =
    permission === "maintain" ? "write" : permission === "triage" ? "read" : permission;
  const level = ["none", "read", "triage", "write", "maintain", "admin"].indexOf(permission);
  return {
    permission: legacy,
    role_name: permission,
    user: {
      ...simpleUser(urls, user),
      role_name: permission,
      permissions: {
        pull: level >= 1,
        triage: level >= 2,
        push: level >= 3,
        maintain: level >= 4,
        admin: level >= 5,
      },
    },
  };
}
