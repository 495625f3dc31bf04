// Histogram gradient-boosted trees: training, scoring, TreeSHAP explanations, JSON.
export { GbdtFormatError, GbdtInputError } from './errors.js';
export { gbdtFromJSON } from './json.js';
export {
  type ExplanationBatch,
  GBDT_FORMAT,
  GBDT_FORMAT_VERSION,
  type GbdtJson,
  GbdtModel,
  type GbdtTrainingReport,
  type ScoringOptions,
} from './model.js';
export { DEFAULT_GBDT_OPTIONS, type GbdtOptions } from './options.js';
export { trainGbdt } from './train.js';
