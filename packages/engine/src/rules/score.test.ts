import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeLeadFeatures,
  defaultLeadFeatureConfig,
  type LeadActivity,
  type LeadProfile,
  STANDARD_ACTIVITY_TYPES,
} from '../features/index.js';
import { defaultRulesModel } from './default-model.js';
import { gradeFor, scoreWithRules } from './score.js';
import type { Rule, RulesModelConfig } from './types.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 15, 12);

const vp: LeadProfile = {
  email: 'grace@navy.example',
  jobTitle: 'VP of Marketing',
  country: 'US',
  industry: 'Software',
  companySize: 300,
  source: 'referral',
  customAttributes: { crm: 'salesforce', uses_competitor: true },
};

const at = (daysAgo: number, type: string): LeadActivity => ({
  type,
  timestamp: NOW - daysAgo * DAY,
});

function score(
  model: RulesModelConfig,
  profile: LeadProfile,
  activities: readonly LeadActivity[] = [],
  asOf = NOW,
) {
  return scoreWithRules(
    model,
    profile,
    computeLeadFeatures(profile, activities, asOf, model.features),
  );
}

/** The default model's settings with only the given rules. */
function modelWith(rules: Rule[], changes: Partial<RulesModelConfig> = {}): RulesModelConfig {
  return { ...defaultRulesModel(), rules, ...changes };
}

const fitRule = (id: string, points: number, criterion: Rule['criterion']): Rule => ({
  id,
  description: id,
  group: 'fit',
  criterion,
  points,
});
const engagementRule = (id: string, points: number, criterion: Rule['criterion']): Rule => ({
  ...fitRule(id, points, criterion),
  group: 'engagement',
});

describe('scoreWithRules', () => {
  it('maps group points to 0–100 scores and blends them by the weights', () => {
    const model = modelWith([
      fitRule('vp', 40, { feature: 'title_seniority', op: 'equals', value: 'vp' }),
      engagementRule('pricing', 25, { feature: 'pricing_view_7d', op: 'gte', value: 1 }),
    ]);
    const result = score(model, vp, [at(1, 'pricing_view')]);
    expect(result.fitScore).toBe(40);
    expect(result.engagementScore).toBe(25);
    expect(result.score).toBe(31); // 0.4 × 40 + 0.6 × 25
    expect(result.contributions).toEqual([
      { ruleId: 'vp', points: 40, scoreShare: 16 },
      { ruleId: 'pricing', points: 25, scoreShare: 15 },
    ]);
    expect(result.breakdown).toEqual({ behavioural: 15, demographic: 16, engagement: 0 });
  });

  it('caps a group and scales the overflowing rules down in proportion', () => {
    const model = modelWith([
      fitRule('a', 80, { feature: 'title_seniority', op: 'equals', value: 'vp' }),
      fitRule('b', 40, { feature: 'country_target', op: 'equals', value: 1 }),
      fitRule('c', -20, { attribute: 'custom.uses_competitor', op: 'equals', value: true }),
    ]);
    const result = score(model, vp);
    // 80 + 40 - 20 = 100 fits; raise the cap's effect by lowering max to 60.
    expect(result.fitScore).toBe(100);
    const capped = score({ ...model, caps: { ...model.caps, fit: { min: 0, max: 60 } } }, vp);
    expect(capped.fitScore).toBe(100);
    // Positives share 60 + 20 = 80 points in the ratio 2 : 1; the negative keeps its -20.
    const shares = capped.contributions.map((c) => c.scoreShare);
    expect(shares[0]).toBeCloseTo((0.4 * 100 * (80 * (80 / 120))) / 60, 10);
    expect(shares[1]).toBeCloseTo((0.4 * 100 * (40 * (80 / 120))) / 60, 10);
    expect(shares[2]).toBeCloseTo((0.4 * 100 * -20) / 60, 10);
    expect(capped.score).toBe(40);
  });

  it('lets negative points pull a group down to its floor, and no further', () => {
    const model = modelWith([
      engagementRule('pricing', 20, { feature: 'pricing_view_7d', op: 'gte', value: 1 }),
      engagementRule('unsub', -30, { feature: 'unsubscribe_total', op: 'gte', value: 1 }),
    ]);
    expect(score(model, vp, [at(1, 'pricing_view')]).engagementScore).toBe(20);
    const both = score(model, vp, [at(1, 'pricing_view'), at(2, 'unsubscribe')]);
    expect(both.engagementScore).toBe(0);
    expect(both.score).toBe(0);
    expect(both.breakdown).toEqual({ behavioural: 0, demographic: 0, engagement: 0 });
    expect(both.reasons.negative).toEqual(['Unsubscribed from email']);
  });

  it('gives a lead matching nothing the base of a group whose floor is below 0', () => {
    const model = modelWith([
      engagementRule('unsub', -50, { feature: 'unsubscribe_total', op: 'gte', value: 1 }),
    ]);
    const floored = { ...model, caps: { ...model.caps, engagement: { min: -50, max: 150 } } };
    const neutral = score(floored, vp);
    expect(neutral.engagementScore).toBe(25);
    expect(neutral.breakdown).toEqual({ behavioural: 0, demographic: 0, engagement: 15 });
    const unsubscribed = score(floored, vp, [at(3, 'unsubscribe')]);
    expect(unsubscribed.engagementScore).toBe(0);
    expect(unsubscribed.breakdown).toEqual({ behavioural: -15, demographic: 0, engagement: 15 });
  });

  it('awards per-unit points on decayed counts, within maxPoints, fading over time', () => {
    const model = modelWith([
      {
        ...engagementRule('clicks', 10, { feature: 'email_click_decayed', op: 'gte', value: 0.1 }),
        perUnit: true,
        maxPoints: 25,
      },
    ]);
    const clicks = [at(0, 'email_click'), at(0, 'email_click'), at(0, 'email_click')];
    expect(score(model, vp, clicks).engagementScore).toBe(25);
    // Half-life 14 days: two weeks later 1.5 clicks remain, four weeks later 0.75.
    expect(score(model, vp, clicks, NOW + 14 * DAY).engagementScore).toBe(15);
    expect(score(model, vp, clicks, NOW + 28 * DAY).engagementScore).toBe(8);
  });

  it('lets the default model’s engagement fade as a lead goes quiet', () => {
    const model = defaultRulesModel();
    const history = [
      at(0, 'pricing_view'),
      at(0, 'email_click'),
      at(0, 'email_click'),
      ...Array.from({ length: 8 }, () => at(0, 'page_view')),
    ];
    const scores = [0, 7, 14, 31].map((days) => score(model, vp, history, NOW + days * DAY));
    const engagement = scores.map((s) => s.engagementScore);
    // Pricing 10 + three kinds of activity 10 + clicks 5 × 2 + page views 8. By day 7 the pricing
    // view has left the 7-day window; clicks and page views halve every 14 and 7 days; by day 31
    // nothing is left in the 30-day window and going quiet takes 10.
    expect(engagement).toEqual([38, 21, 17, 0]);
    expect(scores[3]?.reasons.negative).toEqual(['Last active 31 days ago']);
  });

  it('tests profile and custom attributes', () => {
    const model = modelWith([
      fitRule('founder', 10, { attribute: 'profile.jobTitle', op: 'contains', value: 'marketing' }),
      fitRule('domain', 5, { attribute: 'profile.emailDomain', op: 'in', value: ['NAVY.example'] }),
      fitRule('rival', -5, { attribute: 'custom.uses_competitor', op: 'equals', value: true }),
      fitRule('size', 20, { attribute: 'profile.companySize', op: 'between', value: [100, 500] }),
      fitRule('phone', 7, { attribute: 'custom.phone', op: 'exists' }),
    ]);
    const result = score(model, vp);
    expect(result.contributions.map((c) => c.ruleId)).toEqual([
      'founder',
      'domain',
      'rival',
      'size',
    ]);
    expect(result.fitScore).toBe(30);
    expect(result.reasons).toEqual({
      positive: ['Employees: 300', 'Job title: VP of Marketing', 'Email domain: navy.example'],
      negative: ['uses_competitor: yes'],
    });
  });

  it('explains a default-model score in plain words, tiers merged', () => {
    const lead: LeadProfile = { ...vp, email: 'grace@gmail.com' };
    const history = [
      at(1, 'pricing_view'),
      at(2, 'pricing_view'),
      at(3, 'pricing_view'),
      at(4, 'demo_request'),
      at(5, 'unsubscribe'),
    ];
    const model = defaultRulesModel();
    const features = computeLeadFeatures(lead, history, NOW, model.features);
    const result = scoreWithRules(model, lead, features, { reasons: 5 });
    // Ties keep the model's order; the two industry tiers (12 + 13) and the two pricing tiers
    // (10 + 10) each read as one reason.
    expect(result.reasons.positive).toEqual([
      'Requested a demo in the last 90 days',
      'VP-level title',
      'Strong-fit industry (Software)',
      'Company of 300 employees',
      'Visited the pricing page 3 times in the last 7 days',
    ]);
    expect(result.reasons.negative).toEqual([
      'Unsubscribed from email',
      'Uses a personal email address',
    ]);
    // Fit 25 + 25 + 25 + 10 + 15 - 15 = 85; engagement 30 + 20 - 20 = 30.
    expect([result.fitScore, result.engagementScore, result.grade]).toEqual([85, 30, 'A2']);
    expect(scoreWithRules(model, lead, features, { reasons: 1 }).reasons).toEqual({
      positive: ['Requested a demo in the last 90 days'],
      negative: ['Unsubscribed from email'],
    });
  });

  it('refuses features computed with another feature config', () => {
    const model = defaultRulesModel();
    const other = { ...defaultLeadFeatureConfig(), targetCountries: ['FR'] };
    expect(() => scoreWithRules(model, vp, computeLeadFeatures(vp, [], NOW, other))).toThrow(
      /features: computed with another feature config/,
    );
  });
});

describe('gradeFor', () => {
  const { grades } = defaultRulesModel();
  it.each([
    [100, 100, 'A1'],
    [70, 50, 'A1'],
    [69, 49, 'B2'],
    [45, 25, 'B2'],
    [44, 24, 'C3'],
    [20, 10, 'C3'],
    [19, 9, 'D4'],
    [0, 0, 'D4'],
    [85, 3, 'A4'],
    [5, 95, 'D1'],
  ])('fit %i, engagement %i → %s', (fit, engagement, grade) => {
    expect(gradeFor(fit, engagement, grades)).toBe(grade);
  });
});

describe('breakdown', () => {
  const profileArb = fc.record({
    email: fc.constantFrom('a@gmail.com', 'b@acme.example', null),
    jobTitle: fc.constantFrom('CEO', 'VP Sales', 'Director of IT', 'Engineer', null),
    country: fc.constantFrom('US', 'BR', 'FR', null),
    industry: fc.constantFrom('Software', 'Government', 'Retail', null),
    companySize: fc.option(fc.integer({ min: 1, max: 20_000 })),
    customAttributes: fc.record({ crm: fc.constantFrom('hubspot', 'zoho', 'none') }),
  });
  const historyArb = fc.array(
    fc.record({
      type: fc.constantFrom(...STANDARD_ACTIVITY_TYPES),
      timestamp: fc.integer({ min: NOW - 120 * DAY, max: NOW }),
    }),
    { maxLength: 40 },
  );
  const settingsArb = fc.record({
    fitWeight: fc.integer({ min: 0, max: 10 }),
    fitFloor: fc.integer({ min: -60, max: 0 }),
    fitCeiling: fc.integer({ min: 20, max: 120 }),
    engagementFloor: fc.integer({ min: -60, max: 0 }),
    engagementCeiling: fc.integer({ min: 20, max: 120 }),
  });

  it('adds up exactly to the score, and the shares to the unrounded score', () => {
    fc.assert(
      fc.property(profileArb, historyArb, settingsArb, (profile, history, settings) => {
        const base = defaultRulesModel();
        const model: RulesModelConfig = {
          ...base,
          weights: { fit: settings.fitWeight / 10, engagement: 1 - settings.fitWeight / 10 },
          caps: {
            fit: { min: settings.fitFloor, max: settings.fitCeiling },
            engagement: { min: settings.engagementFloor, max: settings.engagementCeiling },
          },
        };
        const result = score(model, profile, history);
        const { behavioural, demographic, engagement } = result.breakdown;
        expect(behavioural + demographic + engagement).toBe(result.score);
        expect(result.score).toBeGreaterThanOrEqual(0);
        expect(result.score).toBeLessThanOrEqual(100);
        const bases =
          model.weights.fit *
            ((100 * -settings.fitFloor) / (settings.fitCeiling - settings.fitFloor)) +
          model.weights.engagement *
            ((100 * -settings.engagementFloor) /
              (settings.engagementCeiling - settings.engagementFloor));
        const exact = result.contributions.reduce((sum, c) => sum + c.scoreShare, bases);
        expect(Math.abs(exact - result.score)).toBeLessThanOrEqual(0.5 + 1e-9);
      }),
      { numRuns: 200 },
    );
  });
});
