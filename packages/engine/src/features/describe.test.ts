import { describe, expect, it } from 'vitest';
import { defaultLeadFeatureConfig } from './config.js';
import { describeLeadFeature } from './describe.js';
import type { LeadProfile } from './types.js';

const config = { ...defaultLeadFeatureConfig(), customTypes: ['custom:trial_started'] };
const profile: LeadProfile = {
  email: 'ada@example.com',
  country: 'BR',
  industry: 'Mining',
  source: 'organic_search',
  customAttributes: { crm: 'hubspot' },
};
const say = (name: string, value: number, lead: LeadProfile = profile) =>
  describeLeadFeature(name, value, lead, config);

describe('describeLeadFeature', () => {
  it('describes activity counts with their window', () => {
    expect(say('pricing_view_7d', 3)).toBe('Visited the pricing page 3 times in the last 7 days');
    expect(say('pricing_view_7d', 1)).toBe('Visited the pricing page once in the last 7 days');
    expect(say('unsubscribe_total', 1)).toBe('Unsubscribed from email');
    expect(say('demo_request_90d', 0)).toBe('No demo requests in the last 90 days');
    expect(say('email_click_decayed', 2.345)).toBe('Recent email clicks: 2.3 (time-weighted)');
    expect(say('custom:trial_started_30d', 2)).toBe(
      'Did "trial started" 2 times in the last 30 days',
    );
  });

  it('describes the profile, with the lead’s own labels for unlisted values', () => {
    expect(say('title_seniority', 1)).toBe('VP-level title');
    expect(say('title_seniority', Number.NaN)).toBe('No job title');
    expect(say('industry', 14)).toBe('Industry: Mining');
    expect(say('industry_fit', -1)).toBe('Poor-fit industry (Mining)');
    expect(say('country_target', 0)).toBe('Based outside the target countries (BR)');
    expect(say('source', 0)).toBe('Came from organic search');
    expect(say('company_size_band', 2)).toBe('Company of 51-200 employees');
    expect(say('personal_email', 1)).toBe('Uses a personal email address');
    expect(say('tech_crm', 1)).toBe('Uses hubspot (crm)');
    expect(say('tech_crm', 0)).toBe('crm is not salesforce or hubspot');
  });

  it('describes the aggregates', () => {
    expect(say('days_since_last_activity', 3.7)).toBe('Last active 3 days ago');
    expect(say('days_since_last_activity', 0.2)).toBe('Last active today');
    expect(say('email_click_to_open_90d', 0.4)).toBe(
      'Clicked through 40% of opened emails in the last 90 days',
    );
    expect(say('active_days_30d', 1)).toBe('Active on 1 day in the last 30 days');
  });

  it('refuses a feature the schema does not have', () => {
    expect(() => say('pricing_views_7d', 1)).toThrow(/no feature "pricing_views_7d"/);
  });
});
