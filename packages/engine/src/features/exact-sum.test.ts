import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../random.js';
import { addExact, roundExact } from './exact-sum.js';

/** The exact sum, correctly rounded, by BigInt arithmetic in units of 2^-1100. */
function referenceSum(values: readonly number[]): number {
  const scale = 1100n;
  let total = 0n;
  for (const value of values) {
    if (value === 0) continue;
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, value);
    const bits = view.getBigUint64(0);
    const exponent = Number((bits >> 52n) & 0x7ffn);
    const fraction = bits & ((1n << 52n) - 1n);
    const mantissa = exponent === 0 ? fraction : fraction | (1n << 52n);
    const power = BigInt((exponent === 0 ? 1 : exponent) - 1075) + scale;
    total += (value < 0 ? -mantissa : mantissa) << power;
  }
  // Number(bigint) rounds to nearest, ties to even; the shift is exact for normal results.
  if (total === 0n) return 0;
  const sign = total < 0n ? -1 : 1;
  const magnitude = total < 0n ? -total : total;
  // Inputs are 0 or at least 1e-200, so the total has far more than 60 bits.
  const shift = magnitude.toString(2).length - 60;
  // Keep 60 bits plus a sticky bit so the single rounding in Number() is the correct one.
  const top = magnitude >> BigInt(shift);
  const sticky = magnitude & ((1n << BigInt(shift)) - 1n) ? 1n : 0n;
  return sign * Number((top << 1n) | sticky) * 2 ** (shift - 1 - 1100);
}

function exactSum(values: readonly number[]): number {
  const partials: number[] = [];
  for (const value of values) addExact(partials, value);
  return roundExact(partials);
}

const finite = fc
  .double({ min: -1e100, max: 1e100, noNaN: true, noDefaultInfinity: true })
  .map((value) => (Math.abs(value) < 1e-200 ? 0 : value));

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const rng = createRng(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

describe('exact summation', () => {
  it('sums what naive addition loses', () => {
    expect(exactSum([1e100, 1, -1e100])).toBe(1);
    expect(exactSum([0.1, 0.2, 0.3])).toBe(0.6);
    expect(0.1 + 0.2 + 0.3).not.toBe(0.6);
  });

  it('rounds a half-way total to even, using what lies below the tie', () => {
    // 1 + 2^-53 is exactly half-way between 1 and the next double; the tiny extra decides.
    expect(exactSum([1, 2 ** -53, 2 ** -110])).toBe(1 + 2 ** -52);
    expect(exactSum([1, 2 ** -53])).toBe(1);
  });

  it('equals the correctly rounded exact sum, in any order', () => {
    fc.assert(
      fc.property(fc.array(finite, { maxLength: 30 }), fc.nat(), (values, seed) => {
        const expected = referenceSum(values);
        expect(exactSum(values)).toBe(expected);
        expect(exactSum(shuffled(values, seed))).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps few partials however many positive values are added', () => {
    const partials: number[] = [];
    for (let i = 0; i < 20_000; i++) addExact(partials, 1 + (i % 97) / 97);
    expect(partials.length).toBeLessThanOrEqual(3);
  });
});
