/**
 * A tree-work thread: sleeps until the training thread posts a command, then claims and runs
 * its chunks alongside the other threads. See threaded-tree-work.ts for the other side.
 */
import { workerData } from 'node:worker_threads';
import { NodeRows } from './node-rows.js';
import { CONTROL, runChunk, type TreeWorkerData, workOnChunks } from './tree-work-protocol.js';

const data = workerData as TreeWorkerData;
const { control } = data;
const rows = new NodeRows(data.rows);

Atomics.add(control, CONTROL.ready, 1);
Atomics.notify(control, CONTROL.ready);
for (let seen = 0; ; ) {
  Atomics.wait(control, CONTROL.sequence, seen);
  seen = Atomics.load(control, CONTROL.sequence);
  if (control[CONTROL.exit] === 1) break;
  workOnChunks(control, (chunk) => runChunk(data, rows, chunk));
}
