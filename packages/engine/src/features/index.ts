// Lead features: what a lead did and who it is, as of a point in time, in batch or incrementally.
export { STANDARD_ACTIVITY_TYPES, type StandardActivityType } from './activity-types.js';
export {
  computeLeadFeatures,
  featuresFromState,
  type LeadHistory,
  leadFeatureMatrix,
} from './compute.js';
export {
  defaultLeadFeatureConfig,
  type IndustryFit,
  type LeadFeatureConfig,
  LeadFeatureConfigError,
  leadFeatureConfigFromJSON,
  normaliseLabel,
  type Technographic,
} from './config.js';
export { describeLeadFeature } from './describe.js';
export { COMPANY_SIZE_BANDS, emailDomain } from './profile-features.js';
export { leadFeatureSchema } from './schema.js';
export { parseTitleSeniority, SENIORITY_LEVELS, type Seniority } from './seniority.js';
export {
  applyActivity,
  emptyLeadFeatureState,
  LeadFeatureInputError,
  type LeadFeatureState,
} from './state.js';
export type { LeadActivity, LeadFeatures, LeadProfile } from './types.js';
