import { describe, expect, it } from 'vitest';
import { negotiateFormat } from './export-formats.js';

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
