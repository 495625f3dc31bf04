import { DataOptionsError } from './data.errors.js';

/**
 * A CSV file (or a chunk of one) held column by column as the raw text of each field, before
 * any typing: the input of `fitPreprocessing`, `applyPreprocessing` and `extractLabels`.
 */
export interface RawTable {
  /** Column names in file order; unique. */
  readonly header: readonly string[];
  readonly rows: number;
  /** `columns[j][i]` is the text of column j in row i, exactly as the CSV held it. */
  readonly columns: readonly (readonly string[])[];
  /**
   * The file row number of row 0, counting the header as row 1 (blank lines are skipped and
   * not counted): 2 for a whole file, later for a chunk. Error messages use these numbers.
   */
  readonly firstRow: number;
}

/** The values of the column called `name`; the error lists the columns there are. */
export function columnValues(table: RawTable, name: string, role: string): readonly string[] {
  const index = table.header.indexOf(name);
  const values = table.columns[index];
  if (values === undefined) {
    throw new DataOptionsError(
      `${role} column "${name}" is not in the file; the columns are: ${formatNames(table.header)}`,
    );
  }
  return values;
}

/** Quoted, comma-separated names for error messages. */
export function formatNames(names: readonly string[]): string {
  return names.map((name) => JSON.stringify(name)).join(', ');
}
