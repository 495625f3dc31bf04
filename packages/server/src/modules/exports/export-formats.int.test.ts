import { parse } from 'csv-parse/sync';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import type { DB } from '../../db/schema.js';
import { describeEachEngine } from '../../test/databases.js';
import { type ExportCell, headerOf, LINE_END, lineOf } from './export-formats.js';

/** Values that CSV must quote or escape, and each SQL type an export writes. */
const CELLS: readonly ExportCell[] = [
  { name: 'id', value: sql`1` },
  { name: 'name', value: sql`${'Comma, "quote"\r\nand line'}::text` },
  { name: 'plain', value: sql`${'Plain'}::text` },
  { name: 'empty', value: sql`${''}::text` },
  { name: 'flag', value: sql`false` },
  { name: 'data', value: sql`${'{"a": [1, "x"], "b": {"c": null}}'}::jsonb` },
  { name: 'ratio', value: sql`0.25::float8` },
  { name: 'missing', value: sql`null::text` },
];

async function lineOfCells(db: Kysely<DB>, format: 'csv' | 'ndjson'): Promise<string> {
  const { rows } = await sql<{ line: string }>`select ${lineOf(format, CELLS)} as line`.execute(db);
  return rows[0]?.line ?? '';
}

describeEachEngine('export lines written by the database', (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(() => database?.close());

  it('writes CSV that reads back to the same values: every value quoted, null as an empty cell', async () => {
    const names = CELLS.map((cell) => cell.name);
    const line = await lineOfCells(database.db, 'csv');
    expect(line).toBe(
      '"1","Comma, ""quote""\r\nand line","Plain","","false","{""a"": [1, ""x""], ""b"": {""c"": null}}","0.25",',
    );
    const text = headerOf('csv', names) + line + LINE_END.csv;
    expect(parse(text, { columns: true })).toEqual([
      {
        id: '1',
        name: 'Comma, "quote"\r\nand line',
        plain: 'Plain',
        empty: '',
        flag: 'false',
        data: '{"a": [1, "x"], "b": {"c": null}}',
        ratio: '0.25',
        missing: '',
      },
    ]);
  });

  it('writes one JSON object per NDJSON line, keys in column order, values of their JSON types', async () => {
    const line = await lineOfCells(database.db, 'ndjson');
    expect(line).not.toContain('\n');
    const object = JSON.parse(line);
    expect(Object.keys(object)).toEqual(CELLS.map((cell) => cell.name));
    expect(object).toEqual({
      id: 1,
      name: 'Comma, "quote"\r\nand line',
      plain: 'Plain',
      empty: '',
      flag: false,
      data: { a: [1, 'x'], b: { c: null } },
      ratio: 0.25,
      missing: null,
    });
  });
});

describe('headerOf', () => {
  it('writes the CSV header line even for a file with no rows, and nothing for NDJSON', () => {
    expect(headerOf('csv', ['id', 'name'])).toBe('id,name\r\n');
    expect(headerOf('ndjson', ['id', 'name'])).toBe('');
  });
});
