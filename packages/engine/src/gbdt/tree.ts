/**
 * One regression tree as flat typed arrays (node 0 is the root; a node's children always come
 * after it), walked on raw feature values so that scoring never needs the bin mapper.
 */
import { GbdtFormatError } from './errors.js';

export interface Tree {
  /** The feature a node splits on; -1 at a leaf. */
  readonly feature: Int32Array;
  /** Numeric split: a value goes left when `value <= threshold` (may be +Infinity). */
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /**
   * 1 when a missing value goes left. Learned where training rows were missing at the node,
   * else the side that got more rows. A category code outside the split's bitset goes right.
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

/** The child of inner node `node` that a row with value `x` for the node's feature goes to. */
export function childFor(tree: Tree, node: number, x: number): number {
  let goLeft: boolean;
  if (Number.isNaN(x)) {
    goLeft = tree.missingLeft[node] === 1;
  } else {
    const set = tree.categorySet[node] as number;
    if (set < 0) {
      goLeft = x <= (tree.threshold[node] as number);
    } else {
      // Something that is not a code at all (a fraction, out of range) is taken as missing.
      const code = x >>> 0;
      goLeft =
        code === x && code < 256
          ? (((tree.categoryBits[set + (code >>> 5)] as number) >>> (code & 31)) & 1) === 1
          : tree.missingLeft[node] === 1;
    }
  }
  return goLeft ? (tree.left[node] as number) : (tree.right[node] as number);
}

/** The leaf that row `row` of `columns` ends in. */
export function leafFor(tree: Tree, columns: readonly Float64Array[], row: number): number {
  const feature = tree.feature;
  let node = 0;
  let splitOn = feature[0] as number;
  while (splitOn >= 0) {
    node = childFor(tree, node, (columns[splitOn] as Float64Array)[row] as number);
    splitOn = feature[node] as number;
  }
  return node;
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
    threshold: Array.from(tree.threshold, (t) => (t === Number.POSITIVE_INFINITY ? null : t)),
    left: Array.from(tree.left),
    right: Array.from(tree.right),
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
    left: Int32Array.from(field('left')),
    right: Int32Array.from(field('right')),
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
    for (const code of numbers(left, `${at}.left`)) {
      if (!Number.isInteger(code) || code < 0 || code >= CATEGORY_SET_WORDS * 32) {
        throw new GbdtFormatError(`${at}.left: ${code} is not a category code`);
      }
      bits[set + (code >>> 5)] = (bits[set + (code >>> 5)] as number) | (1 << (code & 31));
    }
  });
  return bits;
}

function checkStructure(tree: Tree, featureCount: number, where: string): void {
  const nodes = tree.feature.length;
  if (nodes === 0) throw new GbdtFormatError(`${where}: a tree needs at least one node`);
  for (let node = 0; node < nodes; node++) {
    const feature = tree.feature[node] as number;
    const left = tree.left[node] as number;
    const right = tree.right[node] as number;
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
  }
}

function numbers(value: unknown, where: string): number[] {
  if (!Array.isArray(value) || !value.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new GbdtFormatError(`${where}: expected an array of finite numbers`);
  }
  return value as number[];
}
