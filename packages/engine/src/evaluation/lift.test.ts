import { describe, expect, it } from 'vitest';
import { liftByDecile } from './lift.js';

describe('liftByDecile', () => {
  it('computes rate, lift and cumulative gains on a crafted 20-row case', () => {
    // Ranks 0…19 by descending score; positives at ranks 0, 1, 2, 5 and 11: base rate 5/20 = ¼.
    // Rows are given in a scrambled order to show that only the scores matter.
    const positiveRanks = new Set([0, 1, 2, 5, 11]);
    const ranks = [7, 0, 19, 11, 3, 14, 5, 1, 16, 9, 2, 12, 18, 4, 8, 15, 6, 10, 13, 17];
    const labels = Uint8Array.from(ranks, (rank) => (positiveRanks.has(rank) ? 1 : 0));
    const scores = ranks.map((rank) => 100 - rank);
    const deciles = liftByDecile(labels, scores);
    // Two rows per decile. Decile: positives → rate, lift = rate/¼, gain = cumulative/5,
    // cumulative lift = (cumulative positives / cumulative rows) / ¼:
    // 1: 2 → 1, 4, 0.4, (2/2)/¼ = 4        2: 1 → ½, 2, 0.6, (3/4)/¼ = 3
    // 3: 1 → ½, 2, 0.8, (4/6)/¼ = 2.667    4: 0 → 0, 0, 0.8, (4/8)/¼ = 2
    // 5: 0 → 0, 0, 0.8, (4/10)/¼ = 1.6     6: 1 → ½, 2, 1.0, (5/12)/¼ = 1.667
    // 7–10: 0 → 0, 0, 1.0, 5/14/¼, 5/16/¼, 5/18/¼, 5/20/¼ = 1
    expect(deciles.map((d) => d.decile)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(deciles.every((d) => d.count === 2)).toBe(true);
    expect(deciles.map((d) => d.positives)).toEqual([2, 1, 1, 0, 0, 1, 0, 0, 0, 0]);
    expect(deciles.map((d) => d.rate)).toEqual([1, 0.5, 0.5, 0, 0, 0.5, 0, 0, 0, 0]);
    expect(deciles.map((d) => d.lift)).toEqual([4, 2, 2, 0, 0, 2, 0, 0, 0, 0]);
    expect(deciles.map((d) => d.cumulativeGain)).toEqual(
      [0.4, 0.6, 0.8, 0.8, 0.8, 1, 1, 1, 1, 1].map(closeTo),
    );
    expect(deciles.map((d) => d.cumulativeLift)).toEqual(
      [4, 3, 8 / 3, 2, 1.6, 5 / 3, 20 / 14, 20 / 16, 20 / 18, 1].map(closeTo),
    );
  });

  it('shares the positives of a tie that straddles a decile boundary', () => {
    // 10 rows, one per decile. Ranks 1 and 2 tie at score 8 with one positive between them:
    // each of deciles 2 and 3 gets ½ positive, whichever row the sort put first.
    const labels = Uint8Array.of(1, 0, 1, 0, 0, 0, 0, 0, 0, 1);
    const scores = [9, 8, 8, 7, 6, 5, 4, 3, 2, 1];
    const deciles = liftByDecile(labels, scores);
    expect(deciles.map((d) => d.positives)).toEqual([1, 0.5, 0.5, 0, 0, 0, 0, 0, 0, 1]);
    // Swapping the tied rows changes nothing.
    const swapped = liftByDecile(Uint8Array.of(1, 1, 0, 0, 0, 0, 0, 0, 0, 1), scores);
    expect(swapped).toEqual(deciles);
  });

  it('gives lift 1 everywhere when all scores are equal', () => {
    const labels = Uint8Array.from({ length: 20 }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const deciles = liftByDecile(labels, new Float64Array(20).fill(0.3));
    for (const [d, decile] of deciles.entries()) {
      expect(decile.positives).toBeCloseTo(0.5, 12);
      expect(decile.lift).toBeCloseTo(1, 12);
      expect(decile.cumulativeGain).toBeCloseTo((d + 1) / 10, 12);
    }
  });

  it('spreads the extra rows evenly when n is not a multiple of 10', () => {
    const labels = Uint8Array.from({ length: 25 }, (_, i) => (i < 5 ? 1 : 0));
    const scores = Array.from({ length: 25 }, (_, i) => -i);
    // Decile d holds ranks ⌊(d−1)·25/10⌋ … ⌊d·25/10⌋ − 1: boundaries 0, 2, 5, 7, 10, 12, …
    expect(liftByDecile(labels, scores).map((d) => d.count)).toEqual([
      2, 3, 2, 3, 2, 3, 2, 3, 2, 3,
    ]);
  });

  it('needs ten rows and at least one positive', () => {
    expect(() => liftByDecile(Uint8Array.of(1, 0), [1, 2])).toThrow(
      'liftByDecile: lift by decile needs at least 10 rows, got 2',
    );
    expect(() => liftByDecile(new Uint8Array(10), new Float64Array(10))).toThrow(
      'liftByDecile: labels holds no positives, so the base rate is 0 and lift is undefined',
    );
  });
});

function closeTo(value: number): unknown {
  return expect.closeTo(value, 12);
}
