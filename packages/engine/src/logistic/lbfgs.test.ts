import { describe, expect, it } from 'vitest';
import { type DifferentiableFunction, minimiseLbfgs } from './lbfgs.js';

const OPTIONS = { memory: 10, maxIterations: 500, gradientTolerance: 1e-10 };

const rosenbrock: DifferentiableFunction = {
  dimension: 2,
  evaluate([x = 0, y = 0], gradient) {
    gradient[0] = -2 * (1 - x) - 400 * x * (y - x * x);
    gradient[1] = 200 * (y - x * x);
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2;
  },
};

/** ½ Σ λ_k (x_k − k)², λ log-spaced from 1 to 10³ (condition number 10³), minimum at x_k = k. */
function illConditionedQuadratic(dimension: number): DifferentiableFunction {
  const curvature = Float64Array.from(
    { length: dimension },
    (_, k) => 10 ** ((3 * k) / (dimension - 1)),
  );
  return {
    dimension,
    evaluate(x, gradient) {
      let value = 0;
      for (let k = 0; k < dimension; k++) {
        const d = (x[k] as number) - k;
        gradient[k] = (curvature[k] as number) * d;
        value += ((curvature[k] as number) * d * d) / 2;
      }
      return value;
    },
  };
}

describe('minimiseLbfgs', () => {
  it('finds the minimum of the Rosenbrock function from the classic start', () => {
    const result = minimiseLbfgs(rosenbrock, Float64Array.of(-1.2, 1), OPTIONS);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 8);
    expect(result.x[1]).toBeCloseTo(1, 8);
    expect(result.iterations).toBeLessThan(100);
  });

  it('solves an ill-conditioned quadratic in 50 dimensions', () => {
    // scipy's L-BFGS-B (memory 10) needs a similar ~400 iterations on this problem.
    const result = minimiseLbfgs(illConditionedQuadratic(50), new Float64Array(50), {
      ...OPTIONS,
      maxIterations: 1000,
    });
    expect(result.converged).toBe(true);
    expect(result.gradientNorm).toBeLessThanOrEqual(1e-10);
    result.x.forEach((value, k) => {
      expect(value).toBeCloseTo(k, 8);
    });
  });

  it('does not move from a start that already meets the tolerance', () => {
    const start = Float64Array.of(1, 1);
    const result = minimiseLbfgs(rosenbrock, start, OPTIONS);
    expect(result).toMatchObject({ iterations: 0, converged: true, value: 0 });
    expect(result.x).not.toBe(start);
  });

  it('stops at the iteration limit and says it did not converge', () => {
    const result = minimiseLbfgs(rosenbrock, Float64Array.of(-1.2, 1), {
      ...OPTIONS,
      maxIterations: 3,
    });
    expect(result).toMatchObject({ iterations: 3, converged: false });
  });

  it('with a zero tolerance, stops by itself at rounding precision', () => {
    const result = minimiseLbfgs(illConditionedQuadratic(20), new Float64Array(20), {
      ...OPTIONS,
      gradientTolerance: 0,
      maxIterations: 10_000,
    });
    expect(result.iterations).toBeLessThan(10_000);
    expect(result.gradientNorm).toBeLessThan(1e-9);
  });
});
