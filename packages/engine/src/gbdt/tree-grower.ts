/**
 * Grows one tree best-first (leaf-wise, as LightGBM): the leaf whose best split gains most is
 * split next, until `maxLeaves`. Each split builds the histogram of the smaller child only and
 * gets the larger one by subtracting it from the parent's.
 */
import { type BinnedRows, MISSING_BIN } from './bin-mapper.js';
import { subtractHistogram } from './histogram.js';
import type { NodeRows, Side } from './node-rows.js';
import {
  CategoryScratch,
  type FeatureLayout,
  findBestSplit,
  type NodeSums,
  SplitCandidate,
  type SplitRules,
} from './split-finder.js';
import { CATEGORY_SET_WORDS, type Tree } from './tree.js';
import type { TrainingRows, TreeWork } from './tree-work.js';

/** The training data a tree is grown on. */
export interface GrowerData extends TrainingRows {
  readonly featureCount: number;
  readonly layout: FeatureLayout;
  /** Numeric bin edges per feature (`null` for categorical), for the raw thresholds. */
  readonly edges: readonly (Float64Array | null)[];
}

export interface GrowerSettings extends SplitRules {
  readonly maxLeaves: number;
  readonly maxDepth: number | null;
  readonly learningRate: number;
}

/** A grown tree with what training still needs from it. */
export interface GrownTree {
  readonly tree: Tree;
  /**
   * `binRoutes[node * 256 + bin]` is 1 when a row with that bin code for the node's feature goes
   * left: one table for numeric, categorical and missing alike, to score binned rows.
   */
  readonly binRoutes: Uint8Array;
  /**
   * The leaves, and the matrix rows in each: `rows[leafSide[k]][leafStart[k]…leafEnd[k])`.
   * `rows` are the grower's own buffers: valid until the next tree is grown.
   */
  readonly leaves: Int32Array;
  readonly leafSide: Uint8Array;
  readonly leafStart: Int32Array;
  readonly leafEnd: Int32Array;
  readonly rows: readonly [Uint32Array, Uint32Array];
}

interface GrowingNode extends NodeSums {
  readonly id: number;
  /** The node's positions in the grower's {@link NodeRows}, and the side they are on. */
  readonly side: Side;
  readonly start: number;
  readonly end: number;
  readonly depth: number;
  histogram: Float64Array | null;
  readonly split: SplitCandidate;
}

/** One-byte bin codes: 0…254 for values, {@link MISSING_BIN} for missing. */
const BIN_CODES = MISSING_BIN + 1;

export class TreeGrower {
  readonly #data: GrowerData;
  readonly #settings: GrowerSettings;
  readonly #work: TreeWork;
  readonly #scratch = new CategoryScratch();
  readonly #nodeRows: NodeRows;

  /** `nodeRows` must hold as many rows as any tree is grown on. */
  constructor(data: GrowerData, settings: GrowerSettings, nodeRows: NodeRows, work: TreeWork) {
    this.#data = data;
    this.#settings = settings;
    this.#nodeRows = nodeRows;
    this.#work = work;
  }

  /** Grows a tree on the matrix rows `rows` (ascending), splitting only on `features`. */
  grow(rows: Uint32Array, features: Int32Array): GrownTree {
    const data = this.#data;
    const settings = this.#settings;
    const nodeRows = this.#nodeRows;
    this.#work.load(nodeRows, data, rows);
    const build = new TreeArrays(2 * settings.maxLeaves - 1);
    const nodes: GrowingNode[] = [];
    const frontier: GrowingNode[] = [];

    const root = this.#newNode(nodes, build, 0, 0, rows.length, 0, this.#rootSums(rows.length));
    if (this.#splittable(root)) {
      root.histogram = this.#work.acquire();
      this.#buildHistogram(root, features);
      this.#considerSplitting(root, features, frontier);
    }

    let leafCount = 1;
    while (leafCount < settings.maxLeaves && frontier.length > 0) {
      const parent = takeBest(frontier);
      const split = parent.split;
      build.setSplit(parent.id, split, data.edges, data.layout);
      const side = this.#work.partition(nodeRows, parent.side, parent.start, parent.end, {
        feature: split.feature,
        routes: build.routesOf(parent.id),
        leftCount: split.leftCount,
      });
      const leftEnd = parent.start + split.leftCount;
      const leftSums = {
        gradient: split.leftGradient,
        hessian: split.leftHessian,
        count: split.leftCount,
      };
      const rightSums = {
        gradient: parent.gradient - split.leftGradient,
        hessian: parent.hessian - split.leftHessian,
        count: parent.end - leftEnd,
      };
      const depth = parent.depth + 1;
      const left = this.#newNode(nodes, build, side, parent.start, leftEnd, depth, leftSums);
      const right = this.#newNode(nodes, build, side, leftEnd, parent.end, depth, rightSums);
      build.children[2 * parent.id] = left.id;
      build.children[2 * parent.id + 1] = right.id;
      leafCount++;

      const room = leafCount < settings.maxLeaves;
      const splitLeft = room && this.#splittable(left);
      const splitRight = room && this.#splittable(right);
      const parentHistogram = parent.histogram as Float64Array;
      parent.histogram = null;
      if (splitLeft || splitRight) {
        const [smaller, larger] = left.count <= right.count ? [left, right] : [right, left];
        smaller.histogram = this.#work.acquire();
        this.#buildHistogram(smaller, features);
        subtractHistogram(parentHistogram, smaller.histogram, features);
        larger.histogram = parentHistogram;
        this.#considerOrRelease(left, splitLeft, features, frontier);
        this.#considerOrRelease(right, splitRight, features, frontier);
      } else {
        this.#work.release(parentHistogram);
      }
    }
    for (const node of frontier) this.#work.release(node.histogram as Float64Array);

    const [side0, side1] = nodeRows.sides;
    return build.finish(nodes, [side0.rows, side1.rows], settings);
  }

  #rootSums(count: number): NodeSums {
    const { gradients, hessians } = this.#nodeRows.sides[0];
    let gradient = 0;
    let hessian = 0;
    for (let k = 0; k < count; k++) {
      gradient += gradients[k] as number;
      hessian += hessians[k] as number;
    }
    return { gradient, hessian, count };
  }

  #newNode(
    nodes: GrowingNode[],
    build: TreeArrays,
    side: Side,
    start: number,
    end: number,
    depth: number,
    sums: NodeSums,
  ): GrowingNode {
    const node: GrowingNode = {
      id: nodes.length,
      side,
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

  #buildHistogram(node: GrowingNode, features: Int32Array): void {
    this.#work.buildHistogram(
      node.histogram as Float64Array,
      this.#nodeRows,
      node.side,
      features,
      node.start,
      node.end,
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
      this.#work.release(node.histogram as Float64Array);
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
      this.#work.release(node.histogram as Float64Array);
      node.histogram = null;
    }
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

/** Adds each leaf's value to `out[row]` for the rows the tree was grown on. */
export function addLeafValues(grown: GrownTree, out: Float64Array): void {
  const { leaves, leafSide, leafStart, leafEnd, tree } = grown;
  for (let k = 0; k < leaves.length; k++) {
    const value = tree.value[leaves[k] as number] as number;
    const rows = grown.rows[leafSide[k] as number] as Uint32Array;
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
  binned: BinnedRows,
  rows: Uint32Array,
  out: Float64Array,
): void {
  const { tree, binRoutes } = grown;
  const { feature, children, value } = tree;
  const { bins, stride } = binned;
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k] as number;
    const base = row * stride;
    let node = 0;
    let splitOn = feature[0] as number;
    while (splitOn >= 0) {
      const right = 1 - (binRoutes[node * BIN_CODES + (bins[base + splitOn] as number)] as number);
      node = children[2 * node + right] as number;
      splitOn = feature[node] as number;
    }
    out[row] = (out[row] as number) + (value[node] as number);
  }
}

/** A tree's arrays at full capacity while it grows; `finish` trims them to the nodes used. */
class TreeArrays {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly children: Int32Array;
  readonly missingLeft: Uint8Array;
  readonly categorySet: Int32Array;
  readonly categoryBits: Uint32Array;
  readonly cover: Float64Array;
  readonly gain: Float64Array;
  readonly binRoutes: Uint8Array;
  #categorySplits = 0;

  constructor(capacity: number) {
    this.feature = new Int32Array(capacity).fill(-1);
    this.threshold = new Float64Array(capacity);
    this.children = new Int32Array(2 * capacity).fill(-1);
    this.missingLeft = new Uint8Array(capacity);
    this.categorySet = new Int32Array(capacity).fill(-1);
    this.categoryBits = new Uint32Array(capacity * CATEGORY_SET_WORDS);
    this.cover = new Float64Array(capacity);
    this.gain = new Float64Array(capacity);
    this.binRoutes = new Uint8Array(capacity * BIN_CODES);
  }

  routesOf(node: number): Uint8Array {
    return this.binRoutes.subarray(node * BIN_CODES, (node + 1) * BIN_CODES);
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
    const routes = this.routesOf(node);
    routes[MISSING_BIN] = split.missingLeft ? 1 : 0;
    if (layout.categorical[feature] === 1) {
      const set = this.#categorySplits++ * CATEGORY_SET_WORDS;
      this.categorySet[node] = set;
      this.threshold[node] = Number.NaN;
      this.categoryBits.set(split.categoryBits, set);
      for (let bin = 0; bin < MISSING_BIN; bin++) {
        routes[bin] = ((split.categoryBits[bin >>> 5] as number) >>> (bin & 31)) & 1;
      }
      return;
    }
    routes.fill(1, 0, split.binThreshold + 1);
    const featureEdges = edges[feature] as Float64Array;
    // The last non-missing bin has no upper edge: that split sends every value left and only
    // missing values right.
    this.threshold[node] =
      split.binThreshold < featureEdges.length
        ? (featureEdges[split.binThreshold] as number)
        : Number.POSITIVE_INFINITY;
  }

  finish(
    nodes: readonly GrowingNode[],
    rows: readonly [Uint32Array, Uint32Array],
    settings: GrowerSettings,
  ): GrownTree {
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
        children: this.children.slice(0, 2 * count),
        missingLeft: this.missingLeft.slice(0, count),
        categorySet: this.categorySet.slice(0, count),
        categoryBits: this.categoryBits.slice(0, this.#categorySplits * CATEGORY_SET_WORDS),
        value,
        cover: this.cover.slice(0, count),
        gain: this.gain.slice(0, count),
      },
      binRoutes: this.binRoutes.slice(0, count * BIN_CODES),
      leaves: leafIds,
      leafSide: Uint8Array.from(leafIds, (id) => (nodes[id] as GrowingNode).side),
      leafStart: leafIds.map((id) => (nodes[id] as GrowingNode).start),
      leafEnd: leafIds.map((id) => (nodes[id] as GrowingNode).end),
      rows,
    };
  }
}
