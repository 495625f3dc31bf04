import type { FeatureGroup } from '../matrix.js';
import { inferColumnKind } from './column-kinds.js';
import { ColumnValueError } from './data.errors.js';
import type { MissingTest } from './missing-values.js';
import {
  type ColumnKind,
  type ColumnSchema,
  DATE_PARTS,
  type DatePart,
  type DroppedColumn,
  datePartFeatureName,
} from './preprocessing-schema.js';
import { BOOLEAN_PAIRS, normaliseBoolean, parseIsoDate, parseNumber } from './value-parsers.js';

/** Trees bin a feature into at most 256 codes, one of them for missing: 254 levels + other. */
export const MAX_KEPT_CATEGORIES = 254;

export interface FitContext {
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

/**
 * How one column becomes features, or why it is dropped: `declaredKind` or the inferred kind,
 * then the kind's own fitting (see `PreprocessingSchema`).
 */
export function fitColumn(
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
  if (!varies(numbers.size, profile.missing > 0)) return 'every value is the same number';
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
  if (!varies(meanings.size, profile.missing > 0)) return 'every value means the same';
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
    const anyMissing = profile.missing > 0 || seen[part].size > present;
    return present > 0 && varies(present, anyMissing);
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
  if (!varies(kept.length + (folded ? 1 : 0), profile.missing > 0)) {
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
 * Whether a feature would differ between rows, given its number of distinct present values
 * and whether some rows are missing: NaN counts as a value of its own, since a tree can split
 * on it.
 */
function varies(present: number, anyMissing: boolean): boolean {
  return present + (anyMissing ? 1 : 0) >= 2;
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
