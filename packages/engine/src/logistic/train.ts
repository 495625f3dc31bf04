import type { FeatureMatrix, Labels } from '../matrix.js';
import { encodeDesign } from './design.js';
import { designColumnNames, fitEncoders } from './encoders.js';
import { LogisticInputError } from './errors.js';
import { checkLabels, checkMatrixShape, checkUniqueNames } from './input-checks.js';
import { minimiseLbfgs } from './lbfgs.js';
import { LogisticModel } from './logistic-model.js';
import { createLogisticObjective } from './objective.js';
import { type LogisticOptions, resolveLogisticOptions } from './options.js';

/** L-BFGS memory: 10 pairs is scikit-learn's (scipy's) default and plenty for this objective. */
const LBFGS_MEMORY = 10;

/**
 * Fits an L2-regularised logistic regression with the same objective as scikit-learn's
 * `LogisticRegression(C, penalty='l2')`: `C · Σ logloss + ½‖w‖²`, intercept not penalised,
 * minimised by L-BFGS. Numeric features are median-imputed (plus an "is missing" column when
 * training had gaps) and standardised; categorical features are one-hot encoded (see
 * `encoders.ts`). The fit is deterministic.
 *
 * @throws LogisticInputError for zero rows, a label count that does not match, labels other
 *   than 0/1 or of one class only, duplicate feature names, invalid cells or invalid options.
 *
 * @example
 * import { createFeatureMatrix, trainLogistic } from '@leadscore/engine';
 *
 * const matrix = createFeatureMatrix(
 *   [
 *     { name: 'visits', kind: 'numeric' },
 *     { name: 'source', kind: 'categorical', categories: ['ads', 'organic'] },
 *   ],
 *   [Float64Array.of(1, 7, NaN, 4, 9, 2), Float64Array.of(0, 1, 1, 0, 1, NaN)],
 * );
 * const model = trainLogistic(matrix, Uint8Array.of(0, 1, 0, 1, 1, 0));
 * model.training.converged; // true
 * model.coefficients().get('source=organic'); // the log-odds shift of an organic lead
 * model.explain(matrix, 1); // { baseValue, contributions: [visits, source] }
 */
export function trainLogistic(
  matrix: FeatureMatrix,
  labels: Labels,
  options?: Partial<LogisticOptions>,
): LogisticModel {
  const resolved = resolveLogisticOptions(options);
  checkMatrixShape(matrix);
  if (matrix.rows === 0) throw new LogisticInputError('The matrix has no rows to train on');
  checkLabels(labels, matrix.rows);
  checkUniqueNames(
    matrix.features.map(({ name }) => name),
    'Feature',
  );

  const encoders = fitEncoders(matrix);
  checkUniqueNames(
    designColumnNames(matrix.features, encoders),
    'Design column',
    ': rename a feature so that it does not read like another feature and one of its levels',
  );
  const design = encodeDesign(matrix, encoders);
  const sampleWeights = sampleWeightsFor(labels, resolved.classWeight);
  let totalWeight = 0;
  for (const weight of sampleWeights) totalWeight += weight;
  // scikit-learn's tolerance applies to the objective divided by C · Σ s_i (a mean log-loss).
  const scale = resolved.C * totalWeight;
  const objective = createLogisticObjective(design, labels, sampleWeights, resolved.C);
  const result = minimiseLbfgs(objective, new Float64Array(objective.dimension), {
    memory: LBFGS_MEMORY,
    maxIterations: resolved.maxIterations,
    gradientTolerance: resolved.tolerance * scale,
  });
  return new LogisticModel({
    features: matrix.features,
    encoders,
    intercept: result.x[design.columnCount] as number,
    weights: result.x.slice(0, design.columnCount),
    options: resolved,
    training: {
      iterations: result.iterations,
      converged: result.converged,
      finalGradientNorm: result.gradientNorm / scale,
      loss: result.value,
    },
  });
}

/** 1 for every row, or scikit-learn's balanced weights `rows / (2 · rows of the class)`. */
function sampleWeightsFor(
  labels: Labels,
  classWeight: LogisticOptions['classWeight'],
): Float64Array {
  const weights = new Float64Array(labels.length).fill(1);
  if (classWeight === 'none') return weights;
  let positives = 0;
  for (const label of labels) positives += label;
  const byClass = [
    labels.length / (2 * (labels.length - positives)),
    labels.length / (2 * positives),
  ];
  labels.forEach((label, i) => {
    weights[i] = byClass[label] as number;
  });
  return weights;
}
