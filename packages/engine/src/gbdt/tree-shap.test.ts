import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFeatureMatrix, type Feature } from '../matrix.js';
import { createRng } from '../random.js';
import { trainGbdt } from './train.js';
import { CATEGORY_SET_WORDS, childFor, type Tree } from './tree.js';
import { addTreeShap, expectedTreeValue, TreeShapScratch, treeDepth } from './tree-shap.js';

// Few features, so that random trees split on the same feature more than once along a path:
// the case the algorithm's UNWIND step exists for. Feature 3 is categorical (codes 0…7).
const FEATURES = 4;
const CATEGORICAL = 3;

interface SplitStep {
  leaf: number;
  feature: number;
  threshold: number;
  missingLeft: boolean;
  leftShare: number;
  leftCodes: number;
}

/** A tree grown by splitting chosen leaves; children's covers add up to their parent's. */
function buildTree(steps: SplitStep[], leafValues: number[]): Tree {
  const nodes = 1 + 2 * steps.length;
  const tree: Tree = {
    feature: new Int32Array(nodes).fill(-1),
    threshold: new Float64Array(nodes),
    children: new Int32Array(2 * nodes).fill(-1),
    missingLeft: new Uint8Array(nodes),
    categorySet: new Int32Array(nodes).fill(-1),
    categoryBits: new Uint32Array(nodes * CATEGORY_SET_WORDS),
    value: new Float64Array(nodes),
    cover: new Float64Array(nodes),
    gain: new Float64Array(nodes),
  };
  tree.cover[0] = 1000;
  const leaves = [0];
  steps.forEach((step, k) => {
    const [node = 0] = leaves.splice(step.leaf % leaves.length, 1);
    const left = 2 * k + 1;
    const right = 2 * k + 2;
    tree.feature[node] = step.feature;
    tree.children[2 * node] = left;
    tree.children[2 * node + 1] = right;
    tree.missingLeft[node] = step.missingLeft ? 1 : 0;
    if (step.feature === CATEGORICAL) {
      tree.categorySet[node] = node * CATEGORY_SET_WORDS;
      tree.threshold[node] = Number.NaN;
      tree.categoryBits[node * CATEGORY_SET_WORDS] = step.leftCodes;
    } else {
      tree.threshold[node] = step.threshold;
    }
    const cover = tree.cover[node] as number;
    tree.cover[left] = cover * step.leftShare;
    tree.cover[right] = cover - (tree.cover[left] as number);
    leaves.push(left, right);
  });
  leaves.forEach((leaf, k) => {
    tree.value[leaf] = leafValues[k % leafValues.length] as number;
  });
  return tree;
}

/**
 * E[f(x) | x_S] as path-dependent TreeSHAP defines it: features in S follow x, the others
 * take both branches weighted by cover.
 */
function conditionalExpectation(tree: Tree, node: number, x: Float64Array, inS: boolean[]): number {
  const feature = tree.feature[node] as number;
  if (feature < 0) return tree.value[node] as number;
  if (inS[feature])
    return conditionalExpectation(tree, childFor(tree, node, x[feature] as number), x, inS);
  const left = tree.children[2 * node] as number;
  const right = tree.children[2 * node + 1] as number;
  return (
    ((tree.cover[left] as number) * conditionalExpectation(tree, left, x, inS) +
      (tree.cover[right] as number) * conditionalExpectation(tree, right, x, inS)) /
    (tree.cover[node] as number)
  );
}

/** Shapley values by enumerating every coalition. */
function bruteForceShapley(tree: Tree, x: Float64Array): number[] {
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const phi = new Array<number>(FEATURES).fill(0);
  for (let i = 0; i < FEATURES; i++) {
    for (let mask = 0; mask < 1 << FEATURES; mask++) {
      if (mask & (1 << i)) continue;
      const inS = Array.from({ length: FEATURES }, (_, j) => (mask & (1 << j)) !== 0);
      const size = inS.filter(Boolean).length;
      const weight = (factorial(size) * factorial(FEATURES - size - 1)) / factorial(FEATURES);
      const without = conditionalExpectation(tree, 0, x, inS);
      inS[i] = true;
      phi[i] = (phi[i] as number) + weight * (conditionalExpectation(tree, 0, x, inS) - without);
    }
  }
  return phi;
}

const stepArbitrary = fc.record({
  leaf: fc.nat(),
  feature: fc.integer({ min: 0, max: FEATURES - 1 }),
  threshold: fc.double({ min: -1, max: 1, noNaN: true }),
  missingLeft: fc.boolean(),
  leftShare: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
  leftCodes: fc.integer({ min: 0, max: 255 }),
});
const valueArbitrary = (feature: number) =>
  fc.oneof(
    fc.constant(Number.NaN),
    feature === CATEGORICAL
      ? fc.integer({ min: 0, max: 7 })
      : fc.double({ min: -1.2, max: 1.2, noNaN: true }),
  );

describe('TreeSHAP', () => {
  it('equals brute-force Shapley values of the path-dependent expectation', () => {
    fc.assert(
      fc.property(
        fc.array(stepArbitrary, { maxLength: 14 }),
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 1, maxLength: 15 }),
        fc.tuple(...Array.from({ length: FEATURES }, (_, j) => valueArbitrary(j))),
        (steps, leafValues, values) => {
          const tree = buildTree(steps, leafValues);
          const x = Float64Array.from(values);
          const phi = new Float64Array(FEATURES);
          addTreeShap(tree, x, phi, new TreeShapScratch(treeDepth(tree)));
          const expected = bruteForceShapley(tree, x);
          phi.forEach((value, j) => {
            expect(value).toBeCloseTo(expected[j] as number, 9);
          });
          const allIn = new Array<boolean>(FEATURES).fill(true);
          const sum = phi.reduce((total, value) => total + value, expectedTreeValue(tree));
          expect(sum).toBeCloseTo(conditionalExpectation(tree, 0, x, allIn), 9);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('GbdtModel.explain', () => {
  // Missing values and a categorical feature, so explanations walk every kind of split.
  const rng = createRng(21);
  const rows = 2_000;
  const features: Feature[] = [
    { name: 'visits', kind: 'numeric' },
    { name: 'plan', kind: 'categorical', categories: ['free', 'team', 'enterprise', 'trial'] },
    { name: 'age', kind: 'numeric' },
  ];
  const columns = features.map(() => new Float64Array(rows));
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const visits = rng.bernoulli(0.2) ? Number.NaN : rng.exponential(0.5);
    const plan = rng.bernoulli(0.1) ? Number.NaN : rng.int(0, 4);
    const age = rng.normal(40, 10);
    (columns[0] as Float64Array)[i] = visits;
    (columns[1] as Float64Array)[i] = plan;
    (columns[2] as Float64Array)[i] = age;
    const z =
      (Number.isNaN(visits) ? -1 : 0.5 * visits - 1) + (plan === 2 ? 1.5 : 0) + (age - 40) / 20;
    labels[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  const matrix = createFeatureMatrix(features, columns);
  const model = trainGbdt(matrix, labels, { maxIterations: 30, maxLeaves: 15, minSamplesLeaf: 10 });

  it('adds up to the log-odds of every row (1e-6)', () => {
    const logOdds = model.predictLogOdds(matrix);
    const { baseValue, contributions } = model.explainRows(matrix);
    let worst = 0;
    for (let row = 0; row < rows; row++) {
      let sum = baseValue;
      for (let j = 0; j < features.length; j++)
        sum += contributions[row * features.length + j] as number;
      worst = Math.max(worst, Math.abs(sum - (logOdds[row] as number)));
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('gives the same values on two threads as on one', () => {
    const threaded = model.explainRows(matrix, undefined, { threads: 2 });
    const single = model.explainRows(matrix);
    const mismatches = threaded.contributions.filter(
      (value, k) => !Object.is(value, single.contributions[k]),
    ).length;
    expect(mismatches).toBe(0);
    expect(threaded.baseValue).toBe(single.baseValue);
  });

  it('gives one row the same values alone as in a batch', () => {
    const single = model.explain(matrix, 17);
    const batch = model.explainRows(matrix, [3, 17]);
    expect(single.baseValue).toBe(batch.baseValue);
    expect(Array.from(single.contributions)).toEqual(
      Array.from(batch.contributions.subarray(3, 6)),
    );
  });

  it('has the mean training log-odds as its base value (covers are training rows)', () => {
    const logOdds = model.predictLogOdds(matrix);
    const mean = logOdds.reduce((sum, value) => sum + value, 0) / rows;
    expect(model.explainRows(matrix, []).baseValue).toBeCloseTo(mean, 9);
  });

  it('rejects a row outside the matrix', () => {
    expect(() => model.explain(matrix, rows)).toThrow(/row 2000 is not a row of the matrix/);
  });
});
