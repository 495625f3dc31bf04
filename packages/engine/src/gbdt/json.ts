/** Loading a model from the JSON body that {@link GbdtModel.toJSON} wrote. */

import { hashFeatureSchema } from '../fingerprint.js';
import type { Feature, FeatureGroup } from '../matrix.js';
import { GbdtFormatError, GbdtInputError } from './errors.js';
import { GBDT_FORMAT, GBDT_FORMAT_VERSION, GbdtModel, type GbdtTrainingReport } from './model.js';
import { type GbdtOptions, resolveGbdtOptions } from './options.js';
import { treeFromJSON } from './tree.js';

/**
 * Restores a model from its JSON body (a parsed value, not a string). Throws
 * {@link GbdtFormatError} when the body is not a `leadscore-gbdt` model of a format version
 * this engine reads, or is damaged.
 *
 * @example
 * const copy = gbdtFromJSON(JSON.parse(JSON.stringify(model)));
 * copy.predictLogOdds(matrix); // the same numbers as model.predictLogOdds(matrix)
 */
export function gbdtFromJSON(json: unknown): GbdtModel {
  if (typeof json !== 'object' || json === null) {
    throw new GbdtFormatError('gbdtFromJSON: expected a JSON object');
  }
  const body = json as Record<string, unknown>;
  if (body.format !== GBDT_FORMAT) {
    throw new GbdtFormatError(
      `gbdtFromJSON: format is ${JSON.stringify(body.format)}, expected "${GBDT_FORMAT}"`,
    );
  }
  if (body.formatVersion !== GBDT_FORMAT_VERSION) {
    throw new GbdtFormatError(
      `gbdtFromJSON: formatVersion ${JSON.stringify(body.formatVersion)} is not supported; this engine reads version ${GBDT_FORMAT_VERSION}`,
    );
  }
  const features = featuresFromJSON(body.features);
  if (body.featureSchemaHash !== hashFeatureSchema(features)) {
    throw new GbdtFormatError(
      'gbdtFromJSON: featureSchemaHash does not match features; the features were edited after the model was saved',
    );
  }
  if (typeof body.baseLogOdds !== 'number' || !Number.isFinite(body.baseLogOdds)) {
    throw new GbdtFormatError('gbdtFromJSON: baseLogOdds must be a finite number');
  }
  if (!Array.isArray(body.trees) || body.trees.length === 0) {
    throw new GbdtFormatError('gbdtFromJSON: trees must be a non-empty array');
  }
  return new GbdtModel({
    features,
    options: optionsFromJSON(body.options),
    baseLogOdds: body.baseLogOdds,
    report: reportFromJSON(body.report),
    trees: body.trees.map((tree: unknown, t) =>
      treeFromJSON(tree, features.length, `gbdtFromJSON: trees[${t}]`),
    ),
  });
}

const GROUPS: readonly FeatureGroup[] = ['behavioural', 'demographic', 'engagement'];

function featuresFromJSON(json: unknown): Feature[] {
  if (!Array.isArray(json) || json.length === 0) {
    throw new GbdtFormatError('gbdtFromJSON: features must be a non-empty array');
  }
  return json.map((feature: unknown, j): Feature => {
    const { name, kind, categories, group } = (feature ?? {}) as Record<string, unknown>;
    const groupPart: { group?: FeatureGroup } = GROUPS.includes(group as FeatureGroup)
      ? { group: group as FeatureGroup }
      : {};
    if (typeof name !== 'string') {
      throw new GbdtFormatError(`gbdtFromJSON: features[${j}].name must be a string`);
    }
    if (kind === 'numeric') return { name, kind, ...groupPart };
    if (
      kind === 'categorical' &&
      Array.isArray(categories) &&
      categories.every((c) => typeof c === 'string')
    ) {
      return { name, kind, categories: categories as string[], ...groupPart };
    }
    throw new GbdtFormatError(
      `gbdtFromJSON: features[${j}] ("${name}") must be numeric, or categorical with string categories`,
    );
  });
}

function optionsFromJSON(json: unknown): GbdtOptions {
  try {
    return resolveGbdtOptions(json as Partial<GbdtOptions>);
  } catch (error) {
    if (error instanceof GbdtInputError) {
      throw new GbdtFormatError(`gbdtFromJSON: bad options: ${error.message}`);
    }
    throw error;
  }
}

function reportFromJSON(json: unknown): GbdtTrainingReport {
  const { iterations, bestIteration, validationLoss } = (json ?? {}) as Record<string, unknown>;
  const count = (value: unknown) =>
    typeof value === 'number' && Number.isInteger(value) && value > 0;
  const losses =
    validationLoss === null ||
    (Array.isArray(validationLoss) && validationLoss.every((loss) => typeof loss === 'number'));
  if (!count(iterations) || !count(bestIteration) || !losses) {
    throw new GbdtFormatError(
      'gbdtFromJSON: report must hold iterations, bestIteration (positive integers) and validationLoss (numbers or null)',
    );
  }
  return {
    iterations: iterations as number,
    bestIteration: bestIteration as number,
    validationLoss: validationLoss as number[] | null,
  };
}
