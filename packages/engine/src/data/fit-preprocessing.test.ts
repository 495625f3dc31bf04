import { describe, expect, it } from 'vitest';
import { readTable } from './csv-reader.js';
import { ColumnValueError, DataOptionsError } from './data.errors.js';
import { fitPreprocessing, MAX_KEPT_CATEGORIES } from './index.js';
import type { ColumnSchema } from './preprocessing-schema.js';

// Eight leads: an id, a count with a gap, a plan with a rare level, a yes/no flag with a
// form-default "Select", a signup date-time, a country that is always the same, an empty note.
const LEADS = [
  'id,visits,plan,newsletter,signup,country,note,won',
  'a1,3,pro,Yes,2024-01-05 09:30,FR,,1',
  'a2,,free,No,2024-01-06 14:00,FR,,0',
  'a3,7,pro,Select,2024-02-07 09:30,FR,NA,1',
  'a4,0,free,no,2024-02-08 20:15,FR,,0',
  'a5,1,team,yes,2024-03-09 11:00,FR,,0',
  'a6,2,free,No,2024-03-10 16:45,FR,,0',
  'a7,5,pro,Yes,2024-03-11 10:00,FR,,1',
  'a8,4,free,No,2024-03-12 08:00,FR,,0',
].join('\n');

function column(columns: readonly ColumnSchema[], name: string): ColumnSchema | undefined {
  return columns.find((entry) => entry.name === name);
}

describe('fitPreprocessing', () => {
  it('infers each kind and lists what it becomes', async () => {
    const table = await readTable(LEADS);
    const schema = fitPreprocessing(table, {
      target: 'won',
      exclude: ['id'],
      naTokens: ['Select', 'NA'],
      minCategoryCount: 2,
    });
    expect(schema.format).toBe('leadscore-preprocessing');
    expect(schema.formatVersion).toBe(1);
    expect(schema.naTokens).toEqual(['Select', 'NA']);
    expect(schema.columns).toEqual([
      {
        name: 'visits',
        kind: 'numeric',
        features: [{ name: 'visits', kind: 'numeric', group: 'demographic' }],
      },
      {
        name: 'plan',
        kind: 'categorical',
        otherCategory: 'other',
        features: [
          {
            name: 'plan',
            kind: 'categorical',
            categories: ['free', 'pro', 'other'],
            group: 'demographic',
          },
        ],
      },
      {
        name: 'newsletter',
        kind: 'boolean',
        trueValue: 'yes',
        falseValue: 'no',
        features: [{ name: 'newsletter', kind: 'numeric', group: 'demographic' }],
      },
      {
        name: 'signup',
        kind: 'date',
        parts: ['month', 'weekday', 'hour'],
        features: [
          { name: 'signup.month', kind: 'numeric', group: 'demographic' },
          { name: 'signup.weekday', kind: 'numeric', group: 'demographic' },
          { name: 'signup.hour', kind: 'numeric', group: 'demographic' },
        ],
      },
    ]);
    expect(schema.dropped).toEqual([
      { name: 'id', reason: 'excluded', detail: 'excluded by the options' },
      { name: 'country', reason: 'constant', detail: 'every row has the value "FR"' },
      { name: 'note', reason: 'empty', detail: 'every value is missing' },
      { name: 'won', reason: 'target', detail: 'the target column' },
    ]);
  });

  it('is plain JSON', async () => {
    const schema = fitPreprocessing(await readTable(LEADS), { target: 'won' });
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it('reads "Select" as a value unless it is a missing token', async () => {
    const table = await readTable(LEADS);
    // With the default tokens "Select" is a third value, so the flag is no longer boolean.
    const schema = fitPreprocessing(table, { target: 'won', minCategoryCount: 1 });
    const newsletter = column(schema.columns, 'newsletter');
    expect(newsletter?.kind).toBe('categorical');
    expect(newsletter?.features[0]).toMatchObject({
      categories: ['No', 'Yes', 'Select', 'no', 'yes'],
    });
  });

  it('applies kind overrides', async () => {
    const table = await readTable('zip,score,y\n01000,1,1\n75001,2,0\n01000,3,1\n');
    const schema = fitPreprocessing(table, {
      target: 'y',
      types: { zip: 'categorical', score: 'categorical' },
      minCategoryCount: 1,
    });
    expect(schema.columns.map((entry) => [entry.name, entry.kind])).toEqual([
      ['zip', 'categorical'],
      ['score', 'categorical'],
    ]);
    expect(column(schema.columns, 'zip')?.features[0]).toMatchObject({
      categories: ['01000', '75001'],
    });
  });

  it('refuses a numeric override with a non-numeric value, naming row, column and value', async () => {
    const table = await readTable('size,y\n10,1\n20,0\n"1,000",1\n');
    const error = (() => {
      try {
        return fitPreprocessing(table, { types: { size: 'numeric' } });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ColumnValueError);
    expect(error).toMatchObject({ column: 'size', row: 4, value: '1,000' });
    expect((error as Error).message).toBe('column "size", row 4: expected a number, got "1,000"');
  });

  it('refuses boolean and date overrides that do not fit', async () => {
    const table = await readTable('flag,when\nyes,2024-01-01\nno,2024-01-02\ntrue,soon\n');
    expect(() => fitPreprocessing(table, { types: { flag: 'boolean' } })).toThrow(
      'column "flag", row 4: expected "yes" or "no", got "true"',
    );
    expect(() => fitPreprocessing(table, { types: { when: 'date' } })).toThrow(
      'column "when", row 4: expected an ISO date (YYYY-MM-DD), got "soon"',
    );
    const sexes = await readTable('sex\nM\nF\n');
    expect(() => fitPreprocessing(sexes, { types: { sex: 'boolean' } })).toThrow(
      'column "sex", row 2: expected yes/no, true/false or y/n, got "M"',
    );
  });

  it('folds levels rarer than minCategoryCount into "other", most frequent level first', async () => {
    const values = ['b', 'b', 'b', 'a', 'a', 'a', 'c', 'c', 'd', 'e'];
    const table = await readTable(['level', ...values].join('\n'));
    const schema = fitPreprocessing(table, { minCategoryCount: 2 });
    // a and b tie on 3 rows and are ordered by name; c has exactly the minimum.
    expect(column(schema.columns, 'level')).toMatchObject({
      otherCategory: 'other',
      features: [{ categories: ['a', 'b', 'c', 'other'] }],
    });
  });

  it('keeps no "other" when no level is rare', async () => {
    const table = await readTable('level\na\nb\na\nb\n');
    const schema = fitPreprocessing(table, { minCategoryCount: 2 });
    expect(column(schema.columns, 'level')).toMatchObject({
      otherCategory: null,
      features: [{ categories: ['a', 'b'] }],
    });
  });

  it('gives the fold a new name when "other" is a real level', async () => {
    const table = await readTable('origin\nother\nother\nsocial\nsocial\nemail\n');
    const schema = fitPreprocessing(table, { minCategoryCount: 2 });
    expect(column(schema.columns, 'origin')).toMatchObject({
      otherCategory: 'other 2',
      features: [{ categories: ['other', 'social', 'other 2'] }],
    });
  });

  it(`never keeps more than ${MAX_KEPT_CATEGORIES} levels plus "other"`, async () => {
    // Level k appears k + 1 times, so the 254 most frequent are levels 46…299.
    const values = Array.from({ length: 300 }, (_, k) => Array(k + 1).fill(`L${k}`)).flat();
    const table = { header: ['level'], rows: values.length, columns: [values], firstRow: 2 };
    const schema = fitPreprocessing(table, { minCategoryCount: 1 });
    const feature = column(schema.columns, 'level')?.features[0];
    const categories = feature?.kind === 'categorical' ? feature.categories : [];
    expect(categories).toHaveLength(255);
    expect(categories.slice(0, 2)).toEqual(['L299', 'L298']);
    expect(categories.slice(-2)).toEqual(['L46', 'other']);
  });

  it('drops a categorical whose levels are all rare, and says why', async () => {
    const table = await readTable('id,x\nu1,1\nu2,2\nu3,3\n');
    const schema = fitPreprocessing(table, {});
    expect(schema.dropped).toEqual([
      {
        name: 'id',
        reason: 'constant',
        detail: 'each of its 3 values appears fewer than 10 times',
      },
    ]);
  });

  it('keeps a single value with gaps, because being filled in can itself predict', async () => {
    const table = await readTable('phone_given,x\nyes,1\n,2\nyes,3\n');
    const schema = fitPreprocessing(table, {});
    expect(column(schema.columns, 'phone_given')?.kind).toBe('boolean');
  });

  it('keeps only the date parts that vary', async () => {
    // Same weekday (Monday) throughout, two months, no times.
    const table = await readTable('day\n2024-01-01\n2024-01-08\n2024-02-05\n');
    const schema = fitPreprocessing(table, {});
    expect(column(schema.columns, 'day')).toMatchObject({ parts: ['month'] });
    const sameParts = await readTable('day\n2024-01-01\n2024-01-29\n');
    expect(fitPreprocessing(sameParts, {}).dropped).toEqual([
      { name: 'day', reason: 'constant', detail: 'every date has the same month and weekday' },
    ]);
  });

  it('puts features in the groups asked for', async () => {
    const table = await readTable(LEADS);
    const schema = fitPreprocessing(table, {
      target: 'won',
      groups: { visits: 'behavioural', signup: 'engagement' },
      minCategoryCount: 2,
    });
    const groups = schema.columns.flatMap((entry) => entry.features.map((f) => [f.name, f.group]));
    expect(groups).toContainEqual(['visits', 'behavioural']);
    expect(groups).toContainEqual(['signup.hour', 'engagement']);
    expect(groups).toContainEqual(['plan', 'demographic']);
  });

  it('refuses options that name absent columns or bad values', async () => {
    const table = await readTable('a,b\n1,x\n2,y\n');
    expect(() => fitPreprocessing(table, { target: 'c' })).toThrow(
      'target names column "c", which is not in the file; the columns are: "a", "b"',
    );
    expect(() => fitPreprocessing(table, { exclude: ['B'] })).toThrow(DataOptionsError);
    expect(() => fitPreprocessing(table, { types: { z: 'numeric' } })).toThrow(
      /types names column "z"/,
    );
    expect(() => fitPreprocessing(table, { types: { a: 'text' as 'categorical' } })).toThrow(
      'types: column "a" has kind "text"; use one of numeric, categorical, boolean, date',
    );
    expect(() => fitPreprocessing(table, { groups: { a: 'fit' as 'demographic' } })).toThrow(
      'groups: column "a" has group "fit"',
    );
    expect(() => fitPreprocessing(table, { minCategoryCount: 0.5 })).toThrow(
      'minCategoryCount must be an integer >= 1, got 0.5',
    );
  });

  it('refuses two features with the same name', async () => {
    const table = await readTable('d,d.month\n2024-01-01,1\n2024-02-01,2\n');
    expect(() => fitPreprocessing(table, {})).toThrow('two features would be named "d.month"');
  });
});
