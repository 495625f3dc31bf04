/**
 * Demographic and firmographic features from the lead's profile: company size, industry and
 * its fit, title seniority, country and whether it is a target, source, personal email, and
 * technographics. Labels are matched trimmed and case-insensitively; a label missing from the
 * config's list is category `other`; a missing field is NaN.
 */
import type { CategoricalFeature } from '../matrix.js';
import { normaliseLabel, OTHER_CATEGORY } from './config.js';
import type { FeatureDefinition } from './definition.js';
import type { ResolvedFeatureConfig } from './resolved-config.js';
import { parseTitleSeniority, SENIORITY_LEVELS } from './seniority.js';

/** Employee-count bands as LinkedIn draws them; 0 employees falls in the first. */
export const COMPANY_SIZE_BANDS: readonly { readonly label: string; readonly max: number }[] = [
  { label: '1-10', max: 10 },
  { label: '11-50', max: 50 },
  { label: '51-200', max: 200 },
  { label: '201-500', max: 500 },
  { label: '501-1000', max: 1000 },
  { label: '1001-5000', max: 5000 },
  { label: '5001-10000', max: 10_000 },
  { label: '10001+', max: Number.POSITIVE_INFINITY },
];

export function profileDefinitions(resolved: ResolvedFeatureConfig): FeatureDefinition[] {
  const { config } = resolved;
  const numeric = (name: string) => ({ name, kind: 'numeric', group: 'demographic' }) as const;
  const categorical = (name: string, labels: readonly string[]): CategoricalFeature => ({
    name,
    kind: 'categorical',
    categories: labels,
    group: 'demographic',
  });
  const industries = categoryCoder(config.industries.map((industry) => industry.name));
  const countries = categoryCoder(config.countries);
  const sources = categoryCoder(config.sources);
  const targetCountries = new Set(config.targetCountries.map(normaliseLabel));
  const personalDomains = new Set(config.personalEmailDomains.map(normaliseLabel));

  return [
    {
      feature: numeric('company_size'),
      value: ({ profile }) => companySize(profile.companySize),
    },
    {
      feature: categorical(
        'company_size_band',
        COMPANY_SIZE_BANDS.map((band) => band.label),
      ),
      value: ({ profile }) => {
        const size = companySize(profile.companySize);
        return Number.isNaN(size) ? size : COMPANY_SIZE_BANDS.findIndex((band) => size <= band.max);
      },
    },
    {
      feature: categorical('industry', industries.categories),
      value: ({ profile }) => industries.code(profile.industry),
    },
    {
      feature: numeric('industry_fit'),
      value: ({ profile }) => {
        const code = industries.code(profile.industry);
        return Number.isNaN(code) ? code : (config.industries[code]?.fit ?? 0);
      },
    },
    {
      feature: categorical('title_seniority', SENIORITY_LEVELS),
      value: ({ profile }) => {
        const level = parseTitleSeniority(profile.jobTitle);
        return level === 'unknown' ? Number.NaN : SENIORITY_LEVELS.indexOf(level);
      },
    },
    {
      feature: categorical('country', countries.categories),
      value: ({ profile }) => countries.code(profile.country),
    },
    {
      feature: numeric('country_target'),
      value: ({ profile }) => flag(profile.country, (country) => targetCountries.has(country)),
    },
    {
      feature: categorical('source', sources.categories),
      value: ({ profile }) => sources.code(profile.source),
    },
    {
      feature: numeric('personal_email'),
      value: ({ profile }) => {
        const domain = emailDomain(profile.email);
        return domain === null ? Number.NaN : Number(personalDomains.has(domain));
      },
    },
    ...config.technographics.map(({ attribute, wanted }): FeatureDefinition => {
      const wantedSet = new Set(wanted.map(normaliseLabel));
      return {
        feature: numeric(`tech_${attribute}`),
        value: ({ profile }) => {
          const used = technologies(profile.customAttributes?.[attribute]);
          return used === null ? Number.NaN : used.filter((tech) => wantedSet.has(tech)).length;
        },
      };
    }),
  ];
}

/** The part after the last `@`, normalised; null when there is no usable address. */
export function emailDomain(email: string | null | undefined): string | null {
  if (!email) return null;
  const at = email.lastIndexOf('@');
  const domain = normaliseLabel(email.slice(at + 1));
  return at < 0 || domain === '' ? null : domain;
}

function companySize(size: number | null | undefined): number {
  return typeof size === 'number' && Number.isFinite(size) && size >= 0 ? size : Number.NaN;
}

function flag(label: string | null | undefined, test: (normalised: string) => boolean): number {
  const normalised = presentLabel(label);
  return normalised === null ? Number.NaN : Number(test(normalised));
}

function presentLabel(label: string | null | undefined): string | null {
  if (typeof label !== 'string') return null;
  const normalised = normaliseLabel(label);
  return normalised === '' ? null : normalised;
}

/** The config's labels plus `other`, and a label → code lookup. */
function categoryCoder(labels: readonly string[]) {
  const codes = new Map(labels.map((label, code) => [normaliseLabel(label), code]));
  return {
    categories: [...labels, OTHER_CATEGORY],
    code(label: string | null | undefined): number {
      const normalised = presentLabel(label);
      return normalised === null ? Number.NaN : (codes.get(normalised) ?? labels.length);
    },
  };
}

/** The distinct technologies an attribute names: a string, a comma-separated string, or a list. */
function technologies(value: unknown): string[] | null {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null;
  if (items === null) return null;
  const names = items.filter((item) => typeof item === 'string').map(normaliseLabel);
  return [...new Set(names.filter((name) => name !== ''))];
}
