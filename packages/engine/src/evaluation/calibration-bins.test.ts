import { describe, expect, it } from 'vitest';
import { calibrationBins } from './calibration-bins.js';

const labels = (...values: number[]) => Uint8Array.from(values);

describe('calibrationBins', () => {
  it('groups rows into equal-width bins with mean prediction and observed rate', () => {
    // Bins of width ¼, upper edge inclusive: (≤0.25] 0.1, 0.25 → mean 0.175, 1 of 2 converted;
    // (0.25, 0.5] empty; (0.5, 0.75] 0.6 → 0 of 1; (0.75, 1] 0.8, 0.9, 1 → mean 0.9, 3 of 3.
    const bins = calibrationBins(labels(0, 1, 0, 1, 1, 1), [0.1, 0.25, 0.6, 0.8, 0.9, 1], {
      bins: 4,
    });
    expect(bins).toEqual([
      { lower: 0, upper: 0.25, count: 2, meanPredicted: 0.175, observedRate: 0.5 },
      { lower: 0.25, upper: 0.5, count: 0, meanPredicted: null, observedRate: null },
      { lower: 0.5, upper: 0.75, count: 1, meanPredicted: 0.6, observedRate: 0 },
      { lower: 0.75, upper: 1, count: 3, meanPredicted: expect.closeTo(0.9, 15), observedRate: 1 },
    ]);
  });

  it('uses ten uniform bins by default and puts 0 in the first and 1 in the last', () => {
    const bins = calibrationBins(labels(0, 1), [0, 1]);
    expect(bins).toHaveLength(10);
    expect(bins[0]).toMatchObject({ lower: 0, count: 1, observedRate: 0 });
    expect(bins[9]).toMatchObject({ upper: 1, count: 1, observedRate: 1 });
  });

  it('places quantile edges like numpy percentiles and matches scikit-learn', () => {
    // Edges are the 0, 25, 50, 75, 100th percentiles: [0.05, 0.2625, 0.525, 0.7875, 0.95].
    // scikit-learn 1.2.1 calibration_curve(y, p, n_bins=4, strategy='quantile') gives
    // prob_true [1/3, 0, 0.5, 1] and prob_pred [0.15, 0.4, 0.575, 0.9].
    const p = [0.05, 0.15, 0.25, 0.3, 0.55, 0.6, 0.85, 0.9, 0.95, 0.5];
    const y = labels(0, 0, 1, 0, 1, 0, 1, 1, 1, 0);
    const bins = calibrationBins(y, p, { bins: 4, strategy: 'quantile' });
    expect(bins.map((bin) => bin.lower)).toEqual([0.05, 0.2625, 0.525, 0.7875].map(closeTo));
    expect(bins.map((bin) => bin.count)).toEqual([3, 2, 2, 3]);
    expect(bins.map((bin) => bin.observedRate)).toEqual([1 / 3, 0, 0.5, 1].map(closeTo));
    expect(bins.map((bin) => bin.meanPredicted)).toEqual([0.15, 0.4, 0.575, 0.9].map(closeTo));
  });

  it('merges coinciding quantile edges, down to one bin when all probabilities are equal', () => {
    // Quartiles of [0.2, 0.2, 0.2, 0.8] are 0.2, 0.2, 0.2, 0.35, 0.8: three edges survive.
    const tied = calibrationBins(labels(0, 1, 0, 1), [0.2, 0.2, 0.2, 0.8], {
      bins: 4,
      strategy: 'quantile',
    });
    expect(tied.map(({ lower, upper, count }) => [lower, upper, count])).toEqual([
      [0.2, closeTo(0.35), 3],
      [closeTo(0.35), 0.8, 1],
    ]);
    expect(calibrationBins(labels(0, 1), [0.3, 0.3], { strategy: 'quantile' })).toEqual([
      { lower: 0.3, upper: 0.3, count: 2, meanPredicted: 0.3, observedRate: 0.5 },
    ]);
  });

  it('rejects a bad bin count and bad probabilities', () => {
    expect(() => calibrationBins(labels(1), [0.5], { bins: 0 })).toThrow(
      'calibrationBins: bins must be a positive integer, got 0',
    );
    expect(() => calibrationBins(labels(1), [0.5], { bins: 2.5 })).toThrow('got 2.5');
    expect(() => calibrationBins(labels(1), [2])).toThrow(
      'calibrationBins: probabilities[0] is 2; it must be within [0, 1]',
    );
  });
});

function closeTo(value: number): unknown {
  return expect.closeTo(value, 12);
}
