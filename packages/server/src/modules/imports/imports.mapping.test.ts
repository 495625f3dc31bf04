import { describe, expect, it } from 'vitest';
import { AppError } from '../../http/errors.js';
import { EXPORT_COLUMNS } from '../exports/export-formats.js';
import { mapColumns, readRow, toLeadBody } from './imports.mapping.js';
import { parseMapFlag, readOptions } from './imports.options.js';

/** The columns of GET /exports/leads as CSV. */
const EXPORT_HEADER = [...EXPORT_COLUMNS.leads];

function problemsOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error.extensions.errors;
    throw error;
  }
  throw new Error('no problem reported');
}

describe('mapColumns', () => {
  it('maps the export’s header onto the editable fields and skips its read-only columns', () => {
    const { columns, problems } = mapColumns('leads', EXPORT_HEADER, null);
    expect(problems).toEqual([]);
    expect(columns.map((c) => c.field)).toEqual([
      'email',
      'firstName',
      'lastName',
      'company',
      'jobTitle',
      'phone',
      'website',
      'source',
      'status',
      'ownerId',
      'country',
      'industry',
      'companySize',
      'attributes',
    ]);
    expect(columns.find((c) => c.field === 'attributes')?.index).toBe(14);
  });

  it('takes the columns a mapping names, attribute columns included, and nothing else', () => {
    const { columns, problems } = mapColumns('leads', ['E-mail', 'Firm', 'Plan', 'Notes'], {
      'E-mail': 'email',
      Firm: 'company',
      Plan: 'attributes.plan',
    });
    expect(problems).toEqual([]);
    expect(columns).toEqual([
      { index: 0, header: 'E-mail', field: 'email' },
      { index: 1, header: 'Firm', field: 'company' },
      { index: 2, header: 'Plan', field: 'attributes.plan' },
    ]);
  });

  it('names each bad entry of a mapping', () => {
    const { problems } = mapColumns('leads', ['Email', 'Firm', 'Firm2', 'Twice', 'Twice'], {
      Email: 'email',
      Firm: 'company',
      Firm2: 'company',
      Nowhere: 'phone',
      Twice: 'source',
      Email2: 'attributes.',
    });
    expect(problems.map((p) => [p.field, p.message])).toEqual([
      ['mapping.Firm2', 'maps a second column to company'],
      [
        'mapping.Nowhere',
        'names a column the file does not have (its header: Email, Firm, Firm2, Twice, Twice)',
      ],
      ['mapping.Twice', 'names a column the header has twice'],
      [
        'mapping.Email2',
        "'attributes.' is not a field of leads; use one of email, firstName, lastName, company, jobTitle, phone, website, source, status, ownerId, country, industry, companySize, attributes or attributes.<key>",
      ],
    ]);
  });

  it('asks for the columns an import cannot do without', () => {
    expect(mapColumns('leads', ['Name'], null).problems).toEqual([
      {
        in: 'body',
        field: 'mapping',
        message: 'maps no column to email (the header names none: give a mapping)',
      },
    ]);
    expect(mapColumns('activities', ['who', 'what'], { what: 'type' }).problems).toEqual([
      { in: 'body', field: 'mapping', message: 'maps no column to timestamp, leadEmail or leadId' },
    ]);
    expect(mapColumns('activities', ['leadId', 'type', 'timestamp'], null).problems).toEqual([]);
  });
});

describe('readRow', () => {
  const columns = mapColumns(
    'leads',
    ['email', 'companySize', 'attributes', 'attributes.a', 'attributes.b', 'company'],
    null,
  ).columns;

  it('leaves empty cells out and types what it can', () => {
    const read = readRow(['x@y.example', '12', '{"k":[1]}', '42', 'true', ''], 6, columns);
    expect(read).toEqual({
      ok: true,
      values: new Map<string, unknown>([
        ['email', 'x@y.example'],
        ['companySize', 12],
        ['attributes', { k: [1] }],
        ['attributes.a', 42],
        ['attributes.b', true],
      ]),
    });
    expect(toLeadBody((read as { values: Map<string, unknown> }).values)).toEqual({
      body: { email: 'x@y.example', companySize: 12, attributes: { k: [1] } },
      attributePatch: { a: 42, b: true },
    });
  });

  it('keeps as text what a number or boolean would change', () => {
    for (const cell of ['007', '1.50', '1e3', 'True', '12345678901234567890', ' 4']) {
      const read = readRow(['x@y.example', '', '', cell, '', ''], 6, columns);
      expect(read.ok && read.values.get('attributes.a')).toBe(cell);
    }
    const read = readRow(['x@y.example', '-3.5', '', '-3.5', '', ''], 6, columns);
    // Not an integer: left as text for the lead's schema to refuse.
    expect(read.ok && [read.values.get('companySize'), read.values.get('attributes.a')]).toEqual([
      '-3.5',
      -3.5,
    ]);
  });

  it('refuses a row of the wrong width, unreadable JSON and unstorable text, by column', () => {
    expect(readRow(['x@y.example'], 6, columns)).toEqual({
      ok: false,
      errors: [{ column: null, field: '(row)', reason: 'has 1 cells where the header has 6' }],
    });
    expect(readRow(['x@y.example', '', '{oops', '', '', 'A\u0000B'], 6, columns)).toEqual({
      ok: false,
      errors: [
        { column: 'attributes', field: 'attributes', reason: 'is not valid JSON' },
        {
          column: 'company',
          field: 'company',
          reason: 'contains a NUL character or a lone surrogate',
        },
      ],
    });
    expect(readRow(['x@y.example', '', '{"a":"\\u0000"}', '', '', ''], 6, columns).ok).toBe(false);
  });

  it('keeps a company size too large for the database as text, to be refused', () => {
    const read = readRow(['x@y.example', '3000000000', '', '', '', ''], 6, columns);
    expect(read.ok && read.values.get('companySize')).toBe('3000000000');
  });
});

describe('import options', () => {
  it('defaults to the identity mapping, update and a comma', () => {
    expect(readOptions('leads', new Map())).toEqual({
      mapping: null,
      onDuplicate: 'update',
      delimiter: ',',
    });
    expect(readOptions('activities', new Map([['delimiter', ';']]))).toEqual({
      mapping: null,
      onDuplicate: null,
      delimiter: ';',
    });
  });

  it('names every bad field', () => {
    expect(
      problemsOf(() =>
        readOptions(
          'activities',
          new Map([
            ['mapping', '{"a": 1}'],
            ['onDuplicate', 'skip'],
            ['delimiter', '\n'],
            ['colour', 'blue'],
          ]),
        ),
      ),
    ).toEqual([
      {
        in: 'body',
        field: 'colour',
        message: 'is not a field of this form (its fields: file, mapping, onDuplicate, delimiter)',
      },
      {
        in: 'body',
        field: 'mapping',
        message: 'must be a JSON object of CSV header → field name (both text)',
      },
      { in: 'body', field: 'onDuplicate', message: 'applies to lead imports only' },
      {
        in: 'body',
        field: 'delimiter',
        message: 'must be one character, not a quote or a line break',
      },
    ]);
    expect(problemsOf(() => readOptions('leads', new Map([['mapping', '{not json']])))).toEqual([
      {
        in: 'body',
        field: 'mapping',
        message: 'must be a JSON object of CSV header → field name (both text)',
      },
    ]);
  });

  it('reads the CLI’s --map pairs', () => {
    expect(parseMapFlag('Email=email, Company Name=company,Plan=attributes.plan')).toEqual({
      Email: 'email',
      'Company Name': 'company',
      Plan: 'attributes.plan',
    });
    expect(problemsOf(() => parseMapFlag('Email=email,Company'))).toEqual([
      { in: 'body', field: 'mapping', message: "'Company' is not Header=field" },
    ]);
  });
});
