/**
 * Tree work shared by the calling thread and `threads - 1` worker threads. Each command on a
 * large node is cut into the row chunks of tree-work.ts, which the threads claim as they come
 * free (see tree-work-protocol.ts): a tree's rows are loaded chunk by chunk, a histogram is the
 * ordered sum of the chunks' partial histograms, and a split counts each chunk's left rows
 * first, so that every chunk then moves its rows straight to where a single thread would
 * have put them. The model is thus bit-for-bit the single-threaded one.
 *
 * The calling thread blocks (Atomics.wait) once it has no chunk left and others are still at
 * theirs, which keeps training synchronous.
 */
import type { Worker } from 'node:worker_threads';
import { GbdtInputError } from './errors.js';
import { HISTOGRAM_FEATURE_STRIDE, sumHistogramParts } from './histogram.js';
import type { NodeRows, Side } from './node-rows.js';
import { startWorker } from './start-worker.js';
import {
  checkLeftCount,
  chunkCount,
  chunkStart,
  LocalTreeWork,
  MAX_CHUNKS,
  type NodeSplit,
  type TrainingRows,
  type TreeWork,
} from './tree-work.js';
import {
  COMMAND,
  CONTROL,
  CONTROL_SLOTS,
  EPOCH_MASK,
  runChunk,
  STARTUP_TIMEOUT_MS,
  TICKET_EPOCH_SHIFT,
  type TreeWorkShared,
  workOnChunks,
} from './tree-work-protocol.js';

export class ThreadedTreeWork implements TreeWork {
  readonly #size: number;
  readonly #shared: TreeWorkShared;
  readonly #rows: NodeRows;
  readonly #workers: Worker[];
  readonly #local: LocalTreeWork;
  #listed: Int32Array | null = null;

  /**
   * Starts `threads - 1` workers on `data` and the buffers of `rows` (all shared); waits until
   * they are up.
   */
  constructor(data: TrainingRows, rows: NodeRows, featureCount: number, threads: number) {
    const shared = (bytes: number) => new SharedArrayBuffer(bytes);
    this.#size = featureCount * HISTOGRAM_FEATURE_STRIDE;
    this.#rows = rows;
    this.#local = new LocalTreeWork(featureCount);
    this.#shared = {
      control: new Int32Array(shared(4 * CONTROL_SLOTS)),
      bounds: new Int32Array(shared(4 * (MAX_CHUNKS + 1))),
      parts: new Float64Array(shared(8 * MAX_CHUNKS * this.#size)),
      leftCounts: new Int32Array(shared(4 * MAX_CHUNKS)),
      destinations: new Int32Array(shared(8 * MAX_CHUNKS)),
      featureList: new Int32Array(shared(4 * Math.max(1, featureCount))),
      routes: new Uint8Array(shared(256)),
      rowList: new Uint32Array(shared(4 * rows.sides[0].rows.length)),
      training: data,
    };
    const workerData = { ...this.#shared, rows: rows.buffers };
    this.#workers = Array.from({ length: threads - 1 }, () =>
      startWorker('tree-work-worker', workerData),
    );
    this.#awaitStartup();
  }

  load(nodeRows: NodeRows, data: TrainingRows, rows: Uint32Array): void {
    if (chunkCount(rows.length) === 1) {
      this.#local.load(nodeRows, data, rows);
      return;
    }
    this.#shared.rowList.set(rows);
    this.#run(COMMAND.load, 0, rows.length, () => {});
  }

  acquire(): Float64Array {
    return this.#local.acquire();
  }

  release(histogram: Float64Array): void {
    this.#local.release(histogram);
  }

  buildHistogram(
    histogram: Float64Array,
    rows: NodeRows,
    side: Side,
    features: Int32Array,
    start: number,
    end: number,
  ): void {
    if (chunkCount(end - start) === 1) {
      this.#local.buildHistogram(histogram, rows, side, features, start, end);
      return;
    }
    if (this.#listed !== features) {
      this.#shared.featureList.set(features);
      this.#listed = features;
    }
    const chunks = this.#run(COMMAND.histogram, start, end, (control) => {
      control[CONTROL.featureCount] = features.length;
      control[CONTROL.side] = side;
    });
    sumHistogramParts(histogram, this.#shared.parts, this.#size, chunks, features);
  }

  partition(rows: NodeRows, side: Side, start: number, end: number, split: NodeSplit): Side {
    if (chunkCount(end - start) === 1) return this.#local.partition(rows, side, start, end, split);
    const { routes, leftCounts, bounds, destinations } = this.#shared;
    routes.set(split.routes);
    const setSplit = (control: Int32Array) => {
      control[CONTROL.splitFeature] = split.feature;
      control[CONTROL.side] = side;
    };
    const chunks = this.#run(COMMAND.count, start, end, setSplit);
    // Chunk c's left rows follow the left rows of chunks before it; its right rows follow
    // every left row and the right rows of chunks before it.
    let left = start;
    let right = start + split.leftCount;
    for (let c = 0; c < chunks; c++) {
      const lefts = leftCounts[c] as number;
      destinations[2 * c] = left;
      destinations[2 * c + 1] = right;
      left += lefts;
      right += (bounds[c + 1] as number) - (bounds[c] as number) - lefts;
    }
    checkLeftCount(left - start, split);
    this.#run(COMMAND.split, start, end, setSplit);
    return side === 0 ? 1 : 0;
  }

  close(): void {
    const { control } = this.#shared;
    Atomics.store(control, CONTROL.exit, 1);
    Atomics.add(control, CONTROL.sequence, 1);
    Atomics.notify(control, CONTROL.sequence);
    for (const worker of this.#workers) worker.unref();
  }

  /**
   * Posts a command over node-row positions `start…end`, cut into chunks, works on it with the
   * workers, and returns once every chunk is done: the number of chunks.
   */
  #run(command: number, start: number, end: number, write: (control: Int32Array) => void) {
    const { control, bounds } = this.#shared;
    const chunks = chunkCount(end - start);
    for (let c = 0; c <= chunks; c++) bounds[c] = chunkStart(start, end, chunks, c);
    control[CONTROL.command] = command;
    write(control);
    Atomics.store(control, CONTROL.chunks, chunks);
    Atomics.store(control, CONTROL.done, 0);
    // Tickets are valid from here on: everything a chunk reads is written above.
    const epoch = (Atomics.load(control, CONTROL.epoch) + 1) & EPOCH_MASK;
    Atomics.store(control, CONTROL.epoch, epoch);
    Atomics.store(control, CONTROL.tickets, epoch << TICKET_EPOCH_SHIFT);
    Atomics.add(control, CONTROL.sequence, 1);
    Atomics.notify(control, CONTROL.sequence);
    workOnChunks(control, (chunk) => runChunk(this.#shared, this.#rows, chunk));
    for (let done = Atomics.load(control, CONTROL.done); done !== chunks; ) {
      Atomics.wait(control, CONTROL.done, done);
      done = Atomics.load(control, CONTROL.done);
    }
    if (control[CONTROL.failed] === 1) throw new Error('trainGbdt: a tree-work thread failed');
    return chunks;
  }

  #awaitStartup(): void {
    const { control } = this.#shared;
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    for (let ready = Atomics.load(control, CONTROL.ready); ready < this.#workers.length; ) {
      if (Atomics.wait(control, CONTROL.ready, ready, deadline - Date.now()) === 'timed-out') {
        this.close();
        for (const worker of this.#workers) worker.terminate();
        throw new GbdtInputError(
          `trainGbdt: worker threads did not start within ${STARTUP_TIMEOUT_MS / 1000} s; train with threads: 1`,
        );
      }
      ready = Atomics.load(control, CONTROL.ready);
    }
  }
}
