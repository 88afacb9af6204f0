/**
 * Figures by repository rather than by issue: how many repositories a set spans, and
 * Acc@5 averaged over repositories (each repository's share of its issues found, then
 * the mean), so that a repository with many issues counts once.
 */
import { summarise } from "./metrics.js";

export interface RepoOutcome {
  repo: string;
  gold: string[];
  ranked: string[];
}

export interface RepoFigures {
  repos: number;
  /** Mean over repositories of their Acc@5, in %. */
  acc5: number;
  /** Mean over repositories of their Acc@10, in %. */
  acc10: number;
}

export function byRepository(outcomes: readonly RepoOutcome[]): RepoFigures {
  const groups = new Map<string, RepoOutcome[]>();
  for (const o of outcomes) groups.set(o.repo, [...(groups.get(o.repo) ?? []), o]);
  let acc5 = 0;
  let acc10 = 0;
  for (const group of groups.values()) {
    const summary = summarise(group);
    acc5 += summary.acc[5];
    acc10 += summary.acc[10];
  }
  const n = groups.size;
  const round = (x: number): number => (n === 0 ? 0 : Math.round((10 * x) / n) / 10);
  return { repos: n, acc5: round(acc5), acc10: round(acc10) };
}
