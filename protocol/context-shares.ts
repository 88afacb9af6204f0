/**
 * How a context budget is shared among ranked files, best first, each within its part of
 * what the files before it left, weighted 1/rank²: the best ranked file is by far the
 * likeliest to need changing (the top file holds about half of the changed hunks whose
 * file is in the top 12), so it gets about 64% and the tail little. The Action shares
 * its budget so when it chooses excerpts, and the worker shares its model's window so
 * when it fits them; a file that needs less than its share leaves the rest to the next.
 */
export class RankedShares {
  private rank = 0;
  private weightLeft: number;

  constructor(private readonly count: number) {
    let sum = 0;
    for (let rank = 0; rank < count; rank++) sum += weightOf(rank);
    this.weightLeft = sum;
  }

  /** The next file's share of the `left` tokens still free (0 past the last file). */
  next(left: number): number {
    if (this.rank >= this.count || this.weightLeft <= 0) return 0;
    const weight = weightOf(this.rank++);
    const share = Math.max(0, left) * (weight / this.weightLeft);
    this.weightLeft -= weight;
    return share;
  }
}

function weightOf(rank: number): number {
  return 1 / (rank + 1) ** 2;
}
