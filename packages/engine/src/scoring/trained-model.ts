/**
 * A trained model as it is stored and used: the preprocessing that turns raw rows into
 * features, the probabilistic model, and optionally a calibrator, under one versioned JSON
 * format. Scoring new rows applies exactly what training saw.
 */
import { type Calibrator, calibratorFromJSON } from '../calibration/index.js';
import {
  applyPreprocessing,
  loadPreprocessing,
  type PreprocessingSchema,
  type RawTable,
} from '../data/index.js';
import { EngineError } from '../errors.js';
import { gbdtFromJSON } from '../gbdt/index.js';
import { logisticFromJSON } from '../logistic/index.js';
import type { FeatureMatrix } from '../matrix.js';
import { type ProbabilisticModel, sigmoid } from '../model.js';
import { learnedRulesFromJSON } from '../points/index.js';
import { describeValue, type Reasons, topReasons } from './reasons.js';
import { explainScore, probabilityToScore, type ScoreBreakdown } from './score-scale.js';

export const MODEL_FILE_FORMAT = 'leadscore-model';
export const MODEL_FILE_FORMAT_VERSION = 1;

/** What a model was trained on; kept so a reader knows what its scores mean. */
export interface TrainingSummary {
  readonly target: string;
  /** The target value counted as converted. */
  readonly positive: string;
  readonly rows: number;
  readonly positives: number;
}

export interface ModelFileJSON {
  readonly format: typeof MODEL_FILE_FORMAT;
  readonly formatVersion: typeof MODEL_FILE_FORMAT_VERSION;
  readonly type: ProbabilisticModel['type'];
  readonly training: TrainingSummary;
  readonly preprocessing: PreprocessingSchema;
  readonly model: unknown;
  readonly calibration: unknown;
}

export interface RowExplanation {
  readonly score: number;
  readonly probability: number;
  readonly breakdown: ScoreBreakdown;
  readonly reasons: Reasons;
}

export class ModelFileError extends EngineError {
  override readonly name: string = 'ModelFileError';
}

export class TrainedModel {
  constructor(
    readonly preprocessing: PreprocessingSchema,
    readonly model: ProbabilisticModel,
    readonly training: TrainingSummary,
    readonly calibrator: Calibrator | null = null,
  ) {}

  get type(): ProbabilisticModel['type'] {
    return this.model.type;
  }

  /** The features of a raw table, encoded as in training. */
  encode(table: RawTable): FeatureMatrix {
    return applyPreprocessing(this.preprocessing, table);
  }

  /** log-odds → probability, through the calibrator when there is one. */
  readonly toProbability = (logOdds: number): number =>
    this.calibrator ? this.calibrator.calibrate(logOdds) : sigmoid(logOdds);

  /** The probability of conversion of every row. */
  predictProbabilities(matrix: FeatureMatrix): Float64Array {
    return this.model.predictLogOdds(matrix).map(this.toProbability);
  }

  /** The 0–100 score of every row. */
  predictScores(matrix: FeatureMatrix): Uint8Array {
    return Uint8Array.from(this.predictProbabilities(matrix), probabilityToScore);
  }

  /** One row's score, its breakdown and its top `k` reasons each way. */
  explainRow(matrix: FeatureMatrix, row: number, k: number): RowExplanation {
    const features = this.model.features;
    const explained = explainScore(this.model.explain(matrix, row), features, this.toProbability);
    return {
      score: explained.score,
      probability: explained.probability,
      breakdown: explained.breakdown,
      reasons: topReasons(
        explained.featureShares,
        features,
        (j) =>
          describeValue(features[j] as (typeof features)[number], matrix.columns[j]?.[row] ?? NaN),
        k,
      ),
    };
  }

  toJSON(): ModelFileJSON {
    return {
      format: MODEL_FILE_FORMAT,
      formatVersion: MODEL_FILE_FORMAT_VERSION,
      type: this.model.type,
      training: this.training,
      preprocessing: this.preprocessing,
      model: this.model.toJSON(),
      calibration: this.calibrator?.toJSON() ?? null,
    };
  }
}

const MODEL_READERS: Record<ProbabilisticModel['type'], (json: unknown) => ProbabilisticModel> = {
  gbdt: gbdtFromJSON,
  logistic: logisticFromJSON,
  rules: learnedRulesFromJSON,
};

/**
 * Reads a model file written by {@link TrainedModel.toJSON}.
 *
 * @throws ModelFileError when the JSON is not a Leadscore model file, or of another format
 *   version, saying which was found and which this engine reads.
 */
export function loadTrainedModel(json: unknown): TrainedModel {
  if (
    typeof json !== 'object' ||
    json === null ||
    (json as { format?: unknown }).format !== MODEL_FILE_FORMAT
  ) {
    throw new ModelFileError(
      `not a Leadscore model file (expected "format": "${MODEL_FILE_FORMAT}")`,
    );
  }
  const file = json as Partial<ModelFileJSON>;
  if (file.formatVersion !== MODEL_FILE_FORMAT_VERSION) {
    throw new ModelFileError(
      `model file format version ${String(file.formatVersion)} is not supported; this engine reads version ${MODEL_FILE_FORMAT_VERSION} (retrain the model with this version)`,
    );
  }
  const read = file.type !== undefined ? MODEL_READERS[file.type] : undefined;
  if (!read) {
    throw new ModelFileError(
      `unknown model type ${JSON.stringify(file.type)} (expected gbdt, logistic or rules)`,
    );
  }
  if (!file.training) throw new ModelFileError('model file has no "training" summary');
  return new TrainedModel(
    loadPreprocessing(file.preprocessing),
    read(file.model),
    file.training,
    file.calibration ? calibratorFromJSON(file.calibration) : null,
  );
}
