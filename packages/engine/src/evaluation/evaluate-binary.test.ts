import { describe, expect, it } from 'vitest';
import { calibrationBins } from './calibration-bins.js';
import { evaluateBinary } from './evaluate-binary.js';
import { liftByDecile } from './lift.js';
import { brierScore, logLoss } from './probability-metrics.js';
import { prAuc, rocAuc } from './ranking-metrics.js';
import { rocCurve } from './roc-curve.js';
import { conversionByScoreBand } from './score-bands.js';

// 12 rows, 4 positives.
const LABELS = Uint8Array.of(0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0);
const PROBABILITIES = [0.05, 0.1, 0.8, 0.3, 0.65, 0.2, 0.45, 0.9, 0.15, 0.35, 0.5, 0.02];

describe('evaluateBinary', () => {
  it('bundles every metric, in a shape that survives JSON', () => {
    const scores = [5, 10, 80, 30, 65, 20, 45, 90, 15, 35, 50, 2];
    const evaluation = evaluateBinary(LABELS, PROBABILITIES, scores);
    expect(evaluation).toEqual({
      rows: 12,
      positives: 4,
      baseRate: 4 / 12,
      rocAuc: rocAuc(LABELS, PROBABILITIES),
      rocCurve: rocCurve(LABELS, PROBABILITIES),
      prAuc: prAuc(LABELS, PROBABILITIES),
      logLoss: logLoss(LABELS, PROBABILITIES),
      brier: brierScore(LABELS, PROBABILITIES),
      calibration: calibrationBins(LABELS, PROBABILITIES),
      lift: liftByDecile(LABELS, PROBABILITIES),
      conversionByBand: conversionByScoreBand(LABELS, scores),
    });
    // Positives 0.8, 0.65, 0.9, 0.35; negatives below 0.35: 0.05, 0.1, 0.3, 0.2, 0.15, 0.02 (6
    // of 8) → (8 + 8 + 8 + 6) / 32 = 0.9375.
    expect(evaluation.rocAuc).toBe(0.9375);
    expect(JSON.parse(JSON.stringify(evaluation))).toEqual(evaluation);
  });

  it('bands 100 × probability when no scores are given', () => {
    const evaluation = evaluateBinary(LABELS, PROBABILITIES);
    const scores = PROBABILITIES.map((p) => 100 * p);
    expect(evaluation.conversionByBand).toEqual(conversionByScoreBand(LABELS, scores));
  });

  it('rejects one-class labels, scores of the wrong length and too few rows', () => {
    expect(() => evaluateBinary(new Uint8Array(12), PROBABILITIES)).toThrow(
      'evaluateBinary: labels holds only negatives (0), so ranking metrics are undefined',
    );
    expect(() => evaluateBinary(LABELS, PROBABILITIES, [50])).toThrow(
      'evaluateBinary: scores0to100 has 1 rows but labels has 12',
    );
    expect(() => evaluateBinary(Uint8Array.of(0, 1), [0.2, 0.8])).toThrow(
      'evaluateBinary: lift by decile needs at least 10 rows, got 2',
    );
  });
});
