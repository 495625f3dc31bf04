import { pipeline, Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { CsvFormatError, DataOptionsError } from './data.errors.js';
import type { RawTable } from './raw-table.js';

/**
 * CSV text to read: the whole text, or its chunks as they arrive (e.g. `fs.createReadStream`).
 * Byte chunks are UTF-8; a character split across two chunks is handled.
 */
export type CsvSource = string | AsyncIterable<string | Uint8Array>;

export interface CsvReadOptions {
  /** The field separator; default `','`. */
  readonly delimiter?: string;
}

export interface CsvChunkOptions extends CsvReadOptions {
  /** Rows per chunk; default 10,000. */
  readonly chunkSize?: number;
}

const DEFAULT_CHUNK_SIZE = 10_000;

/**
 * Reads a whole CSV file (RFC 4180, first row = header) into memory as raw text columns.
 *
 * Quoted fields may hold delimiters, quotes (doubled) and line breaks; CRLF and LF line ends
 * and a UTF-8 byte order mark are accepted; blank lines are skipped.
 *
 * @throws CsvFormatError for an empty file, a header without data rows, duplicate column
 *   names, a row whose field count differs from the header's, or broken quoting.
 * @example
 * const table = await readTable('name,visits\nAda,3\n"Lovelace, A.",5\n');
 * table.header; // ['name', 'visits']
 * table.columns[0]; // ['Ada', 'Lovelace, A.']
 * // From a file: await readTable(fs.createReadStream('leads.csv'), { delimiter: ';' });
 */
export async function readTable(
  source: CsvSource,
  options: CsvReadOptions = {},
): Promise<RawTable> {
  const chunks = readTableChunks(source, { ...options, chunkSize: Number.POSITIVE_INFINITY });
  // With no size limit the one chunk is the whole table; a file without rows throws instead.
  const { value } = await chunks.next();
  return value as RawTable;
}

/**
 * Reads a CSV file of any size as a sequence of tables of at most `chunkSize` rows, each
 * with the full header and its own `firstRow`, so that scoring never holds the whole file.
 * Same format rules and errors as `readTable`; an error surfaces when its row is reached.
 *
 * @example
 * for await (const chunk of readTableChunks(fs.createReadStream('big.csv'), { chunkSize: 5000 })) {
 *   const matrix = encoder.encode(chunk); // rows chunk.firstRow … chunk.firstRow + chunk.rows - 1
 * }
 */
export async function* readTableChunks(
  source: CsvSource,
  options: CsvChunkOptions = {},
): AsyncGenerator<RawTable, void, undefined> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!(chunkSize >= 1) || (Number.isFinite(chunkSize) && !Number.isInteger(chunkSize))) {
    throw new DataOptionsError(`chunkSize must be a positive integer, got ${chunkSize}`);
  }
  let header: readonly string[] | undefined;
  let columns: string[][] = [];
  let firstRow = 2;
  let row = 1;
  for await (const record of parseRecords(source, options.delimiter ?? ',')) {
    if (header === undefined) {
      header = checkHeader(record);
      columns = header.map(() => []);
      continue;
    }
    row++;
    if (record.length !== header.length) {
      throw new CsvFormatError(
        `row ${row} has ${record.length} ${record.length === 1 ? 'field' : 'fields'}, the header has ${header.length}`,
      );
    }
    for (let j = 0; j < record.length; j++) columns[j]?.push(record[j] as string);
    if (row - firstRow + 1 === chunkSize) {
      yield { header, rows: chunkSize, columns, firstRow };
      columns = header.map(() => []);
      firstRow = row + 1;
    }
  }
  if (header === undefined) throw new CsvFormatError('the file is empty');
  if (row === 1) throw new CsvFormatError('the file has a header row but no data rows');
  if (row >= firstRow) yield { header, rows: row - firstRow + 1, columns, firstRow };
}

/** csv-parse over the source; its errors become CsvFormatError, the source's pass through. */
async function* parseRecords(source: CsvSource, delimiter: string): AsyncGenerator<string[]> {
  if (delimiter.length === 0 || /["\r\n]/.test(delimiter)) {
    throw new DataOptionsError(
      `delimiter must be non-empty and hold no quote or line break, got ${JSON.stringify(delimiter)}`,
    );
  }
  const parser = parse({
    delimiter,
    bom: true,
    // Field counts are checked here, to name the row in the house wording.
    relax_column_count: true,
    skip_empty_lines: true,
  });
  const input = Readable.from(typeof source === 'string' ? [source] : source);
  // pipeline destroys every stage when one fails or the reader stops early, which also
  // closes the caller's file stream; the failure itself reaches us through the parser.
  pipeline(input, parser, () => {});
  try {
    for await (const record of parser) yield record as string[];
  } catch (error) {
    if (error instanceof CsvError) {
      throw new CsvFormatError(`the file is not valid CSV: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** The header row, with blank names replaced by their position and duplicates refused. */
function checkHeader(record: readonly string[]): readonly string[] {
  const header = record.map((name, j) => (name.trim() === '' ? `(column ${j + 1})` : name));
  const seen = new Map<string, number>();
  header.forEach((name, j) => {
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      throw new CsvFormatError(
        `the header names column "${name}" twice (columns ${earlier + 1} and ${j + 1})`,
      );
    }
    seen.set(name, j);
  });
  return header;
}
