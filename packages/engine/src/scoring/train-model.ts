/**
 * Training from a table of past leads and their outcomes: preprocessing fitted on the
 * table, the chosen model, metrics on a held-out share of the rows, optional k-fold
 * cross-validation and optional calibration, and the final model fitted on every row.
 */
import { type CalibrationMethod, type Calibrator, fitCalibrator } from '../calibration/index.js';
import {
  applyPreprocessing,
  type DroppedColumn,
  extractLabels,
  fitPreprocessing,
  type PreprocessingOptions,
  type RawTable,
} from '../data/index.js';
import {
  type BinaryEvaluation,
  type CrossValidationResult,
  crossValidate,
  evaluateBinary,
  stratifiedKFold,
  stratifiedSplit,
} from '../evaluation/index.js';
import { type GbdtOptions, trainGbdt } from '../gbdt/index.js';
import { type LogisticOptions, trainLogistic } from '../logistic/index.js';
import { type FeatureMatrix, type Labels, selectRows } from '../matrix.js';
import { type ProbabilisticModel, sigmoid } from '../model.js';
import { type LearnedRulesOptions, trainLearnedRules } from '../points/index.js';
import { type FeatureImportance, featureImportance } from './importance.js';
import { probabilityToScore } from './score-scale.js';
import { TrainedModel } from './trained-model.js';

export type ModelType = ProbabilisticModel['type'];

export interface TrainOptions extends Omit<PreprocessingOptions, 'target'> {
  readonly target: string;
  /** The target value that means converted; see `extractLabels`. */
  readonly positive?: string;
  readonly type: ModelType;
  /** Seeds the holdout split, the folds and the model's own randomness. */
  readonly seed: number;
  /** Share of rows held out for `holdout` metrics; default 0.2. */
  readonly holdoutFraction?: number;
  /** Stratified k-fold cross-validation when ≥ 2. */
  readonly cvFolds?: number;
  /** Calibration fitted on out-of-fold predictions; default none (both models fit log loss). */
  readonly calibration?: CalibrationMethod;
  readonly gbdt?: Partial<GbdtOptions>;
  readonly logistic?: Partial<LogisticOptions>;
  readonly rules?: Partial<LearnedRulesOptions>;
  /** Progress in words, e.g. for a terminal. */
  readonly onProgress?: (message: string) => void;
}

export interface TrainingOutcome {
  /** Fitted on every row. */
  readonly model: TrainedModel;
  /** A model fitted on the other rows, evaluated on the held-out ones. */
  readonly holdout: BinaryEvaluation;
  readonly cv: CrossValidationResult | null;
  /** Input columns that give no feature, and why. */
  readonly dropped: readonly DroppedColumn[];
  /** The final model's features, most influential first. */
  readonly importance: FeatureImportance[];
}

const DEFAULT_HOLDOUT_FRACTION = 0.2;
const CALIBRATION_FOLDS = 5;

/**
 * @example
 * const table = await readTable(fs.createReadStream('leads.csv'));
 * const { model, holdout } = trainModel(table, { target: 'Converted', type: 'gbdt', seed: 42 });
 * holdout.rocAuc; // e.g. 0.90
 * JSON.stringify(model); // a model file that `loadTrainedModel` reads back
 */
export function trainModel(table: RawTable, options: TrainOptions): TrainingOutcome {
  const progress = options.onProgress ?? (() => undefined);
  const labels = extractLabels(table, options.target, options);
  const preprocessing = fitPreprocessing(table, options);
  const matrix = applyPreprocessing(preprocessing, table);
  progress(`${matrix.rows} rows, ${matrix.features.length} features`);
  const fit = fitterFor(options);
  const predict = (train: FeatureMatrix, trainLabels: Labels, test: FeatureMatrix) =>
    fit(train, trainLabels).predictLogOdds(test).map(sigmoid);

  const split = stratifiedSplit(
    labels,
    options.holdoutFraction ?? DEFAULT_HOLDOUT_FRACTION,
    options.seed,
  );
  progress(`holdout: training on ${split.train.length} rows, testing on ${split.test.length}`);
  const holdoutProbabilities = predict(
    selectRows(matrix, split.train),
    pick(labels, split.train),
    selectRows(matrix, split.test),
  );
  const holdout = evaluateBinary(
    pick(labels, split.test),
    holdoutProbabilities,
    Uint8Array.from(holdoutProbabilities, probabilityToScore),
  );

  let cv: CrossValidationResult | null = null;
  if (options.cvFolds !== undefined) {
    progress(`cross-validation: ${options.cvFolds} folds`);
    cv = crossValidate(matrix, labels, { folds: options.cvFolds, seed: options.seed }, predict);
  }

  const calibrator = options.calibration
    ? fitOutOfFoldCalibrator(options.calibration, matrix, labels, fit, options.seed)
    : null;
  progress('final model: training on every row');
  const model = fit(matrix, labels);
  return {
    model: new TrainedModel(
      preprocessing,
      model,
      summaryOf(table, labels, options.target),
      calibrator,
    ),
    holdout,
    cv,
    dropped: preprocessing.dropped,
    importance: featureImportance(model, matrix),
  };
}

type Fit = (matrix: FeatureMatrix, labels: Labels) => ProbabilisticModel;

function fitterFor(options: TrainOptions): Fit {
  switch (options.type) {
    case 'gbdt':
      return (matrix, labels) => trainGbdt(matrix, labels, { seed: options.seed, ...options.gbdt });
    case 'logistic':
      return (matrix, labels) => trainLogistic(matrix, labels, options.logistic);
    case 'rules':
      return (matrix, labels) => trainLearnedRules(matrix, labels, options.rules);
  }
}

/**
 * A calibrator must learn from log-odds the model did not train on, so every row's log-odds
 * come from a model fitted on the other folds (scikit-learn's CalibratedClassifierCV with
 * ensemble=False does the same); the calibrator then maps the all-rows model's log-odds.
 */
function fitOutOfFoldCalibrator(
  method: CalibrationMethod,
  matrix: FeatureMatrix,
  labels: Labels,
  fit: Fit,
  seed: number,
): Calibrator {
  const outOfFold = new Float64Array(matrix.rows);
  for (const fold of stratifiedKFold(labels, CALIBRATION_FOLDS, seed)) {
    const logOdds = fit(selectRows(matrix, fold.train), pick(labels, fold.train)).predictLogOdds(
      selectRows(matrix, fold.test),
    );
    fold.test.forEach((row, i) => {
      outOfFold[row] = logOdds[i] as number;
    });
  }
  return fitCalibrator({ method }, outOfFold, labels);
}

function pick(labels: Labels, rows: Uint32Array): Labels {
  return Uint8Array.from(rows, (row) => labels[row] as number);
}

function summaryOf(table: RawTable, labels: Labels, target: string) {
  const firstConverted = labels.indexOf(1);
  const column = table.columns[table.header.indexOf(target)];
  return {
    target,
    positive: column?.[firstConverted] ?? '1',
    rows: labels.length,
    positives: labels.reduce((sum, label) => sum + label, 0),
  };
}
