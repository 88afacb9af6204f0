/**
 * Localization metrics over ranked path lists: Acc@k (every retrievable gold file in
 * the top k), any@k (at least one), MRR (first gold file), and percentiles.
 */

export interface InstanceOutcome {
  gold: string[];
  ranked: string[];
}

export interface Summary {
  n: number;
  acc: Record<1 | 3 | 5 | 10, number>;
  any5: number;
  mrr: number;
}

/** Aggregates outcomes into percentages (Acc, any) and MRR (0..1). */
export function summarise(outcomes: readonly InstanceOutcome[]): Summary {
  const n = outcomes.length;
  const accAt = (k: number): number =>
    pct(outcomes.filter((o) => o.gold.every((g) => o.ranked.slice(0, k).includes(g))).length, n);
  const any5 = pct(
    outcomes.filter((o) => o.gold.some((g) => o.ranked.slice(0, 5).includes(g))).length,
    n,
  );
  let mrr = 0;
  for (const o of outcomes) {
    const rank = o.ranked.findIndex((p) => o.gold.includes(p));
    if (rank >= 0) mrr += 1 / (rank + 1);
  }
  return {
    n,
    acc: { 1: accAt(1), 3: accAt(3), 5: accAt(5), 10: accAt(10) },
    any5,
    mrr: n === 0 ? 0 : Math.round((mrr / n) * 1000) / 1000,
  };
}

function pct(count: number, n: number): number {
  return n === 0 ? 0 : Math.round((1000 * count) / n) / 10;
}

/** Nearest-rank percentile of a list of numbers (0 for an empty list). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? 0;
}
