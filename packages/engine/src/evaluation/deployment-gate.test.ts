import { describe, expect, it } from 'vitest';
import { deploymentGate } from './deployment-gate.js';

describe('deploymentGate', () => {
  it('passes a model whose ROC AUC is above 0.8', () => {
    expect(deploymentGate({ rocAuc: 0.83 })).toEqual({
      passed: true,
      checks: [{ name: 'rocAuc', value: 0.83, threshold: 0.8, passed: true }],
    });
  });

  it('fails at exactly 0.8: the rule is strictly greater', () => {
    expect(deploymentGate({ rocAuc: 0.8 }).passed).toBe(false);
    expect(deploymentGate({ rocAuc: 0.8000000001 }).passed).toBe(true);
  });

  it('uses a configured threshold and fails a NaN metric', () => {
    expect(deploymentGate({ rocAuc: 0.75 }, { minRocAuc: 0.7 })).toEqual({
      passed: true,
      checks: [{ name: 'rocAuc', value: 0.75, threshold: 0.7, passed: true }],
    });
    expect(deploymentGate({ rocAuc: 0.75 }, { minRocAuc: 0.9 }).passed).toBe(false);
    expect(deploymentGate({ rocAuc: Number.NaN }).passed).toBe(false);
  });

  it('rejects a threshold outside [0, 1]', () => {
    expect(() => deploymentGate({ rocAuc: 0.9 }, { minRocAuc: 80 })).toThrow(
      'deploymentGate: minRocAuc must be within [0, 1], got 80',
    );
  });
});
