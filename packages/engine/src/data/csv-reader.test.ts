import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readTable, readTableChunks } from './csv-reader.js';
import { CsvFormatError, DataOptionsError } from './data.errors.js';
import type { RawTable } from './raw-table.js';

async function* chunksOf(
  parts: readonly (string | Uint8Array)[],
): AsyncGenerator<string | Uint8Array> {
  yield* parts;
}

async function collect(source: AsyncIterable<RawTable>): Promise<RawTable[]> {
  const tables: RawTable[] = [];
  for await (const table of source) tables.push(table);
  return tables;
}

/** RFC 4180 writer for the round-trip property: quotes every field that needs it. */
function toCsv(rows: readonly (readonly string[])[], delimiter: string): string {
  const quote = (field: string) =>
    /["\r\n]/.test(field) || field.includes(delimiter) || field.trim() === ''
      ? `"${field.replaceAll('"', '""')}"`
      : field;
  return rows.map((row) => row.map(quote).join(delimiter)).join('\r\n');
}

describe('readTable', () => {
  it('reads quoted delimiters, doubled quotes and line breaks inside quotes', async () => {
    const table = await readTable(
      'name,note\n"Smith, Ann","she said ""yes""\nthen left"\nBo,plain\n',
    );
    expect(table.header).toEqual(['name', 'note']);
    expect(table.rows).toBe(2);
    expect(table.columns).toEqual([
      ['Smith, Ann', 'Bo'],
      ['she said "yes"\nthen left', 'plain'],
    ]);
    expect(table.firstRow).toBe(2);
  });

  it('accepts CRLF line ends, a byte order mark and blank lines', async () => {
    const table = await readTable('\uFEFFid,city\r\n1,Paris\r\n\r\n2,"Rio\r\nde Janeiro"\r\n');
    expect(table.header).toEqual(['id', 'city']);
    expect(table.columns).toEqual([
      ['1', '2'],
      ['Paris', 'Rio\r\nde Janeiro'],
    ]);
  });

  it('splits on a chosen delimiter and leaves commas alone', async () => {
    const table = await readTable('a;b\n1,5;x\n', { delimiter: ';' });
    expect(table.columns).toEqual([['1,5'], ['x']]);
    const tabbed = await readTable('a\tb\n1\t2\n', { delimiter: '\t' });
    expect(tabbed.columns).toEqual([['1'], ['2']]);
  });

  it('reads UTF-8 bytes even when a character or the byte order mark is split across chunks', async () => {
    const bytes = new TextEncoder().encode('\uFEFFname,city\nJosé,Zürich\n');
    const oneByteChunks = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
    const table = await readTable(chunksOf(oneByteChunks));
    expect(table.header).toEqual(['name', 'city']);
    expect(table.columns).toEqual([['José'], ['Zürich']]);
  });

  it('names blank header cells by position', async () => {
    const table = await readTable('a,,c\n1,2,3\n');
    expect(table.header).toEqual(['a', '(column 2)', 'c']);
  });

  it('gives back any table written as RFC 4180', async () => {
    const field = fc.string({
      unit: fc.constantFrom('a', 'Z', ' ', ',', ';', '"', '\n', '\r', 'é'),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }).chain((width) =>
          fc.tuple(
            fc.uniqueArray(
              fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), minLength: 1, maxLength: 6 }),
              {
                minLength: width,
                maxLength: width,
              },
            ),
            fc.array(fc.array(field, { minLength: width, maxLength: width }), {
              minLength: 1,
              maxLength: 6,
            }),
          ),
        ),
        fc.constantFrom(',', ';'),
        async ([header, rows], delimiter) => {
          const table = await readTable(toCsv([header, ...rows], delimiter), { delimiter });
          expect(table.header).toEqual(header);
          expect(table.columns).toEqual(header.map((_, j) => rows.map((row) => row[j])));
        },
      ),
      { numRuns: 60 },
    );
  });

  it.each([
    ['', 'the file is empty'],
    ['\n\n', 'the file is empty'],
    ['\uFEFF', 'the file is empty'],
    ['a,b,c\n', 'the file has a header row but no data rows'],
    ['a,b,c\n1,2,3\n4,5,6\n7,8\n', 'row 4 has 2 fields, the header has 3'],
    ['a,b\n1,2,3\n', 'row 2 has 3 fields, the header has 2'],
    ['a,b\n"x\ny",2\n3\n', 'row 3 has 1 field, the header has 2'],
    ['id,city,id\n1,2,3\n', 'the header names column "id" twice (columns 1 and 3)'],
    ['a,b\n"open,2\n', 'the file is not valid CSV: Quote Not Closed'],
  ])('refuses %j: %s', async (text, message) => {
    const error = await readTable(text).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CsvFormatError);
    expect((error as Error).message).toContain(message);
  });

  it('refuses a delimiter that cannot work', async () => {
    await expect(readTable('a\n1\n', { delimiter: '"' })).rejects.toThrow(DataOptionsError);
    await expect(readTable('a\n1\n', { delimiter: '' })).rejects.toThrow(/delimiter must be/);
  });

  it('passes the source’s own failure through', async () => {
    async function* failing(): AsyncGenerator<string> {
      yield 'a,b\n1,2\n';
      throw new Error('disk gone');
    }
    await expect(readTable(failing())).rejects.toThrow('disk gone');
  });
});

describe('readTableChunks', () => {
  const text = 'a,b\n1,x\n2,y\n3,z\n4,w\n5,v\n';

  it('yields chunks of chunkSize rows with their file row numbers', async () => {
    const chunks = await collect(readTableChunks(text, { chunkSize: 2 }));
    expect(chunks.map((chunk) => [chunk.firstRow, chunk.rows])).toEqual([
      [2, 2],
      [4, 2],
      [6, 1],
    ]);
    expect(chunks[1]).toEqual({
      header: ['a', 'b'],
      rows: 2,
      columns: [
        ['3', '4'],
        ['z', 'w'],
      ],
      firstRow: 4,
    });
  });

  it('gives the same rows as readTable when joined', async () => {
    const whole = await readTable(text);
    const chunks = await collect(readTableChunks(text, { chunkSize: 3 }));
    expect(chunks.flatMap((chunk) => chunk.columns[1])).toEqual(whole.columns[1]);
  });

  it('ends without a trailing empty chunk when the rows divide evenly', async () => {
    const chunks = await collect(readTableChunks('a\n1\n2\n', { chunkSize: 2 }));
    expect(chunks).toHaveLength(1);
  });

  it('reports a ragged row after yielding the chunks before it', async () => {
    const seen: number[] = [];
    const reading = (async () => {
      for await (const chunk of readTableChunks('a,b\n1,2\n3,4\n5\n', { chunkSize: 1 })) {
        seen.push(chunk.firstRow);
      }
    })();
    await expect(reading).rejects.toThrow('row 4 has 1 field, the header has 2');
    expect(seen).toEqual([2, 3]);
  });

  it('stops reading the source when the caller stops early', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<string> {
      yield 'n\n';
      for (;;) {
        pulled++;
        yield '1\n'.repeat(100);
      }
    }
    for await (const chunk of readTableChunks(endless(), { chunkSize: 10 })) {
      expect(chunk.rows).toBe(10);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    const afterStop = pulled;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pulled).toBe(afterStop);
    expect(pulled).toBeLessThan(100);
  });

  it.each([0, -1, 2.5, Number.NaN])('refuses chunkSize %s', async (chunkSize) => {
    await expect(collect(readTableChunks(text, { chunkSize }))).rejects.toThrow(
      'chunkSize must be a positive integer',
    );
  });
});
