/**
 * Where node histograms come from: a pool of buffers and a way to fill one. On this thread
 * alone by default; {@link ThreadedHistogramBuilder} splits each build across worker threads.
 */
import { buildHistogramSlice, HISTOGRAM_FEATURE_STRIDE } from './histogram.js';
import type { NodeRows } from './node-rows.js';

export interface HistogramBuilder {
  /** A histogram buffer, reused once released. */
  acquire(): Float64Array;
  release(histogram: Float64Array): void;
  /** Fills `histogram` for `features` from positions `start…end` of `rows`. */
  build(
    histogram: Float64Array,
    rows: NodeRows,
    features: Int32Array,
    start: number,
    end: number,
  ): void;
  /** Frees any threads; the builder is not used again. */
  close(): void;
}

/** Builds every histogram on the calling thread. */
export class LocalHistogramBuilder implements HistogramBuilder {
  readonly #free: Float64Array[] = [];
  readonly #size: number;

  constructor(featureCount: number) {
    this.#size = featureCount * HISTOGRAM_FEATURE_STRIDE;
  }

  acquire(): Float64Array {
    return this.#free.pop() ?? new Float64Array(this.#size);
  }

  release(histogram: Float64Array): void {
    this.#free.push(histogram);
  }

  build(histogram: Float64Array, rows: NodeRows, features: Int32Array, start: number, end: number) {
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

  close(): void {}
}
