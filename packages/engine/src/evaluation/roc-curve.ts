/** The ROC curve itself, for plotting: the shape behind the single ROC AUC number. */
import type { Labels } from '../matrix.js';
import { countByDistinctValue, type DistinctValueCounts } from './distinct-values.js';
import { type ClassCounts, checkBothClasses, checkLabelledValues } from './input-checks.js';

/** One threshold's rates: the share of negatives and of positives scored at or above it. */
export interface RocPoint {
  readonly fpr: number;
  readonly tpr: number;
}

export interface RocCurveOptions {
  /** The most points returned (at least 2); default 101. */
  readonly maxPoints?: number;
}

export const DEFAULT_ROC_CURVE_POINTS = 101;

/**
 * The ROC curve from (0, 0) to (1, 1), one point per distinct score lowered from the highest, so
 * that tied scores make one diagonal step: the trapezoids under it add up exactly to
 * {@link rocAuc}'s half credit for ties. Curves with more than `maxPoints` points are thinned
 * to points spread evenly along the curve (by fpr + tpr, which rises from 0 to 2 along it), the
 * ends always kept: enough to draw, small enough to store with every model version.
 *
 * @throws InvalidInputError as `rocAuc`, and on `maxPoints` below 2.
 * @example
 * rocCurve(Uint8Array.of(0, 0, 1, 1), [0.1, 0.4, 0.35, 0.8]);
 * // [{fpr: 0, tpr: 0}, {fpr: 0, tpr: 0.5}, {fpr: 0.5, tpr: 0.5}, {fpr: 0.5, tpr: 1}, {fpr: 1, tpr: 1}]
 */
export function rocCurve(
  labels: Labels,
  scores: ArrayLike<number>,
  options: RocCurveOptions = {},
): RocPoint[] {
  const counts = checkLabelledValues('rocCurve', labels, scores, 'scores');
  checkBothClasses('rocCurve', counts, 'the ROC curve is undefined');
  return rocCurveOfGroups(countByDistinctValue(labels, scores), counts, options);
}

/** {@link rocCurve} of checked labels with both classes, from their scores' tie groups. */
export function rocCurveOfGroups(
  groups: DistinctValueCounts,
  counts: ClassCounts,
  { maxPoints = DEFAULT_ROC_CURVE_POINTS }: RocCurveOptions = {},
): RocPoint[] {
  if (!Number.isInteger(maxPoints) || maxPoints < 2) {
    throw new RangeError(`rocCurve: maxPoints must be an integer of at least 2, got ${maxPoints}`);
  }
  const points: RocPoint[] = [{ fpr: 0, tpr: 0 }];
  let truePositives = 0;
  let falsePositives = 0;
  for (let k = groups.values.length - 1; k >= 0; k--) {
    const positives = groups.positives[k] as number;
    truePositives += positives;
    falsePositives += (groups.rows[k] as number) - positives;
    points.push({
      fpr: falsePositives / counts.negatives,
      tpr: truePositives / counts.positives,
    });
  }
  return points.length <= maxPoints ? points : thin(points, maxPoints);
}

/** Keeps the first point past each of `maxPoints − 1` even steps of fpr + tpr, and the last. */
function thin(points: readonly RocPoint[], maxPoints: number): RocPoint[] {
  const step = 2 / (maxPoints - 1);
  const kept: RocPoint[] = [points[0] as RocPoint];
  let next = step;
  // The bound on `kept` only guards against rounding: each kept point passes a new step.
  for (let i = 1; i < points.length - 1 && kept.length < maxPoints - 1; i++) {
    const point = points[i] as RocPoint;
    const along = point.fpr + point.tpr;
    if (along < next) continue;
    kept.push(point);
    next = (Math.floor(along / step) + 1) * step;
  }
  kept.push(points[points.length - 1] as RocPoint);
  return kept;
}
