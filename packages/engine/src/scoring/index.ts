// Trained models as stored and used: training from a table, the model file, 0–100 scores,
// breakdowns that add up, and reasons in words.
export { type FeatureImportance, featureImportance } from './importance.js';
export { describeValue, formatReason, type Reason, type Reasons, topReasons } from './reasons.js';
export {
  explainScore,
  probabilityToScore,
  type ScoreBreakdown,
  type ScoredExplanation,
} from './score-scale.js';
export {
  type ModelType,
  type TrainingOutcome,
  type TrainOptions,
  trainModel,
} from './train-model.js';
export {
  loadTrainedModel,
  MODEL_FILE_FORMAT,
  MODEL_FILE_FORMAT_VERSION,
  ModelFileError,
  type ModelFileJSON,
  type RowExplanation,
  TrainedModel,
  type TrainingSummary,
} from './trained-model.js';
