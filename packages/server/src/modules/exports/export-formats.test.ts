import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { encoderFor, negotiateFormat } from './export-formats.js';

describe('negotiateFormat', () => {
  it.each([
    [undefined, 'csv'],
    ['', 'csv'],
    ['*/*', 'csv'],
    ['text/*', 'csv'],
    ['TEXT/CSV', 'csv'],
    ['application/x-ndjson', 'ndjson'],
    ['application/ndjson', 'ndjson'],
    ['application/x-ndjson, text/csv', 'ndjson'],
    ['text/csv;q=0.4, application/x-ndjson;q=0.8', 'ndjson'],
    ['application/json, text/csv;q=0.1', 'csv'],
    ['text/csv; charset=utf-8', 'csv'],
    ['application/json', null],
    ['text/html, application/xml;q=0.9', null],
    ['text/csv;q=0', null],
    ['text/csv;q=oops', null],
  ])('%s → %s', (accept, format) => {
    expect(negotiateFormat(accept)).toBe(format);
  });
});

describe('encoderFor', () => {
  const columns = ['id', 'name', 'flag', 'data', 'missing'];
  const records = [
    { id: 1, name: 'Plain', flag: true, data: { a: [1, 'x'] }, missing: null },
    { id: 2, name: 'Comma, "quote"\r\nand line', flag: false, data: {}, missing: null },
  ];

  it('writes RFC 4180 CSV: a header, CRLF, quoted when needed, null as an empty cell', () => {
    const csv = encoderFor('csv', columns);
    const text = csv.header + csv.page(records);
    expect(text).toBe(
      'id,name,flag,data,missing\r\n' +
        '1,Plain,true,"{""a"":[1,""x""]}",\r\n' +
        '2,"Comma, ""quote""\r\nand line",false,{},\r\n',
    );
    expect(parse(text, { columns: true })).toEqual([
      { id: '1', name: 'Plain', flag: 'true', data: '{"a":[1,"x"]}', missing: '' },
      { id: '2', name: 'Comma, "quote"\r\nand line', flag: 'false', data: '{}', missing: '' },
    ]);
  });

  it('writes the header even when there are no rows', () => {
    expect(encoderFor('csv', columns).header).toBe('id,name,flag,data,missing\r\n');
  });

  it('writes NDJSON: no header, one object per line with its keys in order', () => {
    const ndjson = encoderFor('ndjson', columns);
    expect(ndjson.header).toBe('');
    const text = ndjson.page(records);
    expect(text.endsWith('\n')).toBe(true);
    expect(
      text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual(records);
  });
});
