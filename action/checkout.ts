import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { getExecOutput } from "@actions/exec";

export interface CheckoutOptions {
  workspace: string;
  /** e.g. https://github.com (GITHUB_SERVER_URL). */
  serverUrl: string;
  owner: string;
  repo: string;
  /** The ref or sha to check out when the workspace is empty. */
  ref: string;
  token: string;
  log: (message: string) => void;
}

export interface Checkout {
  dir: string;
  sha: string;
  /** Whether this run cloned (false: an existing checkout was used). */
  cloned: boolean;
}

/** Basic-auth header value git sends; kept out of every URL so it is never printed. */
export function gitAuthHeader(token: string): string {
  return `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
}

/**
 * `env` plus one more git setting, `http.extraheader` carrying the token, appended after
 * any `GIT_CONFIG_COUNT` settings already there (git 2.31+ reads them like `-c`).
 */
export function withAuthHeader(env: NodeJS.ProcessEnv, token: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  const index = Number.parseInt(out.GIT_CONFIG_COUNT ?? "0", 10) || 0;
  out[`GIT_CONFIG_KEY_${String(index)}`] = "http.extraheader";
  out[`GIT_CONFIG_VALUE_${String(index)}`] = gitAuthHeader(token);
  out.GIT_CONFIG_COUNT = String(index + 1);
  return out;
}

/**
 * Runs git in `cwd`. With `token`, git sends it as an `http.extraheader` given through
 * git's `GIT_CONFIG_*` environment: a process's command line is readable by every user
 * of the machine (`/proc/<pid>/cmdline`, `ps`), its environment only by its own user.
 */
async function git(args: string[], cwd: string, token?: string): Promise<string> {
  const result = await getExecOutput("git", args, {
    cwd,
    silent: true,
    ignoreReturnCode: true,
    env: token === undefined ? undefined : withAuthHeader(process.env, token),
  });
  if (result.exitCode !== 0) {
    throw new Error(
      `git ${args[0] ?? ""} failed: ${result.stderr.trim().split("\n").slice(-3).join(" ")}`,
    );
  }
  return result.stdout.trim();
}

/**
 * Uses the checkout `actions/checkout` left in the workspace; when there is none, makes a
 * shallow one of `ref`. The token travels in an `http.extraheader` given in git's
 * environment for that one fetch: never on a command line, in the remote URL or in
 * .git/config.
 */
export async function ensureCheckout(options: CheckoutOptions): Promise<Checkout> {
  const dir = options.workspace;
  if (existsSync(join(dir, ".git"))) {
    const sha = await git(["rev-parse", "HEAD"], dir).catch(() => "");
    if (/^[0-9a-f]{40,64}$/.test(sha)) {
      options.log(`using the existing checkout at ${sha.slice(0, 12)}`);
      return { dir, sha, cloned: false };
    }
  }
  mkdirSync(dir, { recursive: true });
  if (readdirSync(dir).filter((name) => name !== ".git").length > 0) {
    throw new Error(
      `the workspace ${dir} has files but no git checkout; run actions/checkout first or use an empty workspace`,
    );
  }
  const url = `${options.serverUrl.replace(/\/$/, "")}/${options.owner}/${options.repo}.git`;
  options.log(
    `no checkout in the workspace: cloning ${options.owner}/${options.repo}@${options.ref} (depth 1)`,
  );
  await git(["init", "-q"], dir);
  await git(["remote", "add", "origin", url], dir);
  await git(["fetch", "--depth=1", "--no-tags", "-q", "origin", options.ref], dir, options.token);
  await git(["checkout", "-q", "--detach", "FETCH_HEAD"], dir);
  const sha = await git(["rev-parse", "HEAD"], dir);
  return { dir, sha, cloned: true };
}

/**
 * Checks out `ref` (a branch) at its remote head in an existing checkout. Credentials
 * that actions/checkout persisted are tried first: sending our header as well would give
 * git two Authorization headers, which GitHub refuses.
 */
export async function checkoutRemoteBranch(
  dir: string,
  ref: string,
  token: string,
): Promise<string> {
  const fetchArgs = [
    "fetch",
    "--depth=50",
    "--no-tags",
    "-q",
    "origin",
    `+refs/heads/${ref}:refs/remotes/origin/${ref}`,
  ];
  try {
    await git(fetchArgs, dir);
  } catch {
    await git(fetchArgs, dir, token);
  }
  await git(["checkout", "-q", "--force", "--detach", `refs/remotes/origin/${ref}`], dir);
  return git(["rev-parse", "HEAD"], dir);
}

/** Added and removed line counts per path of the uncommitted changes in `dir`. */
export async function diffStat(
  dir: string,
): Promise<Map<string, { added: number; removed: number }>> {
  await git(["add", "-A"], dir);
  const out = await git(["diff", "--cached", "--numstat"], dir);
  const stats = new Map<string, { added: number; removed: number }>();
  for (const line of out.split("\n").filter(Boolean)) {
    const [added = "0", removed = "0", path = ""] = line.split("\t");
    stats.set(path, { added: Number(added) || 0, removed: Number(removed) || 0 });
  }
  return stats;
}
