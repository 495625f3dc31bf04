import type { Feature } from '../matrix.js';
import type { ResolvedFeatureConfig } from './resolved-config.js';
import type { LeadFeatureState } from './state.js';
import type { LeadProfile } from './types.js';

/** Activity counts in the 7-, 30- and 90-day windows, read once from the state's day buckets. */
export interface WindowCounts {
  /** Per tracked type: [7 days, 30 days, 90 days]. */
  readonly byType: ReadonlyMap<string, readonly [number, number, number]>;
  /** Days with a lead-initiated activity: [7 days, 30 days, 90 days]. */
  readonly activeDays: readonly [number, number, number];
  /** Days with a page view in the last 30 days. */
  readonly pageViewDays30: number;
  /** Tracked types showing interest (not bounces or unsubscribes) seen in the last 30 days. */
  readonly positiveTypes30: number;
}

/** What a feature's value is computed from. */
export interface FeatureContext {
  readonly profile: LeadProfile;
  readonly state: LeadFeatureState;
  /** The time the features are as of. */
  readonly at: number;
  readonly windows: WindowCounts;
  readonly resolved: ResolvedFeatureConfig;
}

/** A feature of the schema and how to compute its value (a number, a code, or NaN). */
export interface FeatureDefinition {
  readonly feature: Feature;
  value(context: FeatureContext): number;
}
