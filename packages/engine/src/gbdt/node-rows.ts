/**
 * The rows a tree is grown on, physically grouped by node. Each node owns a contiguous range,
 * holding its rows' bin codes (row-major), gradients, hessians and original row indices in the
 * same order. A split moves the rows, not just their indices: histograms then always stream
 * through contiguous memory. With indices alone, deep nodes scatter over the whole bin matrix
 * and every row costs a cache miss; that made histogram building 2–3× slower per row.
 */
import type { BinnedRows } from './bin-mapper.js';

/** The arrays behind a {@link NodeRows}: shared ones can be handed to worker threads. */
export interface NodeRowsBuffers {
  /** Bytes per row, a multiple of 16 so rows move as 32-bit words, four at a time. */
  readonly stride: number;
  readonly words: Int32Array;
  readonly gradients: Float64Array;
  readonly hessians: Float64Array;
  readonly rows: Uint32Array;
  /** Same sizes again: where a partition puts the rows that go right. */
  readonly spareWords: Int32Array;
  readonly spareGradients: Float64Array;
  readonly spareHessians: Float64Array;
  readonly spareRows: Uint32Array;
}

export class NodeRows {
  readonly buffers: NodeRowsBuffers;
  readonly stride: number;
  /** Row-major bin codes, `bins[k * stride + feature]` for the k-th row in node order. */
  readonly bins: Uint8Array;
  readonly gradients: Float64Array;
  readonly hessians: Float64Array;
  /** The matrix row each position holds. */
  readonly rows: Uint32Array;
  readonly #wordsPerRow: number;

  constructor(buffers: NodeRowsBuffers) {
    this.buffers = buffers;
    this.stride = buffers.stride;
    this.bins = new Uint8Array(
      buffers.words.buffer,
      buffers.words.byteOffset,
      buffers.words.byteLength,
    );
    this.gradients = buffers.gradients;
    this.hessians = buffers.hessians;
    this.rows = buffers.rows;
    this.#wordsPerRow = buffers.stride / 4;
  }

  /**
   * Room for `capacity` rows of `stride` bytes; `shared`: in SharedArrayBuffers, for worker
   * threads to work on.
   */
  static allocate(stride: number, capacity: number, shared: boolean): NodeRows {
    const allocate = (bytes: number) =>
      shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    return new NodeRows({
      stride,
      words: new Int32Array(allocate(capacity * stride)),
      gradients: new Float64Array(allocate(capacity * 8)),
      hessians: new Float64Array(allocate(capacity * 8)),
      rows: new Uint32Array(allocate(capacity * 4)),
      spareWords: new Int32Array(allocate(capacity * stride)),
      spareGradients: new Float64Array(allocate(capacity * 8)),
      spareHessians: new Float64Array(allocate(capacity * 8)),
      spareRows: new Uint32Array(allocate(capacity * 4)),
    });
  }

  /**
   * Fills positions `from…to` with the rows `rows[from…to)` of `binned`, and their log-loss
   * gradient p − y and hessian p(1 − p) at the current log-odds.
   */
  load(
    binned: BinnedRows,
    rows: Uint32Array,
    from: number,
    to: number,
    labels: Uint8Array,
    logOdds: Float64Array,
  ): void {
    const source = new Int32Array(
      binned.bins.buffer,
      binned.bins.byteOffset,
      binned.bins.length / 4,
    );
    const { words } = this.buffers;
    const { gradients, hessians } = this;
    const perRow = this.#wordsPerRow;
    for (let k = from; k < to; k++) {
      const row = rows[k] as number;
      const source0 = row * perRow;
      const to0 = k * perRow;
      for (let w = 0; w < perRow; w++) words[to0 + w] = source[source0 + w] as number;
      const p = 1 / (1 + Math.exp(-(logOdds[row] as number)));
      gradients[k] = p - (labels[row] as number);
      hessians[k] = p * (1 - p);
      this.rows[k] = row;
    }
  }

  /**
   * Stable partition of positions `start…end` by `routes[bin]` (1 = left) of `feature`, in
   * place: left rows first, each side keeping its order. Returns where the right rows begin.
   */
  partition(start: number, end: number, feature: number, routes: Uint8Array): number {
    const leftEnd = this.partitionChunk(start, end, feature, routes);
    this.#copyFromSpare(start, start + end - leftEnd, leftEnd);
    return leftEnd;
  }

  /**
   * The first half of {@link partition}: left rows compacted to the front of `start…end`, right
   * rows to the same positions of the spare arrays. Returns where the left rows end. Chunks
   * of one node partitioned so, by any threads at once, are put together by
   * {@link joinPartitions}.
   */
  partitionChunk(start: number, end: number, feature: number, routes: Uint8Array): number {
    const { bins, gradients, hessians, rows, stride } = this;
    const { words, spareWords, spareGradients, spareHessians, spareRows } = this.buffers;
    const perRow = this.#wordsPerRow;
    let leftEnd = start;
    let rightEnd = start;
    for (let k = start; k < end; k++) {
      const from = k * perRow;
      if (routes[bins[k * stride + feature] as number] === 1) {
        // leftEnd <= k, so this copy never overwrites a row not yet read.
        const to = leftEnd * perRow;
        for (let w = 0; w < perRow; w += 4) {
          words[to + w] = words[from + w] as number;
          words[to + w + 1] = words[from + w + 1] as number;
          words[to + w + 2] = words[from + w + 2] as number;
          words[to + w + 3] = words[from + w + 3] as number;
        }
        gradients[leftEnd] = gradients[k] as number;
        hessians[leftEnd] = hessians[k] as number;
        rows[leftEnd] = rows[k] as number;
        leftEnd++;
      } else {
        const to = rightEnd * perRow;
        for (let w = 0; w < perRow; w += 4) {
          spareWords[to + w] = words[from + w] as number;
          spareWords[to + w + 1] = words[from + w + 1] as number;
          spareWords[to + w + 2] = words[from + w + 2] as number;
          spareWords[to + w + 3] = words[from + w + 3] as number;
        }
        spareGradients[rightEnd] = gradients[k] as number;
        spareHessians[rightEnd] = hessians[k] as number;
        spareRows[rightEnd] = rows[k] as number;
        rightEnd++;
      }
    }
    return leftEnd;
  }

  /**
   * Joins chunks each partitioned by {@link partitionChunk} (chunk t is positions
   * `bounds[t]…bounds[t + 1]`, its first `leftCounts[t]` rows going left) into one stable
   * partition of the whole range: every left row, then every right row, in order. Returns
   * where the right rows begin.
   */
  joinPartitions(bounds: readonly number[], leftCounts: readonly number[]): number {
    let leftEnd = (bounds[0] as number) + (leftCounts[0] as number);
    for (let t = 1; t < leftCounts.length; t++) {
      const start = bounds[t] as number;
      this.#moveWithin(start, start + (leftCounts[t] as number), leftEnd);
      leftEnd += leftCounts[t] as number;
    }
    let rightEnd = leftEnd;
    leftCounts.forEach((left, t) => {
      const start = bounds[t] as number;
      const rights = (bounds[t + 1] as number) - start - left;
      this.#copyFromSpare(start, start + rights, rightEnd);
      rightEnd += rights;
    });
    return leftEnd;
  }

  #copyFromSpare(start: number, end: number, to: number): void {
    const b = this.buffers;
    const perRow = this.#wordsPerRow;
    b.words.set(b.spareWords.subarray(start * perRow, end * perRow), to * perRow);
    b.gradients.set(b.spareGradients.subarray(start, end), to);
    b.hessians.set(b.spareHessians.subarray(start, end), to);
    b.rows.set(b.spareRows.subarray(start, end), to);
  }

  #moveWithin(start: number, end: number, to: number): void {
    const b = this.buffers;
    const perRow = this.#wordsPerRow;
    b.words.copyWithin(to * perRow, start * perRow, end * perRow);
    b.gradients.copyWithin(to, start, end);
    b.hessians.copyWithin(to, start, end);
    b.rows.copyWithin(to, start, end);
  }
}
