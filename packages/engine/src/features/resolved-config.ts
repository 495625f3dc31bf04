/**
 * A feature config checked once and turned into the lookups the hot paths need. Cached per
 * config object: configs are treated as immutable once used.
 */

import { fingerprint } from '../fingerprint.js';
import { STANDARD_ACTIVITY_TYPES } from './activity-types.js';
import { type LeadFeatureConfig, LeadFeatureConfigError, readLeadFeatureConfig } from './config.js';

export const DAY_MS = 86_400_000;

export interface ResolvedFeatureConfig {
  readonly config: LeadFeatureConfig;
  /** The standard types, then the configured custom ones: the types with their own counts. */
  readonly trackedTypes: readonly string[];
  readonly halfLifeMs: ReadonlyMap<string, number>;
  /** Fingerprint of what an incremental state depends on: the tracked types and half-lives. */
  readonly stateKey: string;
  /** Fingerprint of the whole config, carried by computed features. */
  readonly key: string;
}

const cache = new WeakMap<LeadFeatureConfig, ResolvedFeatureConfig>();

export function resolveFeatureConfig(config: LeadFeatureConfig): ResolvedFeatureConfig {
  let resolved = cache.get(config);
  if (!resolved) {
    const checked = readLeadFeatureConfig(
      config,
      'features',
      (message) => new LeadFeatureConfigError(message),
    );
    const trackedTypes = [...STANDARD_ACTIVITY_TYPES, ...checked.customTypes];
    const halfLifeMs = new Map(
      trackedTypes.map((type) => [
        type,
        (checked.halfLifeDays[type] ?? checked.defaultHalfLifeDays) * DAY_MS,
      ]),
    );
    const stateSettings = [...halfLifeMs];
    resolved = {
      config: checked,
      trackedTypes,
      halfLifeMs,
      stateKey: fingerprint(JSON.stringify(stateSettings)),
      key: fingerprint(JSON.stringify([stateSettings, canonicalProfileSettings(checked)])),
    };
    cache.set(config, resolved);
  }
  return resolved;
}

function canonicalProfileSettings(config: LeadFeatureConfig): unknown[] {
  return [
    config.industries.map(({ name, fit }) => [name, fit]),
    config.countries,
    config.targetCountries,
    config.sources,
    config.technographics.map(({ attribute, wanted }) => [attribute, wanted]),
    config.personalEmailDomains,
  ];
}
