/**
 * A fitted model's linear term for one original feature: `Σ_k w_k · x_k` over that feature's
 * design columns, computed straight from a feature-matrix cell without building design rows.
 * Scoring adds these terms column by column; explanations centre them. Both evaluate a cell
 * with the same expression, so they agree to the last bit.
 */
import type { CategoricalFeature, Feature } from '../matrix.js';
import type { FeatureEncoder } from './encoders.js';
import { encoderWidth, levelIndexByCode, standardise } from './encoders.js';
import { checkNumericCell, invalidCategoryCode } from './input-checks.js';

interface NumericTerm {
  readonly kind: 'numeric';
  readonly feature: Feature;
  readonly mean: number;
  readonly std: number;
  readonly weight: number;
  /** The term of a missing cell: the median's standardised value, plus the indicator weight. */
  readonly missingTerm: number;
}

interface CategoricalTerm {
  readonly kind: 'categorical';
  /** The scoring matrix's feature, whose codes the cells are. */
  readonly feature: CategoricalFeature;
  /** Weight of each code's level; 0 for a level unseen in training. */
  readonly weightByCode: Float64Array;
  /** Weight of the missing level; 0 when training had none. */
  readonly missingTerm: number;
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
  // The missing column, when there is one, is always the last of the feature's columns.
  const missingWeight =
    encoder.missingRate === null ? 0 : (weights[offset + encoderWidth(encoder) - 1] as number);
  if (encoder.kind === 'numeric') {
    const weight = weights[offset] as number;
    return {
      kind: 'numeric',
      feature,
      mean: encoder.mean,
      std: encoder.std,
      weight,
      missingTerm: weight * standardise(encoder, Number.NaN) + missingWeight,
    };
  }
  const categorical = feature as CategoricalFeature;
  return {
    kind: 'categorical',
    feature: categorical,
    weightByCode: Float64Array.from(levelIndexByCode(encoder, categorical), (level) =>
      level < 0 ? 0 : (weights[offset + level] as number),
    ),
    missingTerm: missingWeight,
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
  const missingColumn = offset + encoderWidth(encoder) - 1;
  return sum + (weights[missingColumn] as number) * encoder.missingRate;
}

/** The term of one cell of row `row`. */
export function cellTerm(term: FeatureTerm, cell: number, row: number): number {
  return term.kind === 'numeric'
    ? numericCellTerm(term, cell, row)
    : categoricalCellTerm(term, cell, row);
}

/** Adds the term of every cell of `column` from `start` to `end` (exclusive) to `out`. */
export function addColumnTerms(
  term: FeatureTerm,
  column: Float64Array,
  out: Float64Array,
  start: number,
  end: number,
): void {
  // One loop per kind keeps each loop monomorphic: this is the inner loop of scoring.
  if (term.kind === 'numeric') {
    for (let i = start; i < end; i++) {
      out[i] = (out[i] as number) + numericCellTerm(term, column[i] as number, i);
    }
  } else {
    for (let i = start; i < end; i++) {
      out[i] = (out[i] as number) + categoricalCellTerm(term, column[i] as number, i);
    }
  }
}

function numericCellTerm(term: NumericTerm, cell: number, row: number): number {
  checkNumericCell(cell, term.feature, row);
  return Number.isNaN(cell) ? term.missingTerm : term.weight * ((cell - term.mean) / term.std);
}

function categoricalCellTerm(term: CategoricalTerm, cell: number, row: number): number {
  if (Number.isNaN(cell)) return term.missingTerm;
  // A typed array gives undefined at a non-integer or out-of-range index: not a valid code.
  const weight = term.weightByCode[cell];
  if (weight === undefined) throw invalidCategoryCode(cell, term.feature, row);
  return weight;
}
