import { describe, expect, it } from 'vitest';
import { createFeatureMatrix, type Feature } from '../matrix.js';
import { createRng } from '../random.js';
import { GbdtFormatError, GbdtInputError } from './errors.js';
import { gbdtFromJSON } from './json.js';
import { trainGbdt } from './train.js';

const features: Feature[] = [
  { name: 'visits', kind: 'numeric', group: 'behavioural' },
  { name: 'plan', kind: 'categorical', categories: ['free', 'team', 'enterprise'] },
];
const rng = createRng(31);
const rows = 1_000;
const visits = Float64Array.from({ length: rows }, () =>
  rng.bernoulli(0.1) ? Number.NaN : rng.normal(),
);
const plan = Float64Array.from({ length: rows }, () => rng.int(0, 3));
const labels = Uint8Array.from({ length: rows }, (_, i) =>
  rng.bernoulli((Number.isNaN(visits[i] as number) ? 0.7 : 0.3) + (plan[i] === 2 ? 0.2 : 0))
    ? 1
    : 0,
);
const matrix = createFeatureMatrix(features, [visits, plan]);
const model = trainGbdt(matrix, labels, { maxIterations: 15, minSamplesLeaf: 10 });
const json = () => JSON.parse(JSON.stringify(model)) as Record<string, unknown>;

describe('gbdtFromJSON', () => {
  it('restores a model with identical predictions, explanations and metadata', () => {
    const copy = gbdtFromJSON(json());
    expect(Array.from(copy.predictLogOdds(matrix))).toEqual(
      Array.from(model.predictLogOdds(matrix)),
    );
    expect(copy.explainRows(matrix)).toEqual(model.explainRows(matrix));
    expect(copy.featureImportance()).toEqual(model.featureImportance());
    expect(copy.report).toEqual(model.report);
    expect(copy.options).toEqual(model.options);
    expect(copy.features).toEqual(features);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(model));
  });

  it('carries its format, version and feature fingerprint', () => {
    expect(json()).toMatchObject({ format: 'leadscore-gbdt', formatVersion: 1 });
    expect(json().featureSchemaHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('refuses another format version, saying which it reads', () => {
    expect(() => gbdtFromJSON({ ...json(), formatVersion: 2 })).toThrow(GbdtFormatError);
    expect(() => gbdtFromJSON({ ...json(), formatVersion: 2 })).toThrow(
      /formatVersion 2 is not supported; this engine reads version 1/,
    );
  });

  it('refuses another format and non-objects', () => {
    expect(() => gbdtFromJSON({ ...json(), format: 'leadscore-logistic' })).toThrow(
      /format is "leadscore-logistic", expected "leadscore-gbdt"/,
    );
    expect(() => gbdtFromJSON('model')).toThrow(GbdtFormatError);
  });

  it('refuses features edited after saving (their fingerprint no longer matches)', () => {
    const body = json();
    (body.features as Feature[])[0] = { name: 'visits', kind: 'numeric', group: 'engagement' };
    expect(() => gbdtFromJSON(body)).toThrow(/featureSchemaHash does not match features/);
  });

  it('refuses a damaged tree whose child points back up (it could loop forever)', () => {
    const body = json();
    const trees = body.trees as { left: number[] }[];
    (trees[0] as { left: number[] }).left[1] = 0;
    expect(() => gbdtFromJSON(body)).toThrow(/trees\[0\]: node 1 is neither a leaf nor a split/);
  });
});

describe('scoring a matrix', () => {
  it('gives the same log-odds on several threads as on one', () => {
    // Enough rows that each of two threads gets its minimum share.
    const big = 100_003;
    const pick = (column: Float64Array) =>
      Float64Array.from({ length: big }, (_, i) => column[i % rows] as number);
    const large = createFeatureMatrix(features, [pick(visits), pick(plan)]);
    const threaded = model.predictLogOdds(large, { threads: 2 });
    const single = model.predictLogOdds(large);
    const mismatches = threaded.filter((value, row) => !Object.is(value, single[row])).length;
    expect(mismatches).toBe(0);
    expect(threaded[big - 1]).toBe(model.predictLogOdds(matrix)[(big - 1) % rows]);
  });

  it('rejects a thread count that is not a positive integer', () => {
    expect(() => model.predictLogOdds(matrix, { threads: 0 })).toThrow(
      /threads must be an integer in \[1, 64\], got 0/,
    );
  });

  it('refuses features other than the trained ones, naming the column', () => {
    const renamed = createFeatureMatrix(
      [features[0] as Feature, { name: 'plan', kind: 'categorical', categories: ['free', 'pro'] }],
      [visits, plan],
    );
    expect(() => model.predictLogOdds(renamed)).toThrow(GbdtInputError);
    expect(() => model.predictLogOdds(renamed)).toThrow(
      /feature 1 is categorical "plan" \(2 categories\); the model expects categorical "plan" \(3 categories\)/,
    );
  });

  it('scores a missing category and ranks the converting category above the others', () => {
    const one = (code: number) =>
      createFeatureMatrix(features, [Float64Array.of(0), Float64Array.of(code)]);
    // Scores stay finite and defined for a missing plan.
    expect(Number.isFinite(model.predictLogOdds(one(Number.NaN))[0])).toBe(true);
    expect(model.predictLogOdds(one(2))[0]).toBeGreaterThan(
      model.predictLogOdds(one(0))[0] as number,
    );
  });
});
