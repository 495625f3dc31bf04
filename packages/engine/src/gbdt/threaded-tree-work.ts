/**
 * Tree work shared by the calling thread and `threads - 1` worker threads. Loading a tree's
 * rows is split by rows, each thread taking a contiguous chunk. A histogram is
 * split by features: each thread fills the sums of its own slice, so no two threads write the
 * same slot and the result is bit-for-bit the single-threaded one. A partition is split by
 * rows: each thread partitions its own chunk, then the calling thread joins the chunks, which
 * gives the very order one thread would have produced.
 *
 * The calling thread blocks (Atomics.wait) while the workers finish, which keeps training
 * synchronous. Node rows and histograms live in SharedArrayBuffers; a histogram buffer made
 * after the workers started reaches them over a MessagePort that they drain synchronously
 * (receiveMessageOnPort) when a command names a buffer they lack.
 */
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { GbdtInputError } from './errors.js';
import { buildHistogramSlice, HISTOGRAM_FEATURE_STRIDE } from './histogram.js';
import type { NodeRows } from './node-rows.js';
import { startWorker } from './start-worker.js';
import { LocalTreeWork, type TrainingRows, type TreeWork } from './tree-work.js';
import {
  COMMAND,
  CONTROL,
  CONTROL_SLOTS,
  STARTUP_TIMEOUT_MS,
  type TreeWorkerData,
} from './tree-work-protocol.js';

// Waking the workers and waiting for them costs tens of microseconds: below this many rows
// the calling thread is done sooner alone. The work is the same either way, so this does not
// change the model.
const MIN_ROWS_TO_SHARE = 20_000;

interface Helper {
  readonly worker: Worker;
  readonly control: Int32Array;
  readonly port: MessagePort;
}

export class ThreadedTreeWork implements TreeWork {
  readonly #size: number;
  readonly #helpers: Helper[];
  readonly #featureList: Int32Array;
  readonly #routes = new Uint8Array(new SharedArrayBuffer(256));
  readonly #rowList: Uint32Array;
  readonly #local: LocalTreeWork;
  readonly #free: Float64Array[] = [];
  readonly #ids = new Map<Float64Array, number>();
  #sequence = 0;
  #listed: Int32Array | null = null;

  /**
   * Starts `threads - 1` workers on `data` and the buffers of `rows` (all shared); waits until
   * they are up.
   */
  constructor(data: TrainingRows, rows: NodeRows, featureCount: number, threads: number) {
    this.#size = featureCount * HISTOGRAM_FEATURE_STRIDE;
    this.#local = new LocalTreeWork(featureCount);
    this.#featureList = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, featureCount)));
    this.#rowList = new Uint32Array(new SharedArrayBuffer(4 * rows.rows.length));
    this.#helpers = Array.from({ length: threads - 1 }, () => this.#startHelper(data, rows));
    for (const helper of this.#helpers) awaitStartup(helper);
  }

  load(nodeRows: NodeRows, data: TrainingRows, rows: Uint32Array): void {
    if (rows.length < MIN_ROWS_TO_SHARE) {
      this.#local.load(nodeRows, data, rows);
      return;
    }
    this.#rowList.set(rows);
    const sequence = this.#command((control, k) => {
      control[CONTROL.command] = COMMAND.load;
      control[CONTROL.start] = this.#share(k + 1, rows.length);
      control[CONTROL.end] = this.#share(k + 2, rows.length);
    });
    nodeRows.load(data.binned, rows, 0, this.#share(1, rows.length), data.labels, data.logOdds);
    this.#awaitHelpers(sequence);
  }

  acquire(): Float64Array {
    const reused = this.#free.pop();
    if (reused !== undefined) return reused;
    const histogram = new Float64Array(new SharedArrayBuffer(this.#size * 8));
    const id = this.#ids.size;
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
      this.#featureList.set(features);
      this.#listed = features;
    }
    const sliceStart = (thread: number) => this.#share(thread, features.length);
    const sequence = this.#command((control, k) => {
      control[CONTROL.command] = COMMAND.histogram;
      control[CONTROL.histogram] = this.#ids.get(histogram) as number;
      control[CONTROL.start] = start;
      control[CONTROL.end] = end;
      control[CONTROL.featureFrom] = sliceStart(k + 1);
      control[CONTROL.featureTo] = sliceStart(k + 2);
      control[CONTROL.featureCount] = features.length;
    });
    buildHistogramSlice(
      histogram,
      rows.bins,
      rows.stride,
      features,
      0,
      sliceStart(1),
      start,
      end,
      rows.gradients,
      rows.hessians,
    );
    this.#awaitHelpers(sequence);
  }

  partition(rows: NodeRows, start: number, end: number, feature: number, routes: Uint8Array) {
    if (end - start < MIN_ROWS_TO_SHARE) return rows.partition(start, end, feature, routes);
    this.#routes.set(routes);
    const bounds = Array.from(
      { length: this.#helpers.length + 2 },
      (_, t) => start + this.#share(t, end - start),
    );
    const sequence = this.#command((control, k) => {
      control[CONTROL.command] = COMMAND.partition;
      control[CONTROL.start] = bounds[k + 1] as number;
      control[CONTROL.end] = bounds[k + 2] as number;
      control[CONTROL.splitFeature] = feature;
    });
    const leftCounts = [rows.partition(start, bounds[1] as number, feature, routes) - start];
    this.#awaitHelpers(sequence);
    for (const helper of this.#helpers)
      leftCounts.push(helper.control[CONTROL.leftCount] as number);
    return rows.joinPartitions(bounds, leftCounts);
  }

  close(): void {
    for (const helper of this.#helpers) {
      Atomics.store(helper.control, CONTROL.exit, 1);
      Atomics.add(helper.control, CONTROL.sequence, 1);
      Atomics.notify(helper.control, CONTROL.sequence);
      helper.port.close();
      helper.worker.unref();
    }
  }

  /** Where thread `thread`'s share of `count` items begins (thread 0 is this one). */
  #share(thread: number, count: number): number {
    return Math.floor((thread * count) / (this.#helpers.length + 1));
  }

  /** Fills each helper's command with `write` and wakes it; returns the command's number. */
  #command(write: (control: Int32Array, helper: number) => void): number {
    const sequence = ++this.#sequence;
    this.#helpers.forEach((helper, k) => {
      write(helper.control, k);
      Atomics.store(helper.control, CONTROL.sequence, sequence);
      Atomics.notify(helper.control, CONTROL.sequence);
    });
    return sequence;
  }

  #awaitHelpers(sequence: number): void {
    for (const { control } of this.#helpers) {
      for (let done = Atomics.load(control, CONTROL.done); done !== sequence; ) {
        Atomics.wait(control, CONTROL.done, done);
        done = Atomics.load(control, CONTROL.done);
      }
      if (control[CONTROL.failed] === 1) {
        throw new Error('trainGbdt: a tree-work worker thread failed');
      }
    }
  }

  #startHelper(training: TrainingRows, rows: NodeRows): Helper {
    const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_SLOTS));
    const { port1, port2 } = new MessageChannel();
    const data: TreeWorkerData = {
      control,
      featureList: this.#featureList,
      routes: this.#routes,
      rowList: this.#rowList,
      training,
      rows: rows.buffers,
      port: port2,
    };
    const worker = startWorker('tree-work-worker', data, [port2]);
    return { worker, control, port: port1 };
  }
}

function awaitStartup(helper: Helper): void {
  const outcome = Atomics.wait(helper.control, CONTROL.ready, 0, STARTUP_TIMEOUT_MS);
  if (outcome === 'timed-out') {
    helper.worker.terminate();
    throw new GbdtInputError(
      `trainGbdt: a worker thread did not start within ${STARTUP_TIMEOUT_MS / 1000} s; train with threads: 1`,
    );
  }
}
