/** Scoring many rows with many trees, on this thread or split across worker threads. */
import { startWorker } from './start-worker.js';
import { addTreeValues, type Tree } from './tree.js';

// Rows scored against every tree before moving on: 8 bytes × features × rows stay in cache.
const BLOCK_ROWS = 1024;

/** Fewer rows than this per thread are scored on the calling thread alone. */
export const MIN_ROWS_PER_THREAD = 50_000;

/** How long scoring waits for a worker thread before giving up on it. */
const WORKER_TIMEOUT_MS = 600_000;

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

/** What a prediction worker gets: its rows' columns, and the sums to add the trees to. */
export interface PredictionWorkerData {
  readonly trees: readonly Tree[];
  readonly columns: readonly Float64Array[];
  /** One running sum per row, over a SharedArrayBuffer. */
  readonly result: Float64Array;
  /** [0]: 1 once `result` is filled; [1]: 1 if the worker failed. */
  readonly done: Int32Array;
}

/**
 * {@link addEnsembleValues} for all `rows` rows, split into `threads` contiguous ranges: the
 * calling thread scores the first, a worker thread each other one (on copies of its rows).
 * Each row's sum is built by the same code in the same order, so it is the single-threaded
 * one exactly.
 */
export function addEnsembleValuesOnThreads(
  trees: readonly Tree[],
  columns: readonly Float64Array[],
  rows: number,
  threads: number,
  out: Float64Array,
): void {
  const bound = (k: number) => Math.floor((k * rows) / threads);
  const helpers = Array.from({ length: threads - 1 }, (_, k) => {
    const from = bound(k + 1);
    const to = bound(k + 2);
    const slices = columns.map((column) => column.slice(from, to));
    // The worker adds to the same starting sums, in the same order, as one thread would.
    const result = new Float64Array(new SharedArrayBuffer(8 * (to - from)));
    result.set(out.subarray(from, to));
    const data: PredictionWorkerData = {
      trees,
      columns: slices,
      result,
      done: new Int32Array(new SharedArrayBuffer(8)),
    };
    const worker = startWorker(
      'prediction-worker',
      data,
      slices.map((slice) => slice.buffer),
    );
    return { from, data, worker };
  });
  addEnsembleValues(trees, columns, 0, bound(1), out);
  for (const { from, data, worker } of helpers) {
    const outcome = Atomics.wait(data.done, 0, 0, WORKER_TIMEOUT_MS);
    worker.unref();
    if (outcome === 'timed-out' || data.done[1] === 1) {
      throw new Error('predictLogOdds: a scoring worker thread failed; score with threads: 1');
    }
    out.set(data.result, from);
  }
}
