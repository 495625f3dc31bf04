/**
 * What every trained probabilistic model (gradient-boosted trees, logistic regression, a
 * learned points table) offers the rest of the engine: log-odds for many rows at once, an
 * exact per-feature explanation of one row, and a JSON body that its own `…FromJSON` turns
 * back into the same model.
 */
import type { Feature, FeatureMatrix } from './matrix.js';

/**
 * Attributions of one prediction in log-odds: `baseValue + Σ contributions[j]` equals the
 * model's log-odds for that row (to 1e-6). `contributions[j]` belongs to `features[j]`.
 */
export interface Explanation {
  readonly baseValue: number;
  readonly contributions: Float64Array;
}

export interface ProbabilisticModel {
  readonly type: 'gbdt' | 'logistic' | 'rules';
  /** The features the model was trained on, in column order; scoring data must match. */
  readonly features: readonly Feature[];
  /** Log-odds of conversion for every row of `matrix`. */
  predictLogOdds(matrix: FeatureMatrix): Float64Array;
  /** Exact attributions of row `row` of `matrix` (TreeSHAP for trees, linear terms for LR). */
  explain(matrix: FeatureMatrix, row: number): Explanation;
  /** A plain JSON value; the model type's `fromJSON` restores an identical model. */
  toJSON(): unknown;
}

/** The logistic function: log-odds → probability, stable for large |x|. */
export function sigmoid(logOdds: number): number {
  if (logOdds >= 0) return 1 / (1 + Math.exp(-logOdds));
  const e = Math.exp(logOdds);
  return e / (1 + e);
}
