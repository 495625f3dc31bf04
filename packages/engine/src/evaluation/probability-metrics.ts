/** Proper scoring rules: how good the predicted probabilities are as probabilities. */
import type { Labels } from '../matrix.js';
import { checkLabelledValues } from './input-checks.js';

/**
 * Probabilities are clipped to [ε, 1 − ε] before the logarithm so that one confident mistake
 * costs about 34.5 rather than Infinity (scikit-learn's long-standing `eps=1e-15`).
 */
export const LOG_LOSS_EPSILON = 1e-15;

/**
 * Mean negative log-likelihood (cross-entropy) of the labels under the probabilities, natural
 * logarithm, with probabilities clipped to [{@link LOG_LOSS_EPSILON}, 1 − ε].
 *
 * @throws InvalidInputError on a length mismatch, empty input, labels other than 0/1, or a
 *   probability outside [0, 1] (NaN included).
 * @example
 * logLoss(Uint8Array.of(1, 0), [0.8, 0.4]); // −(ln 0.8 + ln 0.6) / 2 ≈ 0.3670
 */
export function logLoss(labels: Labels, probabilities: ArrayLike<number>): number {
  checkLabelledValues('logLoss', labels, probabilities, 'probabilities');
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(
      Math.max(probabilities[i] as number, LOG_LOSS_EPSILON),
      1 - LOG_LOSS_EPSILON,
    );
    sum -= labels[i] === 1 ? Math.log(p) : Math.log1p(-p);
  }
  return sum / labels.length;
}

/**
 * Brier score: the mean squared difference between probability and outcome (0 is perfect,
 * 0.25 is what always predicting 0.5 earns).
 *
 * @throws InvalidInputError as {@link logLoss}.
 * @example
 * brierScore(Uint8Array.of(1, 0), [0.8, 0.4]); // (0.2² + 0.4²) / 2 = 0.1
 */
export function brierScore(labels: Labels, probabilities: ArrayLike<number>): number {
  checkLabelledValues('brierScore', labels, probabilities, 'probabilities');
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    sum += ((probabilities[i] as number) - (labels[i] as number)) ** 2;
  }
  return sum / labels.length;
}
