/**
 * The heavy lifting of growing a tree: loading its rows, filling node histograms and splitting
 * a node's rows. On the calling thread by default; {@link ThreadedTreeWork} shares it with
 * worker threads.
 *
 * Large nodes are cut into row chunks, the same way whatever the thread count: a histogram is
 * then the ordered sum of the chunks' partial histograms, so a model does not depend on how
 * many threads trained it (floating-point sums depend on their order).
 */
import type { BinnedRows } from './bin-mapper.js';
import { buildHistogramSlice, HISTOGRAM_FEATURE_STRIDE, sumHistogramParts } from './histogram.js';
import type { NodeRows, Side } from './node-rows.js';

/** What a tree is grown on: the binned matrix and the current log-odds of its rows. */
export interface TrainingRows {
  readonly binned: BinnedRows;
  readonly labels: Uint8Array;
  /** Per row of the matrix, updated after every tree. */
  readonly logOdds: Float64Array;
}

export interface TreeWork {
  /** {@link NodeRows.load} of all of `rows` (ascending matrix rows) into `nodeRows`. */
  load(nodeRows: NodeRows, data: TrainingRows, rows: Uint32Array): void;
  /** A histogram buffer, reused once released. */
  acquire(): Float64Array;
  release(histogram: Float64Array): void;
  /** Fills `histogram` for `features` from positions `start…end` of `side` of `rows`. */
  buildHistogram(
    histogram: Float64Array,
    rows: NodeRows,
    side: Side,
    features: Int32Array,
    start: number,
    end: number,
  ): void;
  /**
   * Splits the node at positions `start…end` of `side`: its `leftCount` rows that go left to
   * `start…`, the rest after them, in order. Returns the side the children are on.
   */
  partition(rows: NodeRows, side: Side, start: number, end: number, split: NodeSplit): Side;
  /** Frees any threads; not used again after. */
  close(): void;
}

/** Most chunks a node is cut into. */
export const MAX_CHUNKS = 16;
// Rows per chunk, at least: enough that a chunk's overhead (waking a thread, summing a partial
// histogram) is small next to its work.
const MIN_CHUNK_ROWS = 16_384;

/**
 * How many chunks `rows` rows are cut into: 1 (no cutting) below two minimum chunks. Chunk c
 * of a range `start…end` begins at {@link chunkStart}.
 */
export function chunkCount(rows: number): number {
  return Math.max(1, Math.min(MAX_CHUNKS, Math.floor(rows / MIN_CHUNK_ROWS)));
}

export function chunkStart(start: number, end: number, chunks: number, chunk: number): number {
  return start + Math.floor((chunk * (end - start)) / chunks);
}

/** Does all the work on the calling thread. */
export class LocalTreeWork implements TreeWork {
  readonly #free: Float64Array[] = [];
  readonly #size: number;
  #parts: Float64Array | null = null;

  constructor(featureCount: number) {
    this.#size = featureCount * HISTOGRAM_FEATURE_STRIDE;
  }

  load(nodeRows: NodeRows, data: TrainingRows, rows: Uint32Array): void {
    nodeRows.load(data.binned, rows, 0, rows.length, data.labels, data.logOdds);
  }

  acquire(): Float64Array {
    return this.#free.pop() ?? new Float64Array(this.#size);
  }

  release(histogram: Float64Array): void {
    this.#free.push(histogram);
  }

  buildHistogram(
    histogram: Float64Array,
    rows: NodeRows,
    side: Side,
    features: Int32Array,
    start: number,
    end: number,
  ): void {
    const chunks = chunkCount(end - start);
    if (chunks === 1) {
      fillHistogram(histogram, rows, side, features, start, end);
      return;
    }
    this.#parts ??= new Float64Array(MAX_CHUNKS * this.#size);
    for (let c = 0; c < chunks; c++) {
      const part = this.#parts.subarray(c * this.#size, (c + 1) * this.#size);
      fillHistogram(
        part,
        rows,
        side,
        features,
        chunkStart(start, end, chunks, c),
        chunkStart(start, end, chunks, c + 1),
      );
    }
    sumHistogramParts(histogram, this.#parts, this.#size, chunks, features);
  }

  partition(rows: NodeRows, side: Side, start: number, end: number, split: NodeSplit): Side {
    checkLeftCount(rows.partition(side, start, end, split.feature, split.routes), split);
    return side;
  }

  close(): void {}
}

/** A split to apply to a node's rows: `routes[bin]` is 1 where feature's bin goes left. */
export interface NodeSplit {
  readonly feature: number;
  readonly routes: Uint8Array;
  /** How many of the node's rows go left, from its histogram. */
  readonly leftCount: number;
}

/**
 * The rows that went left must be those the histogram counted: the children's ranges are laid
 * out from that count before the rows move, so a disagreement would corrupt both.
 */
export function checkLeftCount(moved: number, split: NodeSplit): void {
  if (moved !== split.leftCount) {
    throw new Error(
      `trainGbdt: a split sent ${moved} rows left where its histogram counted ${split.leftCount}`,
    );
  }
}

/** Fills `histogram` for all of `features` from positions `start…end` of `side` of `rows`. */
export function fillHistogram(
  histogram: Float64Array,
  rows: NodeRows,
  side: Side,
  features: Int32Array,
  start: number,
  end: number,
): void {
  const block = rows.sides[side];
  buildHistogramSlice(
    histogram,
    block.bins,
    rows.stride,
    features,
    0,
    features.length,
    start,
    end,
    block.gradients,
    block.hessians,
  );
}
