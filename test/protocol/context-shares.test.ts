import { RankedShares } from "../../protocol/index.js";

describe("RankedShares", () => {
  it("gives the best of 12 files about 64% and each next file its weight's part of what is left", () => {
    const shares = new RankedShares(12);
    const first = shares.next(10_000);
    expect(first).toBeCloseTo(10_000 / 1.565, -1);
    // The best file used only 1,000 tokens: the rest is shared among the other eleven.
    const second = shares.next(9_000);
    expect(second / 9_000).toBeCloseTo(0.25 / (1.565 - 1), 2);
  });

  it("shares the whole budget when every file uses its share, and nothing past the last file", () => {
    const shares = new RankedShares(3);
    let left = 900;
    for (let i = 0; i < 3; i++) left -= shares.next(left);
    expect(left).toBeCloseTo(0, 6);
    expect(shares.next(500)).toBe(0);
    expect(new RankedShares(0).next(100)).toBe(0);
  });
});
