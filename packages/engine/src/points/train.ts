import { type LogisticOptions, trainLogistic } from '../logistic/index.js';
import type { FeatureMatrix, Labels } from '../matrix.js';
import { applyBins, binnedFeatures, fitBins } from './binning.js';
import { LearnedRulesModel } from './learned-rules-model.js';

export interface LearnedRulesOptions {
  /** Ranges per numeric feature (quantiles of the training values); default 5. */
  readonly ranges: number;
  readonly logistic: Partial<LogisticOptions>;
}

const DEFAULT_RANGES = 5;

/**
 * Learns a points table from outcomes (see {@link LearnedRulesModel}).
 *
 * @example
 * const model = trainLearnedRules(matrix, labels);
 * model.rules(); // [{ feature: 'Lead Source', condition: 'is Reference', points: 41 }, …]
 */
export function trainLearnedRules(
  matrix: FeatureMatrix,
  labels: Labels,
  options: Partial<LearnedRulesOptions> = {},
): LearnedRulesModel {
  const bins = fitBins(matrix, options.ranges ?? DEFAULT_RANGES);
  const features = binnedFeatures(matrix.features, bins);
  const logistic = trainLogistic(applyBins(matrix, bins, features), labels, options.logistic);
  return new LearnedRulesModel(matrix.features, bins, logistic);
}
