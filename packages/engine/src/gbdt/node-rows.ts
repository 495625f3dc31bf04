/**
 * The rows a tree is grown on, physically grouped by node. Each node owns a contiguous range,
 * holding its rows' bin codes (row-major), gradients, hessians and original row indices in the
 * same order. A split moves the rows, not just their indices: histograms then always stream
 * through contiguous memory. With indices alone, deep nodes scatter over the whole bin matrix
 * and every row costs a cache miss; that made histogram building 2–3× slower per row.
 *
 * There are two copies of every array, two sides. One thread splits a node in place: left
 * rows compacted forward, right rows to the other side and back, the children staying on their
 * parent's side (writing over rows just read is cheaper than writing to a second buffer).
 * Several threads split a large node by moving its rows to the other side, each chunk of rows
 * straight to where it belongs, the children landing there: no thread has to join the chunks
 * afterwards.
 */
import type { BinnedRows } from './bin-mapper.js';

/** Which copy of the arrays a node's rows are in; a tree's rows are loaded into side 0. */
export type Side = 0 | 1;

/** One side's arrays; shared ones can be handed to worker threads. */
export interface RowBlockBuffers {
  /** Row-major bin codes as 32-bit words, `stride / 4` a row. */
  readonly words: Int32Array;
  readonly gradients: Float64Array;
  readonly hessians: Float64Array;
  /** The matrix row each position holds. */
  readonly rows: Uint32Array;
}

export interface NodeRowsBuffers {
  /** Bytes per row, a multiple of 16 so rows move as 32-bit words, four at a time. */
  readonly stride: number;
  readonly sides: readonly [RowBlockBuffers, RowBlockBuffers];
}

/** One side's arrays, with the bin codes also as bytes: `bins[k * stride + feature]`. */
export interface RowBlock extends RowBlockBuffers {
  readonly bins: Uint8Array;
}

export class NodeRows {
  readonly buffers: NodeRowsBuffers;
  readonly stride: number;
  readonly sides: readonly [RowBlock, RowBlock];
  readonly #wordsPerRow: number;

  constructor(buffers: NodeRowsBuffers) {
    this.buffers = buffers;
    this.stride = buffers.stride;
    const block = (side: RowBlockBuffers): RowBlock => ({
      ...side,
      bins: new Uint8Array(side.words.buffer, side.words.byteOffset, side.words.byteLength),
    });
    this.sides = [block(buffers.sides[0]), block(buffers.sides[1])];
    this.#wordsPerRow = buffers.stride / 4;
  }

  /**
   * Room for `capacity` rows of `stride` bytes; `shared`: in SharedArrayBuffers, for worker
   * threads to work on.
   */
  static allocate(stride: number, capacity: number, shared: boolean): NodeRows {
    const allocate = (bytes: number) =>
      shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    const side = (): RowBlockBuffers => ({
      words: new Int32Array(allocate(capacity * stride)),
      gradients: new Float64Array(allocate(capacity * 8)),
      hessians: new Float64Array(allocate(capacity * 8)),
      rows: new Uint32Array(allocate(capacity * 4)),
    });
    return new NodeRows({ stride, sides: [side(), side()] });
  }

  /**
   * Fills positions `from…to` of side 0 with the rows `rows[from…to)` of `binned`, and their
   * log-loss gradient p − y and hessian p(1 − p) at the current log-odds.
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
    const { words, gradients, hessians, rows: order } = this.sides[0];
    const perRow = this.#wordsPerRow;
    for (let k = from; k < to; k++) {
      const row = rows[k] as number;
      const source0 = row * perRow;
      const to0 = k * perRow;
      for (let w = 0; w < perRow; w++) words[to0 + w] = source[source0 + w] as number;
      const p = 1 / (1 + Math.exp(-(logOdds[row] as number)));
      gradients[k] = p - (labels[row] as number);
      hessians[k] = p * (1 - p);
      order[k] = row;
    }
  }

  /**
   * Stable partition of positions `start…end` of `side` by `routes[bin]` (1 = left) of
   * `feature`, in place: left rows first, each side keeping its order. The same positions of
   * the other side are scratch. Returns how many rows went left.
   */
  partition(side: Side, start: number, end: number, feature: number, routes: Uint8Array): number {
    const { bins, words, gradients, hessians, rows } = this.sides[side];
    const spare = this.sides[side === 0 ? 1 : 0];
    const spareWords = spare.words;
    const spareGradients = spare.gradients;
    const spareHessians = spare.hessians;
    const spareRows = spare.rows;
    const stride = this.stride;
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
    words.set(spareWords.subarray(start * perRow, rightEnd * perRow), leftEnd * perRow);
    gradients.set(spareGradients.subarray(start, rightEnd), leftEnd);
    hessians.set(spareHessians.subarray(start, rightEnd), leftEnd);
    rows.set(spareRows.subarray(start, rightEnd), leftEnd);
    return leftEnd - start;
  }

  /** How many of the rows at positions `start…end` of `side` go left (`routes[bin]` is 1). */
  countLeft(side: Side, start: number, end: number, feature: number, routes: Uint8Array): number {
    const { bins } = this.sides[side];
    const stride = this.stride;
    let left = 0;
    for (let at = start * stride + feature, stop = end * stride; at < stop; at += stride) {
      left += routes[bins[at] as number] as number;
    }
    return left;
  }

  /**
   * Moves the rows at positions `start…end` of `side` to the other side, in order: those that
   * go left to positions `leftTo…`, the others to `rightTo…`. Returns how many went left.
   */
  split(
    side: Side,
    start: number,
    end: number,
    feature: number,
    routes: Uint8Array,
    leftTo: number,
    rightTo: number,
  ): number {
    const { bins, words, gradients, hessians, rows } = this.sides[side];
    const target = this.sides[side === 0 ? 1 : 0];
    const targetWords = target.words;
    const targetGradients = target.gradients;
    const targetHessians = target.hessians;
    const targetRows = target.rows;
    const stride = this.stride;
    const perRow = this.#wordsPerRow;
    let left = leftTo;
    let right = rightTo;
    for (let k = start; k < end; k++) {
      let to: number;
      if (routes[bins[k * stride + feature] as number] === 1) to = left++;
      else to = right++;
      const from = k * perRow;
      const into = to * perRow;
      for (let w = 0; w < perRow; w += 4) {
        targetWords[into + w] = words[from + w] as number;
        targetWords[into + w + 1] = words[from + w + 1] as number;
        targetWords[into + w + 2] = words[from + w + 2] as number;
        targetWords[into + w + 3] = words[from + w + 3] as number;
      }
      targetGradients[to] = gradients[k] as number;
      targetHessians[to] = hessians[k] as number;
      targetRows[to] = rows[k] as number;
    }
    return left - leftTo;
  }
}
