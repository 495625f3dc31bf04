import { describe, expect, it } from 'vitest';
import { type Fold, stratifiedKFold, stratifiedSplit } from './folds.js';

// 23 negatives and 7 positives, interleaved.
const LABELS = Uint8Array.from({ length: 30 }, (_, i) => (i % 4 === 1 && i < 28 ? 1 : 0));

function positivesIn(rows: Uint32Array): number {
  return rows.reduce((sum, row) => sum + (LABELS[row] as number), 0);
}

function isAscending(rows: Uint32Array): boolean {
  return rows.every((row, i) => i === 0 || row > (rows[i - 1] as number));
}

/** Train and test are disjoint, ascending, and together hold every row once. */
function expectPartition({ train, test }: Fold, rows: number): void {
  expect(isAscending(train) && isAscending(test)).toBe(true);
  expect([...train, ...test].sort((a, b) => a - b)).toEqual([...Array(rows).keys()]);
}

describe('stratifiedKFold', () => {
  it('puts every row in exactly one test fold, the rest in training', () => {
    const folds = stratifiedKFold(LABELS, 4, 42);
    expect(folds).toHaveLength(4);
    for (const fold of folds) expectPartition(fold, 30);
    const tested = folds.flatMap((fold) => [...fold.test]).sort((a, b) => a - b);
    expect(tested).toEqual([...Array(30).keys()]);
  });

  it('keeps the class ratio: each fold holds ⌊n/k⌋ or ⌈n/k⌉ of each class', () => {
    expect(positivesIn(Uint32Array.from(LABELS.keys()))).toBe(7);
    const folds = stratifiedKFold(LABELS, 4, 42);
    // 7 positives over 4 folds → 1 or 2 each; 23 negatives → 5 or 6; sizes 7 or 8.
    for (const { test } of folds) {
      expect([1, 2]).toContain(positivesIn(test));
      expect([5, 6]).toContain(test.length - positivesIn(test));
      expect([7, 8]).toContain(test.length);
    }
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(stratifiedKFold(LABELS, 3, 7)).toEqual(stratifiedKFold(LABELS, 3, 7));
    expect(stratifiedKFold(LABELS, 3, 7)).not.toEqual(stratifiedKFold(LABELS, 3, 8));
  });

  it('rejects k below 2 and a class with fewer than k rows', () => {
    expect(() => stratifiedKFold(LABELS, 1, 0)).toThrow(
      'stratifiedKFold: k must be an integer >= 2, got 1',
    );
    expect(() => stratifiedKFold(LABELS, 8, 0)).toThrow(
      'stratifiedKFold: labels has 7 positives (1), fewer than 8; every one of the k = 8 test folds needs one',
    );
    expect(() => stratifiedKFold(Uint8Array.of(1, 1, 1, 0), 2, 0)).toThrow(
      'labels has 1 negatives (0), fewer than 2',
    );
  });
});

describe('stratifiedSplit', () => {
  it('holds out round(fraction × class size) rows of each class', () => {
    const split = stratifiedSplit(LABELS, 0.25, 3);
    expectPartition(split, 30);
    // round(0.25 · 7) = 2 positives and round(0.25 · 23) = 6 negatives.
    expect(positivesIn(split.test)).toBe(2);
    expect(split.test.length).toBe(8);
  });

  it('keeps at least one row of each class on each side', () => {
    const labels = Uint8Array.of(1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
    const small = stratifiedSplit(labels, 0.1, 3);
    // round(0.1 · 2) = 0 positives would leave the test set without one: 1 is taken.
    expect(small.test.filter((row) => labels[row] === 1)).toHaveLength(1);
    const large = stratifiedSplit(labels, 0.9, 3);
    expect(large.train.filter((row) => labels[row] === 1)).toHaveLength(1);
  });

  it('is deterministic for a seed', () => {
    expect(stratifiedSplit(LABELS, 0.3, 11)).toEqual(stratifiedSplit(LABELS, 0.3, 11));
    expect(stratifiedSplit(LABELS, 0.3, 11)).not.toEqual(stratifiedSplit(LABELS, 0.3, 12));
  });

  it('rejects a fraction outside (0, 1) and a class too small to split', () => {
    expect(() => stratifiedSplit(LABELS, 1, 0)).toThrow(
      'stratifiedSplit: testFraction must be between 0 and 1 (exclusive), got 1',
    );
    expect(() => stratifiedSplit(Uint8Array.of(1, 0, 0), 0.5, 0)).toThrow(
      'stratifiedSplit: labels has 1 positives (1), fewer than 2; it must appear in both train and test',
    );
  });
});
