/**
 * Lead features in plain words, for the reasons shown beside a score ("Visited the pricing page
 * 3 times in the last 7 days", "VP-level title"). Any model's explanation can use them: the
 * phrases describe the lead's value of a feature, not why a model liked it.
 */
import { isStandardActivityType, type StandardActivityType } from './activity-types.js';
import { type LeadFeatureConfig, OTHER_CATEGORY } from './config.js';
import { resolveFeatureConfig } from './resolved-config.js';
import { compileSchema } from './schema.js';
import type { Seniority } from './seniority.js';
import type { LeadProfile } from './types.js';

interface ActivityWords {
  /** What the lead did once. */
  readonly once: string;
  /** What the lead did `{n}` times. */
  readonly times: string;
  /** The activities as a plural noun. */
  readonly noun: string;
}

const ACTIVITY_WORDS: Record<StandardActivityType, ActivityWords> = {
  page_view: { once: 'Viewed a page', times: 'Viewed {n} pages', noun: 'page views' },
  email_open: { once: 'Opened an email', times: 'Opened {n} emails', noun: 'email opens' },
  email_click: {
    once: 'Clicked a link in an email',
    times: 'Clicked links in emails {n} times',
    noun: 'email clicks',
  },
  form_submit: { once: 'Submitted a form', times: 'Submitted {n} forms', noun: 'form submissions' },
  demo_request: {
    once: 'Requested a demo',
    times: 'Requested a demo {n} times',
    noun: 'demo requests',
  },
  pricing_view: {
    once: 'Visited the pricing page once',
    times: 'Visited the pricing page {n} times',
    noun: 'pricing-page visits',
  },
  content_download: {
    once: 'Downloaded a piece of content',
    times: 'Downloaded {n} pieces of content',
    noun: 'content downloads',
  },
  webinar_attended: {
    once: 'Attended a webinar',
    times: 'Attended {n} webinars',
    noun: 'webinars attended',
  },
  meeting_booked: {
    once: 'Booked a meeting',
    times: 'Booked {n} meetings',
    noun: 'meetings booked',
  },
  email_bounce: { once: 'An email bounced', times: '{n} emails bounced', noun: 'email bounces' },
  unsubscribe: {
    once: 'Unsubscribed from email',
    times: 'Unsubscribed from email {n} times',
    noun: 'unsubscribes',
  },
};

const SENIORITY_WORDS: Record<Exclude<Seniority, 'unknown'>, string> = {
  c_level: 'C-level title',
  vp: 'VP-level title',
  director: 'Director-level title',
  manager: 'Manager-level title',
  senior: 'Senior individual-contributor title',
  individual: 'Individual-contributor title',
};

const WINDOW_WORDS: Record<string, string> = {
  '7d': ' in the last 7 days',
  '30d': ' in the last 30 days',
  '90d': ' in the last 90 days',
  total: '',
};

/**
 * The lead's value of feature `name` in plain words. `value` is the feature's value as computed
 * (a category code for a categorical feature, NaN when missing); `profile` supplies the raw
 * labels behind codes and flags.
 *
 * @example
 * const config = defaultLeadFeatureConfig();
 * describeLeadFeature('pricing_view_7d', 3, profile, config);
 * // 'Visited the pricing page 3 times in the last 7 days'
 * describeLeadFeature('title_seniority', 1, profile, config); // 'VP-level title'
 */
export function describeLeadFeature(
  name: string,
  value: number,
  profile: LeadProfile,
  config: LeadFeatureConfig,
): string {
  const resolved = resolveFeatureConfig(config);
  const schema = compileSchema(resolved);
  const column = schema.index.get(name);
  if (column === undefined) throw new RangeError(`describeLeadFeature: no feature "${name}"`);
  const feature = schema.features[column];
  const label = feature?.kind === 'categorical' ? feature.categories[value] : undefined;

  const activity = /^(.+)_(7d|30d|90d|total|decayed)$/.exec(name);
  if (activity && resolved.halfLifeMs.has(activity[1] as string)) {
    return describeActivityCount(activity[1] as string, activity[2] as string, value);
  }
  const tech = resolved.config.technographics.find((entry) => name === `tech_${entry.attribute}`);
  if (tech) return describeTechnographic(tech.attribute, tech.wanted, value, profile);
  return describeProfileOrAggregate(name, value, label, profile);
}

function describeActivityCount(type: string, window: string, value: number): string {
  const words = activityWords(type);
  if (window === 'decayed') return `Recent ${words.noun}: ${formatNumber(value)} (time-weighted)`;
  const suffix = WINDOW_WORDS[window] as string;
  if (value === 0) return `No ${words.noun}${suffix}`;
  const phrase = value === 1 ? words.once : words.times.replace('{n}', formatNumber(value));
  return `${phrase}${suffix}`;
}

function activityWords(type: string): ActivityWords {
  if (isStandardActivityType(type)) return ACTIVITY_WORDS[type];
  const name = `"${type.slice('custom:'.length).replace(/[_.-]+/g, ' ')}"`;
  return { once: `Did ${name} once`, times: `Did ${name} {n} times`, noun: `${name} activities` };
}

function describeTechnographic(
  attribute: string,
  wanted: readonly string[],
  value: number,
  profile: LeadProfile,
): string {
  if (Number.isNaN(value)) return `No ${attribute} on record`;
  const used = profile.customAttributes?.[attribute];
  const shown = Array.isArray(used) ? used.join(', ') : String(used);
  return value > 0 ? `Uses ${shown} (${attribute})` : `${attribute} is not ${wanted.join(' or ')}`;
}

function describeProfileOrAggregate(
  name: string,
  value: number,
  label: string | undefined,
  profile: LeadProfile,
): string {
  const missing = Number.isNaN(value);
  const n = formatNumber(value);
  switch (name) {
    case 'days_since_last_activity': {
      if (missing) return 'No activity yet';
      const days = Math.floor(value);
      return days === 0 ? 'Last active today' : `Last active ${days} ${plural(days, 'day')} ago`;
    }
    case 'active_days_30d':
    case 'active_days_90d': {
      const window = name === 'active_days_30d' ? 30 : 90;
      return value === 0
        ? `Not active in the last ${window} days`
        : `Active on ${n} ${plural(value, 'day')} in the last ${window} days`;
    }
    case 'pages_per_active_day_30d':
      return missing
        ? 'No page views in the last 30 days'
        : `Viewed ${n} ${plural(value, 'page')} per active day in the last 30 days`;
    case 'high_intent_30d':
      return `${n} pricing-page ${plural(value, 'visit')} or demo requests in the last 30 days`;
    case 'distinct_types_30d':
      return value === 0
        ? 'No interest shown in the last 30 days'
        : `${n} ${plural(value, 'kind')} of activity in the last 30 days`;
    case 'email_engagement_90d':
      return `${n} email opens and clicks in the last 90 days`;
    case 'email_click_to_open_90d':
      return missing
        ? 'No email opens or clicks in the last 90 days'
        : `Clicked through ${Math.round(value * 100)}% of opened emails in the last 90 days`;
    case 'meetings_webinars_90d':
      return `${n} meetings or webinars in the last 90 days`;
    case 'negative_signals_total':
      return value === 0 ? 'No bounces or unsubscribes' : `${n} bounces or unsubscribes`;
    case 'company_size':
      return missing ? 'Company size unknown' : `Company of ${n} ${plural(value, 'employee')}`;
    case 'company_size_band':
      return missing ? 'Company size unknown' : `Company of ${label} employees`;
    case 'industry':
      return missing ? 'Industry unknown' : `Industry: ${shownLabel(label, profile.industry)}`;
    case 'industry_fit':
      return missing ? 'Industry unknown' : `${fitWord(value)} industry (${profile.industry})`;
    case 'title_seniority':
      return missing ? 'No job title' : SENIORITY_WORDS[label as keyof typeof SENIORITY_WORDS];
    case 'country':
      return missing ? 'Country unknown' : `Based in ${shownLabel(label, profile.country)}`;
    case 'country_target':
      if (missing) return 'Country unknown';
      return value === 1
        ? `Based in a target country (${profile.country})`
        : `Based outside the target countries (${profile.country})`;
    case 'source':
      return missing
        ? 'Source unknown'
        : `Came from ${shownLabel(label, profile.source).replace(/_/g, ' ')}`;
    case 'personal_email':
      if (missing) return 'No email address';
      return value === 1 ? 'Uses a personal email address' : 'Uses a work email address';
    default:
      return `${name}: ${missing ? 'unknown' : n}`;
  }
}

function fitWord(fit: number): string {
  if (fit >= 0.7) return 'Strong-fit';
  if (fit > 0) return 'Good-fit';
  if (fit === 0) return 'Neutral';
  return 'Poor-fit';
}

/** The profile's own spelling for the `other` category, the config's for listed ones. */
function shownLabel(label: string | undefined, raw: string | null | undefined): string {
  return label === OTHER_CATEGORY ? String(raw).trim() : String(label);
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}

/** Whole numbers as they are, others to one decimal. */
function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
