import type { Feature } from '../matrix.js';
import { behaviourDefinitions } from './behaviour-features.js';
import type { LeadFeatureConfig } from './config.js';
import type { FeatureDefinition } from './definition.js';
import { profileDefinitions } from './profile-features.js';
import { type ResolvedFeatureConfig, resolveFeatureConfig } from './resolved-config.js';

export interface CompiledSchema {
  readonly definitions: readonly FeatureDefinition[];
  readonly features: readonly Feature[];
  /** Feature name → column. */
  readonly index: ReadonlyMap<string, number>;
}

const cache = new WeakMap<ResolvedFeatureConfig, CompiledSchema>();

/** Every feature with its computation, in schema order; built once per config. */
export function compileSchema(resolved: ResolvedFeatureConfig): CompiledSchema {
  let compiled = cache.get(resolved);
  if (!compiled) {
    const definitions = [...behaviourDefinitions(resolved), ...profileDefinitions(resolved)];
    const features = definitions.map((definition) => definition.feature);
    compiled = {
      definitions,
      features,
      index: new Map(features.map((feature, j) => [feature.name, j])),
    };
    cache.set(resolved, compiled);
  }
  return compiled;
}

/**
 * The fixed, ordered features of a lead under `config`: per tracked activity type its 7/30/90-day,
 * all-time and decayed counts, then recency, frequency, visit depth and intent (`behavioural`),
 * the engagement composites (`engagement`), then the profile's (`demographic`). The same config
 * always gives the same list, so leads computed apart stack into one matrix.
 *
 * @example
 * const schema = leadFeatureSchema(defaultLeadFeatureConfig());
 * schema.find((f) => f.name === 'pricing_view_7d'); // { kind: 'numeric', group: 'behavioural', … }
 */
export function leadFeatureSchema(config: LeadFeatureConfig): readonly Feature[] {
  return compileSchema(resolveFeatureConfig(config)).features;
}
