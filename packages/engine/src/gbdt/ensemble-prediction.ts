/** Scoring many rows with many trees, on this thread or split across worker threads. */
import { addTreeValues, type Tree } from './tree.js';

// Rows scored against every tree before moving on: 8 bytes × features × rows stay in cache.
const BLOCK_ROWS = 1024;

/** Fewer rows than this per thread are scored on the calling thread alone. */
export const MIN_ROWS_PER_THREAD = 50_000;

/**
 * Adds the value of every tree to `out[row - from]` for rows `from…to` of `columns`.
 */
export function addEnsembleValues(
  trees: readonly Tree[],
  columns: readonly Float64Array[],
  from: number,
  to: number,
  out: Float64Array,
): void {
  const featureCount = columns.length;
  // A block of rows copied row-major: all trees walk it while it is in cache, and a row's
  // features sit together instead of in as many columns.
  const block = new Float64Array(BLOCK_ROWS * featureCount);
  for (let start = from; start < to; start += BLOCK_ROWS) {
    const rows = Math.min(BLOCK_ROWS, to - start);
    for (let j = 0; j < featureCount; j++) {
      const column = columns[j] as Float64Array;
      for (let r = 0, at = j; r < rows; r++, at += featureCount) {
        block[at] = column[start + r] as number;
      }
    }
    for (let t = 0; t < trees.length; t++) {
      addTreeValues(trees[t] as Tree, block, featureCount, rows, out, start - from);
    }
  }
}
