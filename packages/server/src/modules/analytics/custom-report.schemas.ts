/**
 * The custom report contract. The schema checks the shape (types, lengths); the names, the
 * operators a field takes, the values and the limits are checked by the planner, which answers
 * each mistake with its own code (see custom-report.errors.ts).
 */
import { type Static, Type } from 'typebox';
import { FIELDS, METRIC_NAMES, OPERATORS, REPORT_LIMITS } from './custom-report.vocabulary.js';

const fieldsWhere = (keep: (groupable: boolean) => boolean) =>
  [...FIELDS]
    .filter(([, field]) => keep(field.groupable))
    .map(([name, field]) => `\`${name}\` (${field.values}; ${field.operators.join(', ')})`)
    .join('; ');

const Name = Type.String({ minLength: 1, maxLength: 64 });
const Scalar = Type.Union([Type.String({ maxLength: 255 }), Type.Number()]);

const Filter = Type.Object(
  {
    field: { ...Name, description: 'a dimension, or `score` or `created_at`' },
    op: { ...Name, description: `one of ${OPERATORS.join(', ')}` },
    value: Type.Optional(
      Type.Union([Scalar, Type.Array(Scalar)], {
        description:
          'one value for eq, neq, gt, gte, lt, lte; a list for in and nin (at most ' +
          `${REPORT_LIMITS.values}); [low, high] for between (both included); none for ` +
          'is_null and is_not_null',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'Keeps the leads whose field matches. neq and nin keep leads with no value for the field; ' +
      'the other operators do not.',
  },
);

const SortKey = Type.Object(
  {
    by: { ...Name, description: 'a dimension of groupBy or a column of metrics' },
    direction: Type.Optional(Type.Enum(['asc', 'desc'], { default: 'asc' })),
  },
  { additionalProperties: false },
);

export const CustomReportBody = Type.Object(
  {
    metrics: Type.Array(Name, {
      minItems: 1,
      description:
        `What to compute per group (at most ${REPORT_LIMITS.metrics}): ${METRIC_NAMES.join(', ')}. ` +
        'count counts leads; conversion_rate is converted / (converted + lost) and adds the ' +
        '`converted` and `lost` counts; avg_score, min_score, max_score and the percentiles ' +
        '(p50 is the median, p90 the 90th; interpolated) are over the current score of the ' +
        'leads that have one.',
    }),
    groupBy: Type.Optional(
      Type.Array(Name, {
        description:
          `Dimensions to group by, at most ${REPORT_LIMITS.dimensions}; none gives one row of ` +
          `totals. ${fieldsWhere((groupable) => groupable)}.`,
      }),
    ),
    filters: Type.Optional(
      Type.Array(Filter, {
        description:
          `At most ${REPORT_LIMITS.filters}, all of which a lead must pass. Fields: every ` +
          `dimension, and ${fieldsWhere((groupable) => !groupable)}.`,
      }),
    ),
    sort: Type.Optional(
      Type.Array(SortKey, {
        description:
          `At most ${REPORT_LIMITS.sortKeys} keys; empty values last either way. Ties, and ` +
          'reports without a sort, follow the dimensions in order (bands in size order).',
      }),
    ),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: REPORT_LIMITS.maxRows,
        default: REPORT_LIMITS.defaultRows,
        description: 'rows to return at most; `truncated` says when there are more groups',
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        metrics: ['count', 'conversion_rate', 'p90'],
        groupBy: ['source', 'created_month'],
        filters: [{ field: 'created_at', op: 'gte', value: '2025-01-01' }],
        sort: [{ by: 'count', direction: 'desc' }],
        limit: 50,
      },
    ],
  },
);

const Cell = Type.Union([Type.String(), Type.Number(), Type.Null()]);

export const CustomReportSchema = Type.Object({
  dimensions: Type.Array(Type.String(), { description: 'the groupBy dimensions, in order' }),
  metrics: Type.Array(Type.String(), {
    description: 'the metric columns, in order (conversion_rate brings converted and lost)',
  }),
  rows: Type.Array(Type.Record(Type.String(), Cell), {
    description:
      'one object per group, keyed by dimension and metric column names; null is “no value” ' +
      '(a lead without a source, an average over no scores)',
  }),
  totalGroups: Type.Integer({ description: 'how many groups the report has in all' }),
  truncated: Type.Boolean({ description: 'true when totalGroups is more than the rows sent' }),
});

export type CustomReportRequest = Static<typeof CustomReportBody>;
export type CustomReportFilter = Static<typeof Filter>;
export type CustomReport = Static<typeof CustomReportSchema>;
