/**
 * Behavioural features (what the lead did, per activity type and in aggregate) and the
 * engagement composites, all read from an incremental state as of a time.
 *
 * Definitions worth knowing:
 * - `<type>_7d/_30d/_90d`: activities in the last 7/30/90 UTC days (the day of `asOf` and the
 *   days before it); `<type>_total`: all time; `<type>_decayed`: Σ 2^(-age / half-life).
 * - `days_since_last_activity`: fractional days since the newest lead-initiated activity; missing
 *   when there is none. Bounces are not the lead's doing and never count as activity.
 * - `active_days_30d/90d`: days with at least one lead-initiated activity (frequency).
 * - `pages_per_active_day_30d`: visit depth, page views per day with page views, last 30 days;
 *   missing without page views. (Sessions are not recorded, so days stand in for them.)
 * - `high_intent_30d`: pricing-page views plus demo requests in the last 30 days.
 * - `email_click_to_open_90d`: clicks / max(opens, clicks) over 90 days, in [0, 1]; missing
 *   without either. Sends are not recorded, so open rate and click rate per send cannot be
 *   known; a click without a recorded open (images blocked) still means the email was read.
 * - `email_engagement_90d`: email opens plus clicks in 90 days.
 * - `distinct_types_30d`: kinds of interest shown in 30 days (tracked types but bounces and
 *   unsubscribes).
 * - `meetings_webinars_90d`: meetings booked plus webinars attended in 90 days.
 * - `negative_signals_total`: bounces plus unsubscribes, all time.
 */
import { isPositiveEngagement } from './activity-types.js';
import { decayedCount } from './decay.js';
import type { FeatureContext, FeatureDefinition, WindowCounts } from './definition.js';
import { DAY_MS, type ResolvedFeatureConfig } from './resolved-config.js';
import { dayOf, ENGAGED_KEY, type LeadFeatureState } from './state.js';

const WINDOW_DAYS = [7, 30, 90] as const;
// Indexes into WINDOW_DAYS.
const MONTH = 1;
const QUARTER = 2;

/** Counts per window from the day buckets; `at` must not precede the state's newest activity. */
export function countWindows(
  state: LeadFeatureState,
  at: number,
  resolved: ResolvedFeatureConfig,
): WindowCounts {
  const atDay = dayOf(at);
  const byType = new Map(resolved.trackedTypes.map((type) => [type, [0, 0, 0]] as const));
  const activeDays = [0, 0, 0];
  let pageViewDays30 = 0;
  const positive30 = new Set<string>();
  for (const [day, counts] of Object.entries(state.days)) {
    const age = atDay - Number(day);
    WINDOW_DAYS.forEach((window, w) => {
      if (age >= window) return;
      for (const [type, count] of Object.entries(counts)) {
        const perWindow = byType.get(type) as number[] | undefined;
        if (perWindow) perWindow[w] = (perWindow[w] as number) + count;
      }
      if ((counts[ENGAGED_KEY] ?? 0) > 0) activeDays[w] = (activeDays[w] as number) + 1;
    });
    if (age < WINDOW_DAYS[MONTH]) {
      if ((counts.page_view ?? 0) > 0) pageViewDays30++;
      for (const type of Object.keys(counts)) {
        if (type !== ENGAGED_KEY && isPositiveEngagement(type)) positive30.add(type);
      }
    }
  }
  return {
    byType,
    activeDays: activeDays as [number, number, number],
    pageViewDays30,
    positiveTypes30: positive30.size,
  };
}

function windowCount(context: FeatureContext, type: string, window: number): number {
  return context.windows.byType.get(type)?.[window] ?? 0;
}

/** Per tracked type: its three window counts, all-time count and decayed count. */
function activityTypeDefinitions(type: string): FeatureDefinition[] {
  const numeric = (name: string) => ({ name, kind: 'numeric', group: 'behavioural' }) as const;
  return [
    ...WINDOW_DAYS.map((days, w) => ({
      feature: numeric(`${type}_${days}d`),
      value: (context: FeatureContext) => windowCount(context, type, w),
    })),
    {
      feature: numeric(`${type}_total`),
      value: (context) => context.state.types[type]?.total ?? 0,
    },
    {
      feature: numeric(`${type}_decayed`),
      value: (context) => {
        const decay = context.state.types[type]?.decay;
        return decay
          ? decayedCount(decay, context.at, context.resolved.halfLifeMs.get(type) as number)
          : 0;
      },
    },
  ];
}

export function behaviourDefinitions(resolved: ResolvedFeatureConfig): FeatureDefinition[] {
  const behavioural = (name: string) => ({ name, kind: 'numeric', group: 'behavioural' }) as const;
  const engagement = (name: string) => ({ name, kind: 'numeric', group: 'engagement' }) as const;
  const sum = (context: FeatureContext, types: readonly string[], window: number) =>
    types.reduce((total, type) => total + windowCount(context, type, window), 0);
  return [
    ...resolved.trackedTypes.flatMap(activityTypeDefinitions),
    {
      feature: behavioural('days_since_last_activity'),
      value: ({ state, at }) =>
        state.lastEngagedAt === null ? Number.NaN : (at - state.lastEngagedAt) / DAY_MS,
    },
    {
      feature: behavioural('active_days_30d'),
      value: ({ windows }) => windows.activeDays[MONTH],
    },
    {
      feature: behavioural('active_days_90d'),
      value: ({ windows }) => windows.activeDays[QUARTER],
    },
    {
      feature: behavioural('pages_per_active_day_30d'),
      value: (context) =>
        context.windows.pageViewDays30 === 0
          ? Number.NaN
          : windowCount(context, 'page_view', MONTH) / context.windows.pageViewDays30,
    },
    {
      feature: behavioural('high_intent_30d'),
      value: (context) => sum(context, ['pricing_view', 'demo_request'], MONTH),
    },
    {
      feature: engagement('distinct_types_30d'),
      value: ({ windows }) => windows.positiveTypes30,
    },
    {
      feature: engagement('email_engagement_90d'),
      value: (context) => sum(context, ['email_open', 'email_click'], QUARTER),
    },
    {
      feature: engagement('email_click_to_open_90d'),
      value: (context) => {
        const opens = windowCount(context, 'email_open', QUARTER);
        const clicks = windowCount(context, 'email_click', QUARTER);
        return clicks === 0 && opens === 0 ? Number.NaN : clicks / Math.max(opens, clicks);
      },
    },
    {
      feature: engagement('meetings_webinars_90d'),
      value: (context) => sum(context, ['meeting_booked', 'webinar_attended'], QUARTER),
    },
    {
      feature: engagement('negative_signals_total'),
      value: ({ state }) =>
        (state.types.email_bounce?.total ?? 0) + (state.types.unsubscribe?.total ?? 0),
    },
  ];
}
