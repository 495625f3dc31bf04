import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STANDARD_ACTIVITY_TYPES } from './activity-types.js';
import { computeLeadFeatures, featuresFromState, leadFeatureMatrix } from './compute.js';
import { defaultLeadFeatureConfig, type LeadFeatureConfig } from './config.js';
import { leadFeatureSchema } from './schema.js';
import { applyActivity, emptyLeadFeatureState, type LeadFeatureState } from './state.js';
import type { LeadActivity, LeadFeatures, LeadProfile } from './types.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 15, 12);

const config: LeadFeatureConfig = {
  ...defaultLeadFeatureConfig(),
  customTypes: ['custom:trial_started'],
};

const profile: LeadProfile = {
  email: 'ada@gmail.com',
  jobTitle: 'VP of Sales',
  company: 'Analytical Engines',
  country: 'us',
  industry: 'software',
  companySize: 120,
  source: 'referral',
  customAttributes: { crm: 'Salesforce' },
  createdAt: NOW - 100 * DAY,
};

function value(features: LeadFeatures, name: string): number {
  const j = features.schema.findIndex((feature) => feature.name === name);
  if (j < 0) throw new Error(`no feature ${name}`);
  return features.values[j] as number;
}

const at = (daysAgo: number, type: string): LeadActivity => ({
  type,
  timestamp: NOW - daysAgo * DAY,
});

describe('computeLeadFeatures', () => {
  const history = [
    at(0.25, 'pricing_view'),
    at(1, 'pricing_view'),
    at(6, 'pricing_view'),
    at(8, 'pricing_view'),
    at(2, 'page_view'),
    at(2, 'page_view'),
    at(2, 'page_view'),
    at(3, 'page_view'),
    at(40, 'page_view'),
    at(5, 'email_open'),
    at(5, 'email_click'),
    at(20, 'email_open'),
    at(10, 'demo_request'),
    at(12, 'meeting_booked'),
    at(60, 'webinar_attended'),
    at(50, 'email_bounce'),
    at(200, 'unsubscribe'),
    at(1, 'custom:trial_started'),
    at(4, 'custom:untracked_thing'),
  ];
  const features = computeLeadFeatures(profile, history, NOW, config);

  it('counts each type in UTC-day windows, all time, and with decay', () => {
    expect(value(features, 'pricing_view_7d')).toBe(3);
    expect(value(features, 'pricing_view_30d')).toBe(4);
    expect(value(features, 'page_view_30d')).toBe(4);
    expect(value(features, 'page_view_90d')).toBe(5);
    expect(value(features, 'unsubscribe_90d')).toBe(0);
    expect(value(features, 'unsubscribe_total')).toBe(1);
    expect(value(features, 'custom:trial_started_7d')).toBe(1);
    // Half-life 7 days for pricing views: ages 0.25, 1, 6 and 8 days.
    const decayed = [0.25, 1, 6, 8].reduce((sum, age) => sum + 2 ** (-age / 7), 0);
    expect(value(features, 'pricing_view_decayed')).toBeCloseTo(decayed, 12);
  });

  it('measures recency, frequency, depth, intent and email engagement', () => {
    expect(value(features, 'days_since_last_activity')).toBeCloseTo(0.25, 12);
    // Days 0, 1, 2, 3, 4, 5, 6 and 8, 10, 12, 20 within 30; 40, 60 (not the bounce) within 90.
    expect(value(features, 'active_days_30d')).toBe(11);
    expect(value(features, 'active_days_90d')).toBe(13);
    expect(value(features, 'pages_per_active_day_30d')).toBe(2);
    expect(value(features, 'high_intent_30d')).toBe(5);
    expect(value(features, 'email_click_to_open_90d')).toBe(0.5);
    expect(value(features, 'email_engagement_90d')).toBe(3);
    // pricing, page, email open, click, demo, meeting, trial started.
    expect(value(features, 'distinct_types_30d')).toBe(7);
    expect(value(features, 'meetings_webinars_90d')).toBe(2);
    expect(value(features, 'negative_signals_total')).toBe(2);
  });

  it('reads the profile into demographic features', () => {
    const schema = features.schema;
    const label = (name: string) => {
      const feature = schema.find((f) => f.name === name);
      return feature?.kind === 'categorical' ? feature.categories[value(features, name)] : null;
    };
    expect(value(features, 'company_size')).toBe(120);
    expect(label('company_size_band')).toBe('51-200');
    expect(label('industry')).toBe('Software');
    expect(value(features, 'industry_fit')).toBe(1);
    expect(label('title_seniority')).toBe('vp');
    expect(label('country')).toBe('US');
    expect(value(features, 'country_target')).toBe(1);
    expect(label('source')).toBe('referral');
    expect(value(features, 'personal_email')).toBe(1);
    expect(value(features, 'tech_crm')).toBe(1);
  });

  it('gives missing values for a bare lead, and `other` for unlisted labels', () => {
    const bare = computeLeadFeatures({ country: 'Atlantis', industry: 'Mining' }, [], NOW, config);
    for (const name of ['company_size', 'title_seniority', 'personal_email', 'tech_crm']) {
      expect(value(bare, name)).toBeNaN();
    }
    expect(value(bare, 'days_since_last_activity')).toBeNaN();
    expect(value(bare, 'pages_per_active_day_30d')).toBeNaN();
    expect(value(bare, 'email_click_to_open_90d')).toBeNaN();
    expect(value(bare, 'page_view_total')).toBe(0);
    expect(value(bare, 'country')).toBe(config.countries.length);
    expect(value(bare, 'country_target')).toBe(0);
    expect(value(bare, 'industry_fit')).toBe(0);
  });

  it('reads technographics from lists and comma-separated strings', () => {
    const uses = (crm: unknown) =>
      value(computeLeadFeatures({ customAttributes: { crm } }, [], NOW, config), 'tech_crm');
    expect(uses(['HubSpot', 'salesforce', 'slack'])).toBe(2);
    expect(uses('zoho, hubspot')).toBe(1);
    expect(uses('none')).toBe(0);
    expect(uses(42)).toBeNaN();
  });

  it('refuses an activity without a usable time, naming it', () => {
    expect(() =>
      computeLeadFeatures(profile, [{ type: 'page_view', timestamp: Number.NaN }], NOW, config),
    ).toThrow(/activity\.timestamp.*page_view/);
    expect(() => computeLeadFeatures(profile, [], Number.NaN, config)).toThrow(/asOf/);
  });
});

// Random histories: tracked standard and custom types, an untracked custom type, times spread
// over 400 days so some fall outside every window and a few share a day.
const activityArb = fc.record({
  type: fc.constantFrom(...STANDARD_ACTIVITY_TYPES, 'custom:trial_started', 'custom:other'),
  timestamp: fc.integer({ min: NOW - 400 * DAY, max: NOW }),
});
const historyArb = fc.array(activityArb, { maxLength: 60 });

function sameValues(a: LeadFeatures, b: LeadFeatures): void {
  expect(Array.from(a.values)).toEqual(Array.from(b.values));
}

function stateOf(activities: readonly LeadActivity[]): LeadFeatureState {
  const state = emptyLeadFeatureState();
  for (const activity of activities) applyActivity(state, activity, config);
  return state;
}

describe('as-of features', () => {
  it('never change when activities after asOf are added', () => {
    fc.assert(
      fc.property(
        historyArb,
        historyArb,
        fc.integer({ min: 0, max: 60 * DAY }),
        (before, later, gap) => {
          const asOf = NOW + gap;
          const future = later.map((a) => ({ ...a, timestamp: asOf + 1 + (NOW - a.timestamp) }));
          sameValues(
            computeLeadFeatures(profile, [...before, ...future], asOf, config),
            computeLeadFeatures(profile, before, asOf, config),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('count exactly what a brute-force count over the history finds', () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: 0, max: 100 * DAY }), (history, gap) => {
        const asOf = NOW + gap;
        const features = computeLeadFeatures(profile, history, asOf, config);
        const asOfDay = Math.floor(asOf / DAY);
        for (const type of [...STANDARD_ACTIVITY_TYPES, 'custom:trial_started']) {
          const ofType = history.filter((a) => a.type === type);
          for (const window of [7, 30, 90]) {
            const inWindow = ofType.filter((a) => asOfDay - Math.floor(a.timestamp / DAY) < window);
            expect(value(features, `${type}_${window}d`)).toBe(inWindow.length);
          }
          expect(value(features, `${type}_total`)).toBe(ofType.length);
          const halfLife = (config.halfLifeDays[type] ?? config.defaultHalfLifeDays) * DAY;
          const direct = ofType.reduce(
            (sum, a) => sum + 2 ** (-(asOf - a.timestamp) / halfLife),
            0,
          );
          expect(value(features, `${type}_decayed`)).toBeCloseTo(direct, 10);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('incremental features', () => {
  it('equal the batch features bit for bit, in any arrival order', () => {
    fc.assert(
      fc.property(
        historyArb.chain((history) =>
          fc.tuple(
            fc.constant(history),
            fc.shuffledSubarray(history, { minLength: history.length }),
          ),
        ),
        fc.integer({ min: 0, max: 200 * DAY }),
        fc.nat(60),
        ([history, shuffled], gap, cut) => {
          const asOf = NOW + gap;
          // Serialise half-way, as the scorer stores the state between activities.
          const first = stateOf(shuffled.slice(0, cut));
          const state = JSON.parse(JSON.stringify(first)) as LeadFeatureState;
          for (const activity of shuffled.slice(cut)) applyActivity(state, activity, config);
          sameValues(
            featuresFromState(profile, state, asOf, config),
            computeLeadFeatures(profile, history, asOf, config),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps a bounded state however many activities arrive', () => {
    const state = emptyLeadFeatureState();
    for (let i = 0; i < 20_000; i++) {
      const type = STANDARD_ACTIVITY_TYPES[i % STANDARD_ACTIVITY_TYPES.length] as string;
      applyActivity(state, { type, timestamp: NOW - 730 * DAY + i * 3_600_000 }, config);
    }
    expect(Object.keys(state.days).length).toBeLessThanOrEqual(90);
    expect(JSON.stringify(state).length).toBeLessThan(30_000);
  });

  it('keeps late activities older than 90 days in the totals and decayed counts only', () => {
    const state = stateOf([at(1, 'demo_request'), at(120, 'demo_request')]);
    const features = featuresFromState(profile, state, NOW, config);
    expect(value(features, 'demo_request_90d')).toBe(1);
    expect(value(features, 'demo_request_total')).toBe(2);
    expect(value(features, 'demo_request_decayed')).toBeCloseTo(2 ** (-1 / 30) + 2 ** -4, 12);
  });

  it('computes as of the newest activity when asOf precedes it', () => {
    const state = stateOf([at(3, 'page_view'), at(-0.001, 'page_view')]);
    sameValues(
      featuresFromState(profile, state, NOW, config),
      featuresFromState(profile, state, NOW + 0.001 * DAY, config),
    );
  });

  it('refuses a state built with other half-lives', () => {
    const state = stateOf([at(1, 'page_view')]);
    const other = { ...config, halfLifeDays: { ...config.halfLifeDays, page_view: 3 } };
    expect(() => featuresFromState(profile, state, NOW, other)).toThrow(/state\.configKey/);
    expect(() => applyActivity(state, at(0, 'page_view'), other)).toThrow(/rebuild/);
  });
});

describe('leadFeatureMatrix', () => {
  it('stacks leads as rows of the schema, each as of its own time', () => {
    const leads = [
      { profile, activities: [at(1, 'pricing_view'), at(10, 'pricing_view')] },
      { profile: {}, activities: [at(1, 'pricing_view')] },
    ];
    const matrix = leadFeatureMatrix(leads, [NOW, NOW - 5 * DAY], config);
    expect(matrix.rows).toBe(2);
    expect(matrix.features).toBe(leadFeatureSchema(config));
    const j = matrix.features.findIndex((f) => f.name === 'pricing_view_total');
    expect(Array.from(matrix.columns[j] as Float64Array)).toEqual([2, 0]);
    expect(() => leadFeatureMatrix(leads, [NOW], config)).toThrow(/1 times for 2 leads/);
  });

  it('has unique names and the three groups', () => {
    const schema = leadFeatureSchema(config);
    expect(new Set(schema.map((f) => f.name)).size).toBe(schema.length);
    expect(new Set(schema.map((f) => f.group))).toEqual(
      new Set(['behavioural', 'engagement', 'demographic']),
    );
  });
});
