/**
 * What the tree-work threads and the training thread share. Each command is cut into row
 * chunks (of a tree's rows to load, of a node's rows to histogram or partition) that every thread,
 * the training thread included, claims one at a time with a shared ticket counter. A thread
 * the system does not schedule therefore holds up no one but for the chunk it has claimed:
 * with a fixed share each, a busy machine left the training thread waiting for a sleeping
 * worker.
 */
import type { NodeRows, NodeRowsBuffers, Side } from './node-rows.js';
import { fillHistogram, MAX_CHUNKS, type TrainingRows } from './tree-work.js';

/** Slots of the control block (an Int32Array over a SharedArrayBuffer). */
export const CONTROL = {
  /** How many workers have started. */
  ready: 0,
  /** Bumped by the training thread for each command. */
  sequence: 1,
  /** {@link COMMAND}: what to do. */
  command: 2,
  /** How many chunks the command has, and how many are finished. */
  chunks: 3,
  done: 4,
  /**
   * Claim tickets: `epoch << 16 | chunk`, taken with Atomics.add. The epoch (the command's
   * number, modulo 2^15) marks a ticket taken before the command was posted as stale.
   */
  tickets: 5,
  epoch: 6,
  /** Histogram: how long the feature list is. */
  featureCount: 7,
  /** Count and split: the feature split on (the routes are in `routes`). */
  splitFeature: 8,
  exit: 9,
  failed: 10,
  /** Histogram, count and split: the side the node's rows are on. */
  side: 11,
} as const;

export const CONTROL_SLOTS = 12;

/**
 * A node is split in two commands: `count` (how many rows of each chunk go left), then, with
 * each chunk's destinations worked out from those counts, `split`.
 */
export const COMMAND = { load: 1, histogram: 2, count: 3, split: 4 } as const;

/** Ticket bits below the epoch: the chunk index. */
export const TICKET_EPOCH_SHIFT = 16;
export const EPOCH_MASK = 0x7fff;

/** How long training waits for a worker thread to start before giving up on it. */
export const STARTUP_TIMEOUT_MS = 30_000;

/** The state every tree-work thread reads: all of it in SharedArrayBuffers. */
export interface TreeWorkShared {
  readonly control: Int32Array;
  /** Chunk c covers positions `bounds[c]…bounds[c + 1]` of the node rows. */
  readonly bounds: Int32Array;
  /** Histogram: chunk c's partial histogram is `parts[c * size … (c + 1) * size)`. */
  readonly parts: Float64Array;
  /** Count: how many rows of each chunk go left. */
  readonly leftCounts: Int32Array;
  /** Split: where chunk c's left rows go from (`2c`), and its right rows (`2c + 1`). */
  readonly destinations: Int32Array;
  readonly featureList: Int32Array;
  /** The split being applied: 1 where a bin code goes left. */
  readonly routes: Uint8Array;
  /** The matrix rows of the tree being grown, in node-row order. */
  readonly rowList: Uint32Array;
  readonly training: TrainingRows;
}

export interface TreeWorkerData extends TreeWorkShared {
  readonly rows: NodeRowsBuffers;
}

/**
 * Claims and runs chunks of the current command until none is left. A thread may come late,
 * after the command it woke for was finished: its ticket then belongs to an older epoch and
 * it stops, or to the next command, whose chunks it may then run as any other thread.
 */
export function workOnChunks(control: Int32Array, runChunk: (chunk: number) => void): void {
  for (;;) {
    const ticket = Atomics.add(control, CONTROL.tickets, 1);
    if (ticket >>> TICKET_EPOCH_SHIFT !== Atomics.load(control, CONTROL.epoch)) return;
    const chunk = ticket & ((1 << TICKET_EPOCH_SHIFT) - 1);
    const chunks = Atomics.load(control, CONTROL.chunks);
    if (chunk >= chunks) return;
    try {
      runChunk(chunk);
    } catch {
      Atomics.store(control, CONTROL.failed, 1);
    }
    if (Atomics.add(control, CONTROL.done, 1) + 1 === chunks) {
      Atomics.notify(control, CONTROL.done);
    }
  }
}

/** Runs chunk `chunk` of the current command; any tree-work thread, the training one too. */
export function runChunk(shared: TreeWorkShared, rows: NodeRows, chunk: number): void {
  const { control, bounds } = shared;
  const from = bounds[chunk] as number;
  const to = bounds[chunk + 1] as number;
  const command = control[CONTROL.command];
  const side = control[CONTROL.side] as Side;
  const feature = control[CONTROL.splitFeature] as number;
  if (command === COMMAND.load) {
    const { binned, labels, logOdds } = shared.training;
    rows.load(binned, shared.rowList, from, to, labels, logOdds);
  } else if (command === COMMAND.count) {
    shared.leftCounts[chunk] = rows.countLeft(side, from, to, feature, shared.routes);
  } else if (command === COMMAND.split) {
    const { destinations } = shared;
    const leftTo = destinations[2 * chunk] as number;
    rows.split(
      side,
      from,
      to,
      feature,
      shared.routes,
      leftTo,
      destinations[2 * chunk + 1] as number,
    );
  } else {
    const size = shared.parts.length / MAX_CHUNKS;
    const part = shared.parts.subarray(chunk * size, (chunk + 1) * size);
    const features = shared.featureList.subarray(0, control[CONTROL.featureCount] as number);
    fillHistogram(part, rows, side, features, from, to);
  }
}
