import { describe, expect, it } from 'vitest';
import { createFeatureMatrix } from '../matrix.js';
import { createRng } from '../random.js';
import { encodeDesign } from './design.js';
import { fitEncoders } from './encoders.js';
import { createLogisticObjective } from './objective.js';

// Two numeric features (one with gaps, so an indicator block) and a 3-level categorical.
const rng = createRng(9);
const rows = 40;
const matrix = createFeatureMatrix(
  [
    { name: 'a', kind: 'numeric' },
    { name: 'b', kind: 'numeric' },
    { name: 'c', kind: 'categorical', categories: ['x', 'y', 'z'] },
  ],
  [
    Float64Array.from({ length: rows }, () => rng.normal(3, 2)),
    Float64Array.from({ length: rows }, () => (rng.bernoulli(0.2) ? Number.NaN : rng.normal())),
    Float64Array.from({ length: rows }, () => rng.int(0, 3)),
  ],
);
const labels = Uint8Array.from({ length: rows }, () => (rng.bernoulli(0.4) ? 1 : 0));
const sampleWeights = Float64Array.from({ length: rows }, () => 0.5 + rng.next());
const design = encodeDesign(matrix, fitEncoders(matrix));
const C = 0.7;
const objective = createLogisticObjective(design, labels, sampleWeights, C);

/** The objective straight from its definition, on dense design rows. */
function directValue(parameters: Float64Array): number {
  const d = design.columnCount;
  const dense = Array.from({ length: rows }, () => new Float64Array(d));
  for (const { column, values } of design.dense)
    values.forEach((v, i) => {
      (dense[i] as Float64Array)[column] = v;
    });
  for (const block of design.oneHot)
    block.forEach((k, i) => {
      if (k >= 0) (dense[i] as Float64Array)[k] = 1;
    });
  let value = 0;
  dense.forEach((x, i) => {
    let eta = parameters[d] as number;
    x.forEach((v, k) => {
      eta += v * (parameters[k] as number);
    });
    const p = 1 / (1 + Math.exp(-eta));
    value -= C * (sampleWeights[i] as number) * (labels[i] === 1 ? Math.log(p) : Math.log(1 - p));
  });
  for (let k = 0; k < d; k++) value += (parameters[k] as number) ** 2 / 2;
  return value;
}

describe('createLogisticObjective', () => {
  const parameters = Float64Array.from({ length: objective.dimension }, () => rng.normal(0, 0.5));

  it('has one parameter per design column plus the intercept', () => {
    // a, b, "b is missing", c=x, c=y, c=z, intercept
    expect(objective.dimension).toBe(7);
  });

  it('computes C · Σ s_i · logloss + ½‖w‖² with the intercept unpenalised', () => {
    const value = objective.evaluate(parameters, new Float64Array(objective.dimension));
    expect(value).toBeCloseTo(directValue(parameters), 10);
    const shifted = Float64Array.from(parameters);
    shifted[6] = (shifted[6] as number) + 1;
    // Only the loss part changes with the intercept.
    expect(objective.evaluate(shifted, new Float64Array(7))).toBeCloseTo(directValue(shifted), 10);
  });

  it('has a gradient equal to central finite differences', () => {
    const gradient = new Float64Array(objective.dimension);
    objective.evaluate(parameters, gradient);
    const h = 1e-6;
    const scratch = new Float64Array(objective.dimension);
    for (let k = 0; k < objective.dimension; k++) {
      const plus = Float64Array.from(parameters);
      const minus = Float64Array.from(parameters);
      plus[k] = (plus[k] as number) + h;
      minus[k] = (minus[k] as number) - h;
      const numeric =
        (objective.evaluate(plus, scratch) - objective.evaluate(minus, scratch)) / (2 * h);
      expect(Math.abs((gradient[k] as number) - numeric)).toBeLessThan(1e-6);
    }
  });

  it('stays finite at extreme log-odds, where a naive log(1 + e^η) overflows', () => {
    const huge = new Float64Array(objective.dimension).fill(1e4);
    const gradient = new Float64Array(objective.dimension);
    const value = objective.evaluate(huge, gradient);
    expect(Number.isFinite(value)).toBe(true);
    expect(gradient.every(Number.isFinite)).toBe(true);
  });
});
