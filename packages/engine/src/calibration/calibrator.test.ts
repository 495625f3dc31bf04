import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../evaluation/input-checks.js';
import { sigmoid } from '../model.js';
import { createRng } from '../random.js';
import { CalibrationError } from './calibration-error.js';
import { type Calibrator, calibratorFromJSON, fitCalibrator } from './calibrator.js';

/** n log-odds ~ N(0, 1.5²) with labels drawn from p = sigmoid(a·f + b). */
function logisticSample(n: number, a: number, b: number, seed: number) {
  const rng = createRng(seed);
  const logOdds = Float64Array.from({ length: n }, () => rng.normal(0, 1.5));
  const labels = Uint8Array.from(logOdds, (f) => (rng.bernoulli(sigmoid(a * f + b)) ? 1 : 0));
  return { logOdds, labels };
}

/** Platt's a and b, read back from the calibrator's JSON. */
function plattParameters(calibrator: Calibrator): { a: number; b: number } {
  const json = calibrator.toJSON();
  if (json.method !== 'platt') throw new Error('expected a Platt calibrator');
  return { a: json.a, b: json.b };
}

describe('Platt scaling', () => {
  it('recovers the a and b of the logistic model that generated the labels', () => {
    const { logOdds, labels } = logisticSample(20_000, 2, -1, 2024);
    const { a, b } = plattParameters(fitCalibrator({ method: 'platt' }, logOdds, labels));
    // Standard errors at n = 20 000, from the Fisher information of this design: 0.029 for a
    // and 0.024 for b. The tolerances are four of them; this seed lands within two.
    expect(Math.abs(a - 2)).toBeLessThan(4 * 0.029);
    expect(Math.abs(b + 1)).toBeLessThan(4 * 0.024);
  });

  it('matches the exact optimum of Platt’s smoothed-target likelihood', () => {
    // Reference: Newton's method run to convergence in 40-digit arithmetic (mpmath) on
    // Σ log(1 + e^z) − t·z, z = a·f + b, with targets 6/7 and 1/7 (5 positives, 5 negatives):
    // a = 0.664043076062426, b = −0.166010769015606. scikit-learn 1.2.1's _sigmoid_calibration
    // (BFGS) lands 3e-8 away, on 0.664043098872122 and −0.166010776751019.
    const logOdds = [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5];
    const labels = Uint8Array.of(0, 0, 1, 0, 0, 1, 0, 1, 1, 1);
    const calibrator = fitCalibrator({ method: 'platt' }, logOdds, labels);
    const { a, b } = plattParameters(calibrator);
    expect(a).toBeCloseTo(0.664043076062426, 10);
    expect(b).toBeCloseTo(-0.166010769015606, 10);
    expect(calibrator.calibrate(1)).toBeCloseTo(sigmoid(a + b), 15);
  });

  it('stays finite when the log-odds separate the classes perfectly', () => {
    // Unsmoothed, a would run to infinity; the targets 3/4 and 1/4 hold it back.
    const calibrator = fitCalibrator(
      { method: 'platt' },
      [-1, -0.5, 0.5, 1],
      Uint8Array.of(0, 0, 1, 1),
    );
    const { a, b } = plattParameters(calibrator);
    expect(Number.isFinite(a) && a > 0).toBe(true);
    expect(b).toBeCloseTo(0, 9);
    expect(calibrator.calibrate(1)).toBeLessThan(0.8);
  });

  it('predicts the smoothed base rate when every log-odds value is the same', () => {
    // One positive in four: targets 2/3 and 1/5, mean (2/3 + 3·1/5) / 4 = 19/60.
    const calibrator = fitCalibrator(
      { method: 'platt' },
      [0.3, 0.3, 0.3, 0.3],
      Uint8Array.of(1, 0, 0, 0),
    );
    expect(calibrator.calibrate(0.3)).toBeCloseTo(19 / 60, 9);
  });
});

describe('isotonic calibration', () => {
  it('equals the pool-adjacent-violators answer on a hand example', () => {
    // Labels 1 0 1 0 0 1 at x = 1…6. PAVA: (1, 0) pool to ½ over x 1–2; 1 rises; 0 pools with it
    // to ½ over x 3–4, which equals the block before and pools to ½ over x 1–4; the next 0
    // pools to 2/5 over x 1–5; the last 1 stays. Knots (1, 0.4), (5, 0.4), (6, 1): flat to x = 5,
    // linear to x = 6, clipped outside. scikit-learn 1.2.1's IsotonicRegression(out_of_bounds=
    // 'clip') gives the same knots and predicts [0.4, 0.4, 0.4, 0.7, 1] at [0, 1.5, 3.5, 5.5, 7].
    const calibrator = fitCalibrator(
      { method: 'isotonic' },
      [1, 2, 3, 4, 5, 6],
      Uint8Array.of(1, 0, 1, 0, 0, 1),
    );
    expect(calibrator.toJSON()).toMatchObject({ x: [1, 5, 6], y: [0.4, 0.4, 1] });
    expect([0, 1.5, 3.5, 5.5, 7].map((x) => calibrator.calibrate(x))).toEqual(
      [0.4, 0.4, 0.4, 0.7, 1].map((v) => expect.closeTo(v, 15)),
    );
  });

  it('pools rows with equal log-odds before fitting, as scikit-learn does', () => {
    // x = 2 holds labels 0 and 1 → ½, above x = 1's 0, so no pooling across x: knots (1, 0), (2, ½).
    const calibrator = fitCalibrator({ method: 'isotonic' }, [2, 1, 2], Uint8Array.of(0, 0, 1));
    expect(calibrator.toJSON()).toMatchObject({ x: [1, 2], y: [0, 0.5] });
  });

  it('is monotone in the log-odds whatever the data', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.tuple(fc.integer({ min: -20, max: 20 }), fc.boolean()), { minLength: 2 })
          .filter((rows) => rows.some(([, y]) => y) && rows.some(([, y]) => !y)),
        (rows) => {
          const logOdds = rows.map(([x]) => x / 4);
          const labels = Uint8Array.from(rows, ([, y]) => (y ? 1 : 0));
          const calibrator = fitCalibrator({ method: 'isotonic' }, logOdds, labels);
          const grid = Array.from({ length: 97 }, (_, i) => -6 + i / 8);
          const p = grid.map((x) => calibrator.calibrate(x));
          const monotone = p.every((value, i) => i === 0 || value >= (p[i - 1] as number));
          expect(monotone && p.every((value) => value >= 0 && value <= 1)).toBe(true);
        },
      ),
      { numRuns: 200, seed: 3 },
    );
  });
});

describe('calibrator JSON', () => {
  it.each(['platt', 'isotonic'] as const)('round-trips a %s calibrator', (method) => {
    const { logOdds, labels } = logisticSample(500, 1.5, 0.3, 9);
    const calibrator = fitCalibrator({ method }, logOdds, labels);
    const json = JSON.parse(JSON.stringify(calibrator));
    expect(json).toMatchObject({ format: 'leadscore-calibration', formatVersion: 1, method });
    const restored = calibratorFromJSON(json);
    expect(restored.method).toBe(method);
    expect(restored.toJSON()).toEqual(calibrator.toJSON());
    for (const x of [-4, -1.3, 0, 0.7, 2.2, 5])
      expect(restored.calibrate(x)).toBe(calibrator.calibrate(x));
  });

  it('refuses other formats, versions, methods and broken parameters', () => {
    const header = { format: 'leadscore-calibration', formatVersion: 1 };
    const cases: [unknown, string][] = [
      [null, 'calibratorFromJSON: expected an object'],
      [
        { ...header, format: 'leadscore-gbdt' },
        `format is "leadscore-gbdt", expected 'leadscore-calibration'`,
      ],
      [{ ...header, formatVersion: 2 }, 'formatVersion 2 is not supported; this version reads 1'],
      [{ ...header, method: 'beta' }, `method is "beta", expected 'platt' or 'isotonic'`],
      [{ ...header, method: 'platt', a: 1 }, 'b must be a finite number'],
      [
        { ...header, method: 'isotonic', x: [1, 2], y: [0.5] },
        'x and y must be non-empty arrays of the same length',
      ],
      [
        { ...header, method: 'isotonic', x: [1, 1], y: [0.1, 0.2] },
        'x must be strictly increasing at x[1]',
      ],
      [
        { ...header, method: 'isotonic', x: [1, 2], y: [0.3, 0.2] },
        'y must be non-decreasing at y[1]',
      ],
      [{ ...header, method: 'isotonic', x: [1, 2], y: [0.3, 1.2] }, 'y[1] is 1.2, outside [0, 1]'],
      [
        { ...header, method: 'isotonic', x: [1, 'a'], y: [0.1, 0.2] },
        'x[1] must be a finite number',
      ],
    ];
    for (const [json, message] of cases) {
      expect(() => calibratorFromJSON(json)).toThrow(CalibrationError);
      expect(() => calibratorFromJSON(json)).toThrow(message);
    }
  });
});

describe('calibrator input errors', () => {
  it('rejects bad labels, log-odds and methods when fitting', () => {
    const fit = (logOdds: number[], labels: number[], method: 'platt' | 'isotonic' = 'platt') =>
      fitCalibrator({ method }, logOdds, Uint8Array.from(labels));
    expect(() => fit([0, 1], [1, 1])).toThrow(InvalidInputError);
    expect(() => fit([0, 1], [1, 1])).toThrow(
      'fitCalibrator: labels holds only positives (1), so there is nothing to calibrate against',
    );
    expect(() => fit([0, 1, 2], [1, 0])).toThrow(
      'fitCalibrator: logOdds has 3 rows but labels has 2',
    );
    expect(() => fit([0, Number.POSITIVE_INFINITY], [1, 0], 'isotonic')).toThrow(
      'fitCalibrator: logOdds[1] is Infinity; it must be finite',
    );
    expect(() => fitCalibrator({ method: 'beta' as 'platt' }, [0, 1], Uint8Array.of(0, 1))).toThrow(
      `fitCalibrator: method must be 'platt' or 'isotonic', got "beta"`,
    );
  });

  it('rejects non-finite log-odds when calibrating', () => {
    const calibrator = fitCalibrator({ method: 'platt' }, [0, 1], Uint8Array.of(0, 1));
    expect(() => calibrator.calibrate(Number.NaN)).toThrow(
      'calibrate: logOdds is NaN; it must be finite',
    );
  });
});
