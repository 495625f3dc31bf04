/**
 * Which features a trained model leans on: mean |attribution| (SHAP for trees, exact linear
 * terms otherwise) over a sample of rows, and for trees the total split gain as well.
 */
import { meanAbsoluteAttribution } from '../evaluation/index.js';
import type { GbdtModel } from '../gbdt/index.js';
import type { FeatureMatrix } from '../matrix.js';
import type { ProbabilisticModel } from '../model.js';

export interface FeatureImportance {
  readonly feature: string;
  /** Mean |attribution| in log-odds over the sampled rows. */
  readonly meanAbsShap: number;
  /** Total split gain (trees only; null for other models). */
  readonly gain: number | null;
}

/** Enough rows for stable means; SHAP over every row of a large table would cost minutes. */
const DEFAULT_SAMPLE_ROWS = 1000;

/**
 * Features ranked by mean |attribution|, over up to `sampleRows` rows spread evenly over the
 * matrix (every k-th row: deterministic, and as varied as the table's order allows).
 *
 * @example
 * featureImportance(model, matrix)[0]; // { feature: 'Total Time Spent on Website', meanAbsShap: 0.9, gain: 2104 }
 */
export function featureImportance(
  model: ProbabilisticModel,
  matrix: FeatureMatrix,
  sampleRows = DEFAULT_SAMPLE_ROWS,
): FeatureImportance[] {
  const step = Math.max(1, Math.floor(matrix.rows / sampleRows));
  const attributions: Float64Array[] = [];
  for (let row = 0; row < matrix.rows && attributions.length < sampleRows; row += step) {
    attributions.push(model.explain(matrix, row).contributions);
  }
  const meanAbsShap = meanAbsoluteAttribution(attributions);
  const gain = model.type === 'gbdt' ? (model as GbdtModel).featureImportance().gain : null;
  return model.features
    .map((feature, j) => ({
      feature: feature.name,
      meanAbsShap: meanAbsShap[j] as number,
      gain: gain ? (gain[j] as number) : null,
    }))
    .sort((a, b) => b.meanAbsShap - a.meanAbsShap);
}
