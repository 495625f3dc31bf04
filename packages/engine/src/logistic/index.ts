// Logistic regression: training, scoring, exact linear explanations, JSON round trip.
export type { CategoricalEncoder, FeatureEncoder, NumericEncoder } from './encoders.js';
export { LogisticFormatError, LogisticInputError } from './errors.js';
export { logisticFromJSON } from './logistic-json.js';
export {
  LOGISTIC_FORMAT,
  LOGISTIC_FORMAT_VERSION,
  LogisticModel,
  type LogisticModelJSON,
  type LogisticTrainingReport,
} from './logistic-model.js';
export { DEFAULT_LOGISTIC_OPTIONS, type LogisticOptions } from './options.js';
export { trainLogistic } from './train.js';
