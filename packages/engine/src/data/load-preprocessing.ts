import type { Feature } from '../matrix.js';
import { PreprocessingFormatError } from './data.errors.js';
import {
  COLUMN_KINDS,
  type ColumnSchema,
  DATE_PARTS,
  type DropReason,
  FEATURE_GROUPS,
  type PreprocessingSchema,
} from './preprocessing-schema.js';

const FORMAT = 'leadscore-preprocessing';
const FORMAT_VERSION = 1;
const DROP_REASONS: readonly DropReason[] = ['target', 'excluded', 'empty', 'constant'];
const MAX_CATEGORIES = 255;

/**
 * Checks that a parsed JSON value is a preprocessing schema this engine reads (format
 * `leadscore-preprocessing`, version 1, every column well-formed) and returns it typed.
 *
 * @throws PreprocessingFormatError naming the field at fault.
 * @example
 * const schema = loadPreprocessing(JSON.parse(JSON.stringify(fitPreprocessing(table))));
 */
export function loadPreprocessing(json: unknown): PreprocessingSchema {
  const root = asRecord(json, 'the schema');
  if (root.format !== FORMAT) {
    throw new PreprocessingFormatError(
      `not a Leadscore preprocessing schema: format is ${JSON.stringify(root.format)}, expected "${FORMAT}"`,
    );
  }
  if (root.formatVersion !== FORMAT_VERSION) {
    throw new PreprocessingFormatError(
      `preprocessing formatVersion ${JSON.stringify(root.formatVersion)} is not supported; this engine reads version ${FORMAT_VERSION}`,
    );
  }
  asStrings(root.naTokens, 'naTokens');
  asArray(root.columns, 'columns').forEach((column, k) => {
    checkColumn(column, `columns[${k}]`);
  });
  asArray(root.dropped, 'dropped').forEach((entry, k) => {
    const dropped = asRecord(entry, `dropped[${k}]`);
    asString(dropped.name, `dropped[${k}].name`);
    asString(dropped.detail, `dropped[${k}].detail`);
    oneOf(dropped.reason, DROP_REASONS, `dropped[${k}].reason`);
  });
  return json as PreprocessingSchema;
}

function checkColumn(value: unknown, path: string): void {
  const column = asRecord(value, path);
  const name = asString(column.name, `${path}.name`);
  const kind = oneOf(column.kind, COLUMN_KINDS, `${path}.kind`);
  const features = asArray(column.features, `${path}.features`).map((feature, k) =>
    checkFeature(feature, `${path}.features[${k}]`),
  );
  const expectedKind = kind === 'categorical' ? 'categorical' : 'numeric';
  if (features.some((feature) => feature.kind !== expectedKind)) {
    throw invalid(`${path}.features`, `only ${expectedKind} features for a ${kind} column`);
  }
  const typed = column as unknown as ColumnSchema;
  switch (typed.kind) {
    case 'numeric':
      if (features.length !== 1) throw invalid(`${path}.features`, 'one feature');
      break;
    case 'boolean':
      if (features.length !== 1) throw invalid(`${path}.features`, 'one feature');
      asString(column.trueValue, `${path}.trueValue`);
      asString(column.falseValue, `${path}.falseValue`);
      break;
    case 'date':
      asArray(column.parts, `${path}.parts`).forEach((part, k) => {
        oneOf(part, DATE_PARTS, `${path}.parts[${k}]`);
      });
      if (typed.parts.length !== features.length) {
        throw invalid(`${path}.parts`, `one part per feature (${features.length})`);
      }
      break;
    case 'categorical': {
      if (features.length !== 1) throw invalid(`${path}.features`, 'one feature');
      const { categories } = typed.features[0];
      if (column.otherCategory !== null) {
        const other = asString(column.otherCategory, `${path}.otherCategory`);
        if (categories.at(-1) !== other) {
          throw invalid(`${path}.otherCategory`, `the last category of "${name}"`);
        }
      }
      break;
    }
  }
}

function checkFeature(value: unknown, path: string): Feature {
  const feature = asRecord(value, path);
  asString(feature.name, `${path}.name`);
  oneOf(feature.group, FEATURE_GROUPS, `${path}.group`);
  const kind = oneOf(feature.kind, ['numeric', 'categorical'] as const, `${path}.kind`);
  if (kind === 'categorical') {
    const categories = asStrings(feature.categories, `${path}.categories`);
    if (categories.length === 0 || categories.length > MAX_CATEGORIES) {
      throw invalid(`${path}.categories`, `1 to ${MAX_CATEGORIES} categories`);
    }
    if (new Set(categories).size !== categories.length) {
      throw invalid(`${path}.categories`, 'distinct categories');
    }
  }
  return value as Feature;
}

function invalid(path: string, expected: string): PreprocessingFormatError {
  return new PreprocessingFormatError(`invalid preprocessing schema: ${path} must be ${expected}`);
}

function asRecord(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(path, 'an object');
  }
  return value as Record<string, unknown>;
}

function asArray(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) throw invalid(path, 'an array');
  return value;
}

function asString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw invalid(path, 'a string');
  return value;
}

function asStrings(value: unknown, path: string): readonly string[] {
  return asArray(value, path).map((item, k) => asString(item, `${path}[${k}]`));
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (!allowed.includes(value as T)) {
    throw invalid(path, `one of ${allowed.map((item) => JSON.stringify(item)).join(', ')}`);
  }
  return value as T;
}
