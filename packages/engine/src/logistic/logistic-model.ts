import { hashFeatureSchema } from '../fingerprint.js';
import type { Feature, FeatureMatrix } from '../matrix.js';
import type { Explanation, ProbabilisticModel } from '../model.js';
import { designColumnNames, encoderOffsets, type FeatureEncoder } from './encoders.js';
import { LogisticInputError } from './errors.js';
import {
  addColumnTerms,
  cellTerm,
  compileFeatureTerm,
  type FeatureTerm,
  trainingMeanTerm,
} from './feature-terms.js';
import { checkSameFeatures } from './input-checks.js';
import type { LogisticOptions } from './options.js';

/** How the optimiser ended. */
export interface LogisticTrainingReport {
  readonly iterations: number;
  /** Whether the gradient tolerance was met (rather than the iteration limit or a stall). */
  readonly converged: boolean;
  /** Largest gradient component at the solution, on the scale of `options.tolerance`. */
  readonly finalGradientNorm: number;
  /** The minimised objective `C · Σ s_i · logloss_i + ½‖w‖²` at the solution. */
  readonly loss: number;
}

/** Everything a fitted model is made of; also, with a format header, its JSON body. */
export interface LogisticModelParts {
  readonly features: readonly Feature[];
  /** One per feature, in feature order. */
  readonly encoders: readonly FeatureEncoder[];
  readonly intercept: number;
  /** One per design column, in `coefficients()` order. */
  readonly weights: Float64Array;
  readonly options: LogisticOptions;
  readonly training: LogisticTrainingReport;
}

export const LOGISTIC_FORMAT = 'leadscore-logistic';
export const LOGISTIC_FORMAT_VERSION = 1;

/** 4096 rows: 32 KiB of log-odds, about an L1 data cache. */
const SCORING_BLOCK_ROWS = 4096;

export interface LogisticModelJSON {
  readonly format: typeof LOGISTIC_FORMAT;
  readonly formatVersion: typeof LOGISTIC_FORMAT_VERSION;
  readonly featureSchemaHash: string;
  readonly features: readonly Feature[];
  readonly encoders: readonly FeatureEncoder[];
  readonly intercept: number;
  readonly weights: readonly number[];
  readonly options: LogisticOptions;
  readonly training: LogisticTrainingReport;
}

/**
 * A fitted L2-regularised logistic regression. Create one with `trainLogistic` or
 * `logisticFromJSON`.
 *
 * Explanations are exact linear attributions in log-odds. With `w_k` the weight and `mean_k`
 * the training mean of design column `k`, feature j contributes
 * `Σ_{k of j} w_k · (x_k − mean_k)` and `baseValue = intercept + Σ_k w_k · mean_k`, so
 * `baseValue + Σ_j contributions[j]` is the row's log-odds (up to rounding, ~1e-15), and a
 * contribution is 0 for a row that looks like the training average on that feature.
 */
export class LogisticModel implements ProbabilisticModel {
  readonly type = 'logistic';
  readonly features: readonly Feature[];
  readonly intercept: number;
  readonly options: LogisticOptions;
  readonly training: LogisticTrainingReport;
  /** Fingerprint of `features`, stored with the model and checked on load. */
  readonly featureSchemaHash: string;
  private readonly encoders: readonly FeatureEncoder[];
  private readonly weights: Float64Array;
  private readonly offsets: Int32Array;
  /** `Σ_k w_k · mean_k` over each feature's design columns. */
  private readonly meanTerms: Float64Array;

  constructor(parts: LogisticModelParts) {
    this.features = parts.features;
    this.encoders = parts.encoders;
    this.intercept = parts.intercept;
    this.weights = parts.weights;
    this.options = parts.options;
    this.training = parts.training;
    this.featureSchemaHash = hashFeatureSchema(parts.features);
    this.offsets = encoderOffsets(parts.encoders);
    this.meanTerms = Float64Array.from(parts.encoders, (encoder, j) =>
      trainingMeanTerm(encoder, parts.weights, this.offsets[j] as number),
    );
  }

  /**
   * Log-odds for every row. Works column by column from the matrix, without design rows, so it
   * allocates only the result (and a small table per categorical feature).
   */
  predictLogOdds(matrix: FeatureMatrix): Float64Array {
    checkSameFeatures(this.features, matrix);
    const logOdds = new Float64Array(matrix.rows).fill(this.intercept);
    const terms = this.compileTerms(matrix);
    // Row blocks keep the slice of `logOdds` being summed in cache across all features.
    for (let start = 0; start < matrix.rows; start += SCORING_BLOCK_ROWS) {
      const end = Math.min(start + SCORING_BLOCK_ROWS, matrix.rows);
      terms.forEach((term, j) => {
        addColumnTerms(term, matrix.columns[j] as Float64Array, logOdds, start, end);
      });
    }
    return logOdds;
  }

  /** Exact linear attributions of row `row` (see the class documentation). */
  explain(matrix: FeatureMatrix, row: number): Explanation {
    checkSameFeatures(this.features, matrix);
    if (!(Number.isInteger(row) && row >= 0 && row < matrix.rows)) {
      throw new LogisticInputError(
        `Row ${row} is out of range: the matrix has ${matrix.rows} rows`,
      );
    }
    let baseValue = this.intercept;
    for (const meanTerm of this.meanTerms) baseValue += meanTerm;
    const contributions = Float64Array.from(this.compileTerms(matrix), (term, j) => {
      const cell = (matrix.columns[j] as Float64Array)[row] as number;
      return cellTerm(term, cell, row) - (this.meanTerms[j] as number);
    });
    return { baseValue, contributions };
  }

  /**
   * The weight of every design column, by name, in design order: `visits` (per standard
   * deviation), `visits is missing`, `industry=Software`, `industry is missing`.
   * The intercept is `intercept`.
   */
  coefficients(): ReadonlyMap<string, number> {
    const names = designColumnNames(this.features, this.encoders);
    return new Map(names.map((name, k) => [name, this.weights[k] as number]));
  }

  toJSON(): LogisticModelJSON {
    return {
      format: LOGISTIC_FORMAT,
      formatVersion: LOGISTIC_FORMAT_VERSION,
      featureSchemaHash: this.featureSchemaHash,
      features: this.features,
      encoders: this.encoders,
      intercept: this.intercept,
      weights: Array.from(this.weights),
      options: this.options,
      training: this.training,
    };
  }

  private compileTerms(matrix: FeatureMatrix): FeatureTerm[] {
    return this.encoders.map((encoder, j) =>
      compileFeatureTerm(
        encoder,
        matrix.features[j] as Feature,
        this.weights,
        this.offsets[j] as number,
      ),
    );
  }
}
