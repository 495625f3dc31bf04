/**
 * Demo-data vocabulary: the weighted domain lists demo leads are drawn from. `weight` is how common
 * a value is; `fit` is its share of the firmographic fit. Every seeded demo dataset is drawn from
 * these lists in this order, so changing one (even reordering it) changes them all.
 */
import type { Rng } from '@leadscore/engine';

export interface WeightedList<T> {
  items: readonly T[];
  weights: readonly number[];
}

// Weights are split out once so each draw does not rebuild the array.
function weighted<T extends { weight: number }>(items: readonly T[]): WeightedList<T> {
  return { items, weights: items.map((item) => item.weight) };
}

export interface Industry {
  name: string;
  weight: number;
  fit: number;
}

export const INDUSTRIES = weighted<Industry>([
  { name: 'Software', weight: 18, fit: 1.0 },
  { name: 'Marketing & Advertising', weight: 8, fit: 0.8 },
  { name: 'E-commerce', weight: 8, fit: 0.7 },
  { name: 'Financial Services', weight: 9, fit: 0.5 },
  { name: 'Professional Services', weight: 8, fit: 0.3 },
  { name: 'Telecommunications', weight: 4, fit: 0.3 },
  { name: 'Media & Publishing', weight: 5, fit: 0.2 },
  { name: 'Healthcare', weight: 8, fit: 0 },
  { name: 'Retail', weight: 6, fit: -0.1 },
  { name: 'Manufacturing', weight: 9, fit: -0.3 },
  { name: 'Real Estate', weight: 4, fit: -0.3 },
  { name: 'Education', weight: 7, fit: -0.7 },
  { name: 'Non-profit', weight: 3, fit: -1.0 },
  { name: 'Government', weight: 3, fit: -1.2 },
]);

type Plan = 'starter' | 'growth' | 'enterprise';

export interface SizeBand {
  min: number;
  max: number;
  weight: number;
  fit: number;
  plan: Plan;
}

// Mid-market fits best: small firms lack the lead volume, the largest buy slowly and by committee.
export const SIZE_BANDS = weighted<SizeBand>([
  { min: 1, max: 10, weight: 14, fit: -1.0, plan: 'starter' },
  { min: 11, max: 50, weight: 22, fit: -0.2, plan: 'starter' },
  { min: 51, max: 200, weight: 24, fit: 0.6, plan: 'growth' },
  { min: 201, max: 1000, weight: 20, fit: 0.8, plan: 'growth' },
  { min: 1001, max: 5000, weight: 12, fit: 0.2, plan: 'enterprise' },
  { min: 5001, max: 50000, weight: 8, fit: -0.4, plan: 'enterprise' },
]);

export const PLANS: readonly Plan[] = ['starter', 'growth', 'enterprise'];

export interface Country {
  code: string;
  callingCode: string;
  weight: number;
  tier: 1 | 2 | 3;
}

export const COUNTRY_TIER_FIT = { 1: 0.4, 2: 0, 3: -0.5 } as const;

export const COUNTRIES = weighted<Country>([
  { code: 'US', callingCode: '1', weight: 30, tier: 1 },
  { code: 'GB', callingCode: '44', weight: 8, tier: 1 },
  { code: 'DE', callingCode: '49', weight: 6, tier: 1 },
  { code: 'CA', callingCode: '1', weight: 5, tier: 1 },
  { code: 'AU', callingCode: '61', weight: 4, tier: 1 },
  { code: 'NL', callingCode: '31', weight: 3, tier: 1 },
  { code: 'SE', callingCode: '46', weight: 2, tier: 1 },
  { code: 'CH', callingCode: '41', weight: 1.5, tier: 1 },
  { code: 'IE', callingCode: '353', weight: 1.5, tier: 1 },
  { code: 'DK', callingCode: '45', weight: 1, tier: 1 },
  { code: 'FR', callingCode: '33', weight: 5, tier: 2 },
  { code: 'ES', callingCode: '34', weight: 3, tier: 2 },
  { code: 'IT', callingCode: '39', weight: 3, tier: 2 },
  { code: 'JP', callingCode: '81', weight: 2, tier: 2 },
  { code: 'SG', callingCode: '65', weight: 1.5, tier: 2 },
  { code: 'BE', callingCode: '32', weight: 1.5, tier: 2 },
  { code: 'AT', callingCode: '43', weight: 1, tier: 2 },
  { code: 'NO', callingCode: '47', weight: 1, tier: 2 },
  { code: 'FI', callingCode: '358', weight: 1, tier: 2 },
  { code: 'NZ', callingCode: '64', weight: 1, tier: 2 },
  { code: 'IL', callingCode: '972', weight: 1, tier: 2 },
  { code: 'IN', callingCode: '91', weight: 6, tier: 3 },
  { code: 'BR', callingCode: '55', weight: 3, tier: 3 },
  { code: 'MX', callingCode: '52', weight: 2, tier: 3 },
  { code: 'PL', callingCode: '48', weight: 2, tier: 3 },
  { code: 'ZA', callingCode: '27', weight: 1.5, tier: 3 },
  { code: 'AR', callingCode: '54', weight: 1, tier: 3 },
  { code: 'TR', callingCode: '90', weight: 1, tier: 3 },
  { code: 'PH', callingCode: '63', weight: 1, tier: 3 },
]);

interface JobFunction {
  area: string;
  weight: number;
  fit: number;
  chiefTitle: string;
  individualTitles: readonly string[];
}

// Marketing, sales and RevOps buy lead scoring; the other functions mostly browse.
export const JOB_FUNCTIONS = weighted<JobFunction>([
  {
    area: 'Marketing',
    weight: 30,
    fit: 0.8,
    chiefTitle: 'Chief Marketing Officer',
    individualTitles: ['Marketing Specialist', 'Demand Generation Specialist', 'Content Marketer'],
  },
  {
    area: 'Sales',
    weight: 22,
    fit: 0.5,
    chiefTitle: 'Chief Sales Officer',
    individualTitles: ['Account Executive', 'Sales Development Representative'],
  },
  {
    area: 'Revenue Operations',
    weight: 10,
    fit: 1.0,
    chiefTitle: 'Chief Revenue Officer',
    individualTitles: ['Revenue Operations Analyst', 'Marketing Operations Specialist'],
  },
  {
    area: 'Growth',
    weight: 8,
    fit: 0.6,
    chiefTitle: 'Chief Growth Officer',
    individualTitles: ['Growth Analyst', 'Growth Marketer'],
  },
  {
    area: 'Engineering',
    weight: 12,
    fit: -0.4,
    chiefTitle: 'Chief Technology Officer',
    individualTitles: ['Software Engineer', 'Data Engineer', 'Data Scientist'],
  },
  {
    area: 'Operations',
    weight: 7,
    fit: -0.2,
    chiefTitle: 'Chief Operating Officer',
    individualTitles: ['Operations Analyst', 'Project Coordinator'],
  },
  {
    area: 'Finance',
    weight: 6,
    fit: -0.6,
    chiefTitle: 'Chief Financial Officer',
    individualTitles: ['Financial Analyst', 'Accountant'],
  },
  {
    area: 'People',
    weight: 5,
    fit: -0.9,
    chiefTitle: 'Chief People Officer',
    individualTitles: ['HR Generalist', 'Recruiter'],
  },
]);

interface Seniority {
  weight: number;
  fit: number;
  title(rng: Rng, jobFunction: JobFunction): string;
}

// Titles are built so the level can be read back from them: "Chief", "VP"/"Vice President",
// "Director", "Manager", or none of those for an individual contributor.
export const SENIORITIES = weighted<Seniority>([
  { weight: 5, fit: 0.5, title: (_, f) => f.chiefTitle },
  {
    weight: 9,
    fit: 0.7,
    title: (rng, f) => (rng.bernoulli(0.5) ? `VP of ${f.area}` : `Vice President, ${f.area}`),
  },
  {
    weight: 16,
    fit: 0.6,
    title: (rng, f) => (rng.bernoulli(0.7) ? `Director of ${f.area}` : `${f.area} Director`),
  },
  {
    weight: 30,
    fit: 0.3,
    title: (rng, f) => (rng.bernoulli(0.7) ? `${f.area} Manager` : `Senior ${f.area} Manager`),
  },
  { weight: 40, fit: -0.4, title: (rng, f) => rng.pick(f.individualTitles) },
]);

export interface Source {
  name: string;
  weight: number;
  interest: number;
}

export const SOURCES = weighted<Source>([
  { name: 'organic_search', weight: 20, interest: 0.1 },
  { name: 'paid_search', weight: 14, interest: 0 },
  { name: 'outbound', weight: 13, interest: -0.7 },
  { name: 'content', weight: 12, interest: -0.2 },
  { name: 'linkedin', weight: 10, interest: -0.1 },
  { name: 'direct', weight: 8, interest: 0.3 },
  { name: 'referral', weight: 6, interest: 0.6 },
  { name: 'webinar', weight: 6, interest: 0.3 },
  { name: 'event', weight: 6, interest: 0.2 },
  { name: 'partner', weight: 5, interest: 0.4 },
]);

// Scoring plugs into the CRM, so leads on a supported CRM fit better and leads on none worse.
export const CRMS = weighted<{ name: string; weight: number; fit: number }>([
  { name: 'salesforce', weight: 30, fit: 0.4 },
  { name: 'hubspot', weight: 28, fit: 0.4 },
  { name: 'pipedrive', weight: 10, fit: 0.1 },
  { name: 'microsoft_dynamics', weight: 10, fit: 0.1 },
  { name: 'zoho', weight: 7, fit: 0 },
  { name: 'none', weight: 15, fit: -0.6 },
]);

// No effect on anything: a realistic attribute a model should learn to ignore.
export const MARKETING_AUTOMATION = weighted<{ name: string; weight: number }>([
  { name: 'hubspot', weight: 30 },
  { name: 'marketo', weight: 18 },
  { name: 'pardot', weight: 14 },
  { name: 'mailchimp', weight: 20 },
  { name: 'none', weight: 18 },
]);

export const REVENUE_BANDS: readonly { below: number; label: string }[] = [
  { below: 1e6, label: '<1M' },
  { below: 10e6, label: '1-10M' },
  { below: 50e6, label: '10-50M' },
  { below: 100e6, label: '50-100M' },
  { below: 500e6, label: '100-500M' },
  { below: 1e9, label: '500M-1B' },
  { below: Number.POSITIVE_INFINITY, label: '1B+' },
];

export const SITE = 'https://www.example.com';

export const PAGES: readonly { url: string; title: string }[] = [
  { url: `${SITE}/`, title: 'Predictive lead scoring for B2B teams' },
  { url: `${SITE}/product`, title: 'Product overview' },
  { url: `${SITE}/product/scoring-models`, title: 'Scoring models' },
  { url: `${SITE}/product/integrations`, title: 'Integrations' },
  { url: `${SITE}/customers`, title: 'Customer stories' },
  { url: `${SITE}/blog/what-is-lead-scoring`, title: 'What is lead scoring?' },
  { url: `${SITE}/blog/mql-vs-sql`, title: 'MQL vs SQL: where to draw the line' },
  { url: `${SITE}/blog/intent-data`, title: 'Making sense of intent data' },
  { url: `${SITE}/docs/getting-started`, title: 'Getting started' },
  { url: `${SITE}/security`, title: 'Security and compliance' },
  { url: `${SITE}/about`, title: 'About us' },
  { url: `${SITE}/careers`, title: 'Careers' },
];

export const ASSETS: readonly { asset: string; asset_type: string }[] = [
  { asset: 'The B2B lead scoring benchmark report', asset_type: 'report' },
  { asset: 'Lead scoring for beginners', asset_type: 'ebook' },
  { asset: 'Building a predictive scoring model', asset_type: 'whitepaper' },
  { asset: 'MQL definition worksheet', asset_type: 'template' },
  { asset: 'How a SaaS team doubled its SQL rate', asset_type: 'case_study' },
  { asset: 'Sales and marketing alignment checklist', asset_type: 'checklist' },
];

export const FORMS: readonly { form_id: string; form_name: string }[] = [
  { form_id: 'frm_newsletter', form_name: 'Newsletter signup' },
  { form_id: 'frm_contact', form_name: 'Contact us' },
  { form_id: 'frm_roi_calculator', form_name: 'ROI calculator' },
  { form_id: 'frm_event_registration', form_name: 'Event registration' },
];

export interface Campaign {
  id: string;
  subject: string;
  url: string;
}

export const CAMPAIGNS: readonly Campaign[] = [
  {
    id: 'cmp_welcome',
    subject: 'Welcome — here is where to start',
    url: `${SITE}/docs/getting-started`,
  },
  {
    id: 'cmp_nurture_benchmark',
    subject: 'How does your funnel compare?',
    url: `${SITE}/blog/mql-vs-sql`,
  },
  {
    id: 'cmp_nurture_case_study',
    subject: 'How one team doubled its SQL rate',
    url: `${SITE}/customers`,
  },
  {
    id: 'cmp_product_update',
    subject: "What's new in scoring models",
    url: `${SITE}/product/scoring-models`,
  },
  {
    id: 'cmp_webinar_invite',
    subject: 'Live: building a scoring model in 30 minutes',
    url: `${SITE}/webinars`,
  },
  {
    id: 'cmp_integrations',
    subject: 'Scores in your CRM, in real time',
    url: `${SITE}/product/integrations`,
  },
  { id: 'cmp_pricing', subject: 'Plans that grow with your pipeline', url: `${SITE}/pricing` },
  {
    id: 'cmp_newsletter',
    subject: 'The monthly revenue operations digest',
    url: `${SITE}/blog/intent-data`,
  },
];

export const WEBINARS: readonly string[] = [
  'web_scoring_101',
  'web_predictive_models',
  'web_revops_panel',
];
