/** What the histogram threads and the training thread share: the control block's layout. */
import type { MessagePort } from 'node:worker_threads';

/** Slots of a worker's control block (an Int32Array over a SharedArrayBuffer). */
export const CONTROL = {
  /** Set to 1 by the worker once it waits for commands. */
  ready: 0,
  /** Bumped by the training thread for each command. */
  sequence: 1,
  /** The last sequence number the worker finished. */
  done: 2,
  histogram: 3,
  start: 4,
  end: 5,
  featureFrom: 6,
  featureTo: 7,
  featureCount: 8,
  exit: 9,
  failed: 10,
} as const;

export const CONTROL_SLOTS = 11;

/** How long training waits for a worker thread to start before giving up on it. */
export const STARTUP_TIMEOUT_MS = 30_000;

export interface HistogramWorkerData {
  readonly control: Int32Array;
  readonly featureList: Int32Array;
  readonly bins: Uint8Array;
  readonly stride: number;
  readonly gradients: Float64Array;
  readonly hessians: Float64Array;
  readonly port: MessagePort;
}
