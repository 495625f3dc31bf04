import { describe, expect, it } from 'vitest';
import { meanAbsoluteAttribution, rankFeatures } from './attribution.js';

describe('meanAbsoluteAttribution', () => {
  it('averages absolute attributions per feature, from rows or from columns', () => {
    // Feature 0: (|0.5| + |−0.5| + |2|) / 3 = 1; feature 1: (|−1| + 0 + |0.5|) / 3 = 0.5.
    const rows = [Float64Array.of(0.5, -1), Float64Array.of(-0.5, 0), Float64Array.of(2, 0.5)];
    expect(meanAbsoluteAttribution(rows)).toEqual(Float64Array.of(1, 0.5));
    const columns = [Float64Array.of(0.5, -0.5, 2), Float64Array.of(-1, 0, 0.5)];
    expect(meanAbsoluteAttribution({ columns })).toEqual(Float64Array.of(1, 0.5));
  });

  it('rejects empty, ragged and non-finite attributions', () => {
    expect(() => meanAbsoluteAttribution([])).toThrow('meanAbsoluteAttribution: no rows given');
    expect(() => meanAbsoluteAttribution({ columns: [] })).toThrow('no rows given');
    expect(() => meanAbsoluteAttribution([[1, 2], [3]])).toThrow(
      'meanAbsoluteAttribution: row 1 has 1 attributions, row 0 has 2',
    );
    expect(() => meanAbsoluteAttribution({ columns: [[1, 2], [3]] })).toThrow(
      'meanAbsoluteAttribution: column 1 has 1 rows, column 0 has 2',
    );
    expect(() => meanAbsoluteAttribution([[1, Number.NaN]])).toThrow(
      'meanAbsoluteAttribution: row 0, feature 1 is NaN; attributions must be finite',
    );
  });
});

describe('rankFeatures', () => {
  it('orders features by importance, ties in their original order', () => {
    expect(rankFeatures([0.1, 0.7, 0.1, 0.3], ['visits', 'pricing', 'opens', 'size'])).toEqual([
      { name: 'pricing', importance: 0.7 },
      { name: 'size', importance: 0.3 },
      { name: 'visits', importance: 0.1 },
      { name: 'opens', importance: 0.1 },
    ]);
  });

  it('rejects a name list of another length', () => {
    expect(() => rankFeatures([1, 2], ['a'])).toThrow(
      'rankFeatures: 2 importances but 1 feature names',
    );
  });
});
