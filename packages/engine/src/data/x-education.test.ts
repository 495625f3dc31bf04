import { createReadStream, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FeatureMatrix } from '../matrix.js';
import { readTable } from './csv-reader.js';
import { applyPreprocessing } from './encoder.js';
import { fitPreprocessing } from './fit-preprocessing.js';
import { extractLabels } from './labels.js';

// The shared real data set (see /work/shared/datasets/README.md); the counts below are the
// ones it documents, and were checked with pandas (read as strings, 'Select' and '' missing).
const LEADS_CSV = '/work/shared/datasets/x_education/Leads.csv';

function feature(matrix: FeatureMatrix, name: string): Float64Array {
  const j = matrix.features.findIndex((entry) => entry.name === name);
  return matrix.columns[j] ?? new Float64Array(0);
}

function countMissing(values: Float64Array): number {
  return values.filter(Number.isNaN).length;
}

describe.skipIf(!existsSync(LEADS_CSV))('X Education leads (real file)', () => {
  it('reads, fits and encodes the 9,240 leads', async () => {
    const table = await readTable(createReadStream(LEADS_CSV));
    expect(table.rows).toBe(9240);
    expect(table.header).toHaveLength(37);

    const labels = extractLabels(table, 'Converted');
    expect(labels.reduce((sum, label) => sum + label, 0)).toBe(3561);

    const schema = fitPreprocessing(table, {
      target: 'Converted',
      exclude: ['Prospect ID', 'Lead Number'],
      naTokens: ['Select', 'NA'],
    });
    expect(
      schema.dropped.filter((entry) => entry.reason === 'constant').map((entry) => entry.name),
    ).toEqual([
      'Magazine',
      'Receive More Updates About Our Courses',
      'Update me on Supply Chain Content',
      'Get updates on DM Content',
      'I agree to pay the amount through cheque',
    ]);
    const kinds = Object.fromEntries(schema.columns.map((column) => [column.name, column.kind]));
    expect(kinds).toMatchObject({
      TotalVisits: 'numeric',
      'Total Time Spent on Website': 'numeric',
      'Do Not Email': 'boolean',
      'Lead Origin': 'categorical',
      Specialization: 'categorical',
    });

    const matrix = applyPreprocessing(schema, table);
    expect(matrix.rows).toBe(9240);
    expect(matrix.features).toHaveLength(37 - 3 - 5);
    // 'Select' (1,942 rows) and blanks (1,438) are both missing.
    expect(countMissing(feature(matrix, 'Specialization'))).toBe(3380);
    expect(countMissing(feature(matrix, 'TotalVisits'))).toBe(137);
    expect(countMissing(feature(matrix, 'Lead Origin'))).toBe(0);
  });
});
