/**
 * Threshold-free ranking metrics: how well the scores put converters above non-converters.
 * Both are O(n log n) (one sort) and exact, with tied scores handled as scikit-learn does.
 */
import type { Labels } from '../matrix.js';
import { countByDistinctValue, type DistinctValueCounts } from './distinct-values.js';
import { type ClassCounts, checkBothClasses, checkLabelledValues } from './input-checks.js';

/**
 * Area under the ROC curve: the probability that a random positive scores above a random
 * negative, a tie counting one half (the Mann-Whitney U statistic over P·N, equal to the
 * average-rank formula and to scikit-learn's `roc_auc_score`).
 *
 * @throws InvalidInputError on a length mismatch, empty input, labels other than 0/1,
 *   non-finite scores, or labels of one class only (the AUC is then undefined).
 * @example
 * rocAuc(Uint8Array.of(0, 0, 1, 1), [0.1, 0.4, 0.35, 0.8]); // 0.75
 */
export function rocAuc(labels: Labels, scores: ArrayLike<number>): number {
  const counts = checkLabelledValues('rocAuc', labels, scores, 'scores');
  checkBothClasses('rocAuc', counts, 'the ROC AUC is undefined');
  return rocAucOfGroups(countByDistinctValue(labels, scores), counts);
}

/** {@link rocAuc} of checked labels with both classes, from their scores' tie groups. */
export function rocAucOfGroups(groups: DistinctValueCounts, counts: ClassCounts): number {
  // Twice the U statistic, so that half credits stay integers and the sum stays exact.
  let twiceU = 0;
  let positivesAbove = 0;
  for (let k = groups.values.length - 1; k >= 0; k--) {
    const positives = groups.positives[k] as number;
    const negatives = (groups.rows[k] as number) - positives;
    twiceU += negatives * (2 * positivesAbove + positives);
    positivesAbove += positives;
  }
  return twiceU / (2 * counts.positives * counts.negatives);
}

/**
 * Area under the precision-recall curve as average precision, the step-wise sum
 * Σ (Rₖ − Rₖ₋₁)·Pₖ over the distinct score thresholds from the top, with tied scores forming
 * one threshold: scikit-learn's `average_precision_score` (no interpolation).
 *
 * @throws InvalidInputError as {@link rocAuc}; one class only is rejected too, because with
 *   no positives precision-recall is undefined and with no negatives it is trivially 1.
 * @example
 * prAuc(Uint8Array.of(0, 0, 1, 1), [0.1, 0.4, 0.35, 0.8]); // (1/2)·1 + (1/2)·(2/3) = 0.8333…
 */
export function prAuc(labels: Labels, scores: ArrayLike<number>): number {
  const counts = checkLabelledValues('prAuc', labels, scores, 'scores');
  checkBothClasses(
    'prAuc',
    counts,
    'average precision is undefined (no positives) or trivially 1 (no negatives)',
  );
  return averagePrecisionOfGroups(countByDistinctValue(labels, scores), counts);
}

/** {@link prAuc} of checked labels with both classes, from their scores' tie groups. */
export function averagePrecisionOfGroups(groups: DistinctValueCounts, counts: ClassCounts): number {
  let sum = 0;
  let truePositives = 0;
  let rowsAbove = 0;
  for (let k = groups.values.length - 1; k >= 0; k--) {
    const positives = groups.positives[k] as number;
    truePositives += positives;
    rowsAbove += groups.rows[k] as number;
    // Recall rises by this group's share of all positives, at the precision of everything
    // scored at or above this threshold.
    sum += (positives / counts.positives) * (truePositives / rowsAbove);
  }
  return sum;
}
