/** Lift and cumulative gains by decile: how much better than random the top of the list is. */
import type { Labels } from '../matrix.js';
import { countByDistinctValue, type DistinctValueCounts } from './distinct-values.js';
import { type ClassCounts, checkLabelledValues, InvalidInputError } from './input-checks.js';

const DECILES = 10;

export interface LiftDecile {
  /** 1 for the highest-scored tenth of rows, 10 for the lowest. */
  readonly decile: number;
  readonly count: number;
  /** Positives in the decile; fractional when a run of tied scores straddles a boundary. */
  readonly positives: number;
  /** positives / count. */
  readonly rate: number;
  /** rate / base rate: 1 is no better than picking rows at random. */
  readonly lift: number;
  /** Share of all positives found in deciles 1 … this one. */
  readonly cumulativeGain: number;
  /** Rate of deciles 1 … this one together, over the base rate. */
  readonly cumulativeLift: number;
}

/**
 * Sorts rows by score, highest first, and cuts them into ten deciles.
 *
 * The cut is deterministic: decile d (1 … 10) holds sorted positions ⌊(d−1)·n/10⌋ up to
 * ⌊d·n/10⌋ − 1, so decile sizes differ by at most one and the larger ones are spread evenly
 * (n = 25 gives 2, 3, 2, 3, 2, 3, 2, 3, 2, 3). Tied scores have no order, so a run of tied rows
 * that straddles a boundary shares its positives between the deciles in proportion to how
 * many of its rows fall in each: the expected count over all orderings of the tie, the same
 * half-credit idea as the ROC AUC. All scores equal thus gives lift 1 in every decile.
 *
 * @throws InvalidInputError on a length mismatch, labels other than 0/1, non-finite scores,
 *   fewer than 10 rows, or no positives (the base rate is 0 and lift undefined).
 * @example
 * // 20 rows, scores 20 … 1, positives at the 4 highest scores: base rate 0.2
 * const labels = Uint8Array.from({ length: 20 }, (_, i) => (i < 4 ? 1 : 0));
 * const scores = Array.from({ length: 20 }, (_, i) => 20 - i);
 * liftByDecile(labels, scores)[0]; // { decile: 1, count: 2, positives: 2, rate: 1, lift: 5, … }
 */
export function liftByDecile(labels: Labels, scores: ArrayLike<number>): LiftDecile[] {
  const counts = checkLabelledValues('liftByDecile', labels, scores, 'scores');
  return liftOfGroups('liftByDecile', countByDistinctValue(labels, scores), counts);
}

/**
 * {@link liftByDecile} of checked labels, from their scores' tie groups; `where` names the
 * public function in the errors about too few rows or no positives.
 */
export function liftOfGroups(
  where: string,
  groups: DistinctValueCounts,
  counts: ClassCounts,
): LiftDecile[] {
  const n = counts.rows;
  if (n < DECILES) {
    throw new InvalidInputError(
      `${where}: lift by decile needs at least ${DECILES} rows, got ${n}`,
    );
  }
  if (counts.positives === 0) {
    throw new InvalidInputError(
      `${where}: labels holds no positives, so the base rate is 0 and lift is undefined`,
    );
  }
  const boundaries = Array.from({ length: DECILES + 1 }, (_, d) => Math.floor((d * n) / DECILES));
  const positives = new Float64Array(DECILES);
  let decile = 0;
  let position = 0;
  // Tie groups from the highest score down, each spanning sorted positions [position, end).
  for (let k = groups.values.length - 1; k >= 0; k--) {
    const size = groups.rows[k] as number;
    const groupPositives = groups.positives[k] as number;
    const end = position + size;
    while (position < end) {
      while ((boundaries[decile + 1] as number) <= position) decile++;
      const overlap = Math.min(end, boundaries[decile + 1] as number) - position;
      positives[decile] = (positives[decile] as number) + (groupPositives * overlap) / size;
      position += overlap;
    }
  }
  const baseRate = counts.positives / n;
  let cumulativeCount = 0;
  let cumulativePositives = 0;
  return Array.from(positives, (decilePositives, d) => {
    const count = (boundaries[d + 1] as number) - (boundaries[d] as number);
    cumulativeCount += count;
    cumulativePositives += decilePositives;
    const rate = decilePositives / count;
    return {
      decile: d + 1,
      count,
      positives: decilePositives,
      rate,
      lift: rate / baseRate,
      cumulativeGain: cumulativePositives / counts.positives,
      cumulativeLift: cumulativePositives / cumulativeCount / baseRate,
    };
  });
}
