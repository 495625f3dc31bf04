// The engine's public surface: other packages import from '@leadscore/engine' only.
export * from './calibration/index.js';
export * from './data/index.js';
export { EngineError } from './errors.js';
export * from './evaluation/index.js';
export * from './features/index.js';
export * from './gbdt/index.js';
export { roundToTotal } from './largest-remainder.js';
export * from './logistic/index.js';
export {
  type CategoricalFeature,
  createFeatureMatrix,
  type Feature,
  type FeatureGroup,
  type FeatureMatrix,
  type Labels,
  type NumericFeature,
  selectRows,
} from './matrix.js';
export { type Explanation, type ProbabilisticModel, sigmoid } from './model.js';
export * from './points/index.js';
export { createRng, type Rng } from './random.js';
export * from './rules/index.js';
export * from './scoring/index.js';
