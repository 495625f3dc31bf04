import { describe, expect, it } from 'vitest';
import { readTable } from './csv-reader.js';
import { DataOptionsError, LabelError } from './data.errors.js';
import { extractLabels } from './labels.js';

async function labelsOf(values: readonly string[], options = {}) {
  const table = await readTable(['x,y', ...values.map((value, i) => `${i},${value}`)].join('\n'));
  return extractLabels(table, 'y', options);
}

describe('extractLabels', () => {
  it.each([
    [
      ['1', '0', '1'],
      [1, 0, 1],
    ],
    [
      ['true', 'FALSE', 'True'],
      [1, 0, 1],
    ],
    [
      ['No', 'Yes', ' yes '],
      [0, 1, 1],
    ],
  ])('reads %j as %j', async (values, labels) => {
    expect([...(await labelsOf(values))]).toEqual(labels);
  });

  it('returns one byte per row', async () => {
    expect(await labelsOf(['1', '0'])).toBeInstanceOf(Uint8Array);
  });

  it('takes the positive value asked for, also among more than two values', async () => {
    expect([...(await labelsOf(['won', 'lost', 'Won'], { positive: 'won' }))]).toEqual([1, 0, 1]);
    expect([...(await labelsOf(['a', 'b', 'c'], { positive: 'c' }))]).toEqual([0, 0, 1]);
    expect([...(await labelsOf(['1', '0'], { positive: '0' }))]).toEqual([0, 1]);
  });

  it('lists the columns when the target is absent', async () => {
    const table = await readTable('Lead,Converted\n1,0\n');
    expect(() => extractLabels(table, 'converted')).toThrow(DataOptionsError);
    expect(() => extractLabels(table, 'converted')).toThrow(
      'target column "converted" is not in the file; the columns are: "Lead", "Converted"',
    );
  });

  it('names the first row without a target value', async () => {
    await expect(labelsOf(['1', '', '0', 'NA'])).rejects.toThrow(
      'the target "y" is missing on row 3 and 1 other row; every training row needs an outcome',
    );
    await expect(labelsOf(['1', '0', 'Select'], { naTokens: ['Select'] })).rejects.toThrow(
      'missing on row 4;',
    );
  });

  it('asks for positive when there are more than two values', async () => {
    await expect(labelsOf(['won', 'lost', 'open'])).rejects.toThrow(
      'the target "y" has 3 values ("won", "lost", "open"); choose the one that means converted with positive',
    );
  });

  it('asks for positive when neither of two values means converted', async () => {
    await expect(labelsOf(['won', 'lost'])).rejects.toThrow(
      'cannot tell which value of the target "y" means converted ("won", "lost"); choose it with positive',
    );
  });

  it('needs both classes', async () => {
    const error = await labelsOf(['1', '1']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LabelError);
    expect((error as Error).message).toBe(
      'training needs both converted and not converted rows, but every row of "y" is "1"',
    );
    await expect(labelsOf(['won', 'lost'], { positive: 'open' })).rejects.toThrow(
      'needs both converted and not converted rows, but every row of "y" is not converted (positive value "open")',
    );
  });
});
