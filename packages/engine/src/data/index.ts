// The data layer's public surface: CSV in, typed feature matrix and labels out.

export { inferColumnKind } from './column-kinds.js';
export {
  type CsvChunkOptions,
  type CsvReadOptions,
  type CsvSource,
  readTable,
  readTableChunks,
} from './csv-reader.js';
export {
  ColumnValueError,
  CsvFormatError,
  DataError,
  DataOptionsError,
  LabelError,
  PreprocessingFormatError,
} from './data.errors.js';
export { applyPreprocessing, createEncoder, type MatrixEncoder } from './encoder.js';
export { MAX_KEPT_CATEGORIES } from './fit-column.js';
export {
  DEFAULT_MIN_CATEGORY_COUNT,
  fitPreprocessing,
  type PreprocessingOptions,
} from './fit-preprocessing.js';
export { extractLabels, type LabelOptions } from './labels.js';
export { loadPreprocessing } from './load-preprocessing.js';
export { DEFAULT_NA_TOKENS } from './missing-values.js';
export {
  type BooleanColumnSchema,
  type CategoricalColumnSchema,
  type ColumnKind,
  type ColumnSchema,
  type DateColumnSchema,
  type DatePart,
  type DroppedColumn,
  type DropReason,
  type NumericColumnSchema,
  type PreprocessingSchema,
  schemaFeatures,
} from './preprocessing-schema.js';
export type { RawTable } from './raw-table.js';
