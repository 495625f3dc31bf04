import { describe, expect, it } from 'vitest';
import { createFeatureMatrix, type Feature } from '../matrix.js';
import { designColumnNames, fitEncoders } from './encoders.js';

const NA = Number.NaN;

function fit(features: Feature[], columns: number[][]) {
  return fitEncoders(
    createFeatureMatrix(
      features,
      columns.map((c) => Float64Array.from(c)),
    ),
  );
}

describe('fitEncoders', () => {
  it('imputes the median, then standardises the imputed column (population std)', () => {
    // Present 5, 1, 3 → median 3; imputed 5, 3, 1, 3 → mean 3, variance (4 + 0 + 4 + 0) / 4.
    const [encoder] = fit([{ name: 'v', kind: 'numeric' }], [[5, NA, 1, 3]]);
    expect(encoder).toEqual({
      kind: 'numeric',
      median: 3,
      mean: 3,
      std: Math.SQRT2,
      missingRate: 0.25,
    });
  });

  it('takes the mean of the middle two for an even count, as scikit-learn does', () => {
    const [encoder] = fit([{ name: 'v', kind: 'numeric' }], [[10, 1, 4, 2]]);
    expect(encoder).toMatchObject({ median: 3, missingRate: null });
  });

  it('gives a constant or all-missing column std 1 and median 0 when nothing is present', () => {
    const [constant, allMissing] = fit(
      [
        { name: 'c', kind: 'numeric' },
        { name: 'm', kind: 'numeric' },
      ],
      [
        [2, 2, 2],
        [NA, NA, NA],
      ],
    );
    expect(constant).toEqual({ kind: 'numeric', median: 2, mean: 2, std: 1, missingRate: null });
    expect(allMissing).toEqual({ kind: 'numeric', median: 0, mean: 0, std: 1, missingRate: 1 });
  });

  it('keeps only the levels seen in training, with their shares, and a missing share', () => {
    const [encoder] = fit(
      [{ name: 'plan', kind: 'categorical', categories: ['free', 'basic', 'pro'] }],
      [[2, 0, 2, NA]],
    );
    expect(encoder).toEqual({
      kind: 'categorical',
      levels: ['free', 'pro'],
      levelRates: [0.25, 0.5],
      missingRate: 0.25,
    });
  });
});

describe('designColumnNames', () => {
  it('names value, indicator and level columns in design order', () => {
    const features: Feature[] = [
      { name: 'visits', kind: 'numeric' },
      { name: 'industry', kind: 'categorical', categories: ['Software', 'Retail'] },
      { name: 'age', kind: 'numeric' },
    ];
    const encoders = fit(features, [
      [1, NA],
      [1, 0],
      [3, 4],
    ]);
    expect(designColumnNames(features, encoders)).toEqual([
      'visits',
      'visits is missing',
      'industry=Software',
      'industry=Retail',
      'age',
    ]);
  });
});
