/**
 * Reading an uploaded CSV (RFC 4180, header row first): streamed a chunk at a time, so memory
 * stays flat whatever the file's size. A byte-order mark is dropped; blank lines are skipped
 * and not counted; a row with more or fewer cells than the header is read (and refused by the
 * import), not a failure of the file. A malformed file (an unclosed quote) fails with a CsvError.
 */
import { finished } from 'node:stream/promises';
import { CsvError, type Options, parse } from 'csv-parse';
import { parse as parseNow } from 'csv-parse/sync';

export { CsvError };

function options(delimiter: string): Options {
  return { bom: true, delimiter, relax_column_count: true, skip_empty_lines: true };
}

/** A record and how far into the file it ends (bytes). */
export interface CsvRecord {
  readonly cells: string[];
  readonly bytes: number;
}

/**
 * The file's records, a piece of the file at a time. Every record before a malformed spot is
 * given before the error is thrown, so an import commits all it can and its cursor says how far
 * that was. (The records are taken as the parser reads them, not from its stream, whose
 * buffered records an error would drop.)
 */
export async function* readCsv(
  chunks: AsyncIterable<Uint8Array>,
  delimiter: string,
): AsyncGenerator<CsvRecord> {
  const records: CsvRecord[] = [];
  let failure: unknown;
  const parser = parse({
    ...options(delimiter),
    info: true,
    // With `info`, each record comes wrapped with it; null keeps it out of the stream.
    on_record: (wrapped: unknown) => {
      const { record, info } = wrapped as { record: string[]; info: { bytes: number } };
      records.push({ cells: record, bytes: info.bytes });
      return null;
    },
  } as Options);
  parser.on('error', (error) => {
    failure = error;
  });
  parser.resume();
  for await (const chunk of chunks) {
    parser.write(chunk);
    // The parser reports an error of this piece on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    yield* records.splice(0);
    if (failure) throw failure;
  }
  parser.end();
  await finished(parser).catch(() => undefined);
  yield* records.splice(0);
  if (failure) throw failure;
}

/**
 * The header row, from the first bytes of the file (`complete`: they are the whole file).
 * Undefined when the file is empty or its header does not end within these bytes.
 */
export function readHeader(
  head: Uint8Array,
  complete: boolean,
  delimiter: string,
): string[] | undefined {
  if (!complete && !head.includes(0x0a) && !head.includes(0x0d)) return undefined;
  const [header] = parseNow(Buffer.from(head), { ...options(delimiter), to: 1 }) as string[][];
  return header;
}
