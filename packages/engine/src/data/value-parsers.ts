/**
 * How raw CSV text is read as a number, a boolean or a date. Type inference and encoding both
 * use these, so a value that made a column numeric at fit time always encodes the same way.
 */

// Plain decimal notation with an optional exponent. Stricter than Number(), which also takes
// '0x1F', '0b1', 'Infinity' and turns '' into 0.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The finite number `text` spells (surrounding whitespace allowed), else `undefined`. */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/** The value pairs read as booleans, true value first; matched without regard to case. */
export const BOOLEAN_PAIRS: readonly (readonly [string, string])[] = [
  ['yes', 'no'],
  ['true', 'false'],
  ['y', 'n'],
];

/** The pair every one of `values` belongs to (ignoring case and surrounding space), if any. */
export function findBooleanPair(values: Iterable<string>): readonly [string, string] | undefined {
  const lowered = new Set<string>();
  for (const value of values) lowered.add(normaliseBoolean(value));
  return BOOLEAN_PAIRS.find(([yes, no]) => [...lowered].every((v) => v === yes || v === no));
}

/** The form in which boolean values are compared with a pair. */
export function normaliseBoolean(text: string): string {
  return text.trim().toLowerCase();
}

/** What a date contributes to the features: the calendar and clock parts that recur. */
export interface DateParts {
  /** 1 = January … 12 = December. */
  readonly month: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  readonly weekday: number;
  /** Hours since midnight, with minutes and seconds as a fraction; undefined without a time. */
  readonly hour: number | undefined;
}

// YYYY-MM-DD, then optionally a time (T or space, HH:MM, optional :SS and fraction) and an
// optional zone (Z or ±HH[:MM]).
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * The parts of an ISO 8601 date or date-time, else `undefined` (also for impossible dates such
 * as 2023-02-30). The clock time is taken as written, ignoring any zone: a lead's local time
 * of day is what describes its behaviour, and the result must not depend on the machine's zone.
 */
export function parseIsoDate(text: string): DateParts | undefined {
  const match = ISO_DATE.exec(text.trim());
  if (match === null) return undefined;
  const [year = 0, month = 0, day = 0, hours = 0, minutes = 0, seconds = 0] = match
    .slice(1)
    .map((part) => Number(part ?? 0));
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not move years 0–99 into the 1900s.
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const weekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
  if (match[4] === undefined) return { month, weekday, hour: undefined };
  if (hours > 23 || minutes > 59 || seconds > 59) return undefined;
  return { month, weekday, hour: hours + minutes / 60 + seconds / 3600 };
}
