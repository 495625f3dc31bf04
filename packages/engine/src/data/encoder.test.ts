import { describe, expect, it } from 'vitest';
import type { FeatureMatrix } from '../matrix.js';
import { readTable, readTableChunks } from './csv-reader.js';
import { ColumnValueError, DataError } from './data.errors.js';
import { applyPreprocessing, createEncoder } from './encoder.js';
import { fitPreprocessing } from './fit-preprocessing.js';
import { loadPreprocessing } from './load-preprocessing.js';

/** What a missing value encodes to. */
const MISSING = Number.NaN;

const TRAIN = [
  'id,visits,plan,newsletter,signup,region,won',
  'a1,3,pro,Yes,2024-01-05 09:30,north,1',
  'a2,,free,No,2024-01-06 14:00,south,0',
  'a3,7,pro,Select,2024-02-07 09:30,north,1',
  'a4,0,free,no,2024-02-08 20:15,south,0',
  'a5,1,team,yes,2024-03-09 11:00,,0',
  'a6,2.5,free,No,,north,0',
].join('\n');

const OPTIONS = {
  target: 'won',
  exclude: ['id'],
  naTokens: ['Select', 'NA'],
  minCategoryCount: 2,
} as const;

async function fitted() {
  const table = await readTable(TRAIN);
  return { table, schema: fitPreprocessing(table, OPTIONS) };
}

function byName(matrix: FeatureMatrix): Record<string, number[]> {
  return Object.fromEntries(
    matrix.features.map((f, j) => [f.name, [...(matrix.columns[j] ?? [])]]),
  );
}

describe('applyPreprocessing', () => {
  it('encodes numbers, codes, 0/1 and date parts, with NaN for missing', async () => {
    const { table, schema } = await fitted();
    const matrix = applyPreprocessing(schema, table);
    expect(matrix.rows).toBe(6);
    expect(byName(matrix)).toEqual({
      visits: [3, MISSING, 7, 0, 1, 2.5],
      // free and pro have 3 and 2 rows; team is rare and folds into other (code 2).
      plan: [1, 0, 1, 0, 2, 0],
      newsletter: [1, 0, MISSING, 0, 1, 0],
      'signup.month': [1, 1, 2, 2, 3, MISSING],
      'signup.weekday': [5, 6, 3, 4, 6, MISSING],
      'signup.hour': [9.5, 14, 9.5, 20.25, 11, MISSING],
      // north 3, south 2: nothing folded, so there is no other.
      region: [0, 1, 0, 1, MISSING, 0],
    });
    expect(matrix.features.find((f) => f.name === 'plan')).toEqual({
      name: 'plan',
      kind: 'categorical',
      categories: ['free', 'pro', 'other'],
      group: 'demographic',
    });
  });

  it('maps unseen levels to "other" where there is one, else to missing', async () => {
    const { schema } = await fitted();
    const scoring = await readTable(
      'region,plan,visits,newsletter,signup\nwest,enterprise,1,YES,2024-05-01\nnorth,team,2,n/a,\n',
    );
    const matrix = byName(applyPreprocessing({ ...schema, naTokens: ['n/a'] }, scoring));
    expect(matrix.plan).toEqual([2, 2]);
    expect(matrix.region).toEqual([MISSING, 0]);
    expect(matrix.newsletter).toEqual([1, MISSING]);
    // A date without a time has no hour.
    expect(matrix['signup.hour']).toEqual([MISSING, MISSING]);
  });

  it('names the file row of a value that does not fit, also in a later chunk', async () => {
    const { schema } = await fitted();
    const header = 'visits,plan,newsletter,signup,region';
    const bad = `${header}\n1,pro,yes,2024-01-01,north\n2,pro,yes,2024-01-01,north\nmany,pro,yes,2024-01-01,north\n`;
    const reading = (async () => {
      for await (const chunk of readTableChunks(bad, { chunkSize: 2 })) {
        applyPreprocessing(schema, chunk);
      }
    })();
    await expect(reading).rejects.toThrow('column "visits", row 4: expected a number, got "many"');

    const encode = async (text: string) => applyPreprocessing(schema, await readTable(text));
    await expect(encode(`${header}\n1,pro,maybe,2024-01-01,north\n`)).rejects.toThrow(
      'column "newsletter", row 2: expected "yes" or "no", got "maybe"',
    );
    await expect(encode(`${header}\n1,pro,no,01/02/2024,north\n`)).rejects.toThrow(
      ColumnValueError,
    );
  });

  it('refuses a table without the columns the schema needs', async () => {
    const { schema } = await fitted();
    const table = await readTable('visits,plan\n1,pro\n');
    const error = (() => {
      try {
        return applyPreprocessing(schema, table);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toBe(
      'the file lacks columns the schema needs: "newsletter", "signup", "region"',
    );
  });

  it('gives identical matrices after a JSON round trip of the schema', async () => {
    const { table, schema } = await fitted();
    const restored = loadPreprocessing(JSON.parse(JSON.stringify(schema)));
    expect(applyPreprocessing(restored, table)).toEqual(applyPreprocessing(schema, table));
  });
});

describe('createEncoder', () => {
  it.each([1, 2, 4, 5])(
    'encodes chunks of %i rows exactly as the whole table',
    async (chunkSize) => {
      const { table, schema } = await fitted();
      const encoder = createEncoder(schema);
      const whole = encoder.encode(table);
      const chunks: FeatureMatrix[] = [];
      for await (const chunk of readTableChunks(TRAIN, { chunkSize }))
        chunks.push(encoder.encode(chunk));
      const joined = whole.features.map((_, j) =>
        chunks.flatMap((chunk) => [...(chunk.columns[j] ?? [])]),
      );
      expect(joined).toEqual(whole.columns.map((values) => [...values]));
      expect(encoder.features).toEqual(whole.features);
    },
  );
});
