/** The check a newly trained model must pass before it may score leads. */
import { InvalidInputError } from './input-checks.js';

/** The seed's rule: a model is deployed only if its ROC AUC exceeds 0.8. */
export const DEFAULT_MIN_ROC_AUC = 0.8;

export interface DeploymentGateOptions {
  /** The ROC AUC the model must strictly exceed; {@link DEFAULT_MIN_ROC_AUC} by default. */
  readonly minRocAuc?: number;
}

export interface GateCheck {
  readonly name: string;
  readonly value: number;
  readonly threshold: number;
  readonly passed: boolean;
}

export interface GateResult {
  readonly passed: boolean;
  readonly checks: GateCheck[];
}

/**
 * Decides whether a model may be deployed, with every check listed so the reason for a refusal
 * can be shown. ROC AUC must be strictly greater than the threshold: exactly 0.8 fails, as the
 * seed words it ("AUC-ROC > 0.8"). A NaN metric fails.
 *
 * @throws InvalidInputError when `minRocAuc` is not within [0, 1].
 * @example
 * deploymentGate({ rocAuc: 0.83 });
 * // { passed: true, checks: [{ name: 'rocAuc', value: 0.83, threshold: 0.8, passed: true }] }
 */
export function deploymentGate(
  metrics: { readonly rocAuc: number },
  options: DeploymentGateOptions = {},
): GateResult {
  const { minRocAuc = DEFAULT_MIN_ROC_AUC } = options;
  if (!(minRocAuc >= 0 && minRocAuc <= 1)) {
    throw new InvalidInputError(
      `deploymentGate: minRocAuc must be within [0, 1], got ${minRocAuc}`,
    );
  }
  const checks = [
    {
      name: 'rocAuc',
      value: metrics.rocAuc,
      threshold: minRocAuc,
      passed: metrics.rocAuc > minRocAuc,
    },
  ];
  return { passed: checks.every((check) => check.passed), checks };
}
