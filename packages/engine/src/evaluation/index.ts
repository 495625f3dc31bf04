// Public surface of the evaluation helpers: metrics, folds, cross-validation, deployment gate.
export {
  type Attributions,
  meanAbsoluteAttribution,
  type RankedFeature,
  rankFeatures,
} from './attribution.js';
export {
  type CalibrationBin,
  type CalibrationBinsOptions,
  calibrationBins,
} from './calibration-bins.js';
export {
  type CrossValidateOptions,
  type CrossValidationResult,
  crossValidate,
  type FitAndPredict,
  type FoldMetrics,
  type MeanAndStd,
} from './cross-validate.js';
export {
  DEFAULT_MIN_ROC_AUC,
  type DeploymentGateOptions,
  deploymentGate,
  type GateCheck,
  type GateResult,
} from './deployment-gate.js';
export { type BinaryEvaluation, evaluateBinary } from './evaluate-binary.js';
export { type Fold, stratifiedKFold, stratifiedSplit } from './folds.js';
export { InvalidInputError } from './input-checks.js';
export { type LiftDecile, liftByDecile } from './lift.js';
export { brierScore, LOG_LOSS_EPSILON, logLoss } from './probability-metrics.js';
export { prAuc, rocAuc } from './ranking-metrics.js';
export {
  DEFAULT_ROC_CURVE_POINTS,
  type RocCurveOptions,
  type RocPoint,
  rocCurve,
} from './roc-curve.js';
export {
  conversionByScoreBand,
  DEFAULT_SCORE_BAND_EDGES,
  type ScoreBand,
  type ScoreBandOptions,
} from './score-bands.js';
