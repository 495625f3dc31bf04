import { describe, expect, it } from 'vitest';
import { createFeatureMatrix } from '../matrix.js';
import { LogisticFormatError } from './errors.js';
import { logisticFromJSON } from './logistic-json.js';
import type { LogisticModelJSON } from './logistic-model.js';
import { trainLogistic } from './train.js';

// The data of trainLogistic's @example, with a group on one feature so groups round-trip too.
const matrix = createFeatureMatrix(
  [
    { name: 'visits', kind: 'numeric', group: 'behavioural' },
    { name: 'source', kind: 'categorical', categories: ['ads', 'organic'] },
  ],
  [Float64Array.of(1, 7, Number.NaN, 4, 9, 2), Float64Array.of(0, 1, 1, 0, 1, Number.NaN)],
);
const model = trainLogistic(matrix, Uint8Array.of(0, 1, 0, 1, 1, 0), { C: 2 });
const saved = (): LogisticModelJSON => JSON.parse(JSON.stringify(model));

describe('logisticFromJSON', () => {
  it('restores a model that predicts and explains identically after a JSON round trip', () => {
    const body = saved();
    expect(body).toMatchObject({ format: 'leadscore-logistic', formatVersion: 1 });
    const restored = logisticFromJSON(body);
    expect(restored.predictLogOdds(matrix)).toEqual(model.predictLogOdds(matrix));
    for (let row = 0; row < matrix.rows; row++) {
      expect(restored.explain(matrix, row)).toEqual(model.explain(matrix, row));
    }
    expect(restored.coefficients()).toEqual(model.coefficients());
    expect(restored.features).toEqual(model.features);
    expect(restored.options).toEqual(model.options);
    expect(restored.training).toEqual(model.training);
    expect(restored.training.converged).toBe(true);
    expect(restored.toJSON()).toEqual(body);
  });

  it.each([
    ['not an object', () => 'model', /model must be an object/],
    [
      'another format',
      (b: Record<string, unknown>) => ({ ...b, format: 'leadscore-gbdt' }),
      /Not a logistic model: format is "leadscore-gbdt"/,
    ],
    [
      'another version',
      (b: Record<string, unknown>) => ({ ...b, formatVersion: 2 }),
      /format version 2 is not supported; this engine reads version 1/,
    ],
    [
      'features edited after saving',
      (b: Record<string, unknown>) => ({
        ...b,
        features: [{ name: 'pages', kind: 'numeric' }, (b.features as unknown[])[1]],
      }),
      /featureSchemaHash .* does not match the stored features/,
    ],
    [
      'a weight that was NaN (null in JSON)',
      (b: Record<string, unknown>) => ({
        ...b,
        weights: [null, ...(b.weights as number[]).slice(1)],
      }),
      /weights\[0\] must be a finite number, got null/,
    ],
    [
      'a missing weight',
      (b: Record<string, unknown>) => ({ ...b, weights: (b.weights as number[]).slice(1) }),
      /weights: 4 weights for 5 design columns/,
    ],
    [
      'no intercept',
      (b: Record<string, unknown>) => ({ ...b, intercept: undefined }),
      /intercept must be a finite number/,
    ],
    [
      'a zero standard deviation',
      (b: Record<string, unknown>) => withEncoder(b, 0, { std: 0 }),
      /encoders\[0\].std must be > 0/,
    ],
    [
      'an encoder of the wrong kind',
      (b: Record<string, unknown>) => withEncoder(b, 1, { kind: 'numeric' }),
      /encoders\[1\].kind is "numeric" but feature "source" is categorical/,
    ],
    [
      'a level that is not a category',
      (b: Record<string, unknown>) => withEncoder(b, 1, { levels: ['ads', 'paid'] }),
      /encoders\[1\].levels\[1\] "paid" is not a distinct category/,
    ],
    [
      'a rate above 1',
      (b: Record<string, unknown>) => withEncoder(b, 0, { missingRate: 2 }),
      /encoders\[0\].missingRate must be between 0 and 1/,
    ],
    [
      'bad options',
      (b: Record<string, unknown>) => ({ ...b, options: { ...(b.options as object), C: -1 } }),
      /options: Option C must be a finite number > 0/,
    ],
    [
      'a bad training report',
      (b: Record<string, unknown>) => ({
        ...b,
        training: { ...(b.training as object), converged: 'yes' },
      }),
      /training.converged must be true or false/,
    ],
  ])('refuses %s', (_, alter, message) => {
    const body = alter(saved() as unknown as Record<string, unknown>);
    expect(() => logisticFromJSON(body)).toThrow(LogisticFormatError);
    expect(() => logisticFromJSON(body)).toThrow(message);
  });
});

function withEncoder(body: Record<string, unknown>, index: number, change: object): object {
  const encoders = [...(body.encoders as object[])];
  encoders[index] = { ...encoders[index], ...change };
  return { ...body, encoders };
}
