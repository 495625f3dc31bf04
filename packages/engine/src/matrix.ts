/**
 * The engine's one in-memory shape for training and scoring data: a column-major matrix of
 * numbers in which every model, metric and explanation meets.
 *
 * - A numeric feature is a column of float64 values; `NaN` means missing.
 * - A categorical feature is a column of integer category codes `0 … categories.length - 1`
 *   into `feature.categories`; `NaN` means missing. Codes, not strings, so that tree
 *   splits and one-hot encoding work on typed arrays.
 * - Booleans are numeric 0/1 and dates are numeric (see the preprocessing schema that
 *   produced the matrix); the models only ever see the two kinds above.
 *
 * @example
 * const matrix = createFeatureMatrix(
 *   [
 *     { name: 'visits', kind: 'numeric', group: 'behavioural' },
 *     { name: 'source', kind: 'categorical', categories: ['ads', 'organic'], group: 'demographic' },
 *   ],
 *   [Float64Array.of(3, NaN), Float64Array.of(1, 0)],
 * );
 * matrix.rows; // 2
 */

/** Where a feature's contribution lands in a score's breakdown (the seed's three parts). */
export type FeatureGroup = 'behavioural' | 'demographic' | 'engagement';

export interface NumericFeature {
  readonly name: string;
  readonly kind: 'numeric';
  readonly group?: FeatureGroup;
}

export interface CategoricalFeature {
  readonly name: string;
  readonly kind: 'categorical';
  /** The label of each code; a code is an index into this list. */
  readonly categories: readonly string[];
  readonly group?: FeatureGroup;
}

export type Feature = NumericFeature | CategoricalFeature;

export interface FeatureMatrix {
  readonly rows: number;
  readonly features: readonly Feature[];
  /** `columns[j][i]` is feature j of row i; one column per feature, each `rows` long. */
  readonly columns: readonly Float64Array[];
}

/** Builds a matrix, checking that the columns agree with the features and with each other. */
export function createFeatureMatrix(
  features: readonly Feature[],
  columns: readonly Float64Array[],
): FeatureMatrix {
  if (features.length !== columns.length) {
    throw new RangeError(
      `createFeatureMatrix: ${features.length} features but ${columns.length} columns`,
    );
  }
  const rows = columns[0]?.length ?? 0;
  columns.forEach((column, j) => {
    if (column.length !== rows) {
      throw new RangeError(
        `createFeatureMatrix: column "${features[j]?.name}" has ${column.length} rows, expected ${rows}`,
      );
    }
  });
  return { rows, features, columns };
}

/** The rows at `indices`, in that order: the train/validation/fold splits use this. */
export function selectRows(matrix: FeatureMatrix, indices: ArrayLike<number>): FeatureMatrix {
  const columns = matrix.columns.map((column) => {
    const picked = new Float64Array(indices.length);
    for (let i = 0; i < indices.length; i++) picked[i] = column[indices[i] as number] as number;
    return picked;
  });
  return { rows: indices.length, features: matrix.features, columns };
}

/** Binary labels: 1 = converted, 0 = not. One byte per row. */
export type Labels = Uint8Array;
