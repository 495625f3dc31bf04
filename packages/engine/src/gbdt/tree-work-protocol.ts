/** What the tree-work threads and the training thread share: the control block's layout. */
import type { MessagePort } from 'node:worker_threads';
import type { NodeRowsBuffers } from './node-rows.js';
import type { TrainingRows } from './tree-work.js';

/** Slots of a worker's control block (an Int32Array over a SharedArrayBuffer). */
export const CONTROL = {
  /** Set to 1 by the worker once it waits for commands. */
  ready: 0,
  /** Bumped by the training thread for each command. */
  sequence: 1,
  /** The last sequence number the worker finished. */
  done: 2,
  /** {@link COMMAND}: what to do. */
  command: 3,
  /** The positions of the node rows to work on. */
  start: 4,
  end: 5,
  /** Histogram: which buffer, and the slice of the feature list to fill. */
  histogram: 6,
  featureFrom: 7,
  featureTo: 8,
  featureCount: 9,
  /** Partition: the feature split on (the routes are in `routes`), and the answer. */
  splitFeature: 10,
  leftCount: 11,
  exit: 12,
  failed: 13,
} as const;

export const CONTROL_SLOTS = 14;

export const COMMAND = { load: 1, histogram: 2, partition: 3 } as const;

/** How long training waits for a worker thread to start before giving up on it. */
export const STARTUP_TIMEOUT_MS = 30_000;

export interface TreeWorkerData {
  readonly control: Int32Array;
  readonly featureList: Int32Array;
  /** The split being applied: 1 where a bin code goes left. */
  readonly routes: Uint8Array;
  /** The matrix rows of the tree being grown, in node-row order. */
  readonly rowList: Uint32Array;
  readonly training: TrainingRows;
  readonly rows: NodeRowsBuffers;
  /** Histogram buffers made after the start arrive here, as `{ id, buffer }`. */
  readonly port: MessagePort;
}
