/**
 * A trained gradient-boosted tree ensemble: log-odds = base + Σ tree values. Scores raw
 * feature values, explains with exact TreeSHAP, and round-trips through JSON.
 */

// Shared with the logistic model so both file formats fingerprint features the same way.
import { hashFeatureSchema } from '../fingerprint.js';
import type { Feature, FeatureMatrix } from '../matrix.js';
import { type Explanation, type ProbabilisticModel, sigmoid } from '../model.js';
import { addEnsembleValues, MIN_ROWS_PER_THREAD } from './ensemble-prediction.js';
import { GbdtInputError } from './errors.js';
import type { GbdtOptions } from './options.js';
import { addEnsembleShapOnThreads, addEnsembleValuesOnThreads } from './scoring-threads.js';
import { type Tree, type TreeJson, treeToJSON } from './tree.js';
import { addEnsembleShap, expectedTreeValue } from './tree-shap.js';

export const GBDT_FORMAT = 'leadscore-gbdt';
export const GBDT_FORMAT_VERSION = 1;

/** How training went. */
export interface GbdtTrainingReport {
  /** Boosting rounds run, counting any trees dropped after the best round. */
  readonly iterations: number;
  /** The round whose model was kept (1-based): the number of trees in the model. */
  readonly bestIteration: number;
  /** Validation log loss after each round; `null` when early stopping was off. */
  readonly validationLoss: readonly number[] | null;
}

/** Attributions of many rows at once; see {@link GbdtModel.explainRows}. */
export interface ExplanationBatch {
  readonly baseValue: number;
  /** `contributions[k * features.length + j]`: feature j's part in the k-th row's log-odds. */
  readonly contributions: Float64Array;
}

/** The model's JSON body (what {@link GbdtModel.toJSON} returns). */
export interface GbdtJson {
  format: typeof GBDT_FORMAT;
  formatVersion: typeof GBDT_FORMAT_VERSION;
  features: Feature[];
  /** Fingerprint of `features`: a body whose features were edited is refused on load. */
  featureSchemaHash: string;
  options: GbdtOptions;
  /** The log-odds every prediction starts from: the training base rate's. */
  baseLogOdds: number;
  report: GbdtTrainingReport;
  trees: TreeJson[];
}

/** What a model is made of; built by `trainGbdt` and `gbdtFromJSON`. */
export interface GbdtModelParts {
  readonly features: readonly Feature[];
  readonly options: GbdtOptions;
  readonly baseLogOdds: number;
  readonly report: GbdtTrainingReport;
  readonly trees: readonly Tree[];
}

// Fewer rows than this per thread are explained on the calling thread alone: starting a
// worker costs about as much as explaining a thousand rows.
const MIN_EXPLAINED_ROWS_PER_THREAD = 1_000;

/** How to score or explain: on how many threads. */
export interface ScoringOptions {
  readonly threads?: number;
}

/**
 * A trained ensemble, from {@link trainGbdt} or {@link gbdtFromJSON}. Scoring reads raw
 * values (no binning), so the matrix only has to have the model's features, in order.
 *
 * @example
 * import { createFeatureMatrix, gbdtFromJSON, trainGbdt } from '@leadscore/engine';
 *
 * const visits = Float64Array.from({ length: 400 }, (_, i) => (i % 20 === 0 ? Number.NaN : i % 10));
 * const labels = Uint8Array.from(visits, (v) => (v >= 5 ? 1 : 0));
 * const matrix = createFeatureMatrix([{ name: 'visits', kind: 'numeric' }], [visits]);
 * const model = trainGbdt(matrix, labels, { maxIterations: 30, minSamplesLeaf: 5 });
 *
 * model.predictProbability(matrix); // one probability per row; missing visits are fine
 * const { baseValue, contributions } = model.explain(matrix, 7);
 * baseValue + contributions[0]; // model.predictLogOdds(matrix)[7], to 1e-6
 * model.featureImportance().gain; // total split gain of `visits`
 * gbdtFromJSON(JSON.parse(JSON.stringify(model))); // the same model again
 */
export class GbdtModel implements ProbabilisticModel {
  readonly type = 'gbdt' as const;
  readonly features: readonly Feature[];
  readonly options: GbdtOptions;
  readonly baseLogOdds: number;
  readonly report: GbdtTrainingReport;
  /** Trees in the ensemble. */
  readonly treeCount: number;
  readonly #trees: readonly Tree[];
  readonly #shapBaseValue: number;

  constructor(parts: GbdtModelParts) {
    this.features = parts.features;
    this.options = parts.options;
    this.baseLogOdds = parts.baseLogOdds;
    this.report = parts.report;
    this.#trees = parts.trees;
    this.treeCount = parts.trees.length;
    this.#shapBaseValue = parts.trees.reduce(
      (sum, tree) => sum + expectedTreeValue(tree),
      parts.baseLogOdds,
    );
  }

  /**
   * Log-odds of conversion for every row of `matrix` (whose features must be the model's).
   * `threads` > 1 scores large matrices on that many threads (Node.js worker threads).
   */
  predictLogOdds(matrix: FeatureMatrix, options: ScoringOptions = {}): Float64Array {
    this.#checkMatrix(matrix, 'predictLogOdds');
    const threads = checkThreads(options, 'predictLogOdds');
    const out = new Float64Array(matrix.rows).fill(this.baseLogOdds);
    const usable = Math.min(threads, Math.floor(matrix.rows / MIN_ROWS_PER_THREAD));
    if (usable > 1) {
      addEnsembleValuesOnThreads(this.#trees, matrix.columns, matrix.rows, usable, out);
    } else {
      addEnsembleValues(this.#trees, matrix.columns, 0, matrix.rows, out);
    }
    return out;
  }

  /** Probability of conversion for every row of `matrix`. */
  predictProbability(matrix: FeatureMatrix, options: ScoringOptions = {}): Float64Array {
    return this.predictLogOdds(matrix, options).map(sigmoid);
  }

  /**
   * Exact TreeSHAP attributions of row `row`: `baseValue` is the log-odds expected under the
   * training rows' paths through the trees, and it plus the contributions is the row's
   * log-odds.
   */
  explain(matrix: FeatureMatrix, row: number): Explanation {
    return this.explainRows(matrix, [row]);
  }

  /**
   * {@link explain} for many rows (all of them by default). `threads` > 1 spreads large
   * batches over that many threads (Node.js worker threads), with the same results.
   */
  explainRows(
    matrix: FeatureMatrix,
    rows?: ArrayLike<number>,
    options: ScoringOptions = {},
  ): ExplanationBatch {
    this.#checkMatrix(matrix, 'explainRows');
    const threads = checkThreads(options, 'explainRows');
    const picked = rows ?? Array.from({ length: matrix.rows }, (_, row) => row);
    const featureCount = this.features.length;
    const values = new Float64Array(picked.length * featureCount);
    for (let k = 0; k < picked.length; k++) {
      const row = picked[k] as number;
      if (!Number.isInteger(row) || row < 0 || row >= matrix.rows) {
        throw new GbdtInputError(
          `explain: row ${row} is not a row of the matrix (it has ${matrix.rows} rows)`,
        );
      }
      for (let j = 0; j < featureCount; j++) {
        values[k * featureCount + j] = (matrix.columns[j] as Float64Array)[row] as number;
      }
    }
    const contributions = new Float64Array(values.length);
    const usable = Math.min(threads, Math.floor(picked.length / MIN_EXPLAINED_ROWS_PER_THREAD));
    if (usable > 1) {
      addEnsembleShapOnThreads(this.#trees, values, featureCount, usable, contributions);
    } else {
      addEnsembleShap(this.#trees, values, featureCount, contributions);
    }
    return { baseValue: this.#shapBaseValue, contributions };
  }

  /** Total split gain per feature over all trees (`gain[j]` for `features[j]`). */
  featureImportance(): { gain: Float64Array } {
    const gain = new Float64Array(this.features.length);
    for (const tree of this.#trees) {
      for (let node = 0; node < tree.feature.length; node++) {
        const feature = tree.feature[node] as number;
        if (feature >= 0) gain[feature] = (gain[feature] as number) + (tree.gain[node] as number);
      }
    }
    return { gain };
  }

  toJSON(): GbdtJson {
    return {
      format: GBDT_FORMAT,
      formatVersion: GBDT_FORMAT_VERSION,
      features: this.features.map((feature) => ({ ...feature })),
      featureSchemaHash: hashFeatureSchema(this.features),
      options: { ...this.options },
      baseLogOdds: this.baseLogOdds,
      report: { ...this.report },
      trees: this.#trees.map(treeToJSON),
    };
  }

  #checkMatrix(matrix: FeatureMatrix, where: string): void {
    const expected = this.features;
    if (matrix.features.length !== expected.length) {
      throw new GbdtInputError(
        `${where}: the matrix has ${matrix.features.length} features; the model was trained on ${expected.length}`,
      );
    }
    expected.forEach((feature, j) => {
      const actual = matrix.features[j] as Feature;
      const sameCategories =
        feature.kind !== 'categorical' ||
        (actual.kind === 'categorical' &&
          actual.categories.length === feature.categories.length &&
          actual.categories.every((category, c) => category === feature.categories[c]));
      if (actual.name !== feature.name || actual.kind !== feature.kind || !sameCategories) {
        throw new GbdtInputError(
          `${where}: matrix feature ${j} is ${describe(actual)}; the model expects ${describe(feature)}`,
        );
      }
    });
  }
}

function checkThreads(options: ScoringOptions, where: string): number {
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new GbdtInputError(`${where}: threads must be an integer in [1, 64], got ${threads}`);
  }
  return threads;
}

function describe(feature: Feature): string {
  return feature.kind === 'categorical'
    ? `categorical "${feature.name}" (${feature.categories.length} categories)`
    : `numeric "${feature.name}"`;
}
