/**
 * The profile attributes a rule can test, read from a `LeadProfile`, and how they are shown in
 * reasons.
 */
import { emailDomain, type LeadProfile } from '../features/index.js';

const PROFILE_ATTRIBUTES = [
  'jobTitle',
  'company',
  'country',
  'industry',
  'companySize',
  'source',
  'email',
  'emailDomain',
] as const;

type ProfileAttribute = (typeof PROFILE_ATTRIBUTES)[number];

const LABELS: Record<ProfileAttribute, string> = {
  jobTitle: 'Job title',
  company: 'Company',
  country: 'Country',
  industry: 'Industry',
  companySize: 'Employees',
  source: 'Source',
  email: 'Email',
  emailDomain: 'Email domain',
};

const CUSTOM_PREFIX = 'custom.';
const PROFILE_PREFIX = 'profile.';

/** How an attribute is named in a rule and read from a profile. */
export interface AttributeReader {
  /** Whether only numeric tests make sense (`profile.companySize`). */
  readonly numeric: boolean;
  /** Only text tests make sense (the text profile fields). */
  readonly text: boolean;
  read(profile: LeadProfile): unknown;
  describe(value: unknown): string;
}

/** The reader for `profile.<field>` or `custom.<name>`, or null when the name is neither. */
export function attributeReader(name: string): AttributeReader | null {
  if (name.startsWith(CUSTOM_PREFIX) && name.length > CUSTOM_PREFIX.length) {
    const key = name.slice(CUSTOM_PREFIX.length);
    return {
      numeric: false,
      text: false,
      read: (profile) => profile.customAttributes?.[key],
      describe: (value) => `${key}: ${showValue(value)}`,
    };
  }
  const field = name.slice(PROFILE_PREFIX.length) as ProfileAttribute;
  if (!name.startsWith(PROFILE_PREFIX) || !PROFILE_ATTRIBUTES.includes(field)) return null;
  return {
    numeric: field === 'companySize',
    text: field !== 'companySize',
    read: (profile) => (field === 'emailDomain' ? emailDomain(profile.email) : profile[field]),
    describe: (value) => `${LABELS[field]}: ${showValue(value)}`,
  };
}

function showValue(value: unknown): string {
  if (value === true) return 'yes';
  if (value === false) return 'no';
  if (Array.isArray(value)) return value.map(showValue).join(', ');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
