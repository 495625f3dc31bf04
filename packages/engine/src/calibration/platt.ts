/**
 * Platt scaling: a two-parameter logistic map from a model's log-odds to a probability,
 * fitted as in Lin, Lin and Weng, "A note on Platt's probabilistic outputs for support vector
 * machines" (2007): Newton's method with a backtracking line search, on Platt's smoothed
 * targets so that the fit stays finite even when the log-odds separate the classes.
 */

import type { Labels } from '../matrix.js';
import { sigmoid } from '../model.js';
import { CalibrationError } from './calibration-error.js';

/** p = sigmoid(a · logOdds + b). */
export interface PlattParameters {
  readonly a: number;
  readonly b: number;
}

const MAX_ITERATIONS = 100;
// Stop when half the Newton decrement g·H⁻¹g, the predicted remaining fall of the mean loss,
// is below this; it is invariant to the scale of the log-odds, and leaves a and b accurate to
// about 1e-10 / √(curvature).
const DECREMENT_TOLERANCE = 1e-20;
// Below this decrement Newton's method is in its quadratic phase and full steps are trusted:
// the fall the line search would have to see is then lost in the rounding of a long loss sum.
const QUADRATIC_PHASE = 1e-8;
// Keeps the Hessian invertible when all log-odds are equal and `a` is not identified.
const HESSIAN_RIDGE = 1e-12;
const MIN_STEP = 1e-10;
// Armijo condition: a step must achieve this share of the fall its slope promises.
const SUFFICIENT_DECREASE = 1e-4;

/**
 * Fits a and b by minimising the mean cross-entropy against Platt's targets
 * (N₊ + 1)/(N₊ + 2) for positives and 1/(N₋ + 2) for negatives. Inputs must be checked by
 * the caller: equal lengths, finite log-odds, 0/1 labels.
 *
 * @throws CalibrationError if Newton's method has not converged after 100 iterations.
 */
export function fitPlatt(logOdds: ArrayLike<number>, labels: Labels): PlattParameters {
  let positives = 0;
  for (const label of labels) positives += label;
  const negatives = labels.length - positives;
  const targets = Float64Array.from(labels, (label) =>
    label === 1 ? (positives + 1) / (positives + 2) : 1 / (negatives + 2),
  );
  // Platt's start: a flat map at the smoothed base rate.
  let a = 0;
  let b = Math.log((positives + 1) / (negatives + 1));
  let loss = meanLoss(logOdds, targets, a, b);
  let previousDecrement = Number.POSITIVE_INFINITY;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const { stepA, stepB, decrement } = newtonStep(logOdds, targets, a, b);
    if (decrement / 2 <= DECREMENT_TOLERANCE) return { a, b };
    if (decrement < QUADRATIC_PHASE) {
      // In the quadratic phase each step squares the decrement; once it stops shrinking, only
      // rounding noise is left and (a, b) is as good as double precision allows.
      if (decrement >= previousDecrement) return { a, b };
      a += stepA;
      b += stepB;
    } else {
      const step = armijoStep(logOdds, targets, a, b, loss, stepA, stepB, decrement);
      if (step === undefined) {
        throw new CalibrationError(
          `Platt scaling: line search failed at iteration ${iteration} (a = ${a}, b = ${b})`,
        );
      }
      a += step * stepA;
      b += step * stepB;
    }
    loss = meanLoss(logOdds, targets, a, b);
    previousDecrement = decrement;
  }
  throw new CalibrationError(
    `Platt scaling: Newton's method did not converge in ${MAX_ITERATIONS} iterations`,
  );
}

/**
 * The largest step 1, ½, ¼, … along (stepA, stepB) that lowers the loss by at least its
 * Armijo share of the decrement; undefined if none down to {@link MIN_STEP} does.
 */
function armijoStep(
  logOdds: ArrayLike<number>,
  targets: Float64Array,
  a: number,
  b: number,
  loss: number,
  stepA: number,
  stepB: number,
  decrement: number,
): number | undefined {
  for (let step = 1; step >= MIN_STEP; step /= 2) {
    const nextLoss = meanLoss(logOdds, targets, a + step * stepA, b + step * stepB);
    if (nextLoss <= loss - SUFFICIENT_DECREASE * step * decrement) return step;
  }
  return undefined;
}

/** Mean of t·log(1 + e^−z) + (1 − t)·log(1 + e^z) with z = a·f + b, without overflow. */
function meanLoss(logOdds: ArrayLike<number>, targets: Float64Array, a: number, b: number): number {
  let sum = 0;
  for (let i = 0; i < targets.length; i++) {
    const z = a * (logOdds[i] as number) + b;
    sum += Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0) - (targets[i] as number) * z;
  }
  return sum / targets.length;
}

/** The Newton step −H⁻¹g of {@link meanLoss} at (a, b), and its decrement g·H⁻¹g. */
function newtonStep(logOdds: ArrayLike<number>, targets: Float64Array, a: number, b: number) {
  let gradientA = 0;
  let gradientB = 0;
  let hessianAA = 0;
  let hessianAB = 0;
  let hessianBB = 0;
  for (let i = 0; i < targets.length; i++) {
    const f = logOdds[i] as number;
    const p = sigmoid(a * f + b);
    const residual = p - (targets[i] as number);
    const weight = p * (1 - p);
    gradientA += residual * f;
    gradientB += residual;
    hessianAA += weight * f * f;
    hessianAB += weight * f;
    hessianBB += weight;
  }
  const n = targets.length;
  gradientA /= n;
  gradientB /= n;
  hessianAA = hessianAA / n + HESSIAN_RIDGE;
  hessianAB /= n;
  hessianBB = hessianBB / n + HESSIAN_RIDGE;
  const determinant = hessianAA * hessianBB - hessianAB * hessianAB;
  const stepA = -(hessianBB * gradientA - hessianAB * gradientB) / determinant;
  const stepB = -(hessianAA * gradientB - hessianAB * gradientA) / determinant;
  return { stepA, stepB, decrement: -(gradientA * stepA + gradientB * stepB) };
}
