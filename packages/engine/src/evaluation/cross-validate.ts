/** Stratified k-fold cross-validation of any model that can be fitted and asked for probabilities. */
import { type FeatureMatrix, type Labels, selectRows } from '../matrix.js';
import { stratifiedKFold } from './folds.js';
import { checkLabels, checkWithin, InvalidInputError } from './input-checks.js';
import { brierScore, logLoss } from './probability-metrics.js';
import { prAuc, rocAuc } from './ranking-metrics.js';

/** Trains on the first two arguments and returns a probability for every row of `test`. */
export type FitAndPredict = (
  train: FeatureMatrix,
  trainLabels: Labels,
  test: FeatureMatrix,
) => Float64Array;

export interface CrossValidateOptions {
  /** Number of folds, ≥ 2; each class needs at least this many rows. */
  readonly folds: number;
  /** Seed of the fold assignment (see {@link stratifiedKFold}). */
  readonly seed: number;
}

export interface FoldMetrics {
  /** 0-based fold number. */
  readonly fold: number;
  readonly trainRows: number;
  readonly testRows: number;
  readonly rocAuc: number;
  readonly prAuc: number;
  readonly logLoss: number;
  readonly brier: number;
}

/** Mean and population standard deviation (ddof = 0, as numpy and scikit-learn report). */
export interface MeanAndStd {
  readonly mean: number;
  readonly std: number;
}

export interface CrossValidationResult {
  readonly folds: FoldMetrics[];
  readonly summary: {
    readonly rocAuc: MeanAndStd;
    readonly prAuc: MeanAndStd;
    readonly logLoss: MeanAndStd;
    readonly brier: MeanAndStd;
  };
  /** Every row's probability from the fold that held it out: honest data for calibration. */
  readonly outOfFoldProbabilities: Float64Array;
}

/**
 * Runs `fitAndPredict` once per stratified fold, scores each held-out fold, and summarises
 * each metric by its mean and population standard deviation across folds.
 *
 * @throws InvalidInputError when the matrix and labels disagree in length, the folds cannot be
 *   made (see {@link stratifiedKFold}), or `fitAndPredict` returns the wrong number of
 *   probabilities or values outside [0, 1].
 * @example
 * const result = crossValidate(matrix, labels, { folds: 5, seed: 42 }, (train, y, test) =>
 *   predictProbabilities(fitLogistic(train, y), test),
 * );
 * result.summary.rocAuc; // { mean: 0.87, std: 0.01 }
 */
export function crossValidate(
  matrix: FeatureMatrix,
  labels: Labels,
  options: CrossValidateOptions,
  fitAndPredict: FitAndPredict,
): CrossValidationResult {
  if (matrix.rows !== labels.length) {
    throw new InvalidInputError(
      `crossValidate: matrix has ${matrix.rows} rows but labels has ${labels.length}`,
    );
  }
  checkLabels('crossValidate', labels);
  const outOfFoldProbabilities = new Float64Array(labels.length);
  const folds = stratifiedKFold(labels, options.folds, options.seed).map(
    ({ train, test }, fold) => {
      const testLabels = pick(labels, test);
      const probabilities = fitAndPredict(
        selectRows(matrix, train),
        pick(labels, train),
        selectRows(matrix, test),
      );
      if (probabilities.length !== test.length) {
        throw new InvalidInputError(
          `crossValidate: fitAndPredict returned ${probabilities.length} probabilities for fold ${fold}'s ${test.length} test rows`,
        );
      }
      checkWithin('crossValidate', probabilities, `fold ${fold}'s probabilities`, 0, 1);
      test.forEach((row, i) => {
        outOfFoldProbabilities[row] = probabilities[i] as number;
      });
      return {
        fold,
        trainRows: train.length,
        testRows: test.length,
        rocAuc: rocAuc(testLabels, probabilities),
        prAuc: prAuc(testLabels, probabilities),
        logLoss: logLoss(testLabels, probabilities),
        brier: brierScore(testLabels, probabilities),
      };
    },
  );
  return {
    folds,
    summary: {
      rocAuc: meanAndStd(folds.map((fold) => fold.rocAuc)),
      prAuc: meanAndStd(folds.map((fold) => fold.prAuc)),
      logLoss: meanAndStd(folds.map((fold) => fold.logLoss)),
      brier: meanAndStd(folds.map((fold) => fold.brier)),
    },
    outOfFoldProbabilities,
  };
}

function pick(labels: Labels, rows: Uint32Array): Labels {
  return Uint8Array.from(rows, (row) => labels[row] as number);
}

/** Mean and population (ddof = 0) standard deviation of a non-empty list. */
function meanAndStd(values: readonly number[]): MeanAndStd {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}
