import { LogisticInputError } from './errors.js';

export interface LogisticOptions {
  /**
   * Inverse regularisation strength, as scikit-learn's `C`: the objective is
   * `C · Σ logloss + ½‖w‖²`, so a larger C means a weaker L2 penalty.
   */
  readonly C: number;
  /** Upper bound on L-BFGS iterations. */
  readonly maxIterations: number;
  /**
   * Converged when every component of the objective's gradient, divided by `C · Σ sample
   * weights` (the per-sample scale scikit-learn's `tol` uses), is at most this.
   */
  readonly tolerance: number;
  /**
   * `'balanced'` weights each row by `rows / (2 · rows of its class)`, as scikit-learn's
   * `class_weight='balanced'`, so both classes count equally in the loss.
   */
  readonly classWeight: 'none' | 'balanced';
}

export const DEFAULT_LOGISTIC_OPTIONS: LogisticOptions = Object.freeze({
  C: 1,
  maxIterations: 500,
  tolerance: 1e-6,
  classWeight: 'none',
});

/** The defaults overridden by `options`, checked. */
export function resolveLogisticOptions(options: Partial<LogisticOptions> = {}): LogisticOptions {
  const resolved = { ...DEFAULT_LOGISTIC_OPTIONS, ...options };
  const { C, maxIterations, tolerance, classWeight } = resolved;
  if (!(C > 0 && C < Number.POSITIVE_INFINITY)) {
    throw new LogisticInputError(`Option C must be a finite number > 0, got ${C}`);
  }
  if (!(Number.isSafeInteger(maxIterations) && maxIterations > 0)) {
    throw new LogisticInputError(
      `Option maxIterations must be an integer > 0, got ${maxIterations}`,
    );
  }
  if (!(tolerance >= 0 && tolerance < Number.POSITIVE_INFINITY)) {
    throw new LogisticInputError(`Option tolerance must be a finite number >= 0, got ${tolerance}`);
  }
  if (classWeight !== 'none' && classWeight !== 'balanced') {
    throw new LogisticInputError(
      `Option classWeight must be 'none' or 'balanced', got ${JSON.stringify(classWeight)}`,
    );
  }
  return Object.freeze(resolved);
}
