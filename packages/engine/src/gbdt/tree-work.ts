/**
 * The heavy lifting of growing a tree: filling node histograms and splitting a node's rows.
 * On the calling thread by default; {@link ThreadedTreeWork} shares both with worker threads.
 */
import type { BinnedRows } from './bin-mapper.js';
import { buildHistogramSlice, HISTOGRAM_FEATURE_STRIDE } from './histogram.js';
import type { NodeRows } from './node-rows.js';

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
  /** Fills `histogram` for `features` from positions `start…end` of `rows`. */
  buildHistogram(
    histogram: Float64Array,
    rows: NodeRows,
    features: Int32Array,
    start: number,
    end: number,
  ): void;
  /** {@link NodeRows.partition} of positions `start…end`; returns where the right rows begin. */
  partition(
    rows: NodeRows,
    start: number,
    end: number,
    feature: number,
    routes: Uint8Array,
  ): number;
  /** Frees any threads; not used again after. */
  close(): void;
}

/** Does all the work on the calling thread. */
export class LocalTreeWork implements TreeWork {
  readonly #free: Float64Array[] = [];
  readonly #size: number;

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
    features: Int32Array,
    start: number,
    end: number,
  ): void {
    buildHistogramSlice(
      histogram,
      rows.bins,
      rows.stride,
      features,
      0,
      features.length,
      start,
      end,
      rows.gradients,
      rows.hessians,
    );
  }

  partition(rows: NodeRows, start: number, end: number, feature: number, routes: Uint8Array) {
    return rows.partition(start, end, feature, routes);
  }

  close(): void {}
}
