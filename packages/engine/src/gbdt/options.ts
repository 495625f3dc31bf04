/**
 * The knobs of {@link trainGbdt}, their defaults and their checks. Names and defaults follow
 * scikit-learn's HistGradientBoostingClassifier where it has the same knob, LightGBM's where
 * it does not.
 */
import { GbdtInputError } from './errors.js';
import type { CategoricalSplit } from './split-finder.js';

export interface GbdtOptions {
  /** Boosting rounds (trees), an upper bound when early stopping is on. */
  readonly maxIterations: number;
  /** Shrinkage applied to every leaf value. */
  readonly learningRate: number;
  /** Leaves per tree; trees grow best-first (leaf-wise) until they have this many. */
  readonly maxLeaves: number;
  /** Deepest split level (the root is depth 0); `null` for no limit beyond `maxLeaves`. */
  readonly maxDepth: number | null;
  /** Quantile bins per numeric feature (2…255); missing values get a bin of their own. */
  readonly maxBins: number;
  /**
   * How a categorical feature splits a node. 'one-vs-rest' (default): one category (or missing)
   * against the rest, as trees on one-hot columns split. 'partition': any subset of the
   * categories, found by ordering them on the node's gradients; fewer trees for the same fit,
   * but the order is read off the very rows it is then scored on, so with many categories and
   * few rows each (landing pages, campaigns) it overfits: 5-fold CV ROC AUC on Olist's 495
   * landing pages fell from 0.666 to 0.649 with it.
   */
  readonly categoricalSplit: CategoricalSplit;
  /**
   * L2 penalty (lambda) on leaf values: a leaf's value is -G / (H + lambda). Default 1, not
   * scikit-learn's 0: under log loss a nearly pure leaf has a hessian sum near 0, so with no
   * penalty its value runs off towards ±infinity on small lead tables. One unit of hessian is
   * a weak prior that large leaves do not notice (H is in the hundreds there).
   */
  readonly l2Regularization: number;
  /** Fewest training rows a leaf may hold. */
  readonly minSamplesLeaf: number;
  /** Smallest hessian sum a leaf may hold. */
  readonly minHessianLeaf: number;
  /** A split must reduce the loss by more than this (in the units of {@link splitGain}). */
  readonly minGainToSplit: number;
  /** Share of training rows each tree sees, drawn without replacement. */
  readonly rowSubsample: number;
  /** Share of features each tree may split on, drawn without replacement. */
  readonly featureSubsample: number;
  /** Hold out a validation set and stop when its log loss stops improving; 'auto': rows > 10,000. */
  readonly earlyStopping: 'auto' | boolean;
  /** Share of rows held out (stratified) for early stopping. */
  readonly validationFraction: number;
  /** Rounds without an improvement of more than `tolerance` before stopping. */
  readonly nIterNoChange: number;
  /** Smallest drop in validation log loss that counts as an improvement. */
  readonly tolerance: number;
  /** Seeds the validation split and the row and feature subsampling. */
  readonly seed: number;
  /**
   * Threads that share the work of growing each tree (Node.js worker threads; 1 = none): large
   * nodes are loaded, histogrammed and split in row chunks. The model is the same for any
   * count. Worth it for large tables only: nodes under 32,768 rows stay on one thread.
   */
  readonly threads: number;
}

export const DEFAULT_GBDT_OPTIONS: GbdtOptions = Object.freeze({
  maxIterations: 100,
  learningRate: 0.1,
  maxLeaves: 31,
  maxDepth: null,
  maxBins: 255,
  categoricalSplit: 'one-vs-rest',
  l2Regularization: 1,
  minSamplesLeaf: 20,
  minHessianLeaf: 1e-3,
  minGainToSplit: 0,
  rowSubsample: 1,
  featureSubsample: 1,
  earlyStopping: 'auto',
  validationFraction: 0.1,
  nIterNoChange: 10,
  tolerance: 1e-7,
  seed: 0,
  threads: 1,
});

/** Above this many rows, `earlyStopping: 'auto'` turns early stopping on (as scikit-learn). */
export const AUTO_EARLY_STOPPING_MIN_ROWS = 10_000;

/** The largest `maxBins`: bin 255 of the one-byte bin codes is kept for missing values. */
export const MAX_BINS = 255;

/** Defaults filled in and every value checked; throws {@link GbdtInputError} naming the option. */
export function resolveGbdtOptions(options: Partial<GbdtOptions> = {}): GbdtOptions {
  const resolved: GbdtOptions = { ...DEFAULT_GBDT_OPTIONS, ...options };
  checkInteger('maxIterations', resolved.maxIterations, 1, Number.MAX_SAFE_INTEGER);
  checkInteger('maxLeaves', resolved.maxLeaves, 2, 65_536);
  if (resolved.maxDepth !== null) checkInteger('maxDepth', resolved.maxDepth, 1, 1_000);
  checkInteger('maxBins', resolved.maxBins, 2, MAX_BINS);
  checkInteger('minSamplesLeaf', resolved.minSamplesLeaf, 1, Number.MAX_SAFE_INTEGER);
  checkInteger('nIterNoChange', resolved.nIterNoChange, 1, Number.MAX_SAFE_INTEGER);
  checkInteger('threads', resolved.threads, 1, 64);
  checkNumber('learningRate', resolved.learningRate, { above: 0 });
  checkNumber('l2Regularization', resolved.l2Regularization, { atLeast: 0 });
  checkNumber('minHessianLeaf', resolved.minHessianLeaf, { atLeast: 0 });
  checkNumber('minGainToSplit', resolved.minGainToSplit, { atLeast: 0 });
  checkNumber('tolerance', resolved.tolerance, { atLeast: 0 });
  checkNumber('rowSubsample', resolved.rowSubsample, { above: 0, atMost: 1 });
  checkNumber('featureSubsample', resolved.featureSubsample, { above: 0, atMost: 1 });
  checkNumber('validationFraction', resolved.validationFraction, { above: 0, below: 1 });
  if (!Number.isSafeInteger(resolved.seed)) {
    throw new GbdtInputError(
      `trainGbdt: options.seed must be a safe integer, got ${resolved.seed}`,
    );
  }
  if (resolved.categoricalSplit !== 'one-vs-rest' && resolved.categoricalSplit !== 'partition') {
    throw new GbdtInputError(
      `trainGbdt: options.categoricalSplit must be 'one-vs-rest' or 'partition', got ${String(resolved.categoricalSplit)}`,
    );
  }
  if (resolved.earlyStopping !== 'auto' && typeof resolved.earlyStopping !== 'boolean') {
    throw new GbdtInputError(
      `trainGbdt: options.earlyStopping must be 'auto', true or false, got ${String(resolved.earlyStopping)}`,
    );
  }
  return Object.freeze(resolved);
}

function checkInteger(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new GbdtInputError(
      `trainGbdt: options.${name} must be an integer in [${min}, ${max}], got ${String(value)}`,
    );
  }
}

interface Bounds {
  readonly above?: number;
  readonly atLeast?: number;
  readonly below?: number;
  readonly atMost?: number;
}

function checkNumber(name: string, value: unknown, bounds: Bounds): void {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (bounds.above === undefined || value > bounds.above) &&
    (bounds.atLeast === undefined || value >= bounds.atLeast) &&
    (bounds.below === undefined || value < bounds.below) &&
    (bounds.atMost === undefined || value <= bounds.atMost);
  if (!ok) {
    const rules = [
      bounds.above !== undefined && `> ${bounds.above}`,
      bounds.atLeast !== undefined && `>= ${bounds.atLeast}`,
      bounds.below !== undefined && `< ${bounds.below}`,
      bounds.atMost !== undefined && `<= ${bounds.atMost}`,
    ].filter(Boolean);
    throw new GbdtInputError(
      `trainGbdt: options.${name} must be a finite number ${rules.join(' and ')}, got ${String(value)}`,
    );
  }
}
