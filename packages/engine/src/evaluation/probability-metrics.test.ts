import { describe, expect, it } from 'vitest';
import { brierScore, LOG_LOSS_EPSILON, logLoss } from './probability-metrics.js';

const labels = (...values: number[]) => Uint8Array.from(values);

describe('logLoss', () => {
  it('is the mean negative log-likelihood', () => {
    // −(ln 0.8 + ln(1 − 0.4)) / 2 = (0.2231435513 + 0.5108256238) / 2 = 0.3669845875
    expect(logLoss(labels(1, 0), [0.8, 0.4])).toBeCloseTo(0.3669845875, 9);
  });

  it('clips probabilities to [1e-15, 1 − 1e-15] so confident mistakes stay finite', () => {
    // Rows: p = 1 for a positive (−ln(1 − 1e-15) ≈ 1e-15), p = 0 for a negative (same),
    // p = 0 for a positive (−ln 1e-15 = 34.5387763949), p = ½ for a negative (ln 2 = 0.6931471806)
    // → 35.2319235755 / 4 = 8.8079808939; scikit-learn 1.2.1 log_loss(..., eps=1e-15) gives
    // 8.807980893867658.
    expect(LOG_LOSS_EPSILON).toBe(1e-15);
    expect(logLoss(labels(1, 0, 1, 0), [1, 0, 0, 0.5])).toBeCloseTo(8.807980893867658, 12);
  });

  it('rejects probabilities outside [0, 1], naming the row', () => {
    expect(() => logLoss(labels(1, 0), [0.5, 1.2])).toThrow(
      'logLoss: probabilities[1] is 1.2; it must be within [0, 1]',
    );
    expect(() => logLoss(labels(1, 0), [Number.NaN, 0.2])).toThrow('probabilities[0] is NaN');
    expect(() => logLoss(labels(1), [0.5, 0.5])).toThrow(
      'logLoss: probabilities has 2 rows but labels has 1',
    );
  });

  it('is defined for one class only', () => {
    // −(ln 0.5 + ln 0.25) / 2 = (0.6931471806 + 1.3862943611) / 2 = 1.0397207708
    expect(logLoss(labels(1, 1), [0.5, 0.25])).toBeCloseTo(1.0397207708, 9);
  });
});

describe('brierScore', () => {
  it('is the mean squared error of the probabilities', () => {
    // ((0.8 − 1)² + (0.4 − 0)²) / 2 = (0.04 + 0.16) / 2 = 0.1
    expect(brierScore(labels(1, 0), [0.8, 0.4])).toBeCloseTo(0.1, 15);
    // Always ½: 0.25 whatever the labels.
    expect(brierScore(labels(1, 0, 0), [0.5, 0.5, 0.5])).toBe(0.25);
  });

  it('rejects empty input and bad probabilities', () => {
    expect(() => brierScore(labels(), [])).toThrow('brierScore: labels is empty');
    expect(() => brierScore(labels(1), [-0.1])).toThrow(
      'brierScore: probabilities[0] is -0.1; it must be within [0, 1]',
    );
  });
});
