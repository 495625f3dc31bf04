/** Stratified, seeded train/test splits: every split keeps the data set's conversion rate. */
import type { Labels } from '../matrix.js';
import { createRng, type Rng } from '../random.js';
import { type ClassCounts, checkLabels, InvalidInputError } from './input-checks.js';

/** Row indices of one split, each list ascending. */
export interface Fold {
  readonly train: Uint32Array;
  readonly test: Uint32Array;
}

/**
 * Splits rows into k folds for cross-validation. Each class is shuffled with `createRng(seed)`
 * (negatives first, then positives) and the two shuffled lists, one after the other, are dealt
 * round-robin to the folds. So every row is in exactly one test fold, each fold holds ⌊nₖ/k⌋ or
 * ⌈nₖ/k⌉ rows of each class, and fold sizes differ by at most one. The same labels and seed
 * always give the same folds.
 *
 * @throws InvalidInputError on labels other than 0/1, `k` not an integer ≥ 2, or a class with
 *   fewer than k rows (some test fold would lack that class).
 * @example
 * const labels = Uint8Array.of(0, 0, 0, 0, 1, 1);
 * const folds = stratifiedKFold(labels, 2, 42);
 * folds[0].test; // 3 rows: 2 negatives and 1 positive
 */
export function stratifiedKFold(labels: Labels, k: number, seed: number): Fold[] {
  const counts = checkLabels('stratifiedKFold', labels);
  if (!Number.isSafeInteger(k) || k < 2) {
    throw new InvalidInputError(`stratifiedKFold: k must be an integer >= 2, got ${k}`);
  }
  checkClassSizes('stratifiedKFold', counts, k, `every one of the k = ${k} test folds needs one`);
  const rng = createRng(seed);
  const dealt = [...shuffledRowsOfClass(labels, 0, rng), ...shuffledRowsOfClass(labels, 1, rng)];
  const foldOfRow = new Uint32Array(labels.length);
  dealt.forEach((row, position) => {
    foldOfRow[row] = position % k;
  });
  return Array.from({ length: k }, (_, fold) => splitByMembership(foldOfRow, (f) => f === fold));
}

/**
 * One stratified holdout split: each class puts round(testFraction · its count) rows, at least
 * one and at most all but one, into the test set, chosen by `createRng(seed)`.
 *
 * @throws InvalidInputError on labels other than 0/1, `testFraction` outside (0, 1), or a class
 *   with fewer than 2 rows (it could not appear on both sides).
 * @example
 * const { train, test } = stratifiedSplit(labels, 0.2, 7);
 */
export function stratifiedSplit(labels: Labels, testFraction: number, seed: number): Fold {
  const counts = checkLabels('stratifiedSplit', labels);
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new InvalidInputError(
      `stratifiedSplit: testFraction must be between 0 and 1 (exclusive), got ${testFraction}`,
    );
  }
  checkClassSizes('stratifiedSplit', counts, 2, 'it must appear in both train and test');
  const rng = createRng(seed);
  const inTest = new Uint8Array(labels.length);
  for (const label of [0, 1]) {
    const rows = shuffledRowsOfClass(labels, label, rng);
    const testCount = Math.min(
      Math.max(Math.round(testFraction * rows.length), 1),
      rows.length - 1,
    );
    for (let i = 0; i < testCount; i++) inTest[rows[i] as number] = 1;
  }
  return splitByMembership(inTest, (member) => member === 1);
}

/** Rejects labels in which either class has fewer than `minimum` rows. */
function checkClassSizes(where: string, counts: ClassCounts, minimum: number, why: string): void {
  for (const [name, count] of [
    ['negatives (0)', counts.negatives],
    ['positives (1)', counts.positives],
  ] as const) {
    if (count < minimum) {
      throw new InvalidInputError(
        `${where}: labels has ${count} ${name}, fewer than ${minimum}; ${why}`,
      );
    }
  }
}

/** The rows whose label is `label`, in an order shuffled by Fisher-Yates. */
function shuffledRowsOfClass(labels: Labels, label: number, rng: Rng): number[] {
  const rows: number[] = [];
  labels.forEach((value, row) => {
    if (value === label) rows.push(row);
  });
  for (let i = rows.length - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    [rows[i], rows[j]] = [rows[j] as number, rows[i] as number];
  }
  return rows;
}

/** Rows whose tag passes `isTest` form the test set, the rest the training set; both ascending. */
function splitByMembership(tags: ArrayLike<number>, isTest: (tag: number) => boolean): Fold {
  const test: number[] = [];
  const train: number[] = [];
  for (let row = 0; row < tags.length; row++) {
    (isTest(tags[row] as number) ? test : train).push(row);
  }
  return { train: Uint32Array.from(train), test: Uint32Array.from(test) };
}
