/**
 * The custom report language's whitelist: every name a client may use, mapped to the SQL it
 * stands for. Identifiers in a report's SQL come only from here (`sql.ref` of our own column
 * names); every value, ours or the client's, is a bound parameter, so the SQL text never holds
 * a string literal.
 */
import { type RawBuilder, sql } from 'kysely';
import { LEAD_STATUSES, type LeadsTable } from '../../db/schema.js';
import { bandOf, GRADES, SCORE_BANDS } from './score-bands.js';

export const REPORT_LIMITS = {
  metrics: 10,
  dimensions: 3,
  filters: 20,
  values: 100,
  sortKeys: 5,
  defaultRows: 100,
  maxRows: 1000,
} as const;

export const OPERATORS = [
  'eq',
  'neq',
  'in',
  'nin',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'is_null',
  'is_not_null',
] as const;
export type Operator = (typeof OPERATORS)[number];

/** How many values each operator takes: one, a list, a [low, high] pair, or none. */
export const OPERATOR_ARITY: Record<Operator, 'one' | 'list' | 'pair' | 'none'> = {
  eq: 'one',
  neq: 'one',
  in: 'list',
  nin: 'list',
  gt: 'one',
  gte: 'one',
  lt: 'one',
  lte: 'one',
  between: 'pair',
  is_null: 'none',
  is_not_null: 'none',
};

const EQUALITY: readonly Operator[] = ['eq', 'neq', 'in', 'nin'];
const NULLS: readonly Operator[] = ['is_null', 'is_not_null'];
const RANGE: readonly Operator[] = ['gt', 'gte', 'lt', 'lte', 'between'];

export type SqlValue = string | number;
/** A client's filter value checked for its field: what to bind, or what was expected. */
export type ParsedValue = { ok: true; value: SqlValue } | { ok: false; expected: string };

export interface Field {
  /** SQL over `leads as l`; one expression groups, sorts and filters, so they always agree. */
  readonly expression: RawBuilder<unknown>;
  readonly operators: readonly Operator[];
  readonly parse: (value: unknown) => ParsedValue;
  /** What a group key reads as in the report (bands: their label); by default the key itself. */
  readonly present?: (key: unknown) => SqlValue | null;
  /** False for score and created_at: too fine to group by (score_band and created_month are). */
  readonly groupable: boolean;
  /** Its values, for the request schema's documentation. */
  readonly values: string;
}

const column = (name: keyof LeadsTable) => sql.ref(`l.${name}`);

const accept = (value: SqlValue): ParsedValue => ({ ok: true, value });
const reject = (expected: string): ParsedValue => ({ ok: false, expected });

const text =
  (maxLength: number) =>
  (value: unknown): ParsedValue =>
    typeof value === 'string' && value.length > 0 && value.length <= maxLength
      ? accept(value)
      : reject(`a text of 1 to ${maxLength} characters`);

const oneOf =
  (choices: readonly string[], what: string) =>
  (value: unknown): ParsedValue =>
    typeof value === 'string' && choices.includes(value)
      ? accept(value)
      : reject(`${what}: one of ${choices.join(', ')}`);

const matching =
  (pattern: RegExp, expected: string) =>
  (value: unknown): ParsedValue =>
    typeof value === 'string' && pattern.test(value) ? accept(value) : reject(expected);

/** A band dimension: the SQL yields the band's index, clients read and filter by its label. */
function banded(labels: readonly string[]) {
  return {
    parse: (value: unknown): ParsedValue => {
      const index = typeof value === 'string' ? labels.indexOf(value) : -1;
      return index < 0 ? reject(`a band: one of ${labels.join(', ')}`) : accept(index);
    },
    present: (index: unknown) => (index === null ? null : (labels[Number(index)] ?? null)),
    values: `bands ${labels.join(', ')}`,
  };
}

/** Upper bounds of the company size bands; the last band is everything above. */
const COMPANY_SIZE_LIMITS = [10, 50, 200, 1000, 5000] as const;
const COMPANY_SIZE_LABELS = [...COMPANY_SIZE_LIMITS, undefined].map((upTo, index) => {
  const from = (COMPANY_SIZE_LIMITS[index - 1] ?? 0) + 1;
  return upTo === undefined ? `${from}+` : `${from}–${upTo}`;
});
// The band's index, so that sorting follows sizes, not label text. 0 employees counts as 1–10.
const companySizeBand = sql`case ${sql.join(
  COMPANY_SIZE_LIMITS.map(
    (upTo, index) => sql`when ${column('company_size')} <= ${upTo} then ${index}::int`,
  ),
  sql` `,
)} when ${column('company_size')} is not null then ${COMPANY_SIZE_LIMITS.length}::int end`;

const isUuid = matching(
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  'a user id (UUID)',
);

function parseScore(value: unknown): ParsedValue {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 100
    ? accept(value as number)
    : reject('a whole number from 0 to 100');
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/i;
const INSTANT = 'a date (2024-05-01) or a date-time with its offset (2024-05-01T09:30:00Z)';

/** A date (midnight UTC) or a date-time with its offset, bound as an ISO instant. */
function parseInstant(value: unknown): ParsedValue {
  const parts = typeof value === 'string' ? DATE_TIME.exec(value) : null;
  if (!parts) return reject(INSTANT);
  const [year, month, day] = parts.slice(1, 4).map(Number) as [number, number, number];
  // Date.parse rolls 2023-02-29 over to March 1st: a day that does not exist is a mistake.
  // Years stay where PostgreSQL and ISO text agree, whatever the offset (no year 0 or 10000).
  const calendarDay = new Date(Date.UTC(year, month - 1, day));
  const exists = calendarDay.getUTCMonth() === month - 1 && calendarDay.getUTCDate() === day;
  if (!exists || year < 1000 || year > 9998) return reject(INSTANT);
  return accept(new Date(Date.parse(parts[0])).toISOString());
}

export const FIELDS: ReadonlyMap<string, Field> = new Map<string, Field>([
  [
    'source',
    {
      expression: column('source'),
      operators: [...EQUALITY, ...NULLS],
      parse: text(100),
      groupable: true,
      values: 'text',
    },
  ],
  [
    'status',
    {
      expression: column('status'),
      operators: EQUALITY,
      parse: oneOf(LEAD_STATUSES, 'a lead status'),
      groupable: true,
      values: LEAD_STATUSES.join(', '),
    },
  ],
  [
    'owner',
    {
      expression: column('owner_id'),
      operators: [...EQUALITY, ...NULLS],
      parse: isUuid,
      groupable: true,
      values: 'user ids',
    },
  ],
  [
    'industry',
    {
      expression: column('industry'),
      operators: [...EQUALITY, ...NULLS],
      parse: text(100),
      groupable: true,
      values: 'text',
    },
  ],
  [
    'country',
    {
      expression: column('country'),
      operators: [...EQUALITY, ...NULLS],
      parse: text(2),
      groupable: true,
      values: 'two-letter codes',
    },
  ],
  [
    'company_size',
    {
      expression: companySizeBand,
      operators: [...EQUALITY, ...NULLS],
      ...banded(COMPANY_SIZE_LABELS),
      groupable: true,
    },
  ],
  [
    'score_band',
    {
      // The bands of the other analytics routes: 0–9 … 80–89, 90–100.
      expression: bandOf(column('current_score')),
      operators: [...EQUALITY, ...NULLS],
      ...banded(SCORE_BANDS.map((band) => band.label)),
      groupable: true,
    },
  ],
  [
    'grade',
    {
      expression: column('current_grade'),
      operators: [...EQUALITY, ...NULLS],
      parse: oneOf(GRADES, 'a grade'),
      groupable: true,
      values: 'grades A1–D4 (rules models only)',
    },
  ],
  [
    'created_month',
    {
      // 'YYYY-MM' text sorts and compares in calendar order. The cast chooses between
      // overloads, as a bound parameter has no type of its own.
      expression: sql`to_char(${column('created_month')}, ${'YYYY-MM'}::text)`,
      operators: [...EQUALITY, ...RANGE],
      parse: matching(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM'),
      groupable: true,
      values: 'months YYYY-MM (UTC)',
    },
  ],
  [
    'score',
    {
      expression: column('current_score'),
      operators: [...EQUALITY, ...RANGE, ...NULLS],
      parse: parseScore,
      groupable: false,
      values: 'the current score, 0–100',
    },
  ],
  [
    'created_at',
    {
      expression: column('created_at'),
      operators: RANGE,
      parse: parseInstant,
      groupable: false,
      values: 'dates or date-times with offset',
    },
  ],
]);

/** One column a metric adds to the report. */
export interface MetricColumn {
  readonly name: string;
  readonly expression: RawBuilder<unknown>;
}

const score = column('current_score');
const status = column('status');
// Outcomes are written into the SQL (our constants, never a caller's value) rather than bound:
// PostgreSQL computes identical aggregates once, and the same count with two parameters is not
// identical. Three counts and an average run 25% faster over a million leads than six.
const countOf = (outcome: 'converted' | 'lost') =>
  sql`count(*) filter (where ${status} = ${sql.lit(outcome)})`;
const converted = countOf('converted');
const lost = countOf('lost');

const FIXED_METRICS: ReadonlyMap<string, readonly MetricColumn[]> = new Map([
  ['count', [{ name: 'count', expression: sql`count(*)::int` }]],
  [
    'conversion_rate',
    [
      // converted / (converted + lost): open leads have no outcome yet; null when none is decided.
      {
        name: 'conversion_rate',
        expression: sql`${converted}::float8 / nullif(${converted} + ${lost}, 0)`,
      },
      { name: 'converted', expression: sql`${converted}::int` },
      { name: 'lost', expression: sql`${lost}::int` },
    ],
  ],
  ['avg_score', [{ name: 'avg_score', expression: sql`avg(${score})::float8` }]],
  ['min_score', [{ name: 'min_score', expression: sql`min(${score})` }]],
  ['max_score', [{ name: 'max_score', expression: sql`max(${score})` }]],
]);

const PERCENTILE = /^p([1-9][0-9]?)$/;

/** The columns a metric name stands for, or undefined when it names none. */
export function metricColumns(name: string): readonly MetricColumn[] | undefined {
  const fixed = FIXED_METRICS.get(name);
  if (fixed) return fixed;
  const percent = PERCENTILE.exec(name)?.[1];
  if (percent === undefined) return undefined;
  const fraction = Number(percent) / 100;
  return [
    {
      name,
      expression: sql`percentile_cont(${fraction}::float8) within group (order by ${score})`,
    },
  ];
}

export const METRIC_NAMES = [...FIXED_METRICS.keys(), 'p1…p99'];
