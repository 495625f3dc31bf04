/**
 * Reads a seniority level from a free-text English job title ("VP of Sales", "Founder & CEO",
 * "Sr. Engineer"). Other languages are not parsed: their titles read as `individual`.
 */

export const SENIORITY_LEVELS = [
  'c_level',
  'vp',
  'director',
  'manager',
  'senior',
  'individual',
] as const;

/** A level of `SENIORITY_LEVELS`, or `unknown` when there is no title to read. */
export type Seniority = (typeof SENIORITY_LEVELS)[number] | 'unknown';

// Checked in this order, so the highest level named in a title wins: "Senior Manager" is a
// manager, "Founder & CEO" C-level, "Senior Vice President" a VP.
const LEVEL_PATTERNS: readonly (readonly [Seniority, RegExp])[] = [
  [
    'c_level',
    /\b(?:chief|ceo|cfo|cto|coo|cmo|cro|cio|ciso|cpo|cdo|cso|cco|chro|cxo|founder|cofounder|owner|president|chair(?:man|woman|person)?|managing director)\b/,
  ],
  // "Head of X" runs a function and usually reports to the C-suite, as a VP does.
  ['vp', /\b(?:vp|svp|evp|avp|vice president|head)\b/],
  ['director', /\b(?:director|dir)\b/],
  ['manager', /\b(?:manager|mgr|supervisor|team lead|team leader)\b/],
  ['senior', /\b(?:senior|sr|snr|principal|staff|lead)\b/],
];

// Phrases that contain a level's word without holding that level.
const FALSE_FRIENDS: readonly (readonly [RegExp, string])[] = [
  [/\bvice president\b/g, 'vp'],
  [/\b(?:product|process|business) owner\b/g, ''],
  [/\bchief of staff\b/g, 'director'],
  [/\bassistant to(?: the)? .*$/g, ''],
];

/**
 * The seniority of a job title: `unknown` for a missing or letter-less title, `individual` for a
 * title that names no level.
 *
 * @example
 * parseTitleSeniority('VP of Sales'); // 'vp'
 * parseTitleSeniority('Founder & CEO'); // 'c_level'
 * parseTitleSeniority('Sr. Engineer'); // 'senior'
 * parseTitleSeniority('Data Scientist'); // 'individual'
 */
export function parseTitleSeniority(title: string | null | undefined): Seniority {
  if (!title || !/\p{L}/u.test(title)) return 'unknown';
  let text = title
    .toLowerCase()
    // Dots join abbreviations ("V.P.", "Sr."); other punctuation separates words ("Co-Founder").
    .replace(/\./g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/\bco founder\b/g, 'cofounder')
    .trim();
  for (const [pattern, replacement] of FALSE_FRIENDS) text = text.replace(pattern, replacement);
  for (const [level, pattern] of LEVEL_PATTERNS) if (pattern.test(text)) return level;
  return 'individual';
}
