/**
 * Checks what a custom report means and resolves every name against the whitelist. The
 * result holds only our own SQL fragments and checked values; nothing the client wrote
 * reaches the compiler otherwise.
 */
import { AppError, type ErrorDefinition } from '../../http/errors.js';
import { CustomReportErrors as Errors } from './custom-report.errors.js';
import type { CustomReportFilter, CustomReportRequest } from './custom-report.schemas.js';
import {
  FIELDS,
  type Field,
  type MetricColumn,
  metricColumns,
  OPERATOR_ARITY,
  OPERATORS,
  type Operator,
  REPORT_LIMITS,
  type SqlValue,
} from './custom-report.vocabulary.js';

export interface PlannedDimension {
  readonly name: string;
  readonly field: Field;
}

export interface PlannedFilter {
  readonly field: Field;
  readonly op: Operator;
  readonly values: readonly SqlValue[];
}

export interface ReportPlan {
  readonly dimensions: readonly PlannedDimension[];
  readonly metrics: readonly MetricColumn[];
  readonly filters: readonly PlannedFilter[];
  readonly sort: readonly { readonly name: string; readonly direction: 'asc' | 'desc' }[];
  readonly limit: number;
}

const ARITY_WORDS = {
  one: 'one value',
  list: `a list of 1 to ${REPORT_LIMITS.values} values`,
  pair: 'a list of two values, [low, high]',
  none: 'no value',
} as const;

/** Throws the first mistake found, naming its place in the body. */
export function planReport(request: CustomReportRequest): ReportPlan {
  const metrics = planMetrics(request.metrics);
  const dimensions = planDimensions(request.groupBy ?? []);
  const filters = request.filters ?? [];
  checkCount(filters, REPORT_LIMITS.filters, Errors.TOO_MANY_FILTERS, 'filters');
  const columns = [...dimensions.map((d) => d.name), ...metrics.map((m) => m.name)];
  return {
    dimensions,
    metrics,
    filters: filters.map(planFilter),
    sort: planSort(request.sort ?? [], columns),
    limit: request.limit ?? REPORT_LIMITS.defaultRows,
  };
}

function planMetrics(names: readonly string[]): MetricColumn[] {
  checkCount(names, REPORT_LIMITS.metrics, Errors.TOO_MANY_METRICS, 'metrics');
  checkUnique(names, 'metrics', 'metric');
  return names.flatMap((name, index) => {
    const columns = metricColumns(name);
    if (!columns) {
      throw mistake(Errors.UNKNOWN_METRIC, `metrics.${index}`, `${quote(name)} is not a metric`);
    }
    return columns;
  });
}

function planDimensions(names: readonly string[]): PlannedDimension[] {
  checkCount(names, REPORT_LIMITS.dimensions, Errors.TOO_MANY_DIMENSIONS, 'groupBy');
  checkUnique(names, 'groupBy', 'dimension');
  return names.map((name, index) => {
    const field = FIELDS.get(name);
    if (!field?.groupable) {
      const why = field ? 'cannot be grouped by (group by score_band or created_month)' : '';
      throw mistake(
        Errors.UNKNOWN_DIMENSION,
        `groupBy.${index}`,
        `${quote(name)} ${why || 'is not a dimension'}`,
      );
    }
    return { name, field };
  });
}

function planFilter(filter: CustomReportFilter, index: number): PlannedFilter {
  const at = `filters.${index}`;
  const field = FIELDS.get(filter.field);
  if (!field) {
    throw mistake(Errors.UNKNOWN_DIMENSION, `${at}.field`, `${quote(filter.field)} is not a field`);
  }
  const op = OPERATORS.find((known) => known === filter.op);
  if (!op) {
    throw mistake(Errors.UNKNOWN_OPERATOR, `${at}.op`, `${quote(filter.op)} is not an operator`);
  }
  if (!field.operators.includes(op)) {
    throw mistake(
      Errors.OPERATOR_NOT_ALLOWED,
      `${at}.op`,
      `${filter.field} takes ${field.operators.join(', ')}, not ${op}`,
    );
  }
  return { field, op, values: filterValues(filter, field, op, `${at}.value`) };
}

/** The filter's values checked for its arity and its field, as they will be bound. */
function filterValues(
  filter: CustomReportFilter,
  field: Field,
  op: Operator,
  at: string,
): SqlValue[] {
  const arity = OPERATOR_ARITY[op];
  const { value } = filter;
  const expected = `${op} takes ${ARITY_WORDS[arity]}`;
  if (arity === 'none') {
    if (value !== undefined) throw mistake(Errors.INVALID_VALUE, at, expected);
    return [];
  }
  if (arity === 'one') {
    if (value === undefined || Array.isArray(value)) {
      throw mistake(Errors.INVALID_VALUE, at, expected);
    }
    return [parseValue(field, filter.field, value, at)];
  }
  if (!Array.isArray(value)) throw mistake(Errors.INVALID_VALUE, at, expected);
  if (arity === 'list') checkCount(value, REPORT_LIMITS.values, Errors.TOO_MANY_VALUES, at);
  if (arity === 'list' ? value.length === 0 : value.length !== 2) {
    throw mistake(Errors.INVALID_VALUE, at, expected);
  }
  return value.map((item, index) => parseValue(field, filter.field, item, `${at}.${index}`));
}

function parseValue(field: Field, name: string, value: unknown, at: string): SqlValue {
  const parsed = field.parse(value);
  if (!parsed.ok) throw mistake(Errors.INVALID_VALUE, at, `${name} takes ${parsed.expected}`);
  return parsed.value;
}

function planSort(
  keys: NonNullable<CustomReportRequest['sort']>,
  columns: readonly string[],
): ReportPlan['sort'] {
  checkCount(keys, REPORT_LIMITS.sortKeys, Errors.TOO_MANY_SORT_KEYS, 'sort');
  checkUnique(
    keys.map((key) => key.by),
    'sort',
    'sort key',
    '.by',
  );
  return keys.map((key, index) => {
    if (!columns.includes(key.by)) {
      throw mistake(
        Errors.SORT_NOT_IN_QUERY,
        `sort.${index}.by`,
        `${quote(key.by)} is not a column of this report (${columns.join(', ')})`,
      );
    }
    return { name: key.by, direction: key.direction ?? 'asc' };
  });
}

function checkCount(
  list: readonly unknown[],
  max: number,
  definition: ErrorDefinition,
  at: string,
): void {
  if (list.length > max) throw mistake(definition, at, `at most ${max} allowed`);
}

function checkUnique(names: readonly string[], at: string, what: string, suffix = ''): void {
  const index = names.findIndex((name, i) => names.indexOf(name) !== i);
  if (index >= 0) {
    throw mistake(
      Errors.REPEATED_NAME,
      `${at}.${index}${suffix}`,
      `${what} ${quote(names[index] ?? '')} is listed twice`,
    );
  }
}

function mistake(definition: ErrorDefinition, field: string, message: string): AppError {
  return new AppError(definition, `${field}: ${message}`, {
    errors: [{ in: 'body', field, message }],
  });
}

/** The client's text in a message: JSON-quoted, and cut short so a message stays a message. */
function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
