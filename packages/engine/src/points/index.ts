// A points table learned from outcomes: binned features, logistic weights shown as points.
export type { FeatureBins } from './binning.js';
export {
  LEARNED_RULES_FORMAT,
  LEARNED_RULES_FORMAT_VERSION,
  LearnedRulesFormatError,
  type LearnedRulesJSON,
  LearnedRulesModel,
  learnedRulesFromJSON,
  POINTS_TO_DOUBLE_ODDS,
  type PointsRule,
} from './learned-rules-model.js';
export { type LearnedRulesOptions, trainLearnedRules } from './train.js';
