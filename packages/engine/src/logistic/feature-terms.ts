/**
 * A fitted model's linear term for one original feature: `Σ_k w_k · x_k` over that feature's
 * design columns, computed straight from a feature-matrix cell without building design rows.
 * Scoring adds these terms column by column; explanations centre them. Both go through
 * `numericCellTerm` / `categoricalCellTerm`, so they agree to the last bit.
 */
import type { CategoricalFeature, Feature } from '../matrix.js';
import type { FeatureEncoder, NumericEncoder } from './encoders.js';
import { encoderWidth, levelIndexByCode, standardise } from './encoders.js';
import { checkNumericCell, readCategoryCode } from './input-checks.js';

interface NumericTerm {
  readonly kind: 'numeric';
  readonly feature: Feature;
  readonly encoder: NumericEncoder;
  readonly weight: number;
  /** Weight of the "is missing" column; 0 when there is none. */
  readonly missingWeight: number;
}

interface CategoricalTerm {
  readonly kind: 'categorical';
  /** The scoring matrix's feature, whose codes the cells are. */
  readonly feature: CategoricalFeature;
  /** Weight of each code's level; 0 for a level unseen in training. */
  readonly weightByCode: Float64Array;
  /** Weight of the missing level; 0 when training had none. */
  readonly missingWeight: number;
}

export type FeatureTerm = NumericTerm | CategoricalTerm;

/**
 * Compiles the term of a feature whose design columns start at `offset` in `weights`, for cells
 * of `feature` (the scoring matrix's, whose category codes may differ from training's).
 */
export function compileFeatureTerm(
  encoder: FeatureEncoder,
  feature: Feature,
  weights: Float64Array,
  offset: number,
): FeatureTerm {
  if (encoder.kind === 'numeric') {
    return {
      kind: 'numeric',
      feature,
      encoder,
      weight: weights[offset] as number,
      missingWeight: encoder.missingRate === null ? 0 : (weights[offset + 1] as number),
    };
  }
  const categorical = feature as CategoricalFeature;
  const levelIndex = levelIndexByCode(encoder, categorical);
  return {
    kind: 'categorical',
    feature: categorical,
    weightByCode: Float64Array.from(levelIndex, (level) =>
      level < 0 ? 0 : (weights[offset + level] as number),
    ),
    missingWeight:
      encoder.missingRate === null ? 0 : (weights[offset + encoder.levels.length] as number),
  };
}

/**
 * `Σ_k w_k · mean_k` over the feature's design columns, with `mean_k` the column's training
 * mean: 0 for a standardised column, the training share of rows for a 0/1 column.
 */
export function trainingMeanTerm(
  encoder: FeatureEncoder,
  weights: Float64Array,
  offset: number,
): number {
  let sum = 0;
  if (encoder.kind === 'categorical') {
    encoder.levelRates.forEach((rate, level) => {
      sum += (weights[offset + level] as number) * rate;
    });
  }
  if (encoder.missingRate === null) return sum;
  // The missing column is always the last of the feature's columns.
  const missingColumn = offset + encoderWidth(encoder) - 1;
  return sum + (weights[missingColumn] as number) * encoder.missingRate;
}

/** The term of one cell of row `row`. */
export function cellTerm(term: FeatureTerm, cell: number, row: number): number {
  return term.kind === 'numeric'
    ? numericCellTerm(term, cell, row)
    : categoricalCellTerm(term, cell, row);
}

/** Adds the term of every cell of `column` to the matching entry of `out`. */
export function addColumnTerms(term: FeatureTerm, column: Float64Array, out: Float64Array): void {
  // One loop per kind keeps each loop monomorphic, which matters at a million rows.
  if (term.kind === 'numeric') {
    for (let i = 0; i < column.length; i++) {
      out[i] = (out[i] as number) + numericCellTerm(term, column[i] as number, i);
    }
  } else {
    for (let i = 0; i < column.length; i++) {
      out[i] = (out[i] as number) + categoricalCellTerm(term, column[i] as number, i);
    }
  }
}

function numericCellTerm(term: NumericTerm, cell: number, row: number): number {
  checkNumericCell(cell, term.feature, row);
  const missing = Number.isNaN(cell) ? term.missingWeight : 0;
  return term.weight * standardise(term.encoder, cell) + missing;
}

function categoricalCellTerm(term: CategoricalTerm, cell: number, row: number): number {
  const code = readCategoryCode(cell, term.feature, row);
  return code < 0 ? term.missingWeight : (term.weightByCode[code] as number);
}
