/**
 * Tree work shared by the calling thread and `threads - 1` worker threads. Each command is cut
 * into chunks that the threads claim as they come free (see tree-work-protocol.ts): a tree's
 * rows are loaded and a node's rows partitioned in row ranges, a histogram is filled in
 * feature slices. No two threads write the same histogram slot, and partitioned ranges are
 * joined in order, so the model is bit-for-bit the single-threaded one whoever ran what.
 *
 * The calling thread blocks (Atomics.wait) once it has no chunk left and others are still at
 * theirs, which keeps training synchronous. A histogram buffer made after the workers started
 * reaches them over a MessagePort that they drain synchronously (receiveMessageOnPort) when a
 * command names a buffer they lack.
 */
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { GbdtInputError } from './errors.js';
import { HISTOGRAM_FEATURE_STRIDE } from './histogram.js';
import type { NodeRows } from './node-rows.js';
import { startWorker } from './start-worker.js';
import { LocalTreeWork, type TrainingRows, type TreeWork } from './tree-work.js';
import {
  COMMAND,
  CONTROL,
  CONTROL_SLOTS,
  EPOCH_MASK,
  MAX_CHUNKS,
  runChunk,
  STARTUP_TIMEOUT_MS,
  TICKET_EPOCH_SHIFT,
  type TreeWorkShared,
  workOnChunks,
} from './tree-work-protocol.js';

// Waking the workers costs tens of microseconds: below this many rows the calling thread is
// done sooner alone. The work is the same either way, so this does not change the model.
const MIN_ROWS_TO_SHARE = 20_000;
// Rows per chunk of a load or partition, at least: small enough to share, large enough that
// claiming a chunk costs nothing next to it.
const MIN_CHUNK_ROWS = 16_384;
// Features per chunk of a histogram, at least.
const MIN_CHUNK_FEATURES = 4;

interface Helper {
  readonly worker: Worker;
  readonly port: MessagePort;
}

export class ThreadedTreeWork implements TreeWork {
  readonly #size: number;
  readonly #shared: TreeWorkShared;
  readonly #rows: NodeRows;
  readonly #helpers: Helper[];
  readonly #local: LocalTreeWork;
  readonly #free: Float64Array[] = [];
  readonly #histograms: Float64Array[] = [];
  readonly #ids = new Map<Float64Array, number>();
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
      leftCounts: new Int32Array(shared(4 * MAX_CHUNKS)),
      featureList: new Int32Array(shared(4 * Math.max(1, featureCount))),
      routes: new Uint8Array(shared(256)),
      rowList: new Uint32Array(shared(4 * rows.rows.length)),
      training: data,
    };
    this.#helpers = Array.from({ length: threads - 1 }, () => this.#startHelper());
    this.#awaitStartup();
  }

  load(nodeRows: NodeRows, data: TrainingRows, rows: Uint32Array): void {
    if (rows.length < MIN_ROWS_TO_SHARE) {
      this.#local.load(nodeRows, data, rows);
      return;
    }
    this.#shared.rowList.set(rows);
    this.#run(COMMAND.load, 0, rows.length, MIN_CHUNK_ROWS, () => {});
  }

  acquire(): Float64Array {
    const reused = this.#free.pop();
    if (reused !== undefined) return reused;
    const histogram = new Float64Array(new SharedArrayBuffer(this.#size * 8));
    const id = this.#histograms.push(histogram) - 1;
    this.#ids.set(histogram, id);
    for (const helper of this.#helpers) helper.port.postMessage({ id, buffer: histogram.buffer });
    return histogram;
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
    if (end - start < MIN_ROWS_TO_SHARE) {
      this.#local.buildHistogram(histogram, rows, features, start, end);
      return;
    }
    if (this.#listed !== features) {
      this.#shared.featureList.set(features);
      this.#listed = features;
    }
    this.#run(COMMAND.histogram, 0, features.length, MIN_CHUNK_FEATURES, (control) => {
      control[CONTROL.histogram] = this.#ids.get(histogram) as number;
      control[CONTROL.featureCount] = features.length;
      control[CONTROL.nodeStart] = start;
      control[CONTROL.nodeEnd] = end;
    });
  }

  partition(rows: NodeRows, start: number, end: number, feature: number, routes: Uint8Array) {
    if (end - start < MIN_ROWS_TO_SHARE) return rows.partition(start, end, feature, routes);
    this.#shared.routes.set(routes);
    const chunks = this.#run(COMMAND.partition, start, end, MIN_CHUNK_ROWS, (control) => {
      control[CONTROL.splitFeature] = feature;
    });
    const bounds = Array.from(this.#shared.bounds.subarray(0, chunks + 1));
    return rows.joinPartitions(bounds, Array.from(this.#shared.leftCounts.subarray(0, chunks)));
  }

  close(): void {
    const { control } = this.#shared;
    Atomics.store(control, CONTROL.exit, 1);
    Atomics.add(control, CONTROL.sequence, 1);
    Atomics.notify(control, CONTROL.sequence);
    for (const helper of this.#helpers) {
      helper.port.close();
      helper.worker.unref();
    }
  }

  /**
   * Posts a command over `from…to` (positions or feature-list indices) cut into chunks of at
   * least `minChunk`, works on it with the workers, and returns once every chunk is done; the
   * number of chunks it was cut into.
   */
  #run(
    command: number,
    from: number,
    to: number,
    minChunk: number,
    write: (control: Int32Array) => void,
  ): number {
    const { control, bounds } = this.#shared;
    const chunks = Math.max(1, Math.min(MAX_CHUNKS, Math.floor((to - from) / minChunk)));
    for (let c = 0; c <= chunks; c++) bounds[c] = from + Math.floor((c * (to - from)) / chunks);
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
    const histogramById = (id: number) => this.#histograms[id] as Float64Array;
    workOnChunks(control, (chunk) => runChunk(this.#shared, this.#rows, histogramById, chunk));
    for (let done = Atomics.load(control, CONTROL.done); done !== chunks; ) {
      Atomics.wait(control, CONTROL.done, done);
      done = Atomics.load(control, CONTROL.done);
    }
    if (control[CONTROL.failed] === 1) throw new Error('trainGbdt: a tree-work thread failed');
    return chunks;
  }

  #startHelper(): Helper {
    const { port1, port2 } = new MessageChannel();
    const data = { ...this.#shared, rows: this.#rows.buffers, port: port2 };
    const worker = startWorker('tree-work-worker', data, [port2]);
    return { worker, port: port1 };
  }

  #awaitStartup(): void {
    const { control } = this.#shared;
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    for (let ready = Atomics.load(control, CONTROL.ready); ready < this.#helpers.length; ) {
      if (Atomics.wait(control, CONTROL.ready, ready, deadline - Date.now()) === 'timed-out') {
        this.close();
        for (const helper of this.#helpers) helper.worker.terminate();
        throw new GbdtInputError(
          `trainGbdt: worker threads did not start within ${STARTUP_TIMEOUT_MS / 1000} s; train with threads: 1`,
        );
      }
      ready = Atomics.load(control, CONTROL.ready);
    }
  }
}
