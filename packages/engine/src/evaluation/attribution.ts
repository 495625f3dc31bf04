/** Global feature importance from per-row attributions (SHAP values or linear terms). */
import { InvalidInputError } from './input-checks.js';

/**
 * Per-row attributions, either one array of per-feature contributions per row (for example the
 * `contributions` of each `Explanation`) or a column-major matrix with one column per feature
 * (the shape of a `FeatureMatrix`).
 */
export type Attributions =
  | readonly ArrayLike<number>[]
  | { readonly columns: readonly ArrayLike<number>[] };

/**
 * Mean absolute attribution of each feature over the rows: the usual global SHAP importance,
 * in the model's output units (log-odds).
 *
 * @throws InvalidInputError when there are no rows, rows (or columns) differ in length, or a
 *   value is not finite.
 * @example
 * meanAbsoluteAttribution([Float64Array.of(0.5, -1), Float64Array.of(-0.5, 0)]); // [0.5, 0.5]
 */
export function meanAbsoluteAttribution(attributions: Attributions): Float64Array {
  return 'columns' in attributions
    ? meanAbsoluteOfColumns(attributions.columns)
    : meanAbsoluteOfRows(attributions);
}

function meanAbsoluteOfRows(rows: readonly ArrayLike<number>[]): Float64Array {
  const first = rows[0];
  if (first === undefined) throw new InvalidInputError('meanAbsoluteAttribution: no rows given');
  const sums = new Float64Array(first.length);
  rows.forEach((row, i) => {
    if (row.length !== sums.length) {
      throw new InvalidInputError(
        `meanAbsoluteAttribution: row ${i} has ${row.length} attributions, row 0 has ${sums.length}`,
      );
    }
    for (let j = 0; j < sums.length; j++)
      sums[j] = (sums[j] as number) + absoluteAttribution(row[j] as number, i, j);
  });
  return sums.map((sum) => sum / rows.length);
}

function meanAbsoluteOfColumns(columns: readonly ArrayLike<number>[]): Float64Array {
  const rowCount = columns[0]?.length ?? 0;
  if (rowCount === 0) throw new InvalidInputError('meanAbsoluteAttribution: no rows given');
  return Float64Array.from(columns, (column, j) => {
    if (column.length !== rowCount) {
      throw new InvalidInputError(
        `meanAbsoluteAttribution: column ${j} has ${column.length} rows, column 0 has ${rowCount}`,
      );
    }
    let sum = 0;
    for (let i = 0; i < rowCount; i++) sum += absoluteAttribution(column[i] as number, i, j);
    return sum / rowCount;
  });
}

function absoluteAttribution(value: number, row: number, feature: number): number {
  if (!Number.isFinite(value)) {
    throw new InvalidInputError(
      `meanAbsoluteAttribution: row ${row}, feature ${feature} is ${value}; attributions must be finite`,
    );
  }
  return Math.abs(value);
}

export interface RankedFeature {
  readonly name: string;
  readonly importance: number;
}

/**
 * Pairs an importance vector with feature names, most important first; equal importances keep
 * the features' original order.
 *
 * @throws InvalidInputError when the lengths differ.
 * @example
 * rankFeatures(Float64Array.of(0.1, 0.7), ['visits', 'pricing_views']);
 * // [{ name: 'pricing_views', importance: 0.7 }, { name: 'visits', importance: 0.1 }]
 */
export function rankFeatures(
  importance: ArrayLike<number>,
  names: readonly string[],
): RankedFeature[] {
  if (importance.length !== names.length) {
    throw new InvalidInputError(
      `rankFeatures: ${importance.length} importances but ${names.length} feature names`,
    );
  }
  return names
    .map((name, j) => ({ name, importance: importance[j] as number }))
    .sort((a, b) => b.importance - a.importance);
}
