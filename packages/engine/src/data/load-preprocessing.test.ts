import { describe, expect, it } from 'vitest';
import { readTable } from './csv-reader.js';
import { PreprocessingFormatError } from './data.errors.js';
import { fitPreprocessing } from './fit-preprocessing.js';
import { loadPreprocessing } from './load-preprocessing.js';

async function storedSchema(): Promise<Record<string, unknown>> {
  const table = await readTable(
    'n,c,b,d\n1,x,yes,2024-01-01\n2,x,no,2024-02-02\n3,y,yes,2024-03-03\n4,z,no,2024-03-04\n',
  );
  return JSON.parse(JSON.stringify(fitPreprocessing(table, { minCategoryCount: 2 })));
}

describe('loadPreprocessing', () => {
  it('accepts what fitPreprocessing wrote', async () => {
    const stored = await storedSchema();
    expect(loadPreprocessing(stored)).toEqual(stored);
  });

  it('refuses another format or version with a clear message', async () => {
    const stored = await storedSchema();
    expect(() => loadPreprocessing({ ...stored, format: 'leadscore-gbdt' })).toThrow(
      'not a Leadscore preprocessing schema: format is "leadscore-gbdt", expected "leadscore-preprocessing"',
    );
    expect(() => loadPreprocessing({ ...stored, formatVersion: 2 })).toThrow(
      'preprocessing formatVersion 2 is not supported; this engine reads version 1',
    );
    expect(() => loadPreprocessing(null)).toThrow(PreprocessingFormatError);
    expect(() => loadPreprocessing([])).toThrow('the schema must be an object');
  });

  it('names the field at fault in a damaged schema', async () => {
    const stored = await storedSchema();
    const columns = stored.columns as Record<string, unknown>[];
    const damage = (k: number, change: Record<string, unknown>) => ({
      ...stored,
      columns: columns.map((column, i) => (i === k ? { ...column, ...change } : column)),
    });
    expect(() => loadPreprocessing(damage(0, { kind: 'text' }))).toThrow(
      'invalid preprocessing schema: columns[0].kind must be one of "numeric", "categorical", "boolean", "date"',
    );
    expect(() => loadPreprocessing(damage(1, { otherCategory: 'rest' }))).toThrow(
      'columns[1].otherCategory must be the last category of "c"',
    );
    expect(() => loadPreprocessing(damage(2, { trueValue: 1 }))).toThrow(
      'columns[2].trueValue must be a string',
    );
    expect(() => loadPreprocessing(damage(3, { parts: ['month'] }))).toThrow(
      'columns[3].parts must be one part per feature (2)',
    );
    expect(() =>
      loadPreprocessing(
        damage(1, { features: [{ name: 'c', kind: 'numeric', group: 'demographic' }] }),
      ),
    ).toThrow('columns[1].features must be only categorical features for a categorical column');
    expect(() => loadPreprocessing({ ...stored, naTokens: [1] })).toThrow(
      'naTokens[0] must be a string',
    );
    expect(() =>
      loadPreprocessing({ ...stored, dropped: [{ name: 'x', reason: 'bored', detail: '' }] }),
    ).toThrow('dropped[0].reason must be one of');
  });
});
