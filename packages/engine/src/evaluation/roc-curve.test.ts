import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rocAuc } from './ranking-metrics.js';
import { type RocPoint, rocCurve } from './roc-curve.js';

/** Trapezoids under the curve. */
function areaUnder(curve: readonly RocPoint[]): number {
  let area = 0;
  for (let i = 1; i < curve.length; i++) {
    const a = curve[i - 1] as RocPoint;
    const b = curve[i] as RocPoint;
    area += ((b.fpr - a.fpr) * (a.tpr + b.tpr)) / 2;
  }
  return area;
}

describe('rocCurve', () => {
  it('steps through each distinct score from the highest, from (0, 0) to (1, 1)', () => {
    expect(rocCurve(Uint8Array.of(0, 0, 1, 1), [0.1, 0.4, 0.35, 0.8])).toEqual([
      { fpr: 0, tpr: 0 },
      { fpr: 0, tpr: 0.5 },
      { fpr: 0.5, tpr: 0.5 },
      { fpr: 0.5, tpr: 1 },
      { fpr: 1, tpr: 1 },
    ]);
  });

  it('makes one diagonal step of tied scores, so its area is the AUC with half credit', () => {
    // Scores 0.9 (one positive, one negative) then 0.5 (one positive, two negatives).
    const labels = Uint8Array.of(1, 0, 1, 0, 0);
    const scores = [0.9, 0.9, 0.5, 0.5, 0.5];
    const curve = rocCurve(labels, scores);
    expect(curve).toEqual([
      { fpr: 0, tpr: 0 },
      { fpr: 1 / 3, tpr: 0.5 },
      { fpr: 1, tpr: 1 },
    ]);
    expect(areaUnder(curve)).toBeCloseTo(rocAuc(labels, scores), 12);
  });

  it('encloses the ROC AUC when not thinned', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 20 })), {
          minLength: 2,
          maxLength: 60,
        }),
        (rows) => {
          const labels = Uint8Array.from(rows, ([positive]) => (positive ? 1 : 0));
          fc.pre(labels.includes(0) && labels.includes(1));
          const scores = rows.map(([, score]) => score);
          const curve = rocCurve(labels, scores, { maxPoints: 1000 });
          expect(areaUnder(curve)).toBeCloseTo(rocAuc(labels, scores), 10);
        },
      ),
    );
  });

  it('thins a long curve to at most maxPoints, keeping both ends and the area', () => {
    const n = 5000;
    const labels = Uint8Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
    // Distinct scores that favour the positives: a curve of n + 1 points.
    const scores = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0.3 : 0) + i / (2 * n));
    const curve = rocCurve(labels, scores);
    expect(curve.length).toBeLessThanOrEqual(101);
    expect(curve.length).toBeGreaterThan(50);
    expect(curve[0]).toEqual({ fpr: 0, tpr: 0 });
    expect(curve.at(-1)).toEqual({ fpr: 1, tpr: 1 });
    expect(areaUnder(curve)).toBeCloseTo(rocAuc(labels, scores), 2);
    for (let i = 1; i < curve.length; i++) {
      expect(curve[i]?.fpr).toBeGreaterThanOrEqual(curve[i - 1]?.fpr as number);
      expect(curve[i]?.tpr).toBeGreaterThanOrEqual(curve[i - 1]?.tpr as number);
    }
    expect(rocCurve(labels, scores, { maxPoints: 2 })).toEqual([
      { fpr: 0, tpr: 0 },
      { fpr: 1, tpr: 1 },
    ]);
  });

  it('rejects one class and fewer than two points', () => {
    expect(() => rocCurve(Uint8Array.of(1, 1), [0.2, 0.8])).toThrow(
      'rocCurve: labels holds only positives (1), so the ROC curve is undefined',
    );
    expect(() => rocCurve(Uint8Array.of(0, 1), [0.2, 0.8], { maxPoints: 1 })).toThrow(
      'maxPoints must be an integer of at least 2',
    );
  });
});
