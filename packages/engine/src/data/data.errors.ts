import { EngineError } from '../errors.js';

/**
 * Errors a user can cause with their data or options. Each names the row, column or field at
 * fault, so the CLI can print the message as it is. `DataError` is the common parent, for
 * callers that want to tell user mistakes from bugs.
 */
export class DataError extends EngineError {
  override name = 'DataError';
}

/** The text is not a usable CSV table: empty, no data rows, ragged rows, bad header, bad quotes. */
export class CsvFormatError extends DataError {
  override name = 'CsvFormatError';
}

/** A value does not fit its column's kind (e.g. "abc" in a numeric column). */
export class ColumnValueError extends DataError {
  override name = 'ColumnValueError';

  constructor(
    readonly column: string,
    readonly row: number,
    readonly value: string,
    expected: string,
  ) {
    super(`column "${column}", row ${row}: expected ${expected}, got ${JSON.stringify(value)}`);
  }
}

/** An option names a column that does not exist, or has a value out of range. */
export class DataOptionsError extends DataError {
  override name = 'DataOptionsError';
}

/** The target column cannot give binary labels. */
export class LabelError extends DataError {
  override name = 'LabelError';
}

/** A stored preprocessing schema is not one this engine can read. */
export class PreprocessingFormatError extends DataError {
  override name = 'PreprocessingFormatError';
}
