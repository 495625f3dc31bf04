/**
 * A tree-work thread: sleeps until the training thread posts a command, then claims and runs
 * its chunks alongside the other threads. See threaded-tree-work.ts for the other side.
 */
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { NodeRows } from './node-rows.js';
import { CONTROL, runChunk, type TreeWorkerData, workOnChunks } from './tree-work-protocol.js';

const data = workerData as TreeWorkerData;
const { control } = data;
const rows = new NodeRows(data.rows);
const histograms: Float64Array[] = [];

function histogramById(id: number): Float64Array {
  while (histograms[id] === undefined) {
    const received = receiveMessageOnPort(data.port);
    if (received === undefined) throw new Error(`histogram ${id} never arrived`);
    const { id: arrived, buffer } = received.message as { id: number; buffer: SharedArrayBuffer };
    histograms[arrived] = new Float64Array(buffer);
  }
  return histograms[id] as Float64Array;
}

Atomics.add(control, CONTROL.ready, 1);
Atomics.notify(control, CONTROL.ready);
for (let seen = 0; ; ) {
  Atomics.wait(control, CONTROL.sequence, seen);
  seen = Atomics.load(control, CONTROL.sequence);
  if (control[CONTROL.exit] === 1) break;
  workOnChunks(control, (chunk) => runChunk(data, rows, histogramById, chunk));
}
data.port.close();
