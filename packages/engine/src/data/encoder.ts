import { createFeatureMatrix, type Feature, type FeatureMatrix } from '../matrix.js';
import { ColumnValueError, DataError } from './data.errors.js';
import { createMissingTest, type MissingTest } from './missing-values.js';
import {
  type BooleanColumnSchema,
  type CategoricalColumnSchema,
  type ColumnSchema,
  type DateColumnSchema,
  type PreprocessingSchema,
  schemaFeatures,
} from './preprocessing-schema.js';
import { formatNames, type RawTable } from './raw-table.js';
import { normaliseBoolean, parseIsoDate, parseNumber } from './value-parsers.js';

/** Turns tables (a whole file, or chunks of one) into feature matrices with a fixed schema. */
export interface MatrixEncoder {
  /** The matrix columns every `encode` result has, in order. */
  readonly features: readonly Feature[];
  encode(table: RawTable): FeatureMatrix;
}

/**
 * Writes the features of one column for every row. `firstRow` is the file row number of
 * row 0, for error messages.
 */
type ColumnEncoder = (
  values: readonly string[],
  firstRow: number,
  out: readonly Float64Array[],
) => void;

/**
 * An encoder for `schema`, with its lookups built once: the way to score a file chunk by
 * chunk. Each row is encoded from its own values alone, so chunks give exactly the rows the
 * whole table would. Missing values become NaN. A categorical level not in the schema becomes
 * the "other" category when the column has one, else NaN; a value that does not fit a
 * numeric, boolean or date column is an error naming its row.
 *
 * @example
 * const encoder = createEncoder(schema);
 * for await (const chunk of readTableChunks(fs.createReadStream('new-leads.csv'))) {
 *   const logOdds = model.predictLogOdds(encoder.encode(chunk));
 * }
 */
export function createEncoder(schema: PreprocessingSchema): MatrixEncoder {
  const isMissing = createMissingTest(schema.naTokens);
  const encoders = schema.columns.map((column) => columnEncoder(column, isMissing));
  const features = schemaFeatures(schema);
  return {
    features,
    encode(table) {
      const indices = findColumns(schema, table);
      const columns = features.map(() => new Float64Array(table.rows));
      let next = 0;
      schema.columns.forEach((column, k) => {
        const out = columns.slice(next, next + column.features.length);
        next += column.features.length;
        encoders[k]?.(table.columns[indices[k] as number] ?? [], table.firstRow, out);
      });
      return createFeatureMatrix(features, columns);
    },
  };
}

/**
 * Encodes a table (or a chunk from `readTableChunks`) with a fitted schema.
 *
 * @example
 * const train = await readTable('plan,won\npro,1\nfree,0\npro,0\nfree,1\n');
 * const schema = fitPreprocessing(train, { target: 'won', minCategoryCount: 2 });
 * const scoring = await readTable('plan\nfree\nenterprise\n');
 * applyPreprocessing(schema, scoring).columns[0]; // Float64Array [0, NaN]: no "other" was fitted
 */
export function applyPreprocessing(schema: PreprocessingSchema, table: RawTable): FeatureMatrix {
  return createEncoder(schema).encode(table);
}

function findColumns(schema: PreprocessingSchema, table: RawTable): number[] {
  const indices = schema.columns.map((column) => table.header.indexOf(column.name));
  const absent = schema.columns.filter((_, k) => indices[k] === -1).map((column) => column.name);
  if (absent.length > 0) {
    throw new DataError(`the file lacks columns the schema needs: ${formatNames(absent)}`);
  }
  return indices;
}

function columnEncoder(column: ColumnSchema, isMissing: MissingTest): ColumnEncoder {
  switch (column.kind) {
    case 'numeric':
      return valueEncoder(column.name, isMissing, 'a number', parseNumber);
    case 'boolean':
      return booleanEncoder(column, isMissing);
    case 'date':
      return dateEncoder(column, isMissing);
    case 'categorical':
      return categoricalEncoder(column, isMissing);
  }
}

/** One feature from a parser; `undefined` from the parser is an error for that row. */
function valueEncoder(
  name: string,
  isMissing: MissingTest,
  expected: string,
  parse: (value: string) => number | undefined,
): ColumnEncoder {
  return (values, firstRow, [out = new Float64Array(0)]) => {
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as string;
      const number = isMissing(value) ? Number.NaN : parse(value);
      if (number === undefined) throw new ColumnValueError(name, firstRow + i, value, expected);
      out[i] = number;
    }
  };
}

function booleanEncoder(column: BooleanColumnSchema, isMissing: MissingTest): ColumnEncoder {
  const codes = new Map([
    [column.trueValue, 1],
    [column.falseValue, 0],
  ]);
  const expected = `"${column.trueValue}" or "${column.falseValue}"`;
  return valueEncoder(column.name, isMissing, expected, (value) =>
    codes.get(normaliseBoolean(value)),
  );
}

function dateEncoder(column: DateColumnSchema, isMissing: MissingTest): ColumnEncoder {
  const missing = { month: Number.NaN, weekday: Number.NaN, hour: Number.NaN };
  return (values, firstRow, out) => {
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as string;
      const date = isMissing(value) ? missing : parseIsoDate(value);
      if (date === undefined) {
        throw new ColumnValueError(column.name, firstRow + i, value, 'an ISO date (YYYY-MM-DD)');
      }
      column.parts.forEach((part, k) => {
        (out[k] as Float64Array)[i] = date[part] ?? Number.NaN;
      });
    }
  };
}

/** Levels not in the schema, rare at fit time or never seen, share the "other" code. */
function categoricalEncoder(
  column: CategoricalColumnSchema,
  isMissing: MissingTest,
): ColumnEncoder {
  const { categories } = column.features[0];
  const otherCode = column.otherCategory === null ? Number.NaN : categories.length - 1;
  const codes = new Map(categories.map((category, code) => [category, code]));
  return (values, _firstRow, [out = new Float64Array(0)]) => {
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as string;
      out[i] = isMissing(value) ? Number.NaN : (codes.get(value) ?? otherCode);
    }
  };
}
