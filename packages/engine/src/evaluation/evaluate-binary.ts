/** One bundle of every evaluation of a binary model: what the server stores per model version. */
import type { Labels } from '../matrix.js';
import { type CalibrationBin, calibrationBins } from './calibration-bins.js';
import { countByDistinctValue } from './distinct-values.js';
import { checkBothClasses, checkLabelledValues, checkSameLength } from './input-checks.js';
import { type LiftDecile, liftOfGroups } from './lift.js';
import { brierScore, logLoss } from './probability-metrics.js';
import { averagePrecisionOfGroups, rocAucOfGroups } from './ranking-metrics.js';
import { type RocPoint, rocCurveOfGroups } from './roc-curve.js';
import { conversionByScoreBand, type ScoreBand } from './score-bands.js';

/** A plain JSON value (numbers, nulls, arrays, objects): the `performance_metrics` column. */
export interface BinaryEvaluation {
  readonly rows: number;
  readonly positives: number;
  /** positives / rows. */
  readonly baseRate: number;
  readonly rocAuc: number;
  /** The ROC curve, thinned to at most 101 points (see `rocCurve`). */
  readonly rocCurve: RocPoint[];
  readonly prAuc: number;
  readonly logLoss: number;
  readonly brier: number;
  /** Ten uniform bins (see {@link calibrationBins}). */
  readonly calibration: CalibrationBin[];
  /** Deciles of the probabilities (see `liftByDecile`). */
  readonly lift: LiftDecile[];
  /** Default 10-point bands of the 0–100 scores (see {@link conversionByScoreBand}). */
  readonly conversionByBand: ScoreBand[];
}

/**
 * Evaluates predicted probabilities against outcomes on held-out data. `scores0to100` are the
 * scores leads are shown with; when omitted, 100 × probability stands in for them.
 *
 * @throws InvalidInputError when the inputs differ in length, labels hold one class only or
 *   fewer than 10 rows, a probability is outside [0, 1] or a score outside [0, 100].
 * @example
 * const metrics = evaluateBinary(holdoutLabels, model.predictProbabilities(holdout));
 * deploymentGate(metrics).passed;
 */
export function evaluateBinary(
  labels: Labels,
  probabilities: ArrayLike<number>,
  scores0to100?: ArrayLike<number>,
): BinaryEvaluation {
  const counts = checkLabelledValues('evaluateBinary', labels, probabilities, 'probabilities');
  checkBothClasses('evaluateBinary', counts, 'ranking metrics are undefined');
  if (scores0to100 !== undefined) {
    checkSameLength('evaluateBinary', labels, scores0to100, 'scores0to100');
  }
  const scores = scores0to100 ?? Float64Array.from(probabilities, (p) => 100 * p);
  // One sort serves the four rank-based metrics: at a million rows it is most of the cost.
  const groups = countByDistinctValue(labels, probabilities);
  return {
    rows: counts.rows,
    positives: counts.positives,
    baseRate: counts.positives / counts.rows,
    rocAuc: rocAucOfGroups(groups, counts),
    rocCurve: rocCurveOfGroups(groups, counts),
    prAuc: averagePrecisionOfGroups(groups, counts),
    logLoss: logLoss(labels, probabilities),
    brier: brierScore(labels, probabilities),
    calibration: calibrationBins(labels, probabilities),
    lift: liftOfGroups('evaluateBinary', groups, counts),
    conversionByBand: conversionByScoreBand(labels, scores),
  };
}
