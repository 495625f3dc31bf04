import { describe, expect, it } from 'vitest';
import { createFeatureMatrix, type Feature } from '../matrix.js';
import { sigmoid } from '../model.js';
import { createRng } from '../random.js';
import { LogisticInputError } from './errors.js';
import { trainLogistic } from './train.js';

const PLAN: Feature = {
  name: 'plan',
  kind: 'categorical',
  // 'enterprise' never occurs in the training rows.
  categories: ['free', 'basic', 'pro', 'enterprise'],
};
const REFERENCE_FEATURES: Feature[] = [
  { name: 'visits', kind: 'numeric' },
  { name: 'revenue', kind: 'numeric' },
  PLAN,
];
// 24 rows drawn once with numpy (default_rng(7)) and pinned: visits has 4 gaps (an even count of
// 20 present values, so the median is a mean of two), plan has 3 gaps.
const NA = Number.NaN;
const reference = createFeatureMatrix(REFERENCE_FEATURES, [
  Float64Array.of(
    5.0,
    4.0,
    NA,
    5.2,
    3.3,
    7.1,
    5.4,
    4.9,
    1.4,
    NA,
    1.5,
    5.6,
    4.8,
    1.1,
    5.6,
    NA,
    2.5,
    9.3,
    4.6,
    5.3,
    NA,
    1.1,
    5.5,
    17.4,
  ),
  Float64Array.of(
    26.0,
    51.5,
    61.5,
    46.2,
    63.7,
    48.7,
    63.3,
    78.8,
    36.5,
    54.1,
    40.7,
    52.5,
    26.3,
    38.4,
    46.1,
    68.0,
    72.9,
    23.5,
    34.1,
    62.9,
    10.2,
    40.7,
    48.1,
    75.1,
  ),
  Float64Array.of(1, 2, 1, 2, NA, 1, 0, 0, 1, 0, 2, NA, 0, 1, 0, 0, 1, 2, NA, 1, 1, 1, 0, 1),
]);
const referenceLabels = Uint8Array.of(
  1,
  1,
  1,
  0,
  0,
  1,
  1,
  0,
  1,
  0,
  1,
  1,
  0,
  0,
  1,
  0,
  0,
  1,
  0,
  0,
  0,
  0,
  0,
  1,
);

/*
 * scikit-learn 1.2.1 (Debian's /usr/bin/python3) on the data above, as a pipeline equal to our
 * design matrix:
 *   ColumnTransformer([
 *     ('num', Pipeline([SimpleImputer(strategy='median'), StandardScaler()]), ['visits', 'revenue']),
 *     ('missing', MissingIndicator(features='missing-only'), ['visits', 'revenue']),
 *     ('cat', Pipeline([SimpleImputer(strategy='constant', fill_value='__missing__'),
 *                       OneHotEncoder(handle_unknown='ignore', sparse_output=False)]), ['plan'])])
 * then LogisticRegression(C=…, class_weight=…, solver='newton-cholesky', tol=1e-14): the
 * Newton solver reaches a gradient of ~1e-15, where the default lbfgs stops near 1e-5.
 * Printed with repr(); new-row log-odds from decision_function.
 */
const SKLEARN_C1 = {
  intercept: -0.047999130995981736,
  coefficients: {
    visits: 0.7080091396745347,
    revenue: -0.11037150134058918,
    'visits is missing': -0.4101343515535408,
    'plan=basic': 0.13600309742337377,
    'plan=free': -0.45392191326562487,
    'plan=pro': 0.53503935925548,
    'plan is missing': -0.21712054341322898,
  },
};
const SKLEARN_C01_BALANCED = {
  intercept: 0.009718588849460478,
  coefficients: {
    visits: 0.2410845964085903,
    revenue: -0.05239519506571026,
    'visits is missing': -0.07406587639911061,
    'plan=basic': 0.03132703990244501,
    'plan=free': -0.10153539298443996,
    'plan=pro': 0.10340839440288573,
    'plan is missing': -0.033200041320890786,
  },
};

function expectCoefficients(
  model: ReturnType<typeof trainLogistic>,
  expected: typeof SKLEARN_C1,
  tolerance: number,
): void {
  expect(model.intercept).toBeCloseTo(expected.intercept, -Math.log10(tolerance));
  const actual = model.coefficients();
  expect([...actual.keys()].sort()).toEqual(Object.keys(expected.coefficients).sort());
  for (const [name, weight] of Object.entries(expected.coefficients)) {
    expect(Math.abs((actual.get(name) as number) - weight), name).toBeLessThan(tolerance);
  }
}

describe('trainLogistic matches scikit-learn', () => {
  it('C=1: coefficients and intercept to 1e-8 when solved tightly', () => {
    const model = trainLogistic(reference, referenceLabels, { tolerance: 1e-12 });
    expect(model.training.converged).toBe(true);
    expectCoefficients(model, SKLEARN_C1, 1e-8);
  });

  it('C=1 with default options: to 1e-4', () => {
    expectCoefficients(trainLogistic(reference, referenceLabels), SKLEARN_C1, 1e-4);
  });

  it("C=0.1 with classWeight 'balanced'", () => {
    const model = trainLogistic(reference, referenceLabels, {
      C: 0.1,
      classWeight: 'balanced',
      tolerance: 1e-12,
    });
    expectCoefficients(model, SKLEARN_C01_BALANCED, 1e-8);
  });

  it('scores new rows (a gap, an unseen level, a missing level) as scikit-learn does', () => {
    const model = trainLogistic(reference, referenceLabels, { tolerance: 1e-12 });
    const newRows = createFeatureMatrix(REFERENCE_FEATURES, [
      Float64Array.of(Number.NaN, 3),
      Float64Array.of(55, 20),
      Float64Array.of(3, Number.NaN),
    ]);
    const logOdds = model.predictLogOdds(newRows);
    expect(logOdds[0]).toBeCloseTo(-0.5129311092003297, 8);
    expect(logOdds[1]).toBeCloseTo(-0.5293457536146916, 8);
  });
});

describe('trainLogistic optimum', () => {
  it('with one binary feature and a huge C, each group gets the log-odds of its rate', () => {
    // Group 0: 3 of 10 convert; group 1: 6 of 8. Unpenalised, the MLE is exact per group.
    const x = Float64Array.from({ length: 18 }, (_, i) => (i < 10 ? 0 : 1));
    const labels = Uint8Array.from({ length: 18 }, (_, i) =>
      i < 3 || (i >= 10 && i < 16) ? 1 : 0,
    );
    const matrix = createFeatureMatrix([{ name: 'x', kind: 'numeric' }], [x]);
    const model = trainLogistic(matrix, labels, { C: 1e7, tolerance: 1e-12 });
    const logOdds = model.predictLogOdds(matrix);
    expect(model.training.converged).toBe(true);
    expect(logOdds[0]).toBeCloseTo(Math.log(0.3 / 0.7), 5);
    expect(logOdds[17]).toBeCloseTo(Math.log(0.75 / 0.25), 5);
  });

  it('satisfies the optimality conditions: the gradient vanishes at the solution', () => {
    const { matrix, labels } = syntheticLeads(2000, 11);
    const model = trainLogistic(matrix, labels);
    expect(model.training.converged).toBe(true);
    expect(model.training.finalGradientNorm).toBeLessThanOrEqual(1e-6);
    const residuals = Array.from(
      model.predictLogOdds(matrix),
      (eta, i) => sigmoid(eta) - (labels[i] as number),
    );
    // Intercept (unpenalised): C · Σ (p − y) = 0, i.e. the mean prediction is the base rate.
    expect(Math.abs(residuals.reduce((a, b) => a + b, 0)) / labels.length).toBeLessThan(1e-6);
    // A one-hot column k: w_k + C · Σ_{rows at level k} (p − y) = 0.
    const coefficients = model.coefficients();
    ['free', 'basic', 'pro'].forEach((level, code) => {
      let sum = 0;
      residuals.forEach((r, i) => {
        if (matrix.columns[1]?.[i] === code) sum += r;
      });
      const weight = coefficients.get(`plan=${level}`) as number;
      expect(Math.abs(weight + sum) / labels.length).toBeLessThan(1e-6);
    });
  });

  it('keeps weights finite and modest on perfectly separable data', () => {
    const x = Float64Array.from({ length: 40 }, (_, i) => i);
    const labels = Uint8Array.from(x, (v) => (v >= 20 ? 1 : 0));
    const matrix = createFeatureMatrix([{ name: 'x', kind: 'numeric' }], [x]);
    const model = trainLogistic(matrix, labels);
    const weight = model.coefficients().get('x') as number;
    expect(model.training.converged).toBe(true);
    expect(Number.isFinite(weight) && weight > 1 && weight < 50).toBe(true);
    const logOdds = model.predictLogOdds(matrix);
    expect(logOdds.every(Number.isFinite)).toBe(true);
    expect((logOdds[19] as number) < 0 && (logOdds[20] as number) > 0).toBe(true);
  });
});

describe('trainLogistic on data from a known logistic model', () => {
  it('recovers the weights and classifies as well as the true model', () => {
    // Nothing missing, so the true model is the best any model can do on these rows.
    const { matrix, labels, trueLogOdds } = syntheticLeads(5000, 3, 0);
    const model = trainLogistic(matrix, labels);
    const coefficients = model.coefficients();
    // visits ~ N(0, 1) with true weight 1.5; its standardised weight is 1.5 · sd ≈ 1.5.
    expect(coefficients.get('visits')).toBeCloseTo(1.5, 0);
    // Level effects are identified up to a shift: pro − free is 2 in the true model.
    const proMinusFree =
      (coefficients.get('plan=pro') as number) - (coefficients.get('plan=free') as number);
    expect(Math.abs(proMinusFree - 2)).toBeLessThan(0.3);
    const accuracy = (logOdds: ArrayLike<number>): number =>
      Array.from(labels).filter((y, i) => ((logOdds[i] as number) > 0 ? 1 : 0) === y).length /
      labels.length;
    expect(accuracy(model.predictLogOdds(matrix))).toBeGreaterThan(accuracy(trueLogOdds) - 0.01);
    expect(accuracy(model.predictLogOdds(matrix))).toBeGreaterThan(0.75);
  });
});

describe('trainLogistic input errors', () => {
  const features: Feature[] = [{ name: 'x', kind: 'numeric' }];
  const matrix = createFeatureMatrix(features, [Float64Array.of(1, 2, 3, 4)]);
  const labels = Uint8Array.of(0, 1, 0, 1);

  it.each([
    [
      'zero rows',
      createFeatureMatrix(features, [new Float64Array(0)]),
      new Uint8Array(0),
      /no rows/,
    ],
    ['a label count that does not match', matrix, Uint8Array.of(0, 1), /2 labels for 4 rows/],
    ['one class', matrix, Uint8Array.of(1, 1, 1, 1), /All 4 labels are 1; .*both classes/],
    ['a label other than 0/1', matrix, Uint8Array.of(0, 1, 2, 0), /row 2 is 2/],
    [
      'an infinite cell',
      createFeatureMatrix(features, [Float64Array.of(1, Number.POSITIVE_INFINITY, 3, 4)]),
      labels,
      /Feature "x", row 1: Infinity/,
    ],
    [
      'a bad category code',
      createFeatureMatrix([PLAN], [Float64Array.of(0, 1, 4, 2)]),
      labels,
      /Feature "plan", row 2: 4 is not a category code/,
    ],
    [
      'duplicate feature names',
      createFeatureMatrix(
        [features[0] as Feature, features[0] as Feature],
        [Float64Array.of(1, 2, 3, 4), Float64Array.of(1, 2, 3, 4)],
      ),
      labels,
      /Feature "x" appears more than once/,
    ],
  ])('rejects %s', (_, badMatrix, badLabels, message) => {
    expect(() => trainLogistic(badMatrix, badLabels)).toThrow(LogisticInputError);
    expect(() => trainLogistic(badMatrix, badLabels)).toThrow(message);
  });

  it.each([
    [{ C: 0 }, /C must be a finite number > 0/],
    [{ maxIterations: 1.5 }, /maxIterations must be an integer > 0/],
    [{ tolerance: Number.NaN }, /tolerance must be a finite number >= 0/],
    [{ classWeight: 'auto' as 'balanced' }, /classWeight must be 'none' or 'balanced'/],
  ])('rejects options %o', (options, message) => {
    expect(() => trainLogistic(matrix, labels, options)).toThrow(message);
  });

  it('reports non-convergence when the iteration limit is reached', () => {
    const model = trainLogistic(reference, referenceLabels, { maxIterations: 2 });
    expect(model.training).toMatchObject({ iterations: 2, converged: false });
    expect(model.training.finalGradientNorm).toBeGreaterThan(1e-6);
  });
});

/**
 * Leads from a known logistic model: visits ~ N(0, 1) (weight 1.5), plan uniform over
 * free/basic/pro (effects −1, 0, +1), intercept −0.5; by default 10% of visits go missing.
 */
function syntheticLeads(rows: number, seed: number, missingRate = 0.1) {
  const rng = createRng(seed);
  const visits = new Float64Array(rows);
  const plan = new Float64Array(rows);
  const trueLogOdds = new Float64Array(rows);
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const v = rng.normal();
    const code = rng.int(0, 3);
    trueLogOdds[i] = -0.5 + 1.5 * v + (code - 1);
    visits[i] = rng.bernoulli(missingRate) ? Number.NaN : v;
    plan[i] = code;
    labels[i] = rng.bernoulli(sigmoid(trueLogOdds[i] as number)) ? 1 : 0;
  }
  const matrix = createFeatureMatrix([{ name: 'visits', kind: 'numeric' }, PLAN], [visits, plan]);
  return { matrix, labels, trueLogOdds };
}
