import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundToTotal } from './largest-remainder.js';

describe('roundToTotal', () => {
  it('gives the missing units to the largest fractions', () => {
    expect(roundToTotal([33.4, 33.3, 33.3], 100)).toEqual([34, 33, 33]);
    expect(roundToTotal([10.75, -3.25, 20.5], 28)).toEqual([11, -3, 20]);
    expect(roundToTotal([0.5, 0.5], 1)).toEqual([1, 0]);
  });

  it('adds up to the rounded sum with every part within 1 of its real value', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 5 }),
        (parts) => {
          const total = Math.round(parts.reduce((sum, part) => sum + part, 0)) + 0;
          const rounded = roundToTotal(parts, total);
          expect(rounded.reduce((sum, part) => sum + part, 0)).toBe(total);
          rounded.forEach((part, i) => {
            expect(Math.abs(part - (parts[i] as number))).toBeLessThan(1 + 1e-9);
          });
        },
      ),
    );
  });
});
