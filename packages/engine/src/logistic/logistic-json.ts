/**
 * Loading a saved logistic model. Every field is checked, so a body that loads scores exactly
 * as the model that wrote it, and anything else fails with the path of the first bad field.
 */

import { hashFeatureSchema } from '../fingerprint.js';
import type { CategoricalFeature, Feature, FeatureGroup } from '../matrix.js';
import { encoderWidth, type FeatureEncoder } from './encoders.js';
import { LogisticFormatError } from './errors.js';
import {
  LOGISTIC_FORMAT,
  LOGISTIC_FORMAT_VERSION,
  LogisticModel,
  type LogisticTrainingReport,
} from './logistic-model.js';
import { type LogisticOptions, resolveLogisticOptions } from './options.js';

type JsonRecord = Readonly<Record<string, unknown>>;

// A record rather than a list so that the compiler flags a group added to `FeatureGroup`.
const FEATURE_GROUPS: Readonly<Record<FeatureGroup, true>> = {
  behavioural: true,
  demographic: true,
  engagement: true,
};

/**
 * Restores a model from `LogisticModel.toJSON()` output (possibly after a JSON round trip);
 * it predicts and explains exactly as the saved one.
 *
 * @throws LogisticFormatError when `json` is another format, another format version, or a
 *   damaged body (a missing or invalid field, features that no longer match their hash).
 *
 * @example
 * const saved = JSON.stringify(trainLogistic(matrix, labels));
 * const model = logisticFromJSON(JSON.parse(saved));
 * model.predictLogOdds(matrix); // the same numbers as the trained model's
 */
export function logisticFromJSON(json: unknown): LogisticModel {
  const body = readRecord(json, 'model');
  if (body.format !== LOGISTIC_FORMAT) {
    throw new LogisticFormatError(
      `Not a logistic model: format is ${JSON.stringify(body.format)}, expected "${LOGISTIC_FORMAT}"`,
    );
  }
  if (body.formatVersion !== LOGISTIC_FORMAT_VERSION) {
    throw new LogisticFormatError(
      `Logistic model format version ${JSON.stringify(body.formatVersion)} is not supported; this engine reads version ${LOGISTIC_FORMAT_VERSION}`,
    );
  }
  const features = readArray(body.features, 'features').map(readFeature);
  const storedHash = body.featureSchemaHash;
  if (storedHash !== hashFeatureSchema(features)) {
    throw new LogisticFormatError(
      `featureSchemaHash ${JSON.stringify(storedHash)} does not match the stored features; the model body was altered`,
    );
  }
  const encoderValues = readArray(body.encoders, 'encoders');
  if (encoderValues.length !== features.length) {
    throw new LogisticFormatError(
      `encoders: ${encoderValues.length} encoders for ${features.length} features`,
    );
  }
  const encoders = encoderValues.map((value, j) =>
    readEncoder(value, features[j] as Feature, `encoders[${j}]`),
  );
  const weights = readArray(body.weights, 'weights').map((value, k) =>
    readFinite(value, `weights[${k}]`),
  );
  const columns = encoders.reduce((sum, encoder) => sum + encoderWidth(encoder), 0);
  if (weights.length !== columns) {
    throw new LogisticFormatError(
      `weights: ${weights.length} weights for ${columns} design columns`,
    );
  }
  return new LogisticModel({
    features,
    encoders,
    intercept: readFinite(body.intercept, 'intercept'),
    weights: Float64Array.from(weights),
    options: readOptions(body.options),
    training: readTraining(body.training),
  });
}

function readFeature(value: unknown, j: number): Feature {
  const path = `features[${j}]`;
  const record = readRecord(value, path);
  const name = readString(record.name, `${path}.name`);
  const group = record.group === undefined ? undefined : readGroup(record.group, `${path}.group`);
  const withGroup = group === undefined ? {} : { group };
  if (record.kind === 'numeric') return { name, kind: 'numeric', ...withGroup };
  if (record.kind === 'categorical') {
    const categories = readArray(record.categories, `${path}.categories`).map((label, c) =>
      readString(label, `${path}.categories[${c}]`),
    );
    return { name, kind: 'categorical', categories, ...withGroup };
  }
  throw new LogisticFormatError(
    `${path}.kind must be "numeric" or "categorical", got ${JSON.stringify(record.kind)}`,
  );
}

function readEncoder(value: unknown, feature: Feature, path: string): FeatureEncoder {
  const record = readRecord(value, path);
  if (record.kind !== feature.kind) {
    throw new LogisticFormatError(
      `${path}.kind is ${JSON.stringify(record.kind)} but feature "${feature.name}" is ${feature.kind}`,
    );
  }
  const missingRate = readMissingRate(record.missingRate, `${path}.missingRate`);
  if (feature.kind === 'numeric') {
    const std = readFinite(record.std, `${path}.std`);
    if (!(std > 0)) throw new LogisticFormatError(`${path}.std must be > 0, got ${std}`);
    return {
      kind: 'numeric',
      median: readFinite(record.median, `${path}.median`),
      mean: readFinite(record.mean, `${path}.mean`),
      std,
      missingRate,
    };
  }
  const levels = readLevels(record.levels, feature, `${path}.levels`);
  const levelRates = readArray(record.levelRates, `${path}.levelRates`).map((rate, l) =>
    readRate(rate, `${path}.levelRates[${l}]`),
  );
  if (levelRates.length !== levels.length) {
    throw new LogisticFormatError(
      `${path}.levelRates has ${levelRates.length} entries for ${levels.length} levels`,
    );
  }
  return { kind: 'categorical', levels, levelRates, missingRate };
}

/** Levels are distinct categories of the feature: scoring maps cells to them by label. */
function readLevels(value: unknown, feature: CategoricalFeature, path: string): string[] {
  const known = new Set(feature.categories);
  const levels = readArray(value, path).map((level, l) => readString(level, `${path}[${l}]`));
  levels.forEach((level, l) => {
    if (!known.has(level) || levels.indexOf(level) !== l) {
      throw new LogisticFormatError(
        `${path}[${l}] ${JSON.stringify(level)} is not a distinct category of feature "${feature.name}"`,
      );
    }
  });
  return levels;
}

function readOptions(value: unknown): LogisticOptions {
  const record = readRecord(value, 'options');
  try {
    return resolveLogisticOptions({
      C: readFinite(record.C, 'options.C'),
      maxIterations: readFinite(record.maxIterations, 'options.maxIterations'),
      tolerance: readFinite(record.tolerance, 'options.tolerance'),
      classWeight: record.classWeight as LogisticOptions['classWeight'],
    });
  } catch (error) {
    if (error instanceof LogisticFormatError) throw error;
    throw new LogisticFormatError(`options: ${(error as Error).message}`);
  }
}

function readTraining(value: unknown): LogisticTrainingReport {
  const record = readRecord(value, 'training');
  const iterations = readFinite(record.iterations, 'training.iterations');
  if (!(Number.isSafeInteger(iterations) && iterations >= 0)) {
    throw new LogisticFormatError(`training.iterations must be an integer >= 0, got ${iterations}`);
  }
  if (typeof record.converged !== 'boolean') {
    throw new LogisticFormatError('training.converged must be true or false');
  }
  return {
    iterations,
    converged: record.converged,
    finalGradientNorm: readFinite(record.finalGradientNorm, 'training.finalGradientNorm'),
    loss: readFinite(record.loss, 'training.loss'),
  };
}

function readRecord(value: unknown, path: string): JsonRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LogisticFormatError(`${path} must be an object`);
  }
  return value as JsonRecord;
}

function readArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new LogisticFormatError(`${path} must be an array`);
  return value;
}

function readString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new LogisticFormatError(`${path} must be a string`);
  return value;
}

function readFinite(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new LogisticFormatError(`${path} must be a finite number, got ${JSON.stringify(value)}`);
  }
  return value;
}

function readRate(value: unknown, path: string): number {
  const rate = readFinite(value, path);
  if (!(rate >= 0 && rate <= 1)) {
    throw new LogisticFormatError(`${path} must be between 0 and 1, got ${rate}`);
  }
  return rate;
}

function readMissingRate(value: unknown, path: string): number | null {
  return value === null ? null : readRate(value, path);
}

function readGroup(value: unknown, path: string): FeatureGroup {
  if (typeof value !== 'string' || !Object.hasOwn(FEATURE_GROUPS, value)) {
    throw new LogisticFormatError(
      `${path} must be one of ${Object.keys(FEATURE_GROUPS).join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value as FeatureGroup;
}
