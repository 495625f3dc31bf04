/**
 * scikit-learn's `LogisticRegression(penalty='l2')` objective over parameters
 * `θ = [w_0 … w_{d-1}, b]`:
 *
 *   f(θ) = C · Σ_i s_i · logloss(y_i, η_i) + ½‖w‖²,   η_i = x_i · w + b,
 *
 * where `s_i` is the sample weight (1, or the balanced class weight) and the intercept `b` is
 * not penalised. The log-loss is evaluated as a softplus, `log(1 + e^{-|η|}) + max(·, 0)`, so it
 * stays finite and accurate for any finite η.
 */
import type { Design } from './design.js';
import { multiply, multiplyTransposed } from './design.js';
import type { DifferentiableFunction } from './lbfgs.js';

export function createLogisticObjective(
  design: Design,
  labels: Uint8Array,
  sampleWeights: Float64Array,
  C: number,
): DifferentiableFunction {
  const { rows, columnCount } = design;
  const logOdds = new Float64Array(rows);
  // Reused across evaluations: C · s_i · ∂logloss/∂η_i.
  const residuals = new Float64Array(rows);
  return {
    dimension: columnCount + 1,
    evaluate(parameters, gradient) {
      const intercept = parameters[columnCount] as number;
      multiply(design, parameters, intercept, logOdds);
      let loss = 0;
      let interceptGradient = 0;
      for (let i = 0; i < rows; i++) {
        const eta = logOdds[i] as number;
        const weight = C * (sampleWeights[i] as number);
        const e = Math.exp(-Math.abs(eta));
        const probability = eta >= 0 ? 1 / (1 + e) : e / (1 + e);
        // logloss = softplus(-η) for a positive, softplus(η) for a negative.
        const signed = labels[i] === 1 ? -eta : eta;
        loss += weight * (Math.max(signed, 0) + Math.log1p(e));
        const residual = weight * (probability - (labels[i] as number));
        residuals[i] = residual;
        interceptGradient += residual;
      }
      multiplyTransposed(design, residuals, gradient);
      let penalty = 0;
      for (let k = 0; k < columnCount; k++) {
        const w = parameters[k] as number;
        penalty += w * w;
        gradient[k] = (gradient[k] as number) + w;
      }
      gradient[columnCount] = interceptGradient;
      return loss + penalty / 2;
    },
  };
}
