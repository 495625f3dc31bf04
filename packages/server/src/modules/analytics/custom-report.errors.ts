import { defineErrors } from '../../http/errors.js';
import { REPORT_LIMITS } from './custom-report.vocabulary.js';

/**
 * Mistakes in a custom report query, one code each. The first mistake found (in the order
 * metrics, groupBy, filters, sort) is reported; `errors[0].field` names the part at fault,
 * as a dotted path like validation errors (`groupBy.1`, `filters.0.value`).
 */
export const CustomReportErrors = defineErrors('CUSTOM_REPORT', {
  UNKNOWN_METRIC: {
    status: 400,
    title: 'Unknown metric',
    description:
      'A `metrics` entry is not one of count, conversion_rate, avg_score, min_score, max_score or a percentile p1–p99 (p50, p90…).',
  },
  UNKNOWN_DIMENSION: {
    status: 400,
    title: 'Unknown dimension or field',
    description:
      'A `groupBy` entry is not a dimension one can group by, or a filter `field` is neither a dimension nor `score` or `created_at`. The request body’s schema lists them.',
  },
  REPEATED_NAME: {
    status: 400,
    title: 'A name is listed twice',
    description: 'A metric, a dimension or a sort key appears twice in its list; list it once.',
  },
  TOO_MANY_METRICS: {
    status: 400,
    title: 'Too many metrics',
    description: `A report computes at most ${REPORT_LIMITS.metrics} metrics.`,
  },
  TOO_MANY_DIMENSIONS: {
    status: 400,
    title: 'Too many dimensions',
    description: `A report groups by at most ${REPORT_LIMITS.dimensions} dimensions.`,
  },
  TOO_MANY_FILTERS: {
    status: 400,
    title: 'Too many filters',
    description: `A report takes at most ${REPORT_LIMITS.filters} filters.`,
  },
  TOO_MANY_VALUES: {
    status: 400,
    title: 'Too many values in a filter',
    description: `An \`in\` or \`nin\` filter takes at most ${REPORT_LIMITS.values} values. Group by the dimension instead, or narrow with other filters.`,
  },
  TOO_MANY_SORT_KEYS: {
    status: 400,
    title: 'Too many sort keys',
    description: `A report sorts by at most ${REPORT_LIMITS.sortKeys} keys.`,
  },
  UNKNOWN_OPERATOR: {
    status: 400,
    title: 'Unknown filter operator',
    description:
      'A filter `op` is not one of eq, neq, in, nin, gt, gte, lt, lte, between, is_null, is_not_null.',
  },
  OPERATOR_NOT_ALLOWED: {
    status: 400,
    title: 'The operator does not apply to this field',
    description:
      'Each field takes some operators only (a range such as gte needs an ordered field like score or created_at); the message lists the ones this field takes.',
  },
  INVALID_VALUE: {
    status: 400,
    title: 'A filter value is not valid for its field',
    description:
      'The value has the wrong type or form for the field and operator: one value for eq, a list for in, nin and between, none for is_null; the message says what the field expects.',
  },
  SORT_NOT_IN_QUERY: {
    status: 400,
    title: 'Sort by something the report does not contain',
    description:
      'A report sorts by its own columns only: a dimension of `groupBy` or a metric of `metrics` (with conversion_rate, also `converted` and `lost`).',
  },
  TIMEOUT: {
    status: 422,
    title: 'The report took too long',
    description:
      'The query was stopped at the report time limit. It is the report as asked that is too costly (a server under load can also be the cause): narrow it with filters, or group by fewer or coarser dimensions.',
  },
});
