/**
 * A rules model turned, once per config object, into per-rule closures: where the subject's
 * value is read, the test, the points, the breakdown part and the reason's words. Scoring is then
 * a loop over these, with no lookups by name.
 */
import {
  describeLeadFeature,
  type LeadFeatures,
  type LeadProfile,
  leadFeatureSchema,
} from '../features/index.js';
import { resolveFeatureConfig } from '../features/resolved-config.js';
import type { Feature, FeatureGroup } from '../matrix.js';
import { testMatcher } from './criterion.js';
import { rulesFromJSON } from './rules-json.js';
import { type AttributeReader, attributeReader } from './subjects.js';
import type { Rule, RulesModelConfig } from './types.js';

export interface CompiledRule {
  readonly rule: Rule;
  /** Where the rule's share of the score lands in the breakdown. */
  readonly part: FeatureGroup;
  /** The subject's value for the test: a number, a category label, or the attribute as stored. */
  value(profile: LeadProfile, features: LeadFeatures): unknown;
  matches(value: unknown): boolean;
  /** The points for a matched value. */
  award(value: unknown): number;
  /** The lead's value of the subject in plain words. */
  describe(profile: LeadProfile, features: LeadFeatures): string;
}

export interface CompiledRules {
  readonly config: RulesModelConfig;
  /** The `configKey` the features must carry. */
  readonly featureKey: string;
  readonly rules: readonly CompiledRule[];
}

const cache = new WeakMap<RulesModelConfig, CompiledRules>();

/** Checks `config` (as `rulesFromJSON` does) and compiles it; cached per config object. */
export function compileRules(config: RulesModelConfig): CompiledRules {
  let compiled = cache.get(config);
  if (!compiled) {
    const checked = rulesFromJSON(config);
    const schema = leadFeatureSchema(checked.features);
    compiled = {
      config: checked,
      featureKey: resolveFeatureConfig(checked.features).key,
      rules: checked.rules.map((rule) => compileRule(rule, checked, schema)),
    };
    cache.set(config, compiled);
  }
  return compiled;
}

function compileRule(
  rule: Rule,
  config: RulesModelConfig,
  schema: readonly Feature[],
): CompiledRule {
  const { criterion } = rule;
  const matches = testMatcher(criterion);
  const award = (value: unknown): number => {
    if (!rule.perUnit) return rule.points;
    const points = rule.points * (value as number);
    const limit = rule.maxPoints ?? Number.POSITIVE_INFINITY;
    return Math.max(-limit, Math.min(limit, points));
  };
  if ('attribute' in criterion) {
    // Checked by rulesFromJSON: the attribute has a reader.
    const reader = attributeReader(criterion.attribute) as AttributeReader;
    return {
      rule,
      part: 'demographic',
      value: (profile) => reader.read(profile),
      matches,
      award,
      describe: (profile) => reader.describe(reader.read(profile)),
    };
  }
  const column = schema.findIndex((feature) => feature.name === criterion.feature);
  const feature = schema[column] as Feature;
  const raw = (features: LeadFeatures) => features.values[column] as number;
  return {
    rule,
    part: feature.group ?? 'behavioural',
    value:
      feature.kind === 'categorical'
        ? (_, features) => feature.categories[raw(features)]
        : (_, features) => raw(features),
    matches,
    award,
    describe: (profile, features) =>
      describeLeadFeature(feature.name, raw(features), profile, config.features),
  };
}
