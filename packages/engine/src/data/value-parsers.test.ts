import { describe, expect, it } from 'vitest';
import { inferColumnKind } from './column-kinds.js';
import { createMissingTest } from './missing-values.js';
import { findBooleanPair, parseIsoDate, parseNumber } from './value-parsers.js';

describe('parseNumber', () => {
  it.each([
    ['42', 42],
    ['-3.5', -3.5],
    [' 7 ', 7],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['+2E-2', 0.02],
  ])('reads %j as %s', (text, value) => {
    expect(parseNumber(text)).toBe(value);
  });

  it.each(['', ' ', 'abc', '0x1F', 'Infinity', '1e999', '1,5', '1.2.3', 'NaN', '12px'])(
    'refuses %j',
    (text) => {
      expect(parseNumber(text)).toBeUndefined();
    },
  );
});

describe('parseIsoDate', () => {
  it('gives month, ISO weekday and no hour for a plain date', () => {
    // 2018-02-01 was a Thursday; 2017-10-22 a Sunday.
    expect(parseIsoDate('2018-02-01')).toEqual({ month: 2, weekday: 4, hour: undefined });
    expect(parseIsoDate('2017-10-22')).toEqual({ month: 10, weekday: 7, hour: undefined });
  });

  it('reads the clock time as written, whatever the zone', () => {
    expect(parseIsoDate('2018-11-14 18:30:00')?.hour).toBe(18.5);
    expect(parseIsoDate('2018-11-14T06:15Z')?.hour).toBe(6.25);
    expect(parseIsoDate('2018-11-14T23:59:59.999+05:30')?.hour).toBeCloseTo(24 - 1 / 3600, 12);
  });

  it('keeps years below 100 in their own century', () => {
    // 0050-01-01 was a Saturday in the proleptic Gregorian calendar; 1950-01-01 a Sunday.
    expect(parseIsoDate('0050-01-01')?.weekday).toBe(6);
  });

  it.each([
    '2023-02-30',
    '2023-13-01',
    '2023-1-5',
    '01/02/2023',
    '2023-01-01 24:00',
    '2023-01-01T10:60',
    'today',
  ])('refuses %j', (text) => {
    expect(parseIsoDate(text)).toBeUndefined();
  });
});

describe('findBooleanPair', () => {
  it('matches pairs ignoring case and space, true value first', () => {
    expect(findBooleanPair(['Yes', 'NO', ' yes'])).toEqual(['yes', 'no']);
    expect(findBooleanPair(['TRUE', 'false'])).toEqual(['true', 'false']);
    expect(findBooleanPair(['n'])).toEqual(['y', 'n']);
  });

  it('refuses values from different pairs or outside them', () => {
    expect(findBooleanPair(['yes', 'false'])).toBeUndefined();
    expect(findBooleanPair(['M', 'F'])).toBeUndefined();
  });
});

describe('createMissingTest', () => {
  it('reads the default tokens and blanks as missing, nothing else', () => {
    const isMissing = createMissingTest();
    expect(['', '  ', 'NA', 'N/A', 'NaN', 'null', 'NULL'].every(isMissing)).toBe(true);
    expect(['na', 'None', 'Select', '0', '-'].some(isMissing)).toBe(false);
  });

  it('replaces the tokens but still reads blanks as missing', () => {
    const isMissing = createMissingTest(['Select', 'NA']);
    expect(['Select', 'NA', '', '\t'].every(isMissing)).toBe(true);
    expect(isMissing('NULL')).toBe(false);
  });
});

describe('inferColumnKind', () => {
  it.each([
    [['0', '1'], 'numeric'],
    [['3', '2.5', '-1e2'], 'numeric'],
    [['Yes', 'No', 'yes'], 'boolean'],
    [['TRUE', 'false'], 'boolean'],
    [['y', 'N'], 'boolean'],
    [['2018-02-01', '2017-10-20 10:00:00'], 'date'],
    [['2018-02', '2018-03'], 'categorical'],
    [['yes', 'maybe'], 'categorical'],
    [['1', 'two'], 'categorical'],
    [['2018-02-01', '2018-02-30'], 'categorical'],
  ] as const)('%j is %s', (values, kind) => {
    expect(inferColumnKind(values)).toBe(kind);
  });
});
