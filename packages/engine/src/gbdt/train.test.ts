import { describe, expect, it } from 'vitest';
import { rocAuc } from '../evaluation/index.js';
import { createFeatureMatrix, type Feature, type FeatureMatrix, selectRows } from '../matrix.js';
import { createRng, type Rng } from '../random.js';
import { GbdtInputError } from './errors.js';
import type { GbdtOptions } from './options.js';
import { trainGbdt } from './train.js';

interface Task {
  readonly matrix: FeatureMatrix;
  readonly labels: Uint8Array;
}

/** Rows whose label is drawn from sigmoid(logOdds(row)); the first `rows * 2/3` train. */
function task(
  features: Feature[],
  draw: (rng: Rng) => number[],
  logOdds: (x: number[]) => number,
  rows: number,
  seed: number,
): { train: Task; test: Task } {
  const rng = createRng(seed);
  const columns = features.map(() => new Float64Array(rows));
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const x = draw(rng);
    x.forEach((value, j) => {
      (columns[j] as Float64Array)[i] = value;
    });
    labels[i] = rng.next() < 1 / (1 + Math.exp(-logOdds(x))) ? 1 : 0;
  }
  const matrix = createFeatureMatrix(features, columns);
  const cut = Math.floor((rows * 2) / 3);
  const split = (from: number, to: number): Task => {
    const indices = Array.from({ length: to - from }, (_, k) => from + k);
    return { matrix: selectRows(matrix, indices), labels: labels.slice(from, to) };
  };
  return { train: split(0, cut), test: split(cut, rows) };
}

const numeric = (name: string): Feature => ({ name, kind: 'numeric' });

// An XOR-like interaction plus a threshold effect, and a pure-noise feature: no linear model
// ranks this well, a tree ensemble should.
const interaction = () =>
  task(
    [numeric('a'), numeric('b'), numeric('noise')],
    (rng) => [rng.normal(), rng.normal(), rng.normal()],
    ([a = 0, b = 0]) => 4 * Math.sign(a * b) + (a > 1 ? 2 : 0),
    3_000,
    11,
  );

describe('trainGbdt learns', () => {
  it('a non-linear interaction of numeric features', () => {
    const { train, test } = interaction();
    const model = trainGbdt(train.matrix, train.labels, { maxIterations: 50 });
    // The labels are drawn with |log-odds| >= 4, so about 2% are flipped; the best possible
    // AUC is about 0.98. A linear model gets about 0.5 here.
    expect(rocAuc(test.labels, model.predictLogOdds(test.matrix))).toBeGreaterThan(0.93);
    const gain = model.featureImportance().gain;
    expect(gain[2]).toBeLessThan(0.05 * ((gain[0] as number) + (gain[1] as number)));
  });

  it('from missingness alone, natively', () => {
    // The label depends only on whether `income` is missing; its value is noise.
    const { train, test } = task(
      [numeric('income')],
      (rng) => [rng.bernoulli(0.3) ? Number.NaN : rng.normal()],
      ([income = 0]) => (Number.isNaN(income) ? 2 : -2),
      3_000,
      12,
    );
    const model = trainGbdt(train.matrix, train.labels, { maxIterations: 30, learningRate: 0.3 });
    // Two groups with p = 0.88 and 0.12: the best AUC is about 0.87.
    expect(rocAuc(test.labels, model.predictLogOdds(test.matrix))).toBeGreaterThan(0.84);
    const probabilities = model.predictProbability(
      createFeatureMatrix([numeric('income')], [Float64Array.of(Number.NaN, 0.5)]),
    );
    expect(probabilities[0]).toBeGreaterThan(0.8);
    expect(probabilities[1]).toBeLessThan(0.2);
  });

  it('a subset of categories that no ordering of the codes separates, with partition splits', () => {
    const categories = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const good = new Set([1, 4, 6]);
    const { train, test } = task(
      [{ name: 'plan', kind: 'categorical', categories }, numeric('noise')],
      (rng) => [rng.int(0, categories.length), rng.normal()],
      ([plan = 0]) => (good.has(plan) ? 1.5 : -1.5),
      3_000,
      13,
    );
    // One split per tree, so the first split must be the subset itself.
    const model = trainGbdt(train.matrix, train.labels, {
      maxIterations: 10,
      maxLeaves: 2,
      categoricalSplit: 'partition',
    });
    // The best possible AUC is about 0.82 (p = 0.82 vs 0.18).
    expect(rocAuc(test.labels, model.predictLogOdds(test.matrix))).toBeGreaterThan(0.78);
    const scores = model.predictLogOdds(
      createFeatureMatrix(train.matrix.features, [
        Float64Array.from(categories, (_, code) => code),
        new Float64Array(categories.length),
      ]),
    );
    const ranked = Array.from(scores.keys()).sort(
      (p, q) => (scores[q] as number) - (scores[p] as number),
    );
    expect(new Set(ranked.slice(0, 3))).toEqual(good);
  });
});

describe('categorical splits by default', () => {
  const categories = Array.from({ length: 8 }, (_, c) => `c${c}`);
  const plan: Feature = { name: 'plan', kind: 'categorical', categories };

  it('put one category against the rest', () => {
    const good = new Set([1, 4, 6]);
    const { train } = task(
      [plan],
      (rng) => [rng.int(0, categories.length)],
      ([code = 0]) => (good.has(code) ? 1.5 : -1.5),
      3_000,
      13,
    );
    const stump = trainGbdt(train.matrix, train.labels, { maxIterations: 1, maxLeaves: 2 });
    const scores = stump.predictLogOdds(
      createFeatureMatrix([plan], [Float64Array.from(categories, (_, code) => code)]),
    );
    const values = new Set(scores);
    expect(values.size).toBe(2);
    const counts = [...values].map((value) => scores.filter((score) => score === value).length);
    expect(Math.min(...counts)).toBe(1);
  });

  it('generalise better than partitions when a feature has many small categories', () => {
    // 200 landing pages of 20 training rows each that carry no signal, beside one feature that
    // does: partition splits find subsets of pages that fit the training noise.
    const pages: Feature = {
      name: 'page',
      kind: 'categorical',
      categories: Array.from({ length: 200 }, (_, c) => `p${c}`),
    };
    const { train, test } = task(
      [pages, numeric('x')],
      (rng) => [rng.int(0, 200), rng.normal()],
      ([, x = 0]) => x - 1,
      6_000,
      17,
    );
    const testAuc = (options: Partial<GbdtOptions>) =>
      rocAuc(
        test.labels,
        trainGbdt(train.matrix, train.labels, options).predictLogOdds(test.matrix),
      );
    expect(testAuc({})).toBeGreaterThan(testAuc({ categoricalSplit: 'partition' }) + 0.01);
  });
});

describe('tree growth', () => {
  const { train } = interaction();

  /** Leaf count, deepest leaf and smallest leaf of each tree. */
  const shapes = (options: Partial<GbdtOptions>) =>
    trainGbdt(train.matrix, train.labels, { maxIterations: 10, ...options })
      .toJSON()
      .trees.map((tree) => {
        const depth = new Array<number>(tree.feature.length).fill(0);
        tree.feature.forEach((feature, node) => {
          if (feature < 0) return;
          depth[tree.left[node] as number] = (depth[node] as number) + 1;
          depth[tree.right[node] as number] = (depth[node] as number) + 1;
        });
        const leaves = tree.feature.flatMap((feature, node) => (feature < 0 ? [node] : []));
        return {
          leaves: leaves.length,
          depth: Math.max(...leaves.map((leaf) => depth[leaf] as number)),
          smallest: Math.min(...leaves.map((leaf) => tree.cover[leaf] as number)),
        };
      });

  it('grows best-first up to maxLeaves, every leaf holding minSamplesLeaf rows', () => {
    const trees = shapes({ maxLeaves: 6, minSamplesLeaf: 40 });
    expect(Math.max(...trees.map((tree) => tree.leaves))).toBe(6);
    expect(Math.min(...trees.map((tree) => tree.smallest))).toBeGreaterThanOrEqual(40);
  });

  it('stops at maxDepth before maxLeaves', () => {
    const trees = shapes({ maxLeaves: 6, maxDepth: 2 });
    expect(Math.max(...trees.map((tree) => tree.depth))).toBe(2);
    expect(Math.max(...trees.map((tree) => tree.leaves))).toBeLessThanOrEqual(4);
  });

  it('starts from the log-odds of the base rate', () => {
    const positives = train.labels.reduce((sum, label) => sum + label, 0);
    const model = trainGbdt(train.matrix, train.labels, { maxIterations: 1 });
    expect(model.baseLogOdds).toBeCloseTo(
      Math.log(positives / (train.labels.length - positives)),
      12,
    );
  });
});

describe('values never seen in training', () => {
  // One split per model, so each test reads the side a value was sent to off its score.
  const stump = { maxIterations: 5, maxLeaves: 2, learningRate: 0.5, minSamplesLeaf: 5 };

  it('send a missing value to the larger side when training had none', () => {
    // 30% of rows (x < 0) convert; nothing is missing, so NaN must follow the 70%.
    const x = Float64Array.from({ length: 1_000 }, (_, i) => (i < 300 ? -1 - (i % 7) : i % 11));
    const labels = Uint8Array.from(x, (value) => (value < 0 ? 1 : 0));
    const model = trainGbdt(createFeatureMatrix([numeric('x')], [x]), labels, stump);
    const [missing, large, small] = model.predictLogOdds(
      createFeatureMatrix([numeric('x')], [Float64Array.of(Number.NaN, 5, -3)]),
    );
    expect(missing).toBe(large);
    expect(missing).not.toBe(small);
  });

  it('send a missing or unseen category to the larger side', () => {
    // Codes 0 and 1 seen (1 converts, 30% of rows), code 2 never seen, no missing codes.
    const plan: Feature = { name: 'plan', kind: 'categorical', categories: ['a', 'b', 'c'] };
    const codes = Float64Array.from({ length: 1_000 }, (_, i) => (i < 300 ? 1 : 0));
    const labels = Uint8Array.from(codes, (code) => code);
    const model = trainGbdt(createFeatureMatrix([plan], [codes]), labels, stump);
    const [missing, seenLarge, seenSmall, unseen] = model.predictLogOdds(
      createFeatureMatrix([plan], [Float64Array.of(Number.NaN, 0, 1, 2)]),
    );
    expect(missing).toBe(seenLarge);
    expect(unseen).toBe(seenLarge);
    expect(seenSmall).not.toBe(seenLarge);
  });
});

describe('trainGbdt is deterministic', () => {
  const { train } = interaction();
  const subsampled = { maxIterations: 5, rowSubsample: 0.5, featureSubsample: 0.7 };

  it('gives identical JSON for identical input and options', () => {
    const first = JSON.stringify(trainGbdt(train.matrix, train.labels, { ...subsampled, seed: 4 }));
    const second = JSON.stringify(
      trainGbdt(train.matrix, train.labels, { ...subsampled, seed: 4 }),
    );
    expect(second).toBe(first);
  });

  it('gives different trees for a different seed when subsampling', () => {
    const first = JSON.stringify(trainGbdt(train.matrix, train.labels, { ...subsampled, seed: 4 }));
    const other = JSON.stringify(trainGbdt(train.matrix, train.labels, { ...subsampled, seed: 5 }));
    expect(other).not.toBe(first);
  });
});

describe('histogram threads', () => {
  it('give the very same trees as one thread', () => {
    // Threads share nodes of two chunks of 16,384 rows or more: this data set is large enough
    // for a root cut in two. Feature subsampling leaves gaps in the feature list.
    const { train } = task(
      [numeric('a'), numeric('b'), numeric('c'), numeric('d'), numeric('e')],
      (rng) => [rng.normal(), rng.normal(), rng.normal(), rng.normal(), rng.normal()],
      ([a = 0, b = 0, c = 0]) => a - b * c,
      51_000,
      15,
    );
    const options = { maxIterations: 3, featureSubsample: 0.8, earlyStopping: false, seed: 9 };
    const single = trainGbdt(train.matrix, train.labels, { ...options, threads: 1 }).toJSON();
    const threaded = trainGbdt(train.matrix, train.labels, { ...options, threads: 3 }).toJSON();
    expect(threaded.trees).toEqual(single.trees);
    expect(threaded.options.threads).toBe(3);
  });
});

describe('early stopping', () => {
  it('stops before maxIterations on a noisy task and keeps the best round', () => {
    // A weak signal under heavy noise: the validation loss bottoms out after a few rounds.
    const { train } = task(
      [numeric('weak'), numeric('noise1'), numeric('noise2')],
      (rng) => [rng.normal(), rng.normal(), rng.normal()],
      ([weak = 0]) => 0.3 * weak,
      6_000,
      14,
    );
    const maxIterations = 200;
    const model = trainGbdt(train.matrix, train.labels, {
      maxIterations,
      earlyStopping: true,
      learningRate: 0.3,
      nIterNoChange: 5,
    });
    const { iterations, bestIteration, validationLoss } = model.report;
    expect(iterations).toBeLessThan(maxIterations);
    expect(iterations).toBe(bestIteration + 5);
    expect(model.treeCount).toBe(bestIteration);
    const losses = validationLoss ?? [];
    expect(losses).toHaveLength(iterations);
    expect(Math.min(...losses)).toBe(losses[bestIteration - 1]);
  });

  it("is on by default ('auto') only above 10,000 rows", () => {
    const { train } = interaction();
    const model = trainGbdt(train.matrix, train.labels, { maxIterations: 3 });
    expect(model.report.validationLoss).toBeNull();
    expect(model.report.iterations).toBe(3);
  });
});

describe('trainGbdt rejects bad input', () => {
  const matrix = createFeatureMatrix([numeric('x')], [Float64Array.of(1, 2, 3, 4)]);

  it.each([
    ['labels of one class only', matrix, Uint8Array.of(1, 1, 1, 1), /only positives \(1\)/],
    [
      'labels of the wrong length',
      matrix,
      Uint8Array.of(0, 1, 0),
      /labels has 3 entries .* 4 rows/,
    ],
    ['labels other than 0 and 1', matrix, Uint8Array.of(0, 1, 2, 0), /labels\[2\] is 2/],
    [
      'zero rows',
      createFeatureMatrix([numeric('x')], [new Float64Array(0)]),
      new Uint8Array(0),
      /no rows/,
    ],
  ])('%s', (_, data, labels, message) => {
    expect(() => trainGbdt(data, labels)).toThrow(GbdtInputError);
    expect(() => trainGbdt(data, labels)).toThrow(message);
  });

  it('options out of range, naming the option', () => {
    const labels = Uint8Array.of(0, 1, 0, 1);
    expect(() => trainGbdt(matrix, labels, { maxLeaves: 1 })).toThrow(/options\.maxLeaves/);
    expect(() => trainGbdt(matrix, labels, { maxBins: 256 })).toThrow(/options\.maxBins/);
    expect(() => trainGbdt(matrix, labels, { rowSubsample: 0 })).toThrow(/options\.rowSubsample/);
    const categoricalSplit = 'one-hot' as GbdtOptions['categoricalSplit'];
    expect(() => trainGbdt(matrix, labels, { categoricalSplit })).toThrow(
      /options\.categoricalSplit must be 'one-vs-rest' or 'partition'/,
    );
  });

  it('categorical codes that are not codes, naming the feature and row', () => {
    const plan: Feature = { name: 'plan', kind: 'categorical', categories: ['a', 'b'] };
    const bad = createFeatureMatrix([plan], [Float64Array.of(0, 1, 2, 0)]);
    expect(() => trainGbdt(bad, Uint8Array.of(0, 1, 0, 1))).toThrow(/"plan" has code 2 at row 2/);
  });

  it('more categories than maxBins', () => {
    const many: Feature = {
      name: 'city',
      kind: 'categorical',
      categories: Array.from({ length: 40 }, (_, c) => `c${c}`),
    };
    const data = createFeatureMatrix([many], [Float64Array.of(0, 1, 2, 3)]);
    expect(() => trainGbdt(data, Uint8Array.of(0, 1, 0, 1), { maxBins: 32 })).toThrow(
      /"city" has 40 categories; at most maxBins \(32\)/,
    );
  });
});
