/**
 * What an organisation tells the feature builder about its market: which custom activity types
 * matter, how fast each kind of activity loses its weight, its target industries and countries,
 * the technologies it wants its customers to run, and which email domains are personal.
 */
import { EngineError } from '../errors.js';
import { CUSTOM_ACTIVITY_TYPE, STANDARD_ACTIVITY_TYPES } from './activity-types.js';
import { createJsonReader } from './json-reader.js';

export interface IndustryFit {
  readonly name: string;
  /** How well the industry fits, from -1 (never buys) to 1 (ideal customer). */
  readonly fit: number;
}

export interface Technographic {
  /** The custom attribute that holds the technology: a string, a list, or a comma-separated list. */
  readonly attribute: string;
  /** The technologies that make a good customer, e.g. the CRMs the product integrates with. */
  readonly wanted: readonly string[];
}

export interface LeadFeatureConfig {
  /** `custom:<name>` activity types that get their own counts; other custom types only count as activity. */
  readonly customTypes: readonly string[];
  /** Half-life in days of an activity's weight in the decayed counts, per activity type. */
  readonly halfLifeDays: Readonly<Record<string, number>>;
  /** The half-life of tracked types absent from `halfLifeDays`. */
  readonly defaultHalfLifeDays: number;
  /** The industries with their own category and their fit; others are `other` with fit 0. */
  readonly industries: readonly IndustryFit[];
  /** The countries (ISO alpha-2) with their own category; others are `other`. */
  readonly countries: readonly string[];
  /** The countries the organisation sells to. */
  readonly targetCountries: readonly string[];
  /** The lead sources with their own category; others are `other`. */
  readonly sources: readonly string[];
  readonly technographics: readonly Technographic[];
  readonly personalEmailDomains: readonly string[];
}

/** A feature config that cannot be used; the message names the field. */
export class LeadFeatureConfigError extends EngineError {
  override readonly name: string = 'LeadFeatureConfigError';
}

/**
 * A sensible start for a B2B software vendor selling to mid-market firms in English-speaking
 * and northern European markets (the demo data's story). Organisations edit the industries,
 * countries and technologies to describe their own market.
 */
export function defaultLeadFeatureConfig(): LeadFeatureConfig {
  return {
    customTypes: [],
    // Browsing intent fades within a week or two; a demo request or a meeting stays relevant for
    // a month; negative signals are remembered for long.
    halfLifeDays: {
      page_view: 7,
      pricing_view: 7,
      email_open: 14,
      email_click: 14,
      form_submit: 30,
      content_download: 30,
      demo_request: 30,
      webinar_attended: 30,
      meeting_booked: 30,
      email_bounce: 90,
      unsubscribe: 180,
    },
    defaultHalfLifeDays: 30,
    industries: [
      { name: 'Software', fit: 1 },
      { name: 'Marketing & Advertising', fit: 0.8 },
      { name: 'E-commerce', fit: 0.7 },
      { name: 'Financial Services', fit: 0.5 },
      { name: 'Professional Services', fit: 0.3 },
      { name: 'Telecommunications', fit: 0.3 },
      { name: 'Media & Publishing', fit: 0.2 },
      { name: 'Healthcare', fit: 0 },
      { name: 'Retail', fit: -0.1 },
      { name: 'Manufacturing', fit: -0.3 },
      { name: 'Real Estate', fit: -0.3 },
      { name: 'Education', fit: -0.7 },
      { name: 'Non-profit', fit: -1 },
      { name: 'Government', fit: -1 },
    ],
    countries: [
      ...['US', 'GB', 'DE', 'CA', 'AU', 'NL', 'SE', 'CH', 'IE', 'DK'],
      ...['FR', 'ES', 'IT', 'JP', 'SG', 'BE', 'AT', 'NO', 'FI', 'NZ', 'IL'],
      ...['IN', 'BR', 'MX', 'PL', 'ZA', 'AR', 'TR', 'PH'],
    ],
    targetCountries: ['US', 'GB', 'DE', 'CA', 'AU', 'NL', 'SE', 'CH', 'IE', 'DK'],
    sources: [
      'organic_search',
      'paid_search',
      'outbound',
      'content',
      'linkedin',
      'direct',
      'referral',
      'webinar',
      'event',
      'partner',
    ],
    technographics: [{ attribute: 'crm', wanted: ['salesforce', 'hubspot'] }],
    personalEmailDomains: [
      ...['gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.co.uk', 'ymail.com'],
      ...['hotmail.com', 'hotmail.co.uk', 'outlook.com', 'live.com', 'msn.com'],
      ...['icloud.com', 'me.com', 'mac.com', 'aol.com', 'proton.me', 'protonmail.com'],
      ...['gmx.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.com', 'fastmail.com'],
      ...['yandex.ru', 'mail.ru', 'qq.com', '163.com', '126.com'],
    ],
  };
}

const CONFIG_KEYS = [
  'customTypes',
  'halfLifeDays',
  'defaultHalfLifeDays',
  'industries',
  'countries',
  'targetCountries',
  'sources',
  'technographics',
  'personalEmailDomains',
] as const satisfies readonly (keyof LeadFeatureConfig)[];

/**
 * Checks a feature config that arrives as JSON and returns it typed; throws
 * `LeadFeatureConfigError` naming the first bad field. `path` prefixes field names in messages.
 */
export function leadFeatureConfigFromJSON(json: unknown, path = 'features'): LeadFeatureConfig {
  return readLeadFeatureConfig(json, path, (message) => new LeadFeatureConfigError(message));
}

/** As `leadFeatureConfigFromJSON`, raising the caller's error class (the rules model's own). */
export function readLeadFeatureConfig(
  json: unknown,
  path: string,
  makeError: (message: string) => Error,
): LeadFeatureConfig {
  const read = createJsonReader(makeError);
  const body = read.object(json, path, CONFIG_KEYS);
  const customTypes = read.stringArray(body.customTypes, `${path}.customTypes`);
  customTypes.forEach((type, i) => {
    read.string(type, `${path}.customTypes[${i}]`, CUSTOM_ACTIVITY_TYPE);
  });
  rejectDuplicates(customTypes, `${path}.customTypes`, read.fail);
  const tracked = new Set<string>([...STANDARD_ACTIVITY_TYPES, ...customTypes]);

  const halfLifeBody = read.object(body.halfLifeDays, `${path}.halfLifeDays`, [...tracked]);
  const halfLifeDays: Record<string, number> = {};
  for (const [type, days] of Object.entries(halfLifeBody)) {
    halfLifeDays[type] = read.number(days, `${path}.halfLifeDays.${type}`, { above: 0 });
  }

  const industries = read.array(body.industries, `${path}.industries`).map((item, i) => {
    const at = `${path}.industries[${i}]`;
    const industry = read.object(item, at, ['name', 'fit']);
    return {
      name: read.string(industry.name, `${at}.name`, NON_BLANK),
      fit: read.number(industry.fit, `${at}.fit`, { min: -1, max: 1 }),
    };
  });
  rejectDuplicates(
    industries.map((industry) => industry.name),
    `${path}.industries`,
    read.fail,
    OTHER_CATEGORY,
  );

  const technographics = read
    .array(body.technographics, `${path}.technographics`)
    .map((item, i) => {
      const at = `${path}.technographics[${i}]`;
      const entry = read.object(item, at, ['attribute', 'wanted']);
      const wanted = read.stringArray(entry.wanted, `${at}.wanted`);
      if (wanted.length === 0) read.fail(`${at}.wanted`, 'must name at least one technology');
      return { attribute: read.string(entry.attribute, `${at}.attribute`, NON_BLANK), wanted };
    });
  rejectDuplicates(
    technographics.map((entry) => entry.attribute),
    `${path}.technographics`,
    read.fail,
  );

  const categoryList = (key: 'countries' | 'targetCountries' | 'sources') => {
    const list = read.stringArray(body[key], `${path}.${key}`);
    list.forEach((item, i) => {
      read.string(item, `${path}.${key}[${i}]`, NON_BLANK);
    });
    rejectDuplicates(list, `${path}.${key}`, read.fail, OTHER_CATEGORY);
    return list;
  };

  return {
    customTypes,
    halfLifeDays,
    defaultHalfLifeDays: read.number(body.defaultHalfLifeDays, `${path}.defaultHalfLifeDays`, {
      above: 0,
    }),
    industries,
    countries: categoryList('countries'),
    targetCountries: categoryList('targetCountries'),
    sources: categoryList('sources'),
    technographics,
    personalEmailDomains: read.stringArray(
      body.personalEmailDomains,
      `${path}.personalEmailDomains`,
    ),
  };
}

const NON_BLANK = /\S/;

/** The category of labels missing from a list, so no list may name it. */
export const OTHER_CATEGORY = 'other';

/** Lists are matched case-insensitively, so "US" and "us" are the same entry. */
function rejectDuplicates(
  items: readonly string[],
  path: string,
  fail: (path: string, message: string) => never,
  reserved?: string,
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const key = normaliseLabel(item);
    if (key === reserved) fail(`${path}[${i}]`, `${JSON.stringify(item)} is reserved`);
    if (seen.has(key)) fail(`${path}[${i}]`, `${JSON.stringify(item)} is listed twice`);
    seen.add(key);
  });
}

/** How free-text labels are compared everywhere: trimmed and case-insensitive. */
export function normaliseLabel(label: string): string {
  return label.trim().toLowerCase();
}
