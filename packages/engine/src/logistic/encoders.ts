/**
 * How each original feature becomes columns of the logistic design matrix, fitted on the
 * training rows and stored in the model so that scoring transforms data exactly as training did.
 *
 * - Numeric: a missing value becomes the training median (as scikit-learn's
 *   `SimpleImputer(strategy='median')` in the baselines), then the column is standardised with
 *   the imputed training column's mean and population standard deviation (1 when constant).
 *   When the training column had missing values, a 0/1 "is missing" column follows it: median
 *   imputation alone pretends a missing value is typical, but in lead data a blank field is
 *   often a signal in itself (a lead who never gave a company size), and the indicator lets the
 *   model learn that shift instead of hiding it in the median. A column with no missing values
 *   in training gets no indicator, since its weight could only ever be 0.
 * - Categorical: one 0/1 column per level seen in training, plus one for missing when training
 *   had missing values. A level never seen in training (at scoring time) sets no column, as
 *   scikit-learn's `OneHotEncoder(handle_unknown='ignore')` does.
 *
 * One-hot and indicator columns stay 0/1 rather than standardised, so that a level's weight
 * reads directly as its shift in log-odds.
 */
import type { CategoricalFeature, Feature, FeatureMatrix } from '../matrix.js';
import { checkNumericCell, readCategoryCode } from './input-checks.js';

export interface NumericEncoder {
  readonly kind: 'numeric';
  /** Training median of the present values: what a missing value becomes (0 if all missing). */
  readonly median: number;
  /** Mean of the imputed training column. */
  readonly mean: number;
  /** Population standard deviation of the imputed training column; 1 when it is constant. */
  readonly std: number;
  /** Share of training rows where the value was missing; `null` when none was (no indicator). */
  readonly missingRate: number | null;
}

export interface CategoricalEncoder {
  readonly kind: 'categorical';
  /** The category labels seen in training, one design column each, in category-code order. */
  readonly levels: readonly string[];
  /** Share of training rows at each level: the training mean of that level's 0/1 column. */
  readonly levelRates: readonly number[];
  /** Share of training rows with the value missing; `null` when none was (no missing column). */
  readonly missingRate: number | null;
}

export type FeatureEncoder = NumericEncoder | CategoricalEncoder;

/** Fits one encoder per feature of the training matrix; throws on a cell that breaks the contract. */
export function fitEncoders(matrix: FeatureMatrix): FeatureEncoder[] {
  return matrix.features.map((feature, j) => {
    const column = matrix.columns[j] as Float64Array;
    return feature.kind === 'numeric'
      ? fitNumericEncoder(feature, column)
      : fitCategoricalEncoder(feature, column);
  });
}

/** How many design columns an encoder produces. */
export function encoderWidth(encoder: FeatureEncoder): number {
  const missingColumns = encoder.missingRate === null ? 0 : 1;
  return (encoder.kind === 'numeric' ? 1 : encoder.levels.length) + missingColumns;
}

/** The first design column of each feature, plus the total column count at the end. */
export function encoderOffsets(encoders: readonly FeatureEncoder[]): Int32Array {
  const offsets = new Int32Array(encoders.length + 1);
  encoders.forEach((encoder, j) => {
    offsets[j + 1] = (offsets[j] as number) + encoderWidth(encoder);
  });
  return offsets;
}

/**
 * Readable names of the design columns, in order: `visits`, `visits is missing`,
 * `industry=Software`, `industry is missing`.
 */
export function designColumnNames(
  features: readonly Feature[],
  encoders: readonly FeatureEncoder[],
): string[] {
  return encoders.flatMap((encoder, j) => {
    const name = (features[j] as Feature).name;
    const values = encoder.kind === 'numeric' ? [name] : encoder.levels.map((l) => `${name}=${l}`);
    return encoder.missingRate === null ? values : [...values, `${name} is missing`];
  });
}

/** A numeric value as its standardised design value; `NaN` (missing) becomes the median's. */
export function standardise(encoder: NumericEncoder, value: number): number {
  return ((Number.isNaN(value) ? encoder.median : value) - encoder.mean) / encoder.std;
}

/**
 * For each category code of `feature` (which may list categories in another order than the
 * training feature did), the index of its level in `encoder.levels`, or -1 for a level unseen
 * in training. Matching by label keeps a model correct when a later schema adds categories.
 */
export function levelIndexByCode(
  encoder: CategoricalEncoder,
  feature: CategoricalFeature,
): Int32Array {
  const levelIndex = new Map(encoder.levels.map((level, index) => [level, index]));
  return Int32Array.from(feature.categories, (label) => levelIndex.get(label) ?? -1);
}

function fitNumericEncoder(feature: Feature, column: Float64Array): NumericEncoder {
  const present: number[] = [];
  column.forEach((value, row) => {
    checkNumericCell(value, feature, row);
    if (!Number.isNaN(value)) present.push(value);
  });
  const rows = column.length;
  const missing = rows - present.length;
  const median = medianOf(Float64Array.from(present));
  // Mean and variance of the imputed column in two passes, for accuracy on large offsets.
  let sum = missing * median;
  for (const value of present) sum += value;
  const mean = sum / rows;
  let squares = missing * (median - mean) ** 2;
  for (const value of present) squares += (value - mean) ** 2;
  const std = Math.sqrt(squares / rows);
  return {
    kind: 'numeric',
    median,
    mean,
    // A constant column standardises to all zeros whatever the divisor; 1 keeps it finite.
    std: std > 0 ? std : 1,
    missingRate: missing > 0 ? missing / rows : null,
  };
}

function fitCategoricalEncoder(
  feature: CategoricalFeature,
  column: Float64Array,
): CategoricalEncoder {
  const counts = new Float64Array(feature.categories.length);
  let missing = 0;
  column.forEach((value, row) => {
    const code = readCategoryCode(value, feature, row);
    if (code < 0) missing++;
    else counts[code] = (counts[code] as number) + 1;
  });
  const rows = column.length;
  const seenCodes = [...counts.keys()].filter((code) => (counts[code] as number) > 0);
  return {
    kind: 'categorical',
    levels: seenCodes.map((code) => feature.categories[code] as string),
    levelRates: seenCodes.map((code) => (counts[code] as number) / rows),
    missingRate: missing > 0 ? missing / rows : null,
  };
}

/** The median of the values, the mean of the middle two for an even count; 0 when empty. */
function medianOf(values: Float64Array): number {
  if (values.length === 0) return 0;
  values.sort();
  const middle = values.length >> 1;
  return values.length % 2 === 1
    ? (values[middle] as number)
    : ((values[middle - 1] as number) + (values[middle] as number)) / 2;
}
