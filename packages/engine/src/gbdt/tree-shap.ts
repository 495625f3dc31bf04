/**
 * Exact path-dependent TreeSHAP: Lundberg, Erion & Lee, "Consistent Individualized Feature
 * Attribution for Tree Ensembles" (2018), Algorithm 2. Features outside a coalition follow
 * both branches weighted by the training rows that went each way (the node covers), so
 * `baseValue` is the cover-weighted mean leaf value and `baseValue + Σ φ` is the prediction.
 *
 * The "unique path" of the paper is held in four flat typed arrays, one segment of
 * `maxDepth + 2` slots per recursion level, so explaining a row allocates nothing.
 */
import { childFor, type Tree } from './tree.js';

/** Reusable working memory for explaining rows against trees no deeper than `maxDepth`. */
export class TreeShapScratch {
  readonly segment: number;
  readonly feature: Int32Array;
  readonly zeroFraction: Float64Array;
  readonly oneFraction: Float64Array;
  readonly weight: Float64Array;
  /** `inverse[k] = 1 / k`: multiplying by it keeps divisions out of the dependent chains. */
  readonly inverse: Float64Array;

  constructor(maxDepth: number) {
    // A path holds the root's dummy entry plus one entry per split above the leaf.
    this.segment = maxDepth + 2;
    const size = this.segment * (maxDepth + 2);
    this.feature = new Int32Array(size);
    this.zeroFraction = new Float64Array(size);
    this.oneFraction = new Float64Array(size);
    this.weight = new Float64Array(size);
    this.inverse = Float64Array.from({ length: this.segment + 1 }, (_, k) => 1 / k);
  }
}

/** Depth of the deepest leaf (a lone root leaf has depth 0). */
export function treeDepth(tree: Tree): number {
  const depth = new Int32Array(tree.feature.length);
  let deepest = 0;
  for (let node = 0; node < tree.feature.length; node++) {
    if ((tree.feature[node] as number) < 0) continue;
    const childDepth = (depth[node] as number) + 1;
    depth[tree.children[2 * node] as number] = childDepth;
    depth[tree.children[2 * node + 1] as number] = childDepth;
    if (childDepth > deepest) deepest = childDepth;
  }
  return deepest;
}

/** The tree's value averaged over its training rows: its part of the base value. */
export function expectedTreeValue(tree: Tree): number {
  let sum = 0;
  for (let node = 0; node < tree.feature.length; node++) {
    if ((tree.feature[node] as number) < 0) {
      sum += (tree.value[node] as number) * (tree.cover[node] as number);
    }
  }
  return sum / (tree.cover[0] as number);
}

/**
 * Adds the SHAP values of every tree for each row of `values` (row-major, `featureCount` a
 * row) to the same place in `out`.
 */
export function addEnsembleShap(
  trees: readonly Tree[],
  values: Float64Array,
  featureCount: number,
  out: Float64Array,
): void {
  const scratch = new TreeShapScratch(
    trees.reduce((deepest, t) => Math.max(deepest, treeDepth(t)), 0),
  );
  for (let at = 0; at < values.length; at += featureCount) {
    const x = values.subarray(at, at + featureCount);
    const phi = out.subarray(at, at + featureCount);
    for (const tree of trees) addTreeShap(tree, x, phi, scratch);
  }
}

/**
 * Adds the SHAP values of one tree for the row whose feature values are `x` to `phi`
 * (`phi[j]` for feature j). `scratch` must fit the tree's depth.
 */
export function addTreeShap(
  tree: Tree,
  x: Float64Array,
  phi: Float64Array,
  scratch: TreeShapScratch,
): void {
  recurse(tree, x, phi, scratch, 0, 0, 0, 1, 1, -1);
}

function recurse(
  tree: Tree,
  x: Float64Array,
  phi: Float64Array,
  scratch: TreeShapScratch,
  node: number,
  level: number,
  pathLength: number,
  zeroFraction: number,
  oneFraction: number,
  feature: number,
): void {
  const { segment, feature: pathFeature, zeroFraction: zeros, oneFraction: ones, weight } = scratch;
  // This level's path starts as a copy of the parent's, then grows by the incoming edge.
  const at = level * segment;
  if (level > 0) {
    // Paths are short (tree depth + 1): a plain loop beats four copyWithin calls.
    for (let i = 0, from = at - segment; i < pathLength; i++) {
      pathFeature[at + i] = pathFeature[from + i] as number;
      zeros[at + i] = zeros[from + i] as number;
      ones[at + i] = ones[from + i] as number;
      weight[at + i] = weight[from + i] as number;
    }
  }
  extendPath(scratch, at, pathLength, zeroFraction, oneFraction, feature);
  const last = pathLength;

  const splitFeature = tree.feature[node] as number;
  if (splitFeature < 0) {
    addLeafShap(scratch, at, last, tree.value[node] as number, phi);
    return;
  }

  const hot = childFor(tree, node, x[splitFeature] as number);
  const left = tree.children[2 * node] as number;
  const cold = hot === left ? (tree.children[2 * node + 1] as number) : left;
  const cover = tree.cover[node] as number;
  let incomingZero = 1;
  let incomingOne = 1;
  let length = last;
  // A feature met again on the path: undo its earlier entry and fold it into this one.
  for (let i = 1; i <= last; i++) {
    if (pathFeature[at + i] === splitFeature) {
      incomingZero = zeros[at + i] as number;
      incomingOne = ones[at + i] as number;
      unwindPath(scratch, at, last, i);
      length = last - 1;
      break;
    }
  }
  const hotZero = ((tree.cover[hot] as number) / cover) * incomingZero;
  const coldZero = ((tree.cover[cold] as number) / cover) * incomingZero;
  recurse(tree, x, phi, scratch, hot, level + 1, length + 1, hotZero, incomingOne, splitFeature);
  recurse(tree, x, phi, scratch, cold, level + 1, length + 1, coldZero, 0, splitFeature);
}

/** EXTEND: appends an entry at index `last` of the path and updates the permutation weights. */
function extendPath(
  scratch: TreeShapScratch,
  at: number,
  last: number,
  zeroFraction: number,
  oneFraction: number,
  feature: number,
): void {
  const { weight } = scratch;
  const inverseTotal = scratch.inverse[last + 1] as number;
  scratch.feature[at + last] = feature;
  scratch.zeroFraction[at + last] = zeroFraction;
  scratch.oneFraction[at + last] = oneFraction;
  weight[at + last] = last === 0 ? 1 : 0;
  for (let i = last - 1; i >= 0; i--) {
    weight[at + i + 1] =
      (weight[at + i + 1] as number) +
      oneFraction * (weight[at + i] as number) * (i + 1) * inverseTotal;
    weight[at + i] = zeroFraction * (weight[at + i] as number) * (last - i) * inverseTotal;
  }
}

/** UNWIND: removes entry `index` from a path whose last entry is at `last`, undoing EXTEND. */
function unwindPath(scratch: TreeShapScratch, at: number, last: number, index: number): void {
  const { feature, zeroFraction, oneFraction, weight } = scratch;
  const one = oneFraction[at + index] as number;
  const zero = zeroFraction[at + index] as number;
  let carried = weight[at + last] as number;
  for (let i = last - 1; i >= 0; i--) {
    if (one !== 0) {
      const previous = weight[at + i] as number;
      weight[at + i] = (carried * (last + 1)) / ((i + 1) * one);
      carried = previous - ((weight[at + i] as number) * zero * (last - i)) / (last + 1);
    } else {
      weight[at + i] = ((weight[at + i] as number) * (last + 1)) / (zero * (last - i));
    }
  }
  for (let i = index; i < last; i++) {
    feature[at + i] = feature[at + i + 1] as number;
    zeroFraction[at + i] = zeroFraction[at + i + 1] as number;
    oneFraction[at + i] = oneFraction[at + i + 1] as number;
  }
}

/**
 * Adds a leaf's share to every feature on its path: Σ over the path's entries of the weight the
 * path would have with that entry unwound, times (one − zero) × value. Leaves take most of
 * TreeSHAP's time, so this is the UNWIND of the paper specialised: a one-fraction is always 0
 * or 1 in path-dependent TreeSHAP, and for a 0 the unwound total does not depend on the entry
 * but for a final division by its zero-fraction, so it is computed once per leaf.
 */
function addLeafShap(
  scratch: TreeShapScratch,
  at: number,
  last: number,
  value: number,
  phi: Float64Array,
): void {
  const { feature, zeroFraction, oneFraction, weight, inverse } = scratch;
  const total = last + 1;
  let coldSum = Number.NaN;
  for (let index = 1; index <= last; index++) {
    const zero = zeroFraction[at + index] as number;
    let unwoundTotal: number;
    if ((oneFraction[at + index] as number) === 0) {
      if (Number.isNaN(coldSum)) {
        coldSum = 0;
        for (let i = last - 1; i >= 0; i--) {
          coldSum += (weight[at + i] as number) * (inverse[last - i] as number);
        }
      }
      unwoundTotal = (coldSum * total) / zero;
    } else {
      const zeroShare = zero / total;
      let carried = weight[at + last] as number;
      unwoundTotal = 0;
      for (let i = last - 1; i >= 0; i--) {
        const unwound = carried * total * (inverse[i + 1] as number);
        unwoundTotal += unwound;
        carried = (weight[at + i] as number) - unwound * zeroShare * (last - i);
      }
    }
    const j = feature[at + index] as number;
    phi[j] =
      (phi[j] as number) + unwoundTotal * ((oneFraction[at + index] as number) - zero) * value;
  }
}
