// Rules (points) models: criteria → points, caps, fit and engagement scores, grades and reasons.
export { defaultRulesModel } from './default-model.js';
export { RulesConfigError, RulesInputError } from './errors.js';
export { RULES_FORMAT, RULES_FORMAT_VERSION, rulesFromJSON } from './rules-json.js';
export { gradeFor, type ScoreOptions, scoreWithRules } from './score.js';
export type {
  Criterion,
  CriterionOp,
  CriterionSubject,
  CriterionTest,
  PointsCap,
  Rule,
  RuleContribution,
  RuleGroup,
  RulesModelConfig,
  RulesScore,
} from './types.js';
