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
// is below this: invariant to the scale of the log-odds, and far above rounding error.
const DECREMENT_TOLERANCE = 1e-12;
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
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const { gradientA, gradientB, hessianAA, hessianAB, hessianBB } = derivatives(
      logOdds,
      targets,
      a,
      b,
    );
    const determinant = hessianAA * hessianBB - hessianAB * hessianAB;
    const stepA = -(hessianBB * gradientA - hessianAB * gradientB) / determinant;
    const stepB = -(hessianAA * gradientB - hessianAB * gradientA) / determinant;
    const decrement = -(gradientA * stepA + gradientB * stepB);
    if (decrement / 2 <= DECREMENT_TOLERANCE) return { a, b };
    let step = 1;
    for (;;) {
      const nextA = a + step * stepA;
      const nextB = b + step * stepB;
      const nextLoss = meanLoss(logOdds, targets, nextA, nextB);
      if (nextLoss <= loss - SUFFICIENT_DECREASE * step * decrement) {
        a = nextA;
        b = nextB;
        loss = nextLoss;
        break;
      }
      step /= 2;
      if (step < MIN_STEP) {
        throw new CalibrationError(
          `Platt scaling: line search failed at iteration ${iteration} (a = ${a}, b = ${b})`,
        );
      }
    }
  }
  throw new CalibrationError(
    `Platt scaling: Newton's method did not converge in ${MAX_ITERATIONS} iterations`,
  );
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

/** Gradient and Hessian of {@link meanLoss} with respect to (a, b). */
function derivatives(logOdds: ArrayLike<number>, targets: Float64Array, a: number, b: number) {
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
  return {
    gradientA: gradientA / n,
    gradientB: gradientB / n,
    hessianAA: hessianAA / n + HESSIAN_RIDGE,
    hessianAB: hessianAB / n,
    hessianBB: hessianBB / n + HESSIAN_RIDGE,
  };
}
