/**
 * Checks of what callers hand to training and scoring, each failing with a message that names
 * the feature, row or field at fault. Training and scoring share the cell readers so both
 * reject the same values the same way.
 */
import type { CategoricalFeature, Feature, FeatureMatrix } from '../matrix.js';
import { LogisticInputError } from './errors.js';

/** A numeric cell: `NaN` is missing; ±Infinity would poison the mean and the log-odds. */
export function checkNumericCell(value: number, feature: Feature, row: number): void {
  if (value === Number.POSITIVE_INFINITY || value === Number.NEGATIVE_INFINITY) {
    throw new LogisticInputError(
      `Feature "${feature.name}", row ${row}: ${value} is not a usable number (use NaN for missing)`,
    );
  }
}

/** A categorical cell as a category code, or -1 when missing (`NaN`). */
export function readCategoryCode(value: number, feature: CategoricalFeature, row: number): number {
  if (Number.isNaN(value)) return -1;
  if (!Number.isInteger(value) || value < 0 || value >= feature.categories.length) {
    throw invalidCategoryCode(value, feature, row);
  }
  return value;
}

export function invalidCategoryCode(
  value: number,
  feature: CategoricalFeature,
  row: number,
): LogisticInputError {
  return new LogisticInputError(
    `Feature "${feature.name}", row ${row}: ${value} is not a category code (expected an integer in 0…${feature.categories.length - 1}, or NaN for missing)`,
  );
}

/** One column per feature, each `rows` long: what `createFeatureMatrix` guarantees. */
export function checkMatrixShape(matrix: FeatureMatrix): void {
  if (matrix.columns.length !== matrix.features.length) {
    throw new LogisticInputError(
      `The matrix has ${matrix.features.length} features but ${matrix.columns.length} columns`,
    );
  }
  matrix.columns.forEach((column, j) => {
    if (column.length !== matrix.rows) {
      throw new LogisticInputError(
        `Feature "${matrix.features[j]?.name}" has ${column.length} values but the matrix has ${matrix.rows} rows`,
      );
    }
  });
}

/**
 * Names must be unique, since coefficients and explanations are reported by name. `what` says
 * what the names are ("Feature", "Design column") and `hint` how to fix a clash.
 */
export function checkUniqueNames(names: readonly string[], what: string, hint = ''): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name))
      throw new LogisticInputError(`${what} "${name}" appears more than once${hint}`);
    seen.add(name);
  }
}

/**
 * The matrix has the model's features, by name and kind, in the model's order. Categories may
 * differ: categorical cells are matched to the model's levels by label.
 */
export function checkSameFeatures(expected: readonly Feature[], matrix: FeatureMatrix): void {
  checkMatrixShape(matrix);
  if (matrix.features.length !== expected.length) {
    throw new LogisticInputError(
      `The model was trained on ${expected.length} features but the matrix has ${matrix.features.length}`,
    );
  }
  expected.forEach((feature, j) => {
    const actual = matrix.features[j] as Feature;
    if (actual.name !== feature.name || actual.kind !== feature.kind) {
      throw new LogisticInputError(
        `Feature ${j}: the model expects "${feature.name}" (${feature.kind}) but the matrix has "${actual.name}" (${actual.kind})`,
      );
    }
  });
}

/** Labels: one per row, each 0 or 1, both classes present. */
export function checkLabels(labels: Uint8Array, rows: number): void {
  if (labels.length !== rows) {
    throw new LogisticInputError(`Got ${labels.length} labels for ${rows} rows; they must match`);
  }
  let positives = 0;
  labels.forEach((label, row) => {
    if (label > 1)
      throw new LogisticInputError(`Label at row ${row} is ${label}; labels must be 0 or 1`);
    positives += label;
  });
  if (positives === 0 || positives === rows) {
    throw new LogisticInputError(
      `All ${rows} labels are ${positives === 0 ? 0 : 1}; training needs both classes`,
    );
  }
}
