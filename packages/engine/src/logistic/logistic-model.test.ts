import { describe, expect, it } from 'vitest';
import {
  type CategoricalFeature,
  createFeatureMatrix,
  type Feature,
  type FeatureMatrix,
} from '../matrix.js';
import { createRng } from '../random.js';
import type { NumericEncoder } from './encoders.js';
import { LogisticInputError } from './errors.js';
import { trainLogistic } from './train.js';

const PLAN: CategoricalFeature = {
  name: 'plan',
  kind: 'categorical',
  categories: ['free', 'basic', 'pro', 'enterprise'],
};
const SOURCE: CategoricalFeature = {
  name: 'source',
  kind: 'categorical',
  categories: ['ads', 'organic'],
};
const FEATURES: Feature[] = [
  { name: 'visits', kind: 'numeric' },
  { name: 'constant', kind: 'numeric' },
  PLAN,
  SOURCE,
];

/**
 * 300 leads: visits with 20% missing (missing leads convert less), a constant column, plan with
 * gaps and no 'enterprise', source without gaps.
 */
function leads(): { matrix: FeatureMatrix; labels: Uint8Array } {
  const rng = createRng(5);
  const rows = 300;
  const columns = FEATURES.map(() => new Float64Array(rows));
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const visitsMissing = rng.bernoulli(0.2);
    const visits = rng.poisson(4);
    const plan = rng.bernoulli(0.1) ? Number.NaN : rng.int(0, 3);
    const source = rng.int(0, 2);
    const logOdds =
      (visitsMissing ? -1 : 0.3 * (visits - 4)) + (Number.isNaN(plan) ? 0 : plan - 1) + source;
    (columns[0] as Float64Array)[i] = visitsMissing ? Number.NaN : visits;
    (columns[1] as Float64Array)[i] = 7;
    (columns[2] as Float64Array)[i] = plan;
    (columns[3] as Float64Array)[i] = source;
    labels[i] = rng.bernoulli(1 / (1 + Math.exp(-logOdds))) ? 1 : 0;
  }
  return { matrix: createFeatureMatrix(FEATURES, columns), labels };
}

const { matrix, labels } = leads();
const model = trainLogistic(matrix, labels);
const logOdds = model.predictLogOdds(matrix);

/** One row per entry: visits, constant, plan code, source code. */
function rowsOf(cells: number[][], features: Feature[] = FEATURES): FeatureMatrix {
  return createFeatureMatrix(
    features,
    features.map((_, j) => Float64Array.from(cells, (row) => row[j] as number)),
  );
}

describe('LogisticModel design', () => {
  it('names one column per numeric, missing indicator and seen level', () => {
    expect([...model.coefficients().keys()]).toEqual([
      'visits',
      'visits is missing',
      'constant',
      'plan=free',
      'plan=basic',
      'plan=pro',
      'plan is missing',
      'source=ads',
      'source=organic',
    ]);
    // A constant column carries no information, and L2 drives its weight to 0.
    expect(model.coefficients().get('constant')).toBeCloseTo(0, 12);
    expect(model.coefficients().get('visits is missing')).toBeLessThan(-0.3);
  });

  it('scores a missing numeric as its median plus the weight of "is missing"', () => {
    const missingWeight = model.coefficients().get('visits is missing') as number;
    const { median } = model.toJSON().encoders[0] as NumericEncoder;
    expect(median).toBe(4); // Poisson(4) visits
    const atMedian = rowsOf([[median, 7, 0, 0]]);
    const missing = rowsOf([[Number.NaN, 7, 0, 0]]);
    const difference =
      (model.predictLogOdds(missing)[0] as number) - (model.predictLogOdds(atMedian)[0] as number);
    expect(difference).toBeCloseTo(missingWeight, 12);
  });

  it('matches categories by label, so a reordered or extended category list scores the same', () => {
    const reordered: CategoricalFeature = {
      ...PLAN,
      categories: ['partner', 'pro', 'enterprise', 'basic', 'free'],
    };
    const features = [FEATURES[0], FEATURES[1], reordered, SOURCE] as Feature[];
    const trainingCodes = rowsOf([
      [3, 7, 2, 1],
      [3, 7, 0, 1],
    ]);
    const newCodes = rowsOf(
      [
        [3, 7, 1, 1],
        [3, 7, 4, 1],
      ],
      features,
    );
    expect(model.predictLogOdds(newCodes)).toEqual(model.predictLogOdds(trainingCodes));
  });

  it('sets no column for a level unseen in training, nor for a gap training never had', () => {
    const weights = model.coefficients();
    const [free, enterprise] = model.predictLogOdds(
      rowsOf([
        [3, 7, 0, 1],
        [3, 7, 3, 1],
      ]),
    );
    expect((enterprise as number) - (free as number)).toBeCloseTo(
      -(weights.get('plan=free') as number),
      12,
    );
    // source had no gaps in training: a missing source counts as no level at all.
    const [ads, missingSource] = model.predictLogOdds(
      rowsOf([
        [3, 7, 0, 0],
        [3, 7, 0, Number.NaN],
      ]),
    );
    expect((missingSource as number) - (ads as number)).toBeCloseTo(
      -(weights.get('source=ads') as number),
      12,
    );
  });
});

describe('LogisticModel.explain', () => {
  it('adds up to the log-odds on every row', () => {
    for (let row = 0; row < matrix.rows; row++) {
      const { baseValue, contributions } = model.explain(matrix, row);
      const total = contributions.reduce((sum, c) => sum + c, baseValue);
      expect(Math.abs(total - (logOdds[row] as number))).toBeLessThan(1e-9);
    }
  });

  it('centres contributions: each averages 0 over the training rows, and baseValue is shared', () => {
    const sums = new Float64Array(FEATURES.length);
    const baseValues = new Set<number>();
    for (let row = 0; row < matrix.rows; row++) {
      const { baseValue, contributions } = model.explain(matrix, row);
      baseValues.add(baseValue);
      contributions.forEach((c, j) => {
        sums[j] = (sums[j] as number) + c;
      });
    }
    expect(baseValues.size).toBe(1);
    for (const sum of sums) expect(Math.abs(sum / matrix.rows)).toBeLessThan(1e-12);
  });

  it('attributes a change in one feature to that feature only, by its weight', () => {
    const pair = rowsOf([
      [2, 7, 0, 1],
      [2, 7, 2, 1],
    ]);
    const [free, pro] = [model.explain(pair, 0), model.explain(pair, 1)];
    const weights = model.coefficients();
    const expected = (weights.get('plan=pro') as number) - (weights.get('plan=free') as number);
    expect((pro.contributions[2] as number) - (free.contributions[2] as number)).toBeCloseTo(
      expected,
      12,
    );
    for (const j of [0, 1, 3]) expect(pro.contributions[j]).toBe(free.contributions[j]);
  });
});

describe('LogisticModel scoring errors', () => {
  it.each([
    [
      'a matrix with another feature count',
      rowsOf([[1, 7, 0]], FEATURES.slice(0, 3)),
      /trained on 4 features but the matrix has 3/,
    ],
    [
      'a renamed feature',
      rowsOf([[1, 7, 0, 0]], [{ name: 'pageviews', kind: 'numeric' }, ...FEATURES.slice(1)]),
      /Feature 0: the model expects "visits" \(numeric\) but the matrix has "pageviews" \(numeric\)/,
    ],
    [
      'an infinite cell',
      rowsOf([
        [1, 7, 0, 0],
        [Number.NEGATIVE_INFINITY, 7, 0, 0],
      ]),
      /Feature "visits", row 1: -Infinity/,
    ],
    [
      'a category code out of range',
      rowsOf([
        [1, 7, 0, 0],
        [1, 7, 0, 2],
      ]),
      /Feature "source", row 1: 2 is not a category code/,
    ],
    [
      'a fractional category code',
      rowsOf([[1, 7, 0.5, 0]]),
      /Feature "plan", row 0: 0.5 is not a category code/,
    ],
  ])('rejects %s', (_, bad, message) => {
    expect(() => model.predictLogOdds(bad)).toThrow(LogisticInputError);
    expect(() => model.predictLogOdds(bad)).toThrow(message);
    expect(() => model.explain(bad, bad.rows - 1)).toThrow(message);
  });

  it.each([-1, 300, 1.5])('rejects explaining row %d', (row) => {
    expect(() => model.explain(matrix, row)).toThrow(
      /Row .* is out of range: the matrix has 300 rows/,
    );
  });
});
