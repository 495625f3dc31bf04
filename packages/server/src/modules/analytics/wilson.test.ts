import { describe, expect, it } from 'vitest';
import { wilsonInterval } from './wilson.js';

/**
 * Reference values, each computed apart from this code:
 * - Newcombe RG (1998), "Two-sided confidence intervals for the single proportion: comparison
 *   of seven methods", Statistics in Medicine 17:857–872, Table I, method 3 (Wilson score
 *   interval without continuity correction), printed to 4 decimals;
 * - the closed forms at the edges: for 0/n the interval is [0, z²/(n + z²)], for n/n it is
 *   [n/(n + z²), 1]; with z = 1.959963985 and n = 10, z²/(n + z²) = 3.841459/13.841459;
 * - 5/10, from the score formula by hand (python3, math module only): centre 0.5, half-width
 *   (z / (1 + z²/10)) · √(0.025 + z²/400) = 0.2634069.
 */
const PUBLISHED: [successes: number, trials: number, lower: number, upper: number][] = [
  [81, 263, 0.2553, 0.3662],
  [15, 148, 0.0624, 0.1605],
  [0, 20, 0, 0.1611],
  [1, 29, 0.0061, 0.1718],
];

const COMPUTED: [successes: number, trials: number, lower: number, upper: number][] = [
  [0, 10, 0, 0.2775328],
  [10, 10, 0.7224672, 1],
  [5, 10, 0.2365931, 0.7634069],
];

describe('wilsonInterval', () => {
  it.each(PUBLISHED)('%i/%i matches Newcombe (1998) Table I: [%f, %f]', (x, n, lower, upper) => {
    const interval = wilsonInterval(x, n);
    // The table rounds to 4 decimals.
    expect(interval?.lower).toBeCloseTo(lower, 4);
    expect(interval?.upper).toBeCloseTo(upper, 4);
  });

  it.each(COMPUTED)('%i/%i is [%f, %f] (closed form / by hand)', (x, n, lower, upper) => {
    const interval = wilsonInterval(x, n);
    expect(interval?.lower).toBeCloseTo(lower, 6);
    expect(interval?.upper).toBeCloseTo(upper, 6);
  });

  it('is exactly 0 below 0/n and exactly 1 above n/n, and holds the observed rate', () => {
    expect(wilsonInterval(0, 7)?.lower).toBe(0);
    expect(wilsonInterval(7, 7)?.upper).toBe(1);
    for (const [x, n] of [
      [3, 9],
      [1, 1000],
      [999, 1000],
    ] as const) {
      const interval = wilsonInterval(x, n);
      expect(interval?.lower).toBeLessThan(x / n);
      expect(interval?.upper).toBeGreaterThan(x / n);
    }
  });

  it('has no interval without trials, and refuses impossible counts', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 2)).toThrow(RangeError);
  });
});
