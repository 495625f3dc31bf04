/**
 * The best split of one node, read off its histogram. Numeric features try every bin boundary
 * twice, once with missing values sent left and once right (as LightGBM and scikit-learn do).
 * Categorical features split one category (or missing) against the rest by default, as trees on
 * one-hot columns do; or, with `categoricalSplit: 'partition'`, sort their categories by
 * smoothed gradient / hessian and try every prefix of that order from either end, the classic
 * optimal partition for a convex loss.
 */
import { MISSING_BIN } from './bin-mapper.js';
import { HISTOGRAM_FEATURE_STRIDE } from './histogram.js';

/** Categories seen in fewer rows of a node than this are not ranked there and go right. */
export const MIN_CATEGORY_ROWS = 10;
/** Pseudo-hessian added when ranking categories, so that small ones do not rank on noise. */
export const CATEGORY_SMOOTHING = 10;

const MISSING_SLOT = MISSING_BIN * 3;

/** The gradient, hessian and row sums of a node. */
export interface NodeSums {
  readonly gradient: number;
  readonly hessian: number;
  readonly count: number;
}

export type CategoricalSplit = 'one-vs-rest' | 'partition';

export interface SplitRules {
  readonly categoricalSplit: CategoricalSplit;
  readonly l2Regularization: number;
  readonly minSamplesLeaf: number;
  readonly minHessianLeaf: number;
  readonly minGainToSplit: number;
}

/** What the split finder knows of each feature. */
export interface FeatureLayout {
  /** Non-missing bins per feature. */
  readonly binCounts: Int32Array;
  /** 1 where the feature is categorical. */
  readonly categorical: Uint8Array;
}

/** The best split found so far for a node; `feature` is -1 while there is none. */
export class SplitCandidate {
  gain = 0;
  feature = -1;
  /** Numeric: non-missing bins `<= binThreshold` go left. */
  binThreshold = 0;
  missingLeft = false;
  /** Categorical: bit c set when category code c goes left (256 bits). */
  readonly categoryBits = new Uint32Array(8);
  leftGradient = 0;
  leftHessian = 0;
  leftCount = 0;
}

/**
 * Loss reduction of splitting (G, H) into (G_L, H_L) and (G_R, H_R) under a second-order
 * expansion: G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ). Twice the textbook gain (the ½ is
 * dropped, as in LightGBM and scikit-learn), so `minGainToSplit` uses their units.
 */
export function splitGain(
  leftGradient: number,
  leftHessian: number,
  rightGradient: number,
  rightHessian: number,
  parentScore: number,
  l2: number,
): number {
  return (
    (leftGradient * leftGradient) / (leftHessian + l2) +
    (rightGradient * rightGradient) / (rightHessian + l2) -
    parentScore
  );
}

/** Scratch for ranking categories, reused by every categorical scan of a tree. */
export class CategoryScratch {
  readonly bins = new Int32Array(MISSING_BIN + 1);
  readonly keys = new Float64Array(MISSING_BIN + 1);
}

/**
 * Scans `features` of `histogram` and writes the best admissible split into `best` (which must
 * be fresh: `feature === -1`). Leaves `best.feature === -1` when no split gains more than
 * `rules.minGainToSplit` while keeping both children within the leaf limits.
 */
export function findBestSplit(
  histogram: Float64Array,
  sums: NodeSums,
  features: Int32Array,
  layout: FeatureLayout,
  rules: SplitRules,
  scratch: CategoryScratch,
  best: SplitCandidate,
): void {
  best.gain = rules.minGainToSplit;
  for (let j = 0; j < features.length; j++) {
    const feature = features[j] as number;
    if (layout.categorical[feature] === 0) {
      scanNumeric(histogram, feature, layout, sums, rules, best);
    } else if (rules.categoricalSplit === 'one-vs-rest') {
      scanCategoryAgainstRest(histogram, feature, layout, sums, rules, best);
    } else {
      scanCategoricalPartition(histogram, feature, layout, sums, rules, scratch, best);
    }
  }
  if (best.feature >= 0 && layout.categorical[best.feature] === 1 && best.missingLeft) {
    sendUnseenCategoriesLeft(histogram, best, layout.binCounts[best.feature] as number);
  }
}

/**
 * A category that no row of the node had is routed like a missing value: its bit joins the
 * left set when missing values go left (it is out of the set, so right, otherwise).
 */
function sendUnseenCategoriesLeft(
  histogram: Float64Array,
  best: SplitCandidate,
  binCount: number,
): void {
  const offset = best.feature * HISTOGRAM_FEATURE_STRIDE;
  const bits = best.categoryBits;
  for (let bin = 0; bin < binCount; bin++) {
    if ((histogram[offset + bin * 3 + 2] as number) === 0) {
      bits[bin >>> 5] = (bits[bin >>> 5] as number) | (1 << (bin & 31));
    }
  }
}

function scanNumeric(
  histogram: Float64Array,
  feature: number,
  layout: FeatureLayout,
  sums: NodeSums,
  rules: SplitRules,
  best: SplitCandidate,
): void {
  const offset = feature * HISTOGRAM_FEATURE_STRIDE;
  const binCount = layout.binCounts[feature] as number;
  const missingCount = histogram[offset + MISSING_SLOT + 2] as number;
  const l2 = rules.l2Regularization;
  const parentScore = (sums.gradient * sums.gradient) / (sums.hessian + l2);

  // Missing values right: left holds bins 0…b. The last boundary (all non-missing left) only
  // splits anything when there are missing values.
  const lastBoundary = missingCount > 0 ? binCount : binCount - 1;
  let gradient = 0;
  let hessian = 0;
  let count = 0;
  for (let bin = 0; bin < lastBoundary; bin++) {
    const slot = offset + bin * 3;
    gradient += histogram[slot] as number;
    hessian += histogram[slot + 1] as number;
    count += histogram[slot + 2] as number;
    if (admissible(gradient, hessian, count, sums, rules, parentScore, best)) {
      recordNumeric(best, feature, bin, missingCount > 0 ? false : count >= sums.count - count);
      recordLeftSums(best, gradient, hessian, count);
    }
  }
  if (missingCount === 0) return;

  // Missing values left: left holds the missing bin plus bins 0…b.
  gradient = histogram[offset + MISSING_SLOT] as number;
  hessian = histogram[offset + MISSING_SLOT + 1] as number;
  count = missingCount;
  for (let bin = 0; bin < binCount - 1; bin++) {
    const slot = offset + bin * 3;
    gradient += histogram[slot] as number;
    hessian += histogram[slot + 1] as number;
    count += histogram[slot + 2] as number;
    if (admissible(gradient, hessian, count, sums, rules, parentScore, best)) {
      recordNumeric(best, feature, bin, true);
      recordLeftSums(best, gradient, hessian, count);
    }
  }
}

/**
 * Left = one category alone (or the missing bin alone), right = the rest. Missing values stay
 * with the rest unless they are the category, or go to the larger side when the node has none.
 */
function scanCategoryAgainstRest(
  histogram: Float64Array,
  feature: number,
  layout: FeatureLayout,
  sums: NodeSums,
  rules: SplitRules,
  best: SplitCandidate,
): void {
  const offset = feature * HISTOGRAM_FEATURE_STRIDE;
  const binCount = layout.binCounts[feature] as number;
  const parentScore = (sums.gradient * sums.gradient) / (sums.hessian + rules.l2Regularization);
  const missingCount = histogram[offset + MISSING_SLOT + 2] as number;
  for (let bin = 0; bin <= MISSING_BIN; bin++) {
    if (bin === binCount) bin = MISSING_BIN;
    const slot = offset + bin * 3;
    const gradient = histogram[slot] as number;
    const hessian = histogram[slot + 1] as number;
    const count = histogram[slot + 2] as number;
    if (admissible(gradient, hessian, count, sums, rules, parentScore, best)) {
      recordCategories(best, feature, 1, () => bin);
      if (missingCount === 0) best.missingLeft = count >= sums.count - count;
      recordLeftSums(best, gradient, hessian, count);
    }
  }
}

function scanCategoricalPartition(
  histogram: Float64Array,
  feature: number,
  layout: FeatureLayout,
  sums: NodeSums,
  rules: SplitRules,
  scratch: CategoryScratch,
  best: SplitCandidate,
): void {
  const offset = feature * HISTOGRAM_FEATURE_STRIDE;
  const binCount = layout.binCounts[feature] as number;
  const l2 = rules.l2Regularization;
  const parentScore = (sums.gradient * sums.gradient) / (sums.hessian + l2);
  const ranked = rankCategories(histogram, offset, binCount, scratch);
  const missingCount = histogram[offset + MISSING_SLOT + 2] as number;

  // Left = the first k ranked categories (k = ranked keeps only the unranked ones right), then
  // left = the last k. Unranked categories always go right, so the two scans differ.
  for (let fromEnd = 0; fromEnd < 2; fromEnd++) {
    const prefixes = fromEnd === 0 ? ranked : ranked - 1;
    let gradient = 0;
    let hessian = 0;
    let count = 0;
    for (let k = 0; k < prefixes; k++) {
      const bin = scratch.bins[fromEnd === 0 ? k : ranked - 1 - k] as number;
      const slot = offset + bin * 3;
      gradient += histogram[slot] as number;
      hessian += histogram[slot + 1] as number;
      count += histogram[slot + 2] as number;
      if (admissible(gradient, hessian, count, sums, rules, parentScore, best)) {
        recordCategories(best, feature, k + 1, (i) => {
          const at = fromEnd === 1 ? ranked - 1 - i : i;
          return scratch.bins[at] as number;
        });
        if (missingCount === 0) best.missingLeft = count >= sums.count - count;
        recordLeftSums(best, gradient, hessian, count);
      }
    }
  }
}

/**
 * Orders the categories (and the missing bin) with at least {@link MIN_CATEGORY_ROWS} rows by
 * G / (H + smoothing) into `scratch.bins`; returns how many there are. Insertion sort: at most
 * 256 entries, and stable, so ties keep code order and the result is deterministic.
 */
function rankCategories(
  histogram: Float64Array,
  offset: number,
  binCount: number,
  scratch: CategoryScratch,
): number {
  const { bins, keys } = scratch;
  let ranked = 0;
  for (let bin = 0; bin <= MISSING_BIN; bin++) {
    if (bin === binCount) bin = MISSING_BIN;
    const slot = offset + bin * 3;
    if ((histogram[slot + 2] as number) < MIN_CATEGORY_ROWS) continue;
    const key =
      (histogram[slot] as number) / ((histogram[slot + 1] as number) + CATEGORY_SMOOTHING);
    let at = ranked++;
    while (at > 0 && (keys[at - 1] as number) > key) {
      keys[at] = keys[at - 1] as number;
      bins[at] = bins[at - 1] as number;
      at--;
    }
    keys[at] = key;
    bins[at] = bin;
  }
  return ranked;
}

/** True when the left sums leave both children within limits and beat `best.gain`. */
function admissible(
  leftGradient: number,
  leftHessian: number,
  leftCount: number,
  sums: NodeSums,
  rules: SplitRules,
  parentScore: number,
  best: SplitCandidate,
): boolean {
  const rightCount = sums.count - leftCount;
  const rightHessian = sums.hessian - leftHessian;
  if (leftCount < rules.minSamplesLeaf || rightCount < rules.minSamplesLeaf) return false;
  if (leftHessian < rules.minHessianLeaf || rightHessian < rules.minHessianLeaf) return false;
  const gain = splitGain(
    leftGradient,
    leftHessian,
    sums.gradient - leftGradient,
    rightHessian,
    parentScore,
    rules.l2Regularization,
  );
  if (!(gain > best.gain)) return false;
  best.gain = gain;
  return true;
}

function recordNumeric(
  best: SplitCandidate,
  feature: number,
  binThreshold: number,
  missingLeft: boolean,
): void {
  best.feature = feature;
  best.binThreshold = binThreshold;
  best.missingLeft = missingLeft;
}

/** Left = the bins `binAt(0) … binAt(leftSize - 1)`; the missing bin among them sends NaN left. */
function recordCategories(
  best: SplitCandidate,
  feature: number,
  leftSize: number,
  binAt: (k: number) => number,
): void {
  best.feature = feature;
  best.binThreshold = 0;
  best.missingLeft = false;
  const bits = best.categoryBits;
  bits.fill(0);
  for (let k = 0; k < leftSize; k++) {
    const bin = binAt(k);
    if (bin === MISSING_BIN) best.missingLeft = true;
    else bits[bin >>> 5] = (bits[bin >>> 5] as number) | (1 << (bin & 31));
  }
}

function recordLeftSums(
  best: SplitCandidate,
  gradient: number,
  hessian: number,
  count: number,
): void {
  best.leftGradient = gradient;
  best.leftHessian = hessian;
  best.leftCount = count;
}
