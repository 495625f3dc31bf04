import type { FeatureGroup } from '../matrix.js';
import { inferColumnKind } from './column-kinds.js';
import { ColumnValueError, DataOptionsError } from './data.errors.js';
import { createMissingTest, DEFAULT_NA_TOKENS, type MissingTest } from './missing-values.js';
import {
  COLUMN_KINDS,
  type ColumnKind,
  type ColumnSchema,
  DATE_PARTS,
  type DatePart,
  type DroppedColumn,
  datePartFeatureName,
  FEATURE_GROUPS,
  type PreprocessingSchema,
  schemaFeatures,
} from './preprocessing-schema.js';
import { formatNames, type RawTable } from './raw-table.js';
import { BOOLEAN_PAIRS, normaliseBoolean, parseIsoDate, parseNumber } from './value-parsers.js';

export interface PreprocessingOptions {
  /** The outcome column; never a feature. */
  readonly target?: string;
  /** Columns to leave out, e.g. ids. */
  readonly exclude?: readonly string[];
  /** Kinds that replace the inferred ones, by column name. */
  readonly types?: Readonly<Record<string, ColumnKind>>;
  /** Score-breakdown group by column name; default 'demographic'. */
  readonly groups?: Readonly<Record<string, FeatureGroup>>;
  /** Values read as missing besides blank fields; default `DEFAULT_NA_TOKENS`. */
  readonly naTokens?: readonly string[];
  /**
   * Rows a categorical level needs to keep its own category; rarer levels fold into "other".
   * Default 10.
   */
  readonly minCategoryCount?: number;
}

/**
 * An absolute count rather than a share of rows, because what makes a level worth its own
 * category is how well its conversion rate is estimated, and that depends on its row count
 * alone: at 10 rows the rate's standard error is still about 0.15, below that it is noise a
 * model would only memorise. A share would fold well-measured levels in big files (1% of
 * a million rows is 10,000) and keep single rows in small ones.
 */
export const DEFAULT_MIN_CATEGORY_COUNT = 10;

/** Trees bin a feature into at most 256 codes, one of them for missing: 254 levels + other. */
export const MAX_KEPT_CATEGORIES = 254;

const DEFAULT_GROUP: FeatureGroup = 'demographic';

/**
 * Learns from a training table how each column becomes features: its kind (inferred or from
 * `types`), the frequent levels of categoricals, the varying parts of dates. Columns that
 * would encode the same on every row (all missing, one value) are dropped and listed with the
 * reason. The result is plain JSON; see `PreprocessingSchema` for what each kind becomes.
 *
 * A column with one value and some missing rows is kept: whether the field was filled in can
 * itself predict conversion.
 *
 * @throws DataOptionsError when an option names a column the table lacks or is out of range;
 *   ColumnValueError when a value does not fit a kind set in `types` (naming row and column).
 * @example
 * const table = await readTable('visits,plan,paid\n3,pro,yes\n,free,no\n7,pro,no\n');
 * const schema = fitPreprocessing(table, { target: 'paid', minCategoryCount: 1 });
 * schema.columns.map((column) => column.kind); // ['numeric', 'categorical']
 * applyPreprocessing(schema, table).columns[0]; // Float64Array [3, NaN, 7]
 */
export function fitPreprocessing(
  table: RawTable,
  options: PreprocessingOptions = {},
): PreprocessingSchema {
  checkOptions(table, options);
  const naTokens = [...(options.naTokens ?? DEFAULT_NA_TOKENS)];
  const context: FitContext = {
    isMissing: createMissingTest(naTokens),
    minCategoryCount: options.minCategoryCount ?? DEFAULT_MIN_CATEGORY_COUNT,
    firstRow: table.firstRow,
  };
  const excluded = new Set(options.exclude);
  const columns: ColumnSchema[] = [];
  const dropped: DroppedColumn[] = [];
  table.header.forEach((name, j) => {
    if (name === options.target) {
      dropped.push({ name, reason: 'target', detail: 'the target column' });
    } else if (excluded.has(name)) {
      dropped.push({ name, reason: 'excluded', detail: 'excluded by the options' });
    } else {
      const group = options.groups?.[name] ?? DEFAULT_GROUP;
      const fitted = fitColumn(name, table.columns[j] ?? [], options.types?.[name], group, context);
      if ('reason' in fitted) dropped.push(fitted);
      else columns.push(fitted);
    }
  });
  const schema: PreprocessingSchema = {
    format: 'leadscore-preprocessing',
    formatVersion: 1,
    naTokens,
    columns,
    dropped,
  };
  checkUniqueFeatureNames(schema);
  return schema;
}

interface FitContext {
  readonly isMissing: MissingTest;
  readonly minCategoryCount: number;
  readonly firstRow: number;
}

/** A column's non-missing values with their counts, in first-seen order, and the rest. */
interface ColumnProfile {
  readonly name: string;
  readonly values: readonly string[];
  readonly counts: ReadonlyMap<string, number>;
  readonly missing: number;
}

function fitColumn(
  name: string,
  values: readonly string[],
  declaredKind: ColumnKind | undefined,
  group: FeatureGroup,
  context: FitContext,
): ColumnSchema | DroppedColumn {
  const profile = profileColumn(name, values, context.isMissing);
  const distinct = [...profile.counts.keys()];
  const [firstValue] = distinct;
  if (firstValue === undefined) return { name, reason: 'empty', detail: 'every value is missing' };
  if (distinct.length === 1 && profile.missing === 0) {
    return {
      name,
      reason: 'constant',
      detail: `every row has the value ${JSON.stringify(firstValue)}`,
    };
  }
  const kind = declaredKind ?? inferColumnKind(distinct);
  const fitted = FIT_BY_KIND[kind](profile, group, context);
  return typeof fitted === 'string' ? { name, reason: 'constant', detail: fitted } : fitted;
}

function profileColumn(
  name: string,
  values: readonly string[],
  isMissing: MissingTest,
): ColumnProfile {
  const counts = new Map<string, number>();
  let missing = 0;
  for (const value of values) {
    if (isMissing(value)) missing++;
    else counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return { name, values, counts, missing };
}

/** Builds a column's schema, or says in a sentence why every row would encode the same. */
type FitKind = (
  profile: ColumnProfile,
  group: FeatureGroup,
  context: FitContext,
) => ColumnSchema | string;

const FIT_BY_KIND: Readonly<Record<ColumnKind, FitKind>> = {
  numeric: fitNumeric,
  boolean: fitBoolean,
  date: fitDate,
  categorical: fitCategorical,
};

function fitNumeric(
  profile: ColumnProfile,
  group: FeatureGroup,
  context: FitContext,
): ColumnSchema | string {
  const numbers = new Set<number>();
  for (const value of profile.counts.keys()) {
    const number = parseNumber(value);
    if (number === undefined) throw valueError(profile, value, 'a number', context);
    numbers.add(number);
  }
  if (states(numbers.size, profile) < 2) return 'every value is the same number';
  return {
    name: profile.name,
    kind: 'numeric',
    features: [{ name: profile.name, kind: 'numeric', group }],
  };
}

function fitBoolean(
  profile: ColumnProfile,
  group: FeatureGroup,
  context: FitContext,
): ColumnSchema | string {
  const [trueValue, falseValue] = booleanPair(profile, context);
  const meanings = new Set([...profile.counts.keys()].map(normaliseBoolean));
  if (states(meanings.size, profile) < 2) return 'every value means the same';
  return {
    name: profile.name,
    kind: 'boolean',
    trueValue,
    falseValue,
    features: [{ name: profile.name, kind: 'numeric', group }],
  };
}

/** The one pair all values belong to, found from the first value; else the row at fault. */
function booleanPair(profile: ColumnProfile, context: FitContext): readonly [string, string] {
  const values = [...profile.counts.keys()];
  const first = normaliseBoolean(values[0] ?? '');
  const pair = BOOLEAN_PAIRS.find((candidate) => candidate.includes(first));
  const expected =
    pair === undefined ? 'yes/no, true/false or y/n' : `"${pair[0]}" or "${pair[1]}"`;
  const outsider = values.find((value) => !pair?.includes(normaliseBoolean(value)));
  if (pair === undefined || outsider !== undefined) {
    throw valueError(profile, outsider ?? values[0] ?? '', expected, context);
  }
  return pair;
}

function fitDate(
  profile: ColumnProfile,
  group: FeatureGroup,
  context: FitContext,
): ColumnSchema | string {
  const seen: Record<DatePart, Set<number>> = {
    month: new Set(),
    weekday: new Set(),
    hour: new Set(),
  };
  for (const value of profile.counts.keys()) {
    const date = parseIsoDate(value);
    if (date === undefined) throw valueError(profile, value, 'an ISO date (YYYY-MM-DD)', context);
    seen.month.add(date.month);
    seen.weekday.add(date.weekday);
    // A date without a time has no hour: it counts as a missing hour.
    seen.hour.add(date.hour ?? Number.NaN);
  }
  const parts = DATE_PARTS.filter((part) => {
    const present = [...seen[part]].filter((value) => !Number.isNaN(value)).length;
    return present > 0 && states(present, profile, seen[part].size > present) >= 2;
  });
  if (parts.length === 0) return 'every date has the same month and weekday';
  return {
    name: profile.name,
    kind: 'date',
    parts,
    features: parts.map((part) => ({
      name: datePartFeatureName(profile.name, part),
      kind: 'numeric',
      group,
    })),
  };
}

function fitCategorical(
  profile: ColumnProfile,
  group: FeatureGroup,
  context: FitContext,
): ColumnSchema | string {
  // Most frequent first; ties in code-unit order so the schema never depends on row order.
  const levels = [...profile.counts].sort(
    ([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : 1),
  );
  const kept = levels
    .filter(([, count]) => count >= context.minCategoryCount)
    .slice(0, MAX_KEPT_CATEGORIES)
    .map(([level]) => level);
  const folded = kept.length < levels.length;
  if (states(kept.length + (folded ? 1 : 0), profile) < 2) {
    return `each of its ${levels.length} values appears fewer than ${context.minCategoryCount} times`;
  }
  const otherCategory = folded ? unusedLabel('other', kept) : null;
  return {
    name: profile.name,
    kind: 'categorical',
    otherCategory,
    features: [
      {
        name: profile.name,
        kind: 'categorical',
        categories: otherCategory === null ? kept : [...kept, otherCategory],
        group,
      },
    ],
  };
}

/**
 * How many different encodings a feature takes: its distinct present values, plus one when
 * some rows are missing (NaN is an encoding too: a tree can split on it).
 */
function states(present: number, profile: ColumnProfile, alsoMissing = false): number {
  return present + (profile.missing > 0 || alsoMissing ? 1 : 0);
}

/** `base`, or `base 2`, `base 3`… when a real level already has that name. */
function unusedLabel(base: string, taken: readonly string[]): string {
  const names = new Set(taken);
  let label = base;
  for (let n = 2; names.has(label); n++) label = `${base} ${n}`;
  return label;
}

function valueError(
  profile: ColumnProfile,
  value: string,
  expected: string,
  context: FitContext,
): ColumnValueError {
  const row = context.firstRow + profile.values.indexOf(value);
  return new ColumnValueError(profile.name, row, value, expected);
}

function checkOptions(table: RawTable, options: PreprocessingOptions): void {
  const known = new Set(table.header);
  const checkColumn = (name: string, option: string) => {
    if (!known.has(name)) {
      throw new DataOptionsError(
        `${option} names column "${name}", which is not in the file; the columns are: ${formatNames(table.header)}`,
      );
    }
  };
  if (options.target !== undefined) checkColumn(options.target, 'target');
  for (const name of options.exclude ?? []) checkColumn(name, 'exclude');
  for (const [name, kind] of Object.entries(options.types ?? {})) {
    checkColumn(name, 'types');
    if (!COLUMN_KINDS.includes(kind)) {
      throw new DataOptionsError(
        `types: column "${name}" has kind "${kind}"; use one of ${COLUMN_KINDS.join(', ')}`,
      );
    }
  }
  for (const [name, group] of Object.entries(options.groups ?? {})) {
    checkColumn(name, 'groups');
    if (!FEATURE_GROUPS.includes(group)) {
      throw new DataOptionsError(
        `groups: column "${name}" has group "${group}"; use one of ${FEATURE_GROUPS.join(', ')}`,
      );
    }
  }
  const { minCategoryCount } = options;
  if (
    minCategoryCount !== undefined &&
    !(Number.isInteger(minCategoryCount) && minCategoryCount >= 1)
  ) {
    throw new DataOptionsError(`minCategoryCount must be an integer >= 1, got ${minCategoryCount}`);
  }
}

/** Date features are named `column.part`, which a real column could already be called. */
function checkUniqueFeatureNames(schema: PreprocessingSchema): void {
  const seen = new Set<string>();
  for (const feature of schemaFeatures(schema)) {
    if (seen.has(feature.name)) {
      throw new DataOptionsError(
        `two features would be named "${feature.name}"; rename the column or exclude one of them`,
      );
    }
    seen.add(feature.name);
  }
}
