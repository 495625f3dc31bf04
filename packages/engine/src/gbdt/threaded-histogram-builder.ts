/**
 * Builds each node histogram on several threads at once: the calling thread and
 * `threads - 1` workers each fill the sums of their own slice of the features, so no two
 * threads write the same slot and the result is bit-for-bit the single-threaded one.
 *
 * The calling thread blocks (Atomics.wait) while the workers finish, which keeps training
 * synchronous. Rows, gradients, hessians and histograms live in SharedArrayBuffers; a
 * histogram buffer made after the workers started reaches them over a MessagePort that they
 * drain synchronously (receiveMessageOnPort) when a command names a buffer they lack.
 */
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { GbdtInputError } from './errors.js';
import { buildHistogramSlice, HISTOGRAM_FEATURE_STRIDE } from './histogram.js';
import type { HistogramBuilder } from './histogram-builder.js';
import {
  CONTROL,
  CONTROL_SLOTS,
  type HistogramWorkerData,
  STARTUP_TIMEOUT_MS,
} from './histogram-worker-protocol.js';
import type { NodeRows } from './node-rows.js';
import { startWorker } from './start-worker.js';

// Waking a worker and waiting for it costs tens of microseconds: below this many rows the
// calling thread builds the whole histogram sooner alone. Each feature's sums are made the
// same way either way, so this does not change the model.
const MIN_ROWS_TO_SHARE = 20_000;

interface Helper {
  readonly worker: Worker;
  readonly control: Int32Array;
  readonly port: MessagePort;
}

export class ThreadedHistogramBuilder implements HistogramBuilder {
  readonly #size: number;
  readonly #helpers: Helper[];
  readonly #featureList: Int32Array;
  readonly #free: Float64Array[] = [];
  readonly #ids = new Map<Float64Array, number>();
  #sequence = 0;
  #listed: Int32Array | null = null;

  /** Starts `threads - 1` workers over the buffers of `rows`; waits until they are up. */
  constructor(rows: NodeRows, featureCount: number, threads: number) {
    this.#size = featureCount * HISTOGRAM_FEATURE_STRIDE;
    this.#featureList = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, featureCount)));
    this.#helpers = Array.from({ length: threads - 1 }, () => this.#startHelper(rows));
    for (const helper of this.#helpers) awaitStartup(helper);
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

  build(histogram: Float64Array, rows: NodeRows, features: Int32Array, start: number, end: number) {
    if (end - start < MIN_ROWS_TO_SHARE) {
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
      return;
    }
    if (this.#listed !== features) {
      this.#featureList.set(features);
      this.#listed = features;
    }
    const threads = this.#helpers.length + 1;
    const sliceEnd = (thread: number) => Math.floor((thread * features.length) / threads);
    const sequence = ++this.#sequence;
    this.#helpers.forEach((helper, k) => {
      const { control } = helper;
      control[CONTROL.histogram] = this.#ids.get(histogram) as number;
      control[CONTROL.start] = start;
      control[CONTROL.end] = end;
      control[CONTROL.featureFrom] = sliceEnd(k + 1);
      control[CONTROL.featureTo] = sliceEnd(k + 2);
      control[CONTROL.featureCount] = features.length;
      Atomics.store(control, CONTROL.sequence, sequence);
      Atomics.notify(control, CONTROL.sequence);
    });
    buildHistogramSlice(
      histogram,
      rows.bins,
      rows.stride,
      features,
      0,
      sliceEnd(1),
      start,
      end,
      rows.gradients,
      rows.hessians,
    );
    for (const helper of this.#helpers) awaitDone(helper.control, sequence);
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

  #startHelper(rows: NodeRows): Helper {
    const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_SLOTS));
    const { port1, port2 } = new MessageChannel();
    const data: HistogramWorkerData = {
      control,
      featureList: this.#featureList,
      bins: rows.bins,
      stride: rows.stride,
      gradients: rows.gradients,
      hessians: rows.hessians,
      port: port2,
    };
    const worker = startWorker('histogram-worker', data, [port2]);
    return { worker, control, port: port1 };
  }
}

function awaitStartup(helper: Helper): void {
  const outcome = Atomics.wait(helper.control, CONTROL.ready, 0, STARTUP_TIMEOUT_MS);
  if (outcome === 'timed-out') {
    helper.worker.terminate();
    throw new GbdtInputError(
      `trainGbdt: a histogram worker thread did not start within ${STARTUP_TIMEOUT_MS / 1000} s; train with threads: 1`,
    );
  }
}

function awaitDone(control: Int32Array, sequence: number): void {
  for (let done = Atomics.load(control, CONTROL.done); done !== sequence; ) {
    Atomics.wait(control, CONTROL.done, done);
    done = Atomics.load(control, CONTROL.done);
  }
  if (control[CONTROL.failed] === 1) {
    throw new Error('trainGbdt: a histogram worker thread failed');
  }
}
