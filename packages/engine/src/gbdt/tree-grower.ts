/**
 * Grows one tree best-first (leaf-wise, as LightGBM): the leaf whose best split gains most is
 * split next, until `maxLeaves`. Each split builds the histogram of the smaller child only and
 * gets the larger one by subtracting it from the parent's.
 */
import { MISSING_BIN } from './bin-mapper.js';
import { buildHistogram, type HistogramPool, subtractHistogram } from './histogram.js';
import {
  CategoryScratch,
  type FeatureLayout,
  findBestSplit,
  type NodeSums,
  SplitCandidate,
  type SplitRules,
} from './split-finder.js';
import { CATEGORY_SET_WORDS, type Tree } from './tree.js';

/** The training data a tree is grown on. */
export interface GrowerData {
  /** Row-major bin codes of every row of the matrix. */
  readonly bins: Uint8Array;
  readonly featureCount: number;
  readonly layout: FeatureLayout;
  /** Numeric bin edges per feature (`null` for categorical), for the raw thresholds. */
  readonly edges: readonly (Float64Array | null)[];
  /** Per row of the matrix; only the rows being grown on are read. */
  readonly gradients: Float64Array;
  readonly hessians: Float64Array;
}

export interface GrowerSettings extends SplitRules {
  readonly maxLeaves: number;
  readonly maxDepth: number | null;
  readonly learningRate: number;
}

/** A grown tree with what training still needs from it. */
export interface GrownTree {
  readonly tree: Tree;
  /** Per numeric split, its bin threshold: for scoring binned rows without raw values. */
  readonly binThreshold: Uint8Array;
  /** The leaves, and where each one's rows lie in `rows` (`rows[leafStart[k]…leafEnd[k])`). */
  readonly leaves: Int32Array;
  readonly leafStart: Int32Array;
  readonly leafEnd: Int32Array;
  readonly rows: Uint32Array;
}

interface GrowingNode extends NodeSums {
  readonly id: number;
  readonly start: number;
  readonly end: number;
  readonly depth: number;
  histogram: Float64Array | null;
  readonly split: SplitCandidate;
}

export class TreeGrower {
  readonly #data: GrowerData;
  readonly #settings: GrowerSettings;
  readonly #pool: HistogramPool;
  readonly #scratch = new CategoryScratch();
  readonly #partitionScratch: Uint32Array;

  constructor(data: GrowerData, settings: GrowerSettings, pool: HistogramPool, maxRows: number) {
    this.#data = data;
    this.#settings = settings;
    this.#pool = pool;
    this.#partitionScratch = new Uint32Array(maxRows);
  }

  /**
   * Grows a tree on `rows` (ascending row indices, reordered in place so each leaf's rows end
   * up contiguous), splitting only on `features`.
   */
  grow(rows: Uint32Array, features: Int32Array): GrownTree {
    const settings = this.#settings;
    const capacity = 2 * settings.maxLeaves - 1;
    const build = new TreeArrays(capacity);
    const nodes: GrowingNode[] = [];
    const frontier: GrowingNode[] = [];

    const root = this.#newNode(nodes, build, 0, rows.length, 0, this.#rootSums(rows));
    if (this.#splittable(root)) {
      root.histogram = this.#pool.acquire();
      this.#buildHistogram(root, rows, features);
      this.#considerSplitting(root, features, frontier);
    }

    let leafCount = 1;
    while (leafCount < settings.maxLeaves && frontier.length > 0) {
      const parent = takeBest(frontier);
      const split = parent.split;
      build.setSplit(parent.id, split, this.#data.edges, this.#data.layout);
      const leftEnd = this.#partition(rows, parent, build);
      const leftSums = {
        gradient: split.leftGradient,
        hessian: split.leftHessian,
        count: leftEnd - parent.start,
      };
      const rightSums = {
        gradient: parent.gradient - split.leftGradient,
        hessian: parent.hessian - split.leftHessian,
        count: parent.end - leftEnd,
      };
      const left = this.#newNode(nodes, build, parent.start, leftEnd, parent.depth + 1, leftSums);
      const right = this.#newNode(nodes, build, leftEnd, parent.end, parent.depth + 1, rightSums);
      build.left[parent.id] = left.id;
      build.right[parent.id] = right.id;
      leafCount++;

      const room = leafCount < settings.maxLeaves;
      const splitLeft = room && this.#splittable(left);
      const splitRight = room && this.#splittable(right);
      const parentHistogram = parent.histogram as Float64Array;
      parent.histogram = null;
      if (splitLeft || splitRight) {
        const [smaller, larger] = left.count <= right.count ? [left, right] : [right, left];
        smaller.histogram = this.#pool.acquire();
        this.#buildHistogram(smaller, rows, features);
        subtractHistogram(parentHistogram, smaller.histogram, features);
        larger.histogram = parentHistogram;
        this.#considerOrRelease(left, splitLeft, features, frontier);
        this.#considerOrRelease(right, splitRight, features, frontier);
      } else {
        this.#pool.release(parentHistogram);
      }
    }
    for (const node of frontier) this.#pool.release(node.histogram as Float64Array);

    return build.finish(nodes, rows, settings);
  }

  #rootSums(rows: Uint32Array): NodeSums {
    const { gradients, hessians } = this.#data;
    let gradient = 0;
    let hessian = 0;
    for (let k = 0; k < rows.length; k++) {
      const row = rows[k] as number;
      gradient += gradients[row] as number;
      hessian += hessians[row] as number;
    }
    return { gradient, hessian, count: rows.length };
  }

  #newNode(
    nodes: GrowingNode[],
    build: TreeArrays,
    start: number,
    end: number,
    depth: number,
    sums: NodeSums,
  ): GrowingNode {
    const node: GrowingNode = {
      id: nodes.length,
      start,
      end,
      depth,
      gradient: sums.gradient,
      hessian: sums.hessian,
      count: sums.count,
      histogram: null,
      split: new SplitCandidate(),
    };
    nodes.push(node);
    build.cover[node.id] = sums.count;
    return node;
  }

  #splittable(node: GrowingNode): boolean {
    const { minSamplesLeaf, minHessianLeaf, maxDepth } = this.#settings;
    return (
      node.count >= 2 * minSamplesLeaf &&
      node.hessian >= 2 * minHessianLeaf &&
      (maxDepth === null || node.depth < maxDepth)
    );
  }

  #buildHistogram(node: GrowingNode, rows: Uint32Array, features: Int32Array): void {
    const data = this.#data;
    buildHistogram(
      node.histogram as Float64Array,
      data.bins,
      data.featureCount,
      features,
      rows,
      node.start,
      node.end,
      data.gradients,
      data.hessians,
    );
  }

  #considerSplitting(node: GrowingNode, features: Int32Array, frontier: GrowingNode[]): void {
    findBestSplit(
      node.histogram as Float64Array,
      node,
      features,
      this.#data.layout,
      this.#settings,
      this.#scratch,
      node.split,
    );
    if (node.split.feature >= 0) {
      frontier.push(node);
    } else {
      this.#pool.release(node.histogram as Float64Array);
      node.histogram = null;
    }
  }

  #considerOrRelease(
    node: GrowingNode,
    splittable: boolean,
    features: Int32Array,
    frontier: GrowingNode[],
  ): void {
    if (splittable) {
      this.#considerSplitting(node, features, frontier);
    } else {
      this.#pool.release(node.histogram as Float64Array);
      node.histogram = null;
    }
  }

  /**
   * Stable partition of the node's rows by its (already recorded) split: left rows first, both
   * sides keeping ascending order, so histogram builds keep reading the bins front to back.
   * Returns where the right rows begin.
   */
  #partition(rows: Uint32Array, node: GrowingNode, build: TreeArrays): number {
    const { bins, featureCount } = this.#data;
    const feature = node.split.feature;
    const scratch = this.#partitionScratch;
    let leftEnd = node.start;
    let rightCount = 0;
    for (let k = node.start; k < node.end; k++) {
      const row = rows[k] as number;
      const bin = bins[row * featureCount + feature] as number;
      if (binGoesLeft(build, build.binThreshold, node.id, bin)) rows[leftEnd++] = row;
      else scratch[rightCount++] = row;
    }
    rows.set(scratch.subarray(0, rightCount), leftEnd);
    return leftEnd;
  }
}

/** Whether a row whose bin for the node's feature is `bin` goes left at inner node `node`. */
function binGoesLeft(
  tree: Pick<Tree, 'missingLeft' | 'categorySet' | 'categoryBits'>,
  binThreshold: Uint8Array,
  node: number,
  bin: number,
): boolean {
  if (bin === MISSING_BIN) return tree.missingLeft[node] === 1;
  const set = tree.categorySet[node] as number;
  if (set < 0) return bin <= (binThreshold[node] as number);
  return (((tree.categoryBits[set + (bin >>> 5)] as number) >>> (bin & 31)) & 1) === 1;
}

/** Adds each leaf's value to `out[row]` for the rows the tree was grown on. */
export function addLeafValues(grown: GrownTree, out: Float64Array): void {
  const { leaves, leafStart, leafEnd, rows, tree } = grown;
  for (let k = 0; k < leaves.length; k++) {
    const value = tree.value[leaves[k] as number] as number;
    const end = leafEnd[k] as number;
    for (let at = leafStart[k] as number; at < end; at++) {
      const row = rows[at] as number;
      out[row] = (out[row] as number) + value;
    }
  }
}

/** Adds the tree's value to `out[row]` for each of `rows`, walking their bin codes. */
export function addBinnedPredictions(
  grown: GrownTree,
  bins: Uint8Array,
  featureCount: number,
  rows: Uint32Array,
  out: Float64Array,
): void {
  const { tree, binThreshold } = grown;
  const feature = tree.feature;
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k] as number;
    const base = row * featureCount;
    let node = 0;
    let splitOn = feature[0] as number;
    while (splitOn >= 0) {
      node = binGoesLeft(tree, binThreshold, node, bins[base + splitOn] as number)
        ? (tree.left[node] as number)
        : (tree.right[node] as number);
      splitOn = feature[node] as number;
    }
    out[row] = (out[row] as number) + (tree.value[node] as number);
  }
}

/** Removes and returns the frontier node with the largest gain (the oldest on ties). */
function takeBest(frontier: GrowingNode[]): GrowingNode {
  let bestAt = 0;
  for (let k = 1; k < frontier.length; k++) {
    if ((frontier[k] as GrowingNode).split.gain > (frontier[bestAt] as GrowingNode).split.gain) {
      bestAt = k;
    }
  }
  return frontier.splice(bestAt, 1)[0] as GrowingNode;
}

/** A tree's arrays at full capacity while it grows; `finish` trims them to the nodes used. */
class TreeArrays {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly missingLeft: Uint8Array;
  readonly categorySet: Int32Array;
  readonly categoryBits: Uint32Array;
  readonly cover: Float64Array;
  readonly gain: Float64Array;
  readonly binThreshold: Uint8Array;
  #categorySplits = 0;

  constructor(capacity: number) {
    this.feature = new Int32Array(capacity).fill(-1);
    this.threshold = new Float64Array(capacity);
    this.left = new Int32Array(capacity).fill(-1);
    this.right = new Int32Array(capacity).fill(-1);
    this.missingLeft = new Uint8Array(capacity);
    this.categorySet = new Int32Array(capacity).fill(-1);
    this.categoryBits = new Uint32Array(capacity * CATEGORY_SET_WORDS);
    this.cover = new Float64Array(capacity);
    this.gain = new Float64Array(capacity);
    this.binThreshold = new Uint8Array(capacity);
  }

  setSplit(
    node: number,
    split: SplitCandidate,
    edges: readonly (Float64Array | null)[],
    layout: FeatureLayout,
  ): void {
    const feature = split.feature;
    this.feature[node] = feature;
    this.gain[node] = split.gain;
    this.missingLeft[node] = split.missingLeft ? 1 : 0;
    if (layout.categorical[feature] === 1) {
      const set = this.#categorySplits++ * CATEGORY_SET_WORDS;
      this.categorySet[node] = set;
      this.categoryBits.set(split.categoryBits, set);
      return;
    }
    const featureEdges = edges[feature] as Float64Array;
    this.binThreshold[node] = split.binThreshold;
    // The last non-missing bin has no upper edge: that split sends every value left and only
    // missing values right.
    this.threshold[node] =
      split.binThreshold < featureEdges.length
        ? (featureEdges[split.binThreshold] as number)
        : Number.POSITIVE_INFINITY;
  }

  finish(nodes: readonly GrowingNode[], rows: Uint32Array, settings: GrowerSettings): GrownTree {
    const count = nodes.length;
    const value = new Float64Array(count);
    const leaves: number[] = [];
    for (const node of nodes) {
      if ((this.feature[node.id] as number) >= 0) continue;
      leaves.push(node.id);
      const curvature = node.hessian + settings.l2Regularization;
      // Only reachable with no L2 and rows whose predictions saturated: such a leaf stays put.
      value[node.id] = curvature > 0 ? (-settings.learningRate * node.gradient) / curvature : 0;
    }
    const leafIds = Int32Array.from(leaves);
    return {
      tree: {
        feature: this.feature.slice(0, count),
        threshold: this.threshold.slice(0, count),
        left: this.left.slice(0, count),
        right: this.right.slice(0, count),
        missingLeft: this.missingLeft.slice(0, count),
        categorySet: this.categorySet.slice(0, count),
        categoryBits: this.categoryBits.slice(0, this.#categorySplits * CATEGORY_SET_WORDS),
        value,
        cover: this.cover.slice(0, count),
        gain: this.gain.slice(0, count),
      },
      binThreshold: this.binThreshold.slice(0, count),
      leaves: leafIds,
      leafStart: leafIds.map((id) => (nodes[id] as GrowingNode).start),
      leafEnd: leafIds.map((id) => (nodes[id] as GrowingNode).end),
      rows,
    };
  }
}
