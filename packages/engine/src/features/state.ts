/**
 * The incremental form of a lead's behavioural features: a small JSON value that absorbs one
 * activity at a time, in any order, and from which `featuresFromState` gives exactly what
 * `computeLeadFeatures` computes from the full history.
 *
 * Windows are whole UTC days: "the last 7 days" as of a time is its UTC day and the 6 before,
 * up to that time. So the state keeps per-day counts for the newest 90 days, all-time counts, and
 * exact decayed sums (decay.ts); its size is bounded by the number of tracked types, never by the
 * number of activities.
 */
import { EngineError } from '../errors.js';
import { isLeadInitiated } from './activity-types.js';
import type { LeadFeatureConfig } from './config.js';
import { addDecayedEvent, type DecayBlock } from './decay.js';
import { DAY_MS, resolveFeatureConfig } from './resolved-config.js';
import type { LeadActivity } from './types.js';

/** The widest window any feature reads, in days. */
const LONGEST_WINDOW_DAYS = 90;

/** The per-day count of lead-initiated activities of any type, tracked or not. */
export const ENGAGED_KEY = '_engaged';

export interface ActivityTypeState {
  /** Activities of the type, all time. */
  total: number;
  decay: DecayBlock[];
}

/** JSON-serialisable; `JSON.parse(JSON.stringify(state))` is an equal state. */
export interface LeadFeatureState {
  readonly version: 1;
  /** The config's `stateKey` once an activity was applied: a state serves one config only. */
  configKey: string | null;
  /** The newest activity applied, of any type. */
  latestAt: number | null;
  /** The newest lead-initiated activity (anything but a bounce). */
  lastEngagedAt: number | null;
  /** Per tracked activity type that occurred. */
  types: Record<string, ActivityTypeState>;
  /** UTC day number (days since the epoch) → count per tracked type and `_engaged`. */
  days: Record<string, Record<string, number>>;
}

/** An activity or state that cannot be used; the message says which field is at fault. */
export class LeadFeatureInputError extends EngineError {
  override readonly name: string = 'LeadFeatureInputError';
}

/** A state with no activities, ready for `applyActivity`. */
export function emptyLeadFeatureState(): LeadFeatureState {
  return { version: 1, configKey: null, latestAt: null, lastEngagedAt: null, types: {}, days: {} };
}

/**
 * Adds one activity to `state`, IN PLACE, and returns it. Constant time: at most the 90 kept days
 * are visited when the newest day moves on. Late (out-of-order) activities are fine.
 *
 * @example
 * const config = defaultLeadFeatureConfig();
 * const state = emptyLeadFeatureState(); // or JSON.parse of the stored state
 * const activity = { type: 'pricing_view', timestamp: Date.UTC(2025, 0, 3) };
 * applyActivity(state, activity, config);
 * featuresFromState({ jobTitle: 'CTO' }, state, Date.UTC(2025, 0, 5), config);
 * // the same values as computeLeadFeatures({ jobTitle: 'CTO' }, [activity], …)
 */
export function applyActivity(
  state: LeadFeatureState,
  activity: LeadActivity,
  config: LeadFeatureConfig,
): LeadFeatureState {
  const resolved = resolveFeatureConfig(config);
  checkStateConfig(state, resolved.stateKey);
  const { type, timestamp } = checkActivity(activity);
  state.configKey = resolved.stateKey;

  if (state.latestAt === null || timestamp > state.latestAt) {
    const previousDay = state.latestAt === null ? null : dayOf(state.latestAt);
    state.latestAt = timestamp;
    if (previousDay !== null && dayOf(timestamp) > previousDay) dropOldDays(state);
  }
  const engaged = isLeadInitiated(type);
  if (engaged && (state.lastEngagedAt === null || timestamp > state.lastEngagedAt)) {
    state.lastEngagedAt = timestamp;
  }

  const halfLifeMs = resolved.halfLifeMs.get(type);
  const day = dayOf(timestamp);
  const inWindow = day > dayOf(state.latestAt) - LONGEST_WINDOW_DAYS;
  if (inWindow && (engaged || halfLifeMs !== undefined)) {
    state.days[day] ??= {};
    const counts = state.days[day];
    if (engaged) counts[ENGAGED_KEY] = (counts[ENGAGED_KEY] ?? 0) + 1;
    if (halfLifeMs !== undefined) counts[type] = (counts[type] ?? 0) + 1;
  }
  if (halfLifeMs !== undefined) {
    state.types[type] ??= { total: 0, decay: [] };
    const typeState = state.types[type];
    typeState.total++;
    addDecayedEvent(typeState.decay, timestamp, halfLifeMs);
  }
  return state;
}

/** The UTC day of a time, as days since the epoch. */
export function dayOf(timestamp: number): number {
  return Math.floor(timestamp / DAY_MS);
}

/** Throws when `state` was built for a config with other tracked types or half-lives. */
export function checkStateConfig(state: LeadFeatureState, stateKey: string): void {
  if (state.version !== 1) {
    throw new LeadFeatureInputError(`state.version: expected 1, got ${String(state.version)}`);
  }
  if (state.configKey !== null && state.configKey !== stateKey) {
    throw new LeadFeatureInputError(
      'state.configKey: the state was built with other tracked activity types or half-lives; ' +
        "rebuild it from the lead's activities",
    );
  }
}

function dropOldDays(state: LeadFeatureState): void {
  const firstKept = dayOf(state.latestAt as number) - LONGEST_WINDOW_DAYS + 1;
  for (const day of Object.keys(state.days)) {
    if (Number(day) < firstKept) delete state.days[day];
  }
}

function checkActivity(activity: LeadActivity): { type: string; timestamp: number } {
  const { type, timestamp } = activity;
  if (typeof type !== 'string' || type === '') {
    throw new LeadFeatureInputError(
      `activity.type: must be a non-empty string, got ${String(type)}`,
    );
  }
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) {
    throw new LeadFeatureInputError(
      `activity.timestamp: must be a finite number of ms since the epoch, got ${String(timestamp)} (type ${type})`,
    );
  }
  return { type, timestamp };
}
