/**
 * A real fix's base tree, ranked for its issue as the Action ranks it, and the plan
 * request built from it, for the benchmarks that measure what requests carry (plan
 * reach, prompt tokens). With a cache directory, each instance's ranking and the files it
 * ranks best are kept, so that later runs which change only what is sent skip the
 * extraction and the ranking; clear the cache when the ranking changes.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { rankRepository, type RepositoryRanking } from "../../../action/context/build-context.js";
import { readIssueSignals } from "../../../action/context/issue-signals.js";
import { boundIssueText } from "../../../action/steps/read-issue.js";
import { planRequest } from "../../../action/steps/work-request.js";
import type { PlanRequest, RequestContext } from "../../../protocol/index.js";
import { extractTree } from "../localization/instances.js";

/** The ranking and, for the files given excerpts, the tree: all assembleContext reads. */
export interface PreparedRanking {
  ranked: RepositoryRanking;
  repoDir: string;
  /** Removes the extracted tree (a cached one stays). */
  done: () => void;
}

export interface RankingInstance {
  id: string;
  gitDir: string;
  commit: string;
  title: string;
  body: string;
}

/** The base tree in a new temporary directory, less the blobs the mirror leaves out. */
function extract(gitDir: string, commit: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "plan-reach-"));
  const tree = path.join(dir, "tree");
  if (!extractTree(gitDir, commit, tree, false)) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`cannot extract ${commit}`);
  }
  return tree;
}

/**
 * The instance's base tree ranked for its issue; the best `keptFiles` files are what a
 * cached tree holds. Throws when the base commit cannot be extracted.
 */
export async function prepareRanking(
  instance: RankingInstance,
  keptFiles: number,
  cacheDir?: string,
): Promise<PreparedRanking> {
  const { id, gitDir, commit, title, body } = instance;
  const cached = cacheDir ? path.join(cacheDir, id) : undefined;
  const cacheFile = cached && path.join(cached, "ranking.json");
  if (cached && cacheFile && existsSync(cacheFile)) {
    const stored = JSON.parse(readFileSync(cacheFile, "utf8")) as Omit<
      RepositoryRanking,
      "signals"
    >;
    const ranked = { ...stored, signals: readIssueSignals(title, body) };
    return { ranked, repoDir: path.join(cached, "tree"), done: () => {} };
  }
  const tree = extract(gitDir, commit);
  // As buildContext ranks for a plan request.
  const ranked = await rankRepository({ repoDir: tree, title, body, top: Math.max(50, keptFiles) });
  if (!cached || !cacheFile) {
    const done = () => rmSync(path.dirname(tree), { recursive: true, force: true });
    return { ranked, repoDir: tree, done };
  }
  rmSync(cached, { recursive: true, force: true });
  for (const file of ranked.ranking.slice(0, keptFiles)) {
    const to = path.join(cached, "tree", file.path);
    mkdirSync(path.dirname(to), { recursive: true });
    if (existsSync(path.join(tree, file.path))) copyFileSync(path.join(tree, file.path), to);
  }
  mkdirSync(path.join(cached, "tree"), { recursive: true });
  const { signals: _signals, ...stored } = ranked;
  writeFileSync(cacheFile, JSON.stringify(stored));
  rmSync(path.dirname(tree), { recursive: true, force: true });
  return { ranked, repoDir: path.join(cached, "tree"), done: () => {} };
}

/** A benchmark issue's text, bounded as the Action bounds an issue it reads. */
export function benchIssue(title: string, body: string): ReturnType<typeof boundIssueText> {
  return boundIssueText({ number: 1, title, body, author: "reporter", labels: [] });
}

/** The plan request the Action would send for the issue and its context. */
export function benchPlanRequest(
  issue: ReturnType<typeof boundIssueText>,
  context: RequestContext,
  id: string,
): PlanRequest {
  return planRequest({
    repo: { owner: "o", name: "r", defaultBranch: "main", sha: "0".repeat(40) },
    issue,
    context,
    timeoutMinutes: 10,
    idempotencyKey: id,
  });
}
