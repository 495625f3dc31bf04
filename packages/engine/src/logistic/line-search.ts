/**
 * A line search for the strong Wolfe conditions (Nocedal & Wright, "Numerical Optimization",
 * 2nd ed., algorithms 3.5 and 3.6): bracket a step, then shrink the bracket by safeguarded cubic
 * interpolation. Strong Wolfe steps keep the L-BFGS curvature pair positive (sᵀy > 0), so the
 * inverse-Hessian estimate stays positive definite.
 *
 * Close to the minimum, changes in the value drown in its rounding error while the slope is
 * still accurate, and the sufficient-decrease test turns into a coin toss. There a step is also
 * accepted under Hager and Zhang's approximate Wolfe conditions (SIAM J. Optim. 16(1), 2005):
 * the value within rounding noise of the start, and the slope between `CURVATURE · φ'(0)` and
 * `(1 − 2·ARMIJO) · |φ'(0)|`. This is what lets the gradient reach tight tolerances.
 */
import type { DifferentiableFunction } from './lbfgs.js';

/** Sufficient decrease (Armijo) constant. */
const ARMIJO = 1e-4;
/** Curvature constant: 0.9 is the usual choice for quasi-Newton directions. */
const CURVATURE = 0.9;
/** How far above the start value, relative to it, still counts as rounding noise. */
const VALUE_NOISE = 1e-12;
const MAX_EVALUATIONS = 40;
const MAX_EXTRAPOLATION = 4;
/** Where the interpolated step may fall inside the bracket, as a share of its width from each end. */
const SAFEGUARD = 0.1;

/** The point the search starts from and the buffers it evaluates trial points into. */
export interface LineSearchPoints {
  readonly x: Float64Array;
  readonly value: number;
  readonly gradient: Float64Array;
  /** On success holds the accepted point and its gradient. */
  readonly trialX: Float64Array;
  readonly trialGradient: Float64Array;
}

interface Sample {
  step: number;
  value: number;
  slope: number;
}

/**
 * Finds a step along `direction` (a descent direction) satisfying the strong Wolfe conditions,
 * starting with `initialStep`. Returns the value at the accepted point, now in `trialX` and
 * `trialGradient`. When the bracket collapses or the budget runs out first (typically because
 * the function is flat to rounding precision along the direction), it settles for the best step
 * that satisfied sufficient decrease; `undefined` when there is none.
 */
export function searchStrongWolfe(
  objective: DifferentiableFunction,
  points: LineSearchPoints,
  direction: Float64Array,
  initialStep: number,
): number | undefined {
  const { x, value: value0, gradient, trialX, trialGradient } = points;
  const slope0 = dot(gradient, direction);
  let evaluations = 0;

  const sample = (step: number): Sample => {
    for (let k = 0; k < x.length; k++) {
      trialX[k] = (x[k] as number) + step * (direction[k] as number);
    }
    evaluations++;
    const value = objective.evaluate(trialX, trialGradient);
    return { step, value, slope: dot(trialGradient, direction) };
  };
  const sufficientDecrease = (s: Sample): boolean => s.value <= value0 + ARMIJO * s.step * slope0;
  const flatEnough = (s: Sample): boolean => Math.abs(s.slope) <= -CURVATURE * slope0;
  const approximatelyWolfe = (s: Sample): boolean =>
    s.value <= value0 + VALUE_NOISE * Math.abs(value0) &&
    s.slope >= CURVATURE * slope0 &&
    s.slope <= -(1 - 2 * ARMIJO) * slope0;
  const acceptable = (s: Sample): boolean =>
    (sufficientDecrease(s) && flatEnough(s)) || approximatelyWolfe(s);
  const settleFor = (best: Sample): number | undefined =>
    best.step > 0 ? sample(best.step).value : undefined;

  // Algorithm 3.6: `low` satisfies sufficient decrease with the lowest value seen, and the
  // minimiser along the line lies between `low` and `high`.
  const zoom = (lowStart: Sample, highStart: Sample): number | undefined => {
    let low = lowStart;
    let high = highStart;
    while (evaluations < MAX_EVALUATIONS) {
      const width = high.step - low.step;
      if (Math.abs(width) <= Number.EPSILON * Math.max(1, Math.abs(low.step))) break;
      const trial = sample(interpolateStep(low, high));
      if (acceptable(trial)) return trial.value;
      if (!sufficientDecrease(trial) || !(trial.value < low.value)) {
        high = trial;
        continue;
      }
      if (trial.slope * width >= 0) high = low;
      low = trial;
    }
    return settleFor(low);
  };

  let previous: Sample = { step: 0, value: value0, slope: slope0 };
  let step = initialStep;
  while (evaluations < MAX_EVALUATIONS) {
    const current = sample(step);
    if (acceptable(current)) return current.value;
    // A non-finite value fails sufficient decrease, so the step shrinks back.
    if (!sufficientDecrease(current) || (evaluations > 1 && current.value >= previous.value)) {
      return zoom(previous, current);
    }
    if (current.slope >= 0) return zoom(current, previous);
    previous = current;
    step *= MAX_EXTRAPOLATION;
  }
  return settleFor(previous);
}

/**
 * The minimiser of the cubic matching values and slopes at both ends, kept at least
 * `SAFEGUARD` of the width away from either end; the midpoint when the cubic has none.
 */
function interpolateStep(a: Sample, b: Sample): number {
  const d1 = a.slope + b.slope - (3 * (a.value - b.value)) / (a.step - b.step);
  const d2 = Math.sign(b.step - a.step) * Math.sqrt(d1 * d1 - a.slope * b.slope);
  const cubic = b.step - (b.step - a.step) * ((b.slope + d2 - d1) / (b.slope - a.slope + 2 * d2));
  const lower = Math.min(a.step, b.step);
  const upper = Math.max(a.step, b.step);
  const margin = SAFEGUARD * (upper - lower);
  if (!Number.isFinite(cubic)) return (lower + upper) / 2;
  return Math.min(Math.max(cubic, lower + margin), upper - margin);
}

export function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < a.length; k++) sum += (a[k] as number) * (b[k] as number);
  return sum;
}
