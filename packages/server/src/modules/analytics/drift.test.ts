import { describe, expect, it } from 'vitest';
import { driftLevel, populationStabilityIndex } from './drift.js';

describe('populationStabilityIndex', () => {
  it('is 0 for the same counts, and near 0 for the same shares at another size', () => {
    expect(populationStabilityIndex([10, 20, 30], [10, 20, 30])).toBeCloseTo(0, 12);
    // The half-lead smoothing weighs more on 600 leads than on 6,000, so not quite 0.
    expect(populationStabilityIndex([1000, 2000, 3000], [100, 200, 300])).toBeLessThan(0.001);
  });

  it('matches the formula worked by hand on smoothed shares', () => {
    // Counts [90, 10] and [50, 50], each band + 0.5: shares 90.5/101, 10.5/101 and 0.5, 0.5.
    const term = (a: number, e: number) => (a - e) * Math.log(a / e);
    const byHand = term(0.5, 90.5 / 101) + term(0.5, 10.5 / 101);
    expect(populationStabilityIndex([90, 10], [50, 50])).toBeCloseTo(byHand, 12);
    // 0.2311 + 0.6220 (python3, math.log): a large shift.
    expect(byHand).toBeCloseTo(0.853059, 6);
  });

  it('stays finite when a band is empty on one side, and is symmetric', () => {
    const psi = populationStabilityIndex([100, 0], [0, 100]);
    expect(Number.isFinite(psi)).toBe(true);
    expect(populationStabilityIndex([0, 100], [100, 0])).toBeCloseTo(psi as number, 12);
  });

  it('has no index when a side holds no scores, and refuses mismatched bands', () => {
    expect(populationStabilityIndex([0, 0], [1, 2])).toBeNull();
    expect(populationStabilityIndex([1, 2], [0, 0])).toBeNull();
    expect(() => populationStabilityIndex([1, 2], [1, 2, 3])).toThrow(RangeError);
  });
});

describe('driftLevel', () => {
  it.each([
    [0, 'stable'],
    [0.0999, 'stable'],
    [0.1, 'moderate'],
    [0.1999, 'moderate'],
    [0.2, 'significant'],
    [1.5, 'significant'],
  ] as const)('reads %f as %s', (psi, level) => {
    expect(driftLevel(psi)).toBe(level);
  });
});
