/**
 * One regression tree as flat typed arrays (node 0 is the root; a node's children always come
 * after it), walked on raw feature values so that scoring never needs the bin mapper.
 */
import { GbdtFormatError } from './errors.js';

export interface Tree {
  /** The feature a node splits on; -1 at a leaf. */
  readonly feature: Int32Array;
  /**
   * Numeric split: a value goes left when `value <= threshold` (may be +Infinity). NaN marks
   * a categorical split, so that scoring tells the two apart from a value it loads anyway.
   */
  readonly threshold: Float64Array;
  /** `children[2n]` is node n's left child, `children[2n + 1]` its right; -1 at a leaf. */
  readonly children: Int32Array;
  /**
   * 1 when a missing value goes left. Learned where training rows were missing at the node,
   * else the side that got more rows. A category no training row at the node had goes the
   * same way (its bit is set in the left set exactly when this is 1).
   */
  readonly missingLeft: Uint8Array;
  /** Categorical split: offset of its 8-word left-category bitset in `categoryBits`; else -1. */
  readonly categorySet: Int32Array;
  readonly categoryBits: Uint32Array;
  /** A leaf's contribution to the log-odds (learning rate included); 0 at inner nodes. */
  readonly value: Float64Array;
  /** Training rows that reached the node: the weights of TreeSHAP's expectations. */
  readonly cover: Float64Array;
  /** The split's loss reduction ({@link splitGain} units); 0 at leaves. */
  readonly gain: Float64Array;
}

/** Words in one categorical split's bitset: 256 category codes. */
export const CATEGORY_SET_WORDS = 8;

/**
 * The child of inner node `node` that a row with value `x` for the node's feature goes to.
 * The side is computed as 0 or 1 and used as an index rather than branched on: which way a row
 * goes is a coin flip to the CPU's branch predictor, and mispredictions cost more than the walk.
 */
export function childFor(tree: Tree, node: number, x: number): number {
  let right: number;
  if (Number.isNaN(x)) {
    right = 1 - (tree.missingLeft[node] as number);
  } else {
    const threshold = tree.threshold[node] as number;
    if (!Number.isNaN(threshold)) {
      right = +(x > threshold);
    } else {
      const set = tree.categorySet[node] as number;
      // Something that is not a code at all (a fraction, out of range) is taken as missing.
      const code = x >>> 0;
      right =
        code === x && code < 256
          ? 1 - (((tree.categoryBits[set + (code >>> 5)] as number) >>> (code & 31)) & 1)
          : 1 - (tree.missingLeft[node] as number);
    }
  }
  return tree.children[2 * node + right] as number;
}

/**
 * Adds the tree's value for each of `rows` rows to `out[start + r]`, the rows' feature values
 * row-major in `values` (`values[r * featureCount + feature]`). Four rows walk the tree side
 * by side: each step waits on the load of the last, so four independent walks keep the CPU
 * busy where one would stall (about twice as fast).
 */
export function addTreeValues(
  tree: Tree,
  values: Float64Array,
  featureCount: number,
  rows: number,
  out: Float64Array,
  start: number,
): void {
  const { feature, value } = tree;
  const root = feature[0] as number;
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    const base = r * featureCount;
    let node0 = 0;
    let node1 = 0;
    let node2 = 0;
    let node3 = 0;
    let on0 = root;
    let on1 = root;
    let on2 = root;
    let on3 = root;
    // Leaves have feature -1, so the AND stays non-negative while any walk is unfinished.
    while ((on0 & on1 & on2 & on3) >= 0) {
      if (on0 >= 0) {
        node0 = childFor(tree, node0, values[base + on0] as number);
        on0 = feature[node0] as number;
      }
      if (on1 >= 0) {
        node1 = childFor(tree, node1, values[base + featureCount + on1] as number);
        on1 = feature[node1] as number;
      }
      if (on2 >= 0) {
        node2 = childFor(tree, node2, values[base + 2 * featureCount + on2] as number);
        on2 = feature[node2] as number;
      }
      if (on3 >= 0) {
        node3 = childFor(tree, node3, values[base + 3 * featureCount + on3] as number);
        on3 = feature[node3] as number;
      }
    }
    const at = start + r;
    out[at] = (out[at] as number) + (value[node0] as number);
    out[at + 1] = (out[at + 1] as number) + (value[node1] as number);
    out[at + 2] = (out[at + 2] as number) + (value[node2] as number);
    out[at + 3] = (out[at + 3] as number) + (value[node3] as number);
  }
  for (; r < rows; r++) {
    const base = r * featureCount;
    let node = 0;
    let on = root;
    while (on >= 0) {
      node = childFor(tree, node, values[base + on] as number);
      on = feature[node] as number;
    }
    out[start + r] = (out[start + r] as number) + (value[node] as number);
  }
}

/** The tree's part of a model's JSON body. */
export interface TreeJson {
  feature: number[];
  /** `null` stands for +Infinity, which JSON cannot hold. */
  threshold: (number | null)[];
  left: number[];
  right: number[];
  missingLeft: number[];
  /** The left-going category codes of each categorical split. */
  categorySplits: { node: number; left: number[] }[];
  value: number[];
  cover: number[];
  gain: number[];
}

export function treeToJSON(tree: Tree): TreeJson {
  const categorySplits: { node: number; left: number[] }[] = [];
  tree.categorySet.forEach((set, node) => {
    if (set < 0) return;
    const left: number[] = [];
    for (let code = 0; code < CATEGORY_SET_WORDS * 32; code++) {
      if ((((tree.categoryBits[set + (code >>> 5)] as number) >>> (code & 31)) & 1) === 1) {
        left.push(code);
      }
    }
    categorySplits.push({ node, left });
  });
  return {
    feature: Array.from(tree.feature),
    // JSON has no Infinity (written null) and no NaN (a categorical split's, written 0).
    threshold: Array.from(tree.threshold, (t) =>
      t === Number.POSITIVE_INFINITY ? null : Number.isNaN(t) ? 0 : t,
    ),
    left: Array.from(tree.feature, (_, node) => tree.children[2 * node] as number),
    right: Array.from(tree.feature, (_, node) => tree.children[2 * node + 1] as number),
    missingLeft: Array.from(tree.missingLeft),
    categorySplits,
    value: Array.from(tree.value),
    cover: Array.from(tree.cover),
    gain: Array.from(tree.gain),
  };
}

/**
 * Rebuilds a tree from {@link treeToJSON}, checking it is a well-formed tree over
 * `featureCount` features (children after their parent, so no walk can loop).
 */
export function treeFromJSON(json: unknown, featureCount: number, where: string): Tree {
  if (typeof json !== 'object' || json === null) {
    throw new GbdtFormatError(`${where}: not an object`);
  }
  const body = json as Record<string, unknown>;
  const feature = Int32Array.from(numbers(body.feature, `${where}.feature`));
  const nodes = feature.length;
  const field = (name: string): number[] => {
    const values = numbers(body[name], `${where}.${name}`);
    if (values.length !== nodes) {
      throw new GbdtFormatError(`${where}.${name}: ${values.length} entries for ${nodes} nodes`);
    }
    return values;
  };
  const thresholdJson = body.threshold;
  if (!Array.isArray(thresholdJson) || thresholdJson.length !== nodes) {
    throw new GbdtFormatError(`${where}.threshold: expected an array of ${nodes} entries`);
  }
  const threshold = Float64Array.from(thresholdJson, (t: unknown, node) => {
    if (t === null) return Number.POSITIVE_INFINITY;
    if (typeof t !== 'number') {
      throw new GbdtFormatError(`${where}.threshold[${node}]: expected a number or null`);
    }
    return t;
  });
  const tree: Tree = {
    feature,
    threshold,
    children: interleave(field('left'), field('right')),
    missingLeft: Uint8Array.from(field('missingLeft')),
    categorySet: new Int32Array(nodes).fill(-1),
    categoryBits: new Uint32Array(0),
    value: Float64Array.from(field('value')),
    cover: Float64Array.from(field('cover')),
    gain: Float64Array.from(field('gain')),
  };
  const withBits = { ...tree, categoryBits: categoryBitsFromJSON(body, tree, where) };
  checkStructure(withBits, featureCount, where);
  return withBits;
}

function categoryBitsFromJSON(body: Record<string, unknown>, tree: Tree, where: string) {
  const splits = body.categorySplits;
  if (!Array.isArray(splits)) throw new GbdtFormatError(`${where}.categorySplits: not an array`);
  const bits = new Uint32Array(splits.length * CATEGORY_SET_WORDS);
  splits.forEach((split: unknown, k) => {
    const at = `${where}.categorySplits[${k}]`;
    const { node, left } = (split ?? {}) as { node?: unknown; left?: unknown };
    if (
      typeof node !== 'number' ||
      !Number.isInteger(node) ||
      node < 0 ||
      node >= tree.feature.length
    ) {
      throw new GbdtFormatError(`${at}.node: not a node index`);
    }
    const set = k * CATEGORY_SET_WORDS;
    tree.categorySet[node] = set;
    tree.threshold[node] = Number.NaN;
    for (const code of numbers(left, `${at}.left`)) {
      if (!Number.isInteger(code) || code < 0 || code >= CATEGORY_SET_WORDS * 32) {
        throw new GbdtFormatError(`${at}.left: ${code} is not a category code`);
      }
      bits[set + (code >>> 5)] = (bits[set + (code >>> 5)] as number) | (1 << (code & 31));
    }
  });
  return bits;
}

function interleave(left: number[], right: number[]): Int32Array {
  const children = new Int32Array(2 * left.length);
  left.forEach((child, node) => {
    children[2 * node] = child;
    children[2 * node + 1] = right[node] as number;
  });
  return children;
}

function checkStructure(tree: Tree, featureCount: number, where: string): void {
  const nodes = tree.feature.length;
  if (nodes === 0) throw new GbdtFormatError(`${where}: a tree needs at least one node`);
  for (let node = 0; node < nodes; node++) {
    const feature = tree.feature[node] as number;
    const left = tree.children[2 * node] as number;
    const right = tree.children[2 * node + 1] as number;
    const isLeaf = feature === -1 && left === -1 && right === -1;
    const isSplit =
      feature >= 0 &&
      feature < featureCount &&
      left > node &&
      right > node &&
      left < nodes &&
      right < nodes;
    if (!isLeaf && !isSplit) {
      throw new GbdtFormatError(
        `${where}: node ${node} is neither a leaf nor a split on one of ${featureCount} features with later children`,
      );
    }
    // TreeSHAP divides by covers: every node was reached by some training row.
    if (!((tree.cover[node] as number) > 0)) {
      throw new GbdtFormatError(
        `${where}: node ${node} has cover ${tree.cover[node]}; covers must be > 0`,
      );
    }
  }
}

function numbers(value: unknown, where: string): number[] {
  if (!Array.isArray(value) || !value.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new GbdtFormatError(`${where}: expected an array of finite numbers`);
  }
  return value as number[];
}
