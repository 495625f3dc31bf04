/**
 * Gradient boosting for binary classification under log loss: each round fits a histogram
 * tree to the gradients and hessians of the current log-odds, with optional early stopping on
 * a stratified validation hold-out.
 */
import type { FeatureMatrix, Labels } from '../matrix.js';
import { createRng, type Rng } from '../random.js';
import { binMatrix, fitBinMapper } from './bin-mapper.js';
import { GbdtInputError } from './errors.js';
import { GbdtModel, type GbdtTrainingReport } from './model.js';
import { NodeRows } from './node-rows.js';
import { AUTO_EARLY_STOPPING_MIN_ROWS, type GbdtOptions, resolveGbdtOptions } from './options.js';
import { stratifiedHoldOut, subsampleFeatures, subsampleRows } from './sampling.js';
import { ThreadedTreeWork } from './threaded-tree-work.js';
import type { Tree } from './tree.js';
import {
  addBinnedPredictions,
  addLeafValues,
  type GrowerData,
  type GrownTree,
  TreeGrower,
} from './tree-grower.js';
import { LocalTreeWork } from './tree-work.js';

/**
 * Trains a gradient-boosted tree model that predicts the log-odds of `labels` (1 = converted)
 * from `matrix`. Missing values (NaN) and categorical codes are handled natively. The result
 * depends only on the inputs and `options.seed`.
 *
 * @example
 * import { createFeatureMatrix, trainGbdt } from '@leadscore/engine';
 *
 * const visits = Float64Array.from({ length: 200 }, (_, i) => i % 10);
 * const labels = Uint8Array.from(visits, (v) => (v >= 5 ? 1 : 0));
 * const matrix = createFeatureMatrix([{ name: 'visits', kind: 'numeric' }], [visits]);
 * const model = trainGbdt(matrix, labels, { maxIterations: 20, minSamplesLeaf: 5 });
 * model.predictProbability(matrix)[9]; // about 0.9: nine visits
 * model.explain(matrix, 9).contributions[0]; // > 0: the visits pushed the score up
 */
export function trainGbdt(
  matrix: FeatureMatrix,
  labels: Labels,
  options: Partial<GbdtOptions> = {},
): GbdtModel {
  const settings = resolveGbdtOptions(options);
  checkTrainingData(matrix, labels);
  const rng = createRng(settings.seed);
  const earlyStopping =
    settings.earlyStopping === 'auto'
      ? matrix.rows > AUTO_EARLY_STOPPING_MIN_ROWS
      : settings.earlyStopping;
  const { train, validation } = earlyStopping
    ? stratifiedHoldOut(labels, settings.validationFraction, rng)
    : { train: allRows(matrix.rows), validation: new Uint32Array(0) };
  if (earlyStopping && validation.length === 0) {
    throw new GbdtInputError(
      `trainGbdt: validationFraction ${settings.validationFraction} of ${matrix.rows} rows holds out no row for early stopping; raise it or turn earlyStopping off`,
    );
  }

  const threaded = settings.threads > 1;
  // With worker threads, everything they read lives in SharedArrayBuffers.
  const allocate = (bytes: number) =>
    threaded ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  const mapper = fitBinMapper(matrix, train, settings.maxBins, rng);
  const categorical = Uint8Array.from(matrix.features, (f) => (f.kind === 'categorical' ? 1 : 0));
  const baseLogOdds = baseRateLogOdds(labels, train);
  const data: GrowerData = {
    binned: binMatrix(matrix, mapper, threaded),
    labels: new Uint8Array(allocate(matrix.rows)),
    logOdds: new Float64Array(allocate(matrix.rows * 8)).fill(baseLogOdds),
    featureCount: matrix.features.length,
    layout: { binCounts: mapper.binCounts, categorical },
    edges: mapper.edges,
  };
  data.labels.set(labels);
  const nodeRows = NodeRows.allocate(data.binned.stride, train.length, threaded);
  const work = threaded
    ? new ThreadedTreeWork(data, nodeRows, data.featureCount, settings.threads)
    : new LocalTreeWork(data.featureCount);
  try {
    const grower = new TreeGrower(data, settings, nodeRows, work);
    const trees = boost(settings, data, grower, train, validation, rng);
    return new GbdtModel({
      features: matrix.features,
      options: settings,
      baseLogOdds,
      report: trees.report,
      trees: trees.kept,
    });
  } finally {
    work.close();
  }
}

/**
 * The boosting rounds, early stopping included (`validation` is empty when it is off): the
 * trees to keep and how training went.
 */
function boost(
  settings: GbdtOptions,
  data: GrowerData,
  grower: TreeGrower,
  train: Uint32Array,
  validation: Uint32Array,
  rng: Rng,
): { kept: Tree[]; report: GbdtTrainingReport } {
  const earlyStopping = validation.length > 0;
  const { labels, logOdds } = data;
  const allFeatures = Int32Array.from({ length: data.featureCount }, (_, j) => j);
  const trees: Tree[] = [];
  const validationLoss: number[] = [];
  let best = { iteration: 0, loss: Number.POSITIVE_INFINITY };

  for (let iteration = 1; iteration <= settings.maxIterations; iteration++) {
    const treeFeatures =
      settings.featureSubsample < 1
        ? subsampleFeatures(data.featureCount, settings.featureSubsample, rng)
        : allFeatures;
    let grown: GrownTree;
    if (settings.rowSubsample < 1) {
      grown = grower.grow(subsampleRows(train, settings.rowSubsample, rng), treeFeatures);
      addBinnedPredictions(grown, data.binned, train, logOdds);
    } else {
      grown = grower.grow(train, treeFeatures);
      addLeafValues(grown, logOdds);
    }
    trees.push(grown.tree);

    if (!earlyStopping) continue;
    addBinnedPredictions(grown, data.binned, validation, logOdds);
    const loss = meanLogLoss(labels, validation, logOdds);
    validationLoss.push(loss);
    if (loss < best.loss - settings.tolerance) best = { iteration, loss };
    if (iteration - best.iteration >= settings.nIterNoChange) break;
  }

  const kept = earlyStopping ? Math.max(1, best.iteration) : trees.length;
  return {
    kept: trees.slice(0, kept),
    report: {
      iterations: trees.length,
      bestIteration: kept,
      validationLoss: earlyStopping ? validationLoss : null,
    },
  };
}

function checkTrainingData(matrix: FeatureMatrix, labels: Labels): void {
  if (matrix.rows === 0) throw new GbdtInputError('trainGbdt: the matrix has no rows');
  if (matrix.features.length === 0)
    throw new GbdtInputError('trainGbdt: the matrix has no features');
  if (labels.length !== matrix.rows) {
    throw new GbdtInputError(
      `trainGbdt: labels has ${labels.length} entries but the matrix has ${matrix.rows} rows`,
    );
  }
  let positives = 0;
  for (let row = 0; row < labels.length; row++) {
    const label = labels[row] as number;
    if (label > 1) {
      throw new GbdtInputError(`trainGbdt: labels[${row}] is ${label}; labels must be 0 or 1`);
    }
    positives += label;
  }
  if (positives === 0 || positives === labels.length) {
    throw new GbdtInputError(
      `trainGbdt: labels holds only ${positives === 0 ? 'negatives (0)' : 'positives (1)'}; both classes are needed to learn anything`,
    );
  }
}

function allRows(count: number): Uint32Array {
  const rows = new Uint32Array(count);
  for (let row = 0; row < count; row++) rows[row] = row;
  return rows;
}

function baseRateLogOdds(labels: Labels, rows: Uint32Array): number {
  let positives = 0;
  for (let k = 0; k < rows.length; k++) positives += labels[rows[k] as number] as number;
  return Math.log(positives / (rows.length - positives));
}

/** Mean log loss over `rows`, from log-odds, without forming probabilities that round to 0/1. */
function meanLogLoss(labels: Labels, rows: Uint32Array, logOdds: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k] as number;
    const z = logOdds[row] as number;
    // −log σ(z) for a positive, −log(1 − σ(z)) = −log σ(−z) for a negative: softplus(∓z).
    const signed = labels[row] === 1 ? -z : z;
    sum += Math.max(signed, 0) + Math.log1p(Math.exp(-Math.abs(signed)));
  }
  return sum / rows.length;
}
