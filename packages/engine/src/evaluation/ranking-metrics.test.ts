import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from './input-checks.js';
import { prAuc, rocAuc } from './ranking-metrics.js';

const labels = (...values: number[]) => Uint8Array.from(values);

// Ten rows with ties in every score but 0.7; the expected values were computed by hand below
// and confirmed with scikit-learn 1.2.1: roc_auc_score → 0.54, average_precision_score →
// 0.5333333333333333.
const TIED_LABELS = labels(1, 0, 1, 1, 0, 0, 1, 0, 0, 1);
const TIED_SCORES = [0.9, 0.9, 0.7, 0.5, 0.5, 0.5, 0.3, 0.3, 0.1, 0.1];

/** The definition: share of (positive, negative) pairs ordered correctly, ties worth 1/2. */
function pairwiseAuc(y: Uint8Array, scores: readonly number[]): number {
  let credit = 0;
  let pairs = 0;
  y.forEach((yi, i) => {
    y.forEach((yj, j) => {
      if (yi !== 1 || yj !== 0) return;
      pairs++;
      const si = scores[i] as number;
      const sj = scores[j] as number;
      credit += si > sj ? 1 : si === sj ? 0.5 : 0;
    });
  });
  return credit / pairs;
}

describe('rocAuc', () => {
  it('is the share of correctly ordered positive/negative pairs', () => {
    // Positives score 0.35 and 0.8, negatives 0.1 and 0.4. Pairs: 0.35>0.1 ✓, 0.35>0.4 ✗,
    // 0.8>0.1 ✓, 0.8>0.4 ✓ → 3/4.
    expect(rocAuc(labels(0, 0, 1, 1), [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
  });

  it('gives a tied pair half credit', () => {
    // Pairs: 0.5 vs 0.5 → ½, 0.5 vs 0.1 → 1, 0.9 vs 0.5 → 1, 0.9 vs 0.1 → 1 → 3.5/4.
    expect(rocAuc(labels(1, 0, 1, 0), [0.5, 0.5, 0.9, 0.1])).toBe(0.875);
    // −0 and +0 are the same score, though a numeric sort keeps them apart.
    expect(rocAuc(labels(1, 0), [-0, 0])).toBe(0.5);
  });

  it('is 0.5 when every score is equal, 1 for a perfect ranking and 0 for a reversed one', () => {
    expect(rocAuc(labels(1, 0, 0, 1, 0), [3, 3, 3, 3, 3])).toBe(0.5);
    expect(rocAuc(labels(0, 1, 0, 1), [1, 4, 2, 3])).toBe(1);
    expect(rocAuc(labels(0, 1, 0, 1), [4, 1, 3, 2])).toBe(0);
  });

  it('matches scikit-learn on a case full of ties', () => {
    // By hand: 25 pairs; each positive's credit (wins + ½ ties): 0.9 → 4 + ½, 0.7 → 4,
    // 0.5 → 2 + ½·2, 0.3 → 1 + ½, 0.1 → ½ → 13.5 / 25 = 0.54.
    expect(rocAuc(TIED_LABELS, TIED_SCORES)).toBeCloseTo(0.54, 15);
  });

  it('agrees with the pairwise definition on random data', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 5 })), { minLength: 2 })
          .filter((rows) => rows.some(([y]) => y) && rows.some(([y]) => !y)),
        (rows) => {
          const y = Uint8Array.from(rows, ([positive]) => (positive ? 1 : 0));
          const scores = rows.map(([, score]) => score);
          expect(rocAuc(y, scores)).toBeCloseTo(pairwiseAuc(y, scores), 12);
        },
      ),
      { numRuns: 200, seed: 1 },
    );
  });
});

describe('prAuc', () => {
  it('is average precision over the positives in score order', () => {
    // Descending: 0.8 (pos), 0.4 (neg), 0.35 (pos), 0.1 (neg). Recall steps of ½ at precision
    // 1/1 and 2/3 → ½·1 + ½·⅔ = 5/6.
    expect(prAuc(labels(0, 0, 1, 1), [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(5 / 6, 15);
  });

  it('treats tied scores as one threshold, as scikit-learn does', () => {
    // Thresholds from the top, (positives in group, rows so far, precision), recall step 1/5:
    // 0.9: (1, 2, 1/2), 0.7: (1, 3, 2/3), 0.5: (1, 6, 3/6), 0.3: (1, 8, 4/8), 0.1: (1, 10, 5/10)
    // → (1/2 + 2/3 + 1/2 + 1/2 + 1/2) / 5 = 0.5333…, scikit-learn's 0.5333333333333333.
    expect(prAuc(TIED_LABELS, TIED_SCORES)).toBeCloseTo(0.5333333333333333, 15);
  });

  it('is the base rate when every score is equal', () => {
    expect(prAuc(labels(1, 0, 0, 0), [7, 7, 7, 7])).toBe(0.25);
  });
});

describe('ranking metric errors', () => {
  it.each([
    ['rocAuc', rocAuc],
    ['prAuc', prAuc],
  ] as const)('%s rejects bad input with a message naming the problem', (name, metric) => {
    expect(() => metric(labels(0, 1), [0.5])).toThrow(
      new InvalidInputError(`${name}: scores has 1 rows but labels has 2`),
    );
    expect(() => metric(labels(), [])).toThrow(`${name}: labels is empty`);
    expect(() => metric(labels(1, 1), [0.2, 0.3])).toThrow(
      `${name}: labels holds only positives (1)`,
    );
    expect(() => metric(labels(0, 0), [0.2, 0.3])).toThrow(/only negatives \(0\).*undefined/);
    expect(() => metric(labels(0, 2), [0.2, 0.3])).toThrow(
      `${name}: labels[1] is 2; labels must be 0 or 1`,
    );
    expect(() => metric(labels(0, 1), [0.2, Number.NaN])).toThrow(
      `${name}: scores[1] is NaN; it must be finite`,
    );
  });

  it('says the ROC AUC is undefined for one class', () => {
    expect(() => rocAuc(labels(0, 0, 0), [1, 2, 3])).toThrow(
      'rocAuc: labels holds only negatives (0), so the ROC AUC is undefined; both classes are needed',
    );
  });
});
