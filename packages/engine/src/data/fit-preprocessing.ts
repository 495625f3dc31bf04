import type { FeatureGroup } from '../matrix.js';
import { DataOptionsError } from './data.errors.js';
import { fitColumn } from './fit-column.js';
import { createMissingTest, DEFAULT_NA_TOKENS } from './missing-values.js';
import {
  COLUMN_KINDS,
  type ColumnKind,
  type ColumnSchema,
  type DroppedColumn,
  FEATURE_GROUPS,
  type PreprocessingSchema,
  schemaFeatures,
} from './preprocessing-schema.js';
import { formatNames, type RawTable } from './raw-table.js';

export interface PreprocessingOptions {
  /** The outcome column; never a feature. */
  readonly target?: string;
  /** Columns to leave out, e.g. ids. */
  readonly exclude?: readonly string[];
  /** Kinds that replace the inferred ones, by column name. */
  readonly types?: Readonly<Record<string, ColumnKind>>;
  /** Score-breakdown group by column name; default 'demographic'. */
  readonly groups?: Readonly<Record<string, FeatureGroup>>;
  /** Values read as missing besides blank fields; default `DEFAULT_NA_TOKENS`. */
  readonly naTokens?: readonly string[];
  /**
   * Rows a categorical level needs to keep its own category; rarer levels fold into "other".
   * Default 10.
   */
  readonly minCategoryCount?: number;
}

/**
 * An absolute count rather than a share of rows, because what makes a level worth its own
 * category is how well its conversion rate is estimated, and that depends on its row count
 * alone: at 10 rows the rate's standard error is still about 0.15, below that it is noise a
 * model would only memorise. A share would fold well-measured levels in big files (1% of
 * a million rows is 10,000) and keep single rows in small ones.
 */
export const DEFAULT_MIN_CATEGORY_COUNT = 10;

const DEFAULT_GROUP: FeatureGroup = 'demographic';

/**
 * Learns from a training table how each column becomes features: its kind (inferred or from
 * `types`), the frequent levels of categoricals, the varying parts of dates. Columns that
 * would encode the same on every row (all missing, one value) are dropped and listed with the
 * reason. The result is plain JSON; see `PreprocessingSchema` for what each kind becomes.
 *
 * A column with one value and some missing rows is kept: whether the field was filled in can
 * itself predict conversion.
 *
 * @throws DataOptionsError when an option names a column the table lacks or is out of range;
 *   ColumnValueError when a value does not fit a kind set in `types` (naming row and column).
 * @example
 * const table = await readTable('visits,plan,paid\n3,pro,yes\n,free,no\n7,pro,no\n');
 * const schema = fitPreprocessing(table, { target: 'paid', minCategoryCount: 1 });
 * schema.columns.map((column) => column.kind); // ['numeric', 'categorical']
 * applyPreprocessing(schema, table).columns[0]; // Float64Array [3, NaN, 7]
 */
export function fitPreprocessing(
  table: RawTable,
  options: PreprocessingOptions = {},
): PreprocessingSchema {
  checkOptions(table, options);
  const naTokens = [...(options.naTokens ?? DEFAULT_NA_TOKENS)];
  const context = {
    isMissing: createMissingTest(naTokens),
    minCategoryCount: options.minCategoryCount ?? DEFAULT_MIN_CATEGORY_COUNT,
    firstRow: table.firstRow,
  };
  const excluded = new Set(options.exclude);
  const columns: ColumnSchema[] = [];
  const dropped: DroppedColumn[] = [];
  table.header.forEach((name, j) => {
    if (name === options.target) {
      dropped.push({ name, reason: 'target', detail: 'the target column' });
    } else if (excluded.has(name)) {
      dropped.push({ name, reason: 'excluded', detail: 'excluded by the options' });
    } else {
      const group = options.groups?.[name] ?? DEFAULT_GROUP;
      const fitted = fitColumn(name, table.columns[j] ?? [], options.types?.[name], group, context);
      if ('reason' in fitted) dropped.push(fitted);
      else columns.push(fitted);
    }
  });
  const schema: PreprocessingSchema = {
    format: 'leadscore-preprocessing',
    formatVersion: 1,
    naTokens,
    columns,
    dropped,
  };
  checkUniqueFeatureNames(schema);
  return schema;
}

function checkOptions(table: RawTable, options: PreprocessingOptions): void {
  const known = new Set(table.header);
  const checkColumn = (name: string, option: string) => {
    if (!known.has(name)) {
      throw new DataOptionsError(
        `${option} names column "${name}", which is not in the file; the columns are: ${formatNames(table.header)}`,
      );
    }
  };
  if (options.target !== undefined) checkColumn(options.target, 'target');
  for (const name of options.exclude ?? []) checkColumn(name, 'exclude');
  for (const [name, kind] of Object.entries(options.types ?? {})) {
    checkColumn(name, 'types');
    if (!COLUMN_KINDS.includes(kind)) {
      throw new DataOptionsError(
        `types: column "${name}" has kind "${kind}"; use one of ${COLUMN_KINDS.join(', ')}`,
      );
    }
  }
  for (const [name, group] of Object.entries(options.groups ?? {})) {
    checkColumn(name, 'groups');
    if (!FEATURE_GROUPS.includes(group)) {
      throw new DataOptionsError(
        `groups: column "${name}" has group "${group}"; use one of ${FEATURE_GROUPS.join(', ')}`,
      );
    }
  }
  const { minCategoryCount } = options;
  if (
    minCategoryCount !== undefined &&
    !(Number.isInteger(minCategoryCount) && minCategoryCount >= 1)
  ) {
    throw new DataOptionsError(`minCategoryCount must be an integer >= 1, got ${minCategoryCount}`);
  }
}

/** Date features are named `column.part`, which a real column could already be called. */
function checkUniqueFeatureNames(schema: PreprocessingSchema): void {
  const seen = new Set<string>();
  for (const feature of schemaFeatures(schema)) {
    if (seen.has(feature.name)) {
      throw new DataOptionsError(
        `two features would be named "${feature.name}"; rename the column or exclude one of them`,
      );
    }
    seen.add(feature.name);
  }
}
