import { createFeatureMatrix, type FeatureMatrix } from '../matrix.js';
import { countWindows } from './behaviour-features.js';
import type { LeadFeatureConfig } from './config.js';
import { resolveFeatureConfig } from './resolved-config.js';
import { compileSchema } from './schema.js';
import {
  applyActivity,
  checkStateConfig,
  emptyLeadFeatureState,
  LeadFeatureInputError,
  type LeadFeatureState,
} from './state.js';
import type { LeadActivity, LeadFeatures, LeadProfile } from './types.js';

/**
 * A lead's features from its incremental state. They are computed as of the later of `asOf` and
 * the newest activity in the state: a state cannot forget what it absorbed, so an activity after
 * `asOf` (a clock a few minutes ahead) counts as if it happened at that later time. For
 * `asOf` at or after every applied activity, the result equals `computeLeadFeatures` on the same
 * activities bit for bit, whatever order they were applied in. Training, which must ignore
 * activities after each lead's outcome, uses `computeLeadFeatures`.
 */
export function featuresFromState(
  profile: LeadProfile,
  state: LeadFeatureState,
  asOf: number,
  config: LeadFeatureConfig,
): LeadFeatures {
  const resolved = resolveFeatureConfig(config);
  checkStateConfig(state, resolved.stateKey);
  checkTime(asOf, 'asOf');
  const at = state.latestAt === null ? asOf : Math.max(asOf, state.latestAt);
  const context = { profile, state, at, windows: countWindows(state, at, resolved), resolved };
  const { definitions, features } = compileSchema(resolved);
  const values = new Float64Array(definitions.length);
  definitions.forEach((definition, j) => {
    values[j] = definition.value(context);
  });
  return { schema: features, values, configKey: resolved.key };
}

/**
 * A lead's features as of `asOf`, from its full activity history: activities after `asOf` are
 * ignored, so features for training never see events after the outcome.
 *
 * @example
 * const config = defaultLeadFeatureConfig();
 * const features = computeLeadFeatures(
 *   { jobTitle: 'VP of Sales', companySize: 120, createdAt: Date.UTC(2025, 0, 1) },
 *   [{ type: 'pricing_view', timestamp: Date.UTC(2025, 0, 3) }],
 *   Date.UTC(2025, 0, 5),
 *   config,
 * );
 * features.values[features.schema.findIndex((f) => f.name === 'pricing_view_7d')]; // 1
 */
export function computeLeadFeatures(
  profile: LeadProfile,
  activities: readonly LeadActivity[],
  asOf: number,
  config: LeadFeatureConfig,
): LeadFeatures {
  checkTime(asOf, 'asOf');
  const state = emptyLeadFeatureState();
  for (const activity of activities) {
    // Written so that a bad timestamp (NaN, not a number) reaches applyActivity's check.
    if (!(activity.timestamp > asOf)) applyActivity(state, activity, config);
  }
  return featuresFromState(profile, state, asOf, config);
}

export interface LeadHistory {
  readonly profile: LeadProfile;
  readonly activities: readonly LeadActivity[];
}

/**
 * Many leads' features as one matrix, row i for `leads[i]`, each as of `asOf` (one time for all)
 * or `asOf[i]` (per lead, e.g. each lead's outcome date for training).
 */
export function leadFeatureMatrix(
  leads: readonly LeadHistory[],
  asOf: number | ArrayLike<number>,
  config: LeadFeatureConfig,
): FeatureMatrix {
  if (typeof asOf !== 'number' && asOf.length !== leads.length) {
    throw new LeadFeatureInputError(
      `asOf: got ${asOf.length} times for ${leads.length} leads; give one time or one per lead`,
    );
  }
  const schema = compileSchema(resolveFeatureConfig(config)).features;
  const columns = schema.map(() => new Float64Array(leads.length));
  leads.forEach((lead, i) => {
    const leadAsOf = typeof asOf === 'number' ? asOf : (asOf[i] as number);
    const { values } = computeLeadFeatures(lead.profile, lead.activities, leadAsOf, config);
    values.forEach((value, j) => {
      (columns[j] as Float64Array)[i] = value;
    });
  });
  return createFeatureMatrix(schema, columns);
}

function checkTime(time: number, name: string): void {
  if (typeof time !== 'number' || !Number.isFinite(time)) {
    throw new LeadFeatureInputError(
      `${name}: must be a finite number of ms since the epoch, got ${String(time)}`,
    );
  }
}
