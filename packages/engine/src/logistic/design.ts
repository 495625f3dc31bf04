/**
 * The training design matrix, stored the way the optimiser reads it fastest.
 *
 * One-hot blocks dominate lead data (~500 one-hot columns from ~30 features), and each row has
 * at most one 1 per block. So a block is kept as one Int32Array giving, for each row, the design
 * column that is 1 (or -1 for none), and a missing indicator is a block of one column. Only the
 * standardised numeric columns are dense. A product with the design then costs
 * rows × features instead of rows × design columns. Measured on 10k rows × 512 design columns
 * (30 features): one objective evaluation took 1.5 ms instead of 12 ms with a dense row-major
 * Float64Array, and the design held 1.5 MB instead of 41 MB.
 */
import type { CategoricalFeature, FeatureMatrix } from '../matrix.js';
import { encoderOffsets, type FeatureEncoder, levelIndexByCode, standardise } from './encoders.js';

export interface DenseDesignColumn {
  readonly column: number;
  readonly values: Float64Array;
}

export interface Design {
  readonly rows: number;
  readonly columnCount: number;
  /** Standardised numeric columns. */
  readonly dense: readonly DenseDesignColumn[];
  /** 0/1 blocks: entry i is the design column that is 1 in row i, or -1 when none is. */
  readonly oneHot: readonly Int32Array[];
}

/** Encodes the training matrix with its fitted encoders (cells already checked by the fit). */
export function encodeDesign(matrix: FeatureMatrix, encoders: readonly FeatureEncoder[]): Design {
  const offsets = encoderOffsets(encoders);
  const dense: DenseDesignColumn[] = [];
  const oneHot: Int32Array[] = [];
  encoders.forEach((encoder, j) => {
    const column = matrix.columns[j] as Float64Array;
    const offset = offsets[j] as number;
    if (encoder.kind === 'numeric') {
      dense.push({ column: offset, values: column.map((value) => standardise(encoder, value)) });
      if (encoder.missingRate !== null) {
        oneHot.push(Int32Array.from(column, (value) => (Number.isNaN(value) ? offset + 1 : -1)));
      }
      return;
    }
    const levelIndex = levelIndexByCode(encoder, matrix.features[j] as CategoricalFeature);
    const missingColumn = offset + encoder.levels.length;
    oneHot.push(
      Int32Array.from(column, (code) =>
        Number.isNaN(code) ? missingColumn : offset + (levelIndex[code] as number),
      ),
    );
  });
  return { rows: matrix.rows, columnCount: offsets[encoders.length] as number, dense, oneHot };
}

/** `out = design · weights + intercept`, reading the first `columnCount` entries of `weights`. */
export function multiply(
  design: Design,
  weights: Float64Array,
  intercept: number,
  out: Float64Array,
): void {
  out.fill(intercept);
  for (const { column, values } of design.dense) {
    const weight = weights[column] as number;
    for (let i = 0; i < design.rows; i++)
      out[i] = (out[i] as number) + weight * (values[i] as number);
  }
  for (const block of design.oneHot) {
    for (let i = 0; i < design.rows; i++) {
      const column = block[i] as number;
      if (column >= 0) out[i] = (out[i] as number) + (weights[column] as number);
    }
  }
}

/** The first `columnCount` entries of `out` become `designᵀ · vector`; the rest are untouched. */
export function multiplyTransposed(design: Design, vector: Float64Array, out: Float64Array): void {
  out.fill(0, 0, design.columnCount);
  for (const { column, values } of design.dense) {
    let sum = 0;
    for (let i = 0; i < design.rows; i++) sum += (values[i] as number) * (vector[i] as number);
    out[column] = sum;
  }
  for (const block of design.oneHot) {
    for (let i = 0; i < design.rows; i++) {
      const column = block[i] as number;
      if (column >= 0) out[column] = (out[column] as number) + (vector[i] as number);
    }
  }
}
