/**
 * Limited-memory BFGS (Nocedal & Wright, "Numerical Optimization", 2nd ed., algorithm 7.5) for
 * smooth unconstrained minimisation, with a strong Wolfe line search. Every vector is allocated
 * once up front; iterations only reuse them.
 */
import { dot, searchStrongWolfe } from './line-search.js';

/** A smooth function of `dimension` variables that writes its gradient and returns its value. */
export interface DifferentiableFunction {
  readonly dimension: number;
  evaluate(x: Float64Array, gradient: Float64Array): number;
}

export interface LbfgsOptions {
  /** How many recent curvature pairs approximate the inverse Hessian. */
  readonly memory: number;
  readonly maxIterations: number;
  /** Converged when the largest absolute gradient component is at most this. */
  readonly gradientTolerance: number;
}

export interface LbfgsResult {
  readonly x: Float64Array;
  readonly value: number;
  /** Largest absolute gradient component at `x`. */
  readonly gradientNorm: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** Minimises `objective` from `start` (not modified). */
export function minimiseLbfgs(
  objective: DifferentiableFunction,
  start: Float64Array,
  options: LbfgsOptions,
): LbfgsResult {
  const n = objective.dimension;
  let x = Float64Array.from(start);
  let gradient = new Float64Array(n);
  let trialX = new Float64Array(n);
  let trialGradient = new Float64Array(n);
  const direction = new Float64Array(n);
  const history = new CurvatureHistory(options.memory, n);

  let value = objective.evaluate(x, gradient);
  let gradientNorm = maxAbs(gradient);
  let iterations = 0;
  while (gradientNorm > options.gradientTolerance && iterations < options.maxIterations) {
    history.applyInverseHessian(gradient, direction);
    for (let k = 0; k < n; k++) direction[k] = -(direction[k] as number);
    if (!(dot(direction, gradient) < 0)) {
      // Rounding can make the estimate indefinite; steepest descent always goes downhill.
      history.clear();
      for (let k = 0; k < n; k++) direction[k] = -(gradient[k] as number);
    }
    // The first step has no curvature to scale it: a unit-length step is a safe guess.
    const initialStep = history.isEmpty ? Math.min(1, 1 / Math.sqrt(dot(gradient, gradient))) : 1;
    const nextValue = searchStrongWolfe(
      objective,
      { x, value, gradient, trialX, trialGradient },
      direction,
      initialStep,
    );
    if (nextValue === undefined) {
      // A stale curvature estimate can give a direction with no acceptable step where steepest
      // descent still has one: retry once from there before giving up.
      if (history.isEmpty) break;
      history.clear();
      continue;
    }
    history.push(x, trialX, gradient, trialGradient);
    [x, trialX] = [trialX, x];
    [gradient, trialGradient] = [trialGradient, gradient];
    value = nextValue;
    gradientNorm = maxAbs(gradient);
    iterations++;
  }
  return {
    x,
    value,
    gradientNorm,
    iterations,
    converged: gradientNorm <= options.gradientTolerance,
  };
}

/** The last `memory` pairs s = Δx, y = Δgradient, in ring buffers. */
class CurvatureHistory {
  private readonly s: Float64Array[];
  private readonly y: Float64Array[];
  private readonly rho: Float64Array;
  private readonly alpha: Float64Array;
  private newest = -1;
  private count = 0;

  constructor(
    private readonly memory: number,
    dimension: number,
  ) {
    this.s = Array.from({ length: memory }, () => new Float64Array(dimension));
    this.y = Array.from({ length: memory }, () => new Float64Array(dimension));
    this.rho = new Float64Array(memory);
    this.alpha = new Float64Array(memory);
  }

  get isEmpty(): boolean {
    return this.count === 0;
  }

  clear(): void {
    this.count = 0;
  }

  /** Records a step; a pair without positive curvature would break positive definiteness and is skipped. */
  push(
    x: Float64Array,
    nextX: Float64Array,
    gradient: Float64Array,
    nextGradient: Float64Array,
  ): void {
    const slot = (this.newest + 1) % this.memory;
    const s = this.s[slot] as Float64Array;
    const y = this.y[slot] as Float64Array;
    for (let k = 0; k < s.length; k++) {
      s[k] = (nextX[k] as number) - (x[k] as number);
      y[k] = (nextGradient[k] as number) - (gradient[k] as number);
    }
    const sy = dot(s, y);
    if (!(sy > Number.EPSILON * dot(y, y))) {
      // The slot held the oldest pair when full; it is overwritten now, so stop counting it.
      this.count = Math.min(this.count, this.memory - 1);
      return;
    }
    this.rho[slot] = 1 / sy;
    this.newest = slot;
    this.count = Math.min(this.count + 1, this.memory);
  }

  /** `out = H · vector` by the two-loop recursion; the identity when empty. */
  applyInverseHessian(vector: Float64Array, out: Float64Array): void {
    out.set(vector);
    if (this.count === 0) return;
    for (let back = 0; back < this.count; back++) {
      const slot = this.slotAt(back);
      const a = (this.rho[slot] as number) * dot(this.s[slot] as Float64Array, out);
      this.alpha[slot] = a;
      axpy(-a, this.y[slot] as Float64Array, out);
    }
    // Initial Hessian γI with γ = sᵀy / yᵀy from the newest pair (N&W eq. 7.20).
    const newestY = this.y[this.newest] as Float64Array;
    const gamma = 1 / ((this.rho[this.newest] as number) * dot(newestY, newestY));
    for (let k = 0; k < out.length; k++) out[k] = gamma * (out[k] as number);
    for (let back = this.count - 1; back >= 0; back--) {
      const slot = this.slotAt(back);
      const beta = (this.rho[slot] as number) * dot(this.y[slot] as Float64Array, out);
      axpy((this.alpha[slot] as number) - beta, this.s[slot] as Float64Array, out);
    }
  }

  /** The ring slot of the pair `back` steps before the newest. */
  private slotAt(back: number): number {
    return (this.newest - back + this.memory) % this.memory;
  }
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let k = 0; k < y.length; k++) y[k] = (y[k] as number) + a * (x[k] as number);
}

function maxAbs(values: Float64Array): number {
  let max = 0;
  for (const value of values) max = Math.max(max, Math.abs(value));
  return max;
}
