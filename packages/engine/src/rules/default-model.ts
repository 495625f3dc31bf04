/**
 * The points model every new organisation starts with, so its leads are scored from their first
 * activity, before there is any history to train on. It encodes what B2B sales teams commonly
 * agree on; each organisation should edit it to its own market.
 *
 * Fit (who the lead is; the best profile reaches exactly 100 points):
 * - a C-level or VP title +25, director +20, manager +10;
 * - an industry with fit >= 0.3 +12, and >= 0.7 another +13; fit <= -0.5 takes 15;
 * - a company of 51–1000 employees +25, 1001–5000 +12; 10 or fewer takes 10;
 * - a target country +10; a wanted CRM (Salesforce or HubSpot) +15;
 * - a personal email address (gmail.com and the like) takes 15.
 *
 * Engagement (what the lead did; more than 100 points are possible and capped):
 * - a demo request or a booked meeting in 90 days +30 each;
 * - a pricing-page visit in the last 7 days +10, three or more another +10;
 * - a webinar in 90 days +10; a content download or a form in 30 days +5 each;
 * - three or more kinds of activity in 30 days (say visits, emails and a download) +10;
 * - 5 points per decayed email click (half-life 14 days) up to 15, and 1 per decayed page view
 *   (half-life 7 days) up to 10, so these fade as the lead goes quiet;
 * - no activity for 30 days takes 10; an unsubscribe takes 20; a bounced email takes 10.
 *
 * The score weighs fit 0.4 and engagement 0.6: engagement says when to call, fit whether it is
 * worth it. Grades: A ≥ 70, B ≥ 45, C ≥ 20 fit; 1 ≥ 50, 2 ≥ 25, 3 ≥ 10 engagement.
 */
import { defaultLeadFeatureConfig } from '../features/index.js';
import type { Rule, RulesModelConfig } from './types.js';

const FIT_RULES: readonly Rule[] = [
  {
    id: 'seniority-executive',
    description: 'C-level or VP title',
    group: 'fit',
    criterion: { feature: 'title_seniority', op: 'in', value: ['c_level', 'vp'] },
    points: 25,
  },
  {
    id: 'seniority-director',
    description: 'Director title',
    group: 'fit',
    criterion: { feature: 'title_seniority', op: 'equals', value: 'director' },
    points: 20,
  },
  {
    id: 'seniority-manager',
    description: 'Manager title',
    group: 'fit',
    criterion: { feature: 'title_seniority', op: 'equals', value: 'manager' },
    points: 10,
  },
  {
    id: 'industry-good-fit',
    description: 'Industry fits (fit 0.3 or more)',
    group: 'fit',
    criterion: { feature: 'industry_fit', op: 'gte', value: 0.3 },
    points: 12,
  },
  {
    id: 'industry-strong-fit',
    description: 'Industry fits strongly (fit 0.7 or more), on top of the good fit',
    group: 'fit',
    criterion: { feature: 'industry_fit', op: 'gte', value: 0.7 },
    points: 13,
  },
  {
    id: 'industry-poor-fit',
    description: 'Industry rarely buys (fit -0.5 or less)',
    group: 'fit',
    criterion: { feature: 'industry_fit', op: 'lte', value: -0.5 },
    points: -15,
  },
  {
    id: 'company-mid-market',
    description: '51 to 1000 employees',
    group: 'fit',
    criterion: { feature: 'company_size', op: 'between', value: [51, 1000] },
    points: 25,
  },
  {
    id: 'company-enterprise',
    description: '1001 to 5000 employees',
    group: 'fit',
    criterion: { feature: 'company_size', op: 'between', value: [1001, 5000] },
    points: 12,
  },
  {
    id: 'company-tiny',
    description: '10 employees or fewer',
    group: 'fit',
    criterion: { feature: 'company_size', op: 'lte', value: 10 },
    points: -10,
  },
  {
    id: 'target-country',
    description: 'Based in a target country',
    group: 'fit',
    criterion: { feature: 'country_target', op: 'equals', value: 1 },
    points: 10,
  },
  {
    id: 'wanted-crm',
    description: 'Runs Salesforce or HubSpot',
    group: 'fit',
    criterion: { feature: 'tech_crm', op: 'gte', value: 1 },
    points: 15,
  },
  {
    id: 'personal-email',
    description: 'Personal email address',
    group: 'fit',
    criterion: { feature: 'personal_email', op: 'equals', value: 1 },
    points: -15,
  },
];

const ENGAGEMENT_RULES: readonly Rule[] = [
  {
    id: 'demo-request',
    description: 'Requested a demo in the last 90 days',
    group: 'engagement',
    criterion: { feature: 'demo_request_90d', op: 'gte', value: 1 },
    points: 30,
  },
  {
    id: 'meeting-booked',
    description: 'Booked a meeting in the last 90 days',
    group: 'engagement',
    criterion: { feature: 'meeting_booked_90d', op: 'gte', value: 1 },
    points: 30,
  },
  {
    id: 'pricing-this-week',
    description: 'Visited the pricing page in the last 7 days',
    group: 'engagement',
    criterion: { feature: 'pricing_view_7d', op: 'gte', value: 1 },
    points: 10,
  },
  {
    id: 'pricing-repeat',
    description: 'Visited the pricing page 3 times or more in the last 7 days',
    group: 'engagement',
    criterion: { feature: 'pricing_view_7d', op: 'gte', value: 3 },
    points: 10,
  },
  {
    id: 'webinar',
    description: 'Attended a webinar in the last 90 days',
    group: 'engagement',
    criterion: { feature: 'webinar_attended_90d', op: 'gte', value: 1 },
    points: 10,
  },
  {
    id: 'content-download',
    description: 'Downloaded content in the last 30 days',
    group: 'engagement',
    criterion: { feature: 'content_download_30d', op: 'gte', value: 1 },
    points: 5,
  },
  {
    id: 'form-submit',
    description: 'Submitted a form in the last 30 days',
    group: 'engagement',
    criterion: { feature: 'form_submit_30d', op: 'gte', value: 1 },
    points: 5,
  },
  {
    id: 'multi-channel',
    description: 'Three or more kinds of activity in the last 30 days',
    group: 'engagement',
    criterion: { feature: 'distinct_types_30d', op: 'gte', value: 3 },
    points: 10,
  },
  {
    id: 'email-clicks',
    description: '5 points per recent email click (fading), up to 15',
    group: 'engagement',
    // Below a tenth of a click the old clicks are noise, not a reason.
    criterion: { feature: 'email_click_decayed', op: 'gte', value: 0.1 },
    points: 5,
    perUnit: true,
    maxPoints: 15,
  },
  {
    id: 'page-views',
    description: '1 point per recent page view (fading), up to 10',
    group: 'engagement',
    criterion: { feature: 'page_view_decayed', op: 'gte', value: 0.1 },
    points: 1,
    perUnit: true,
    maxPoints: 10,
  },
  {
    id: 'gone-quiet',
    description: 'No activity for 30 days or more',
    group: 'engagement',
    criterion: { feature: 'days_since_last_activity', op: 'gte', value: 30 },
    points: -10,
  },
  {
    id: 'unsubscribed',
    description: 'Unsubscribed from email',
    group: 'engagement',
    criterion: { feature: 'unsubscribe_total', op: 'gte', value: 1 },
    points: -20,
  },
  {
    id: 'email-bounced',
    description: 'An email to the lead bounced',
    group: 'engagement',
    criterion: { feature: 'email_bounce_total', op: 'gte', value: 1 },
    points: -10,
  },
];

/** The documented starting model (see the module comment); a fresh copy on every call. */
export function defaultRulesModel(): RulesModelConfig {
  return {
    format: 'leadscore-rules',
    formatVersion: 1,
    features: defaultLeadFeatureConfig(),
    rules: structuredClone([...FIT_RULES, ...ENGAGEMENT_RULES]),
    caps: { fit: { min: 0, max: 100 }, engagement: { min: 0, max: 100 } },
    weights: { fit: 0.4, engagement: 0.6 },
    grades: { fit: { A: 70, B: 45, C: 20 }, engagement: { '1': 50, '2': 25, '3': 10 } },
  };
}
