/**
 * A tree-work thread: waits for a command in its control block (load a chunk of a tree's rows,
 * fill a slice of a histogram's features, or partition a chunk of a node's rows), does it,
 * reports done, and waits again.
 * See threaded-tree-work.ts for the other side.
 */
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { buildHistogramSlice } from './histogram.js';
import { NodeRows } from './node-rows.js';
import { COMMAND, CONTROL, type TreeWorkerData } from './tree-work-protocol.js';

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

function run(): void {
  const start = control[CONTROL.start] as number;
  const end = control[CONTROL.end] as number;
  if (control[CONTROL.command] === COMMAND.load) {
    const { binned, labels, logOdds } = data.training;
    rows.load(binned, data.rowList, start, end, labels, logOdds);
    return;
  }
  if (control[CONTROL.command] === COMMAND.partition) {
    const feature = control[CONTROL.splitFeature] as number;
    control[CONTROL.leftCount] = rows.partition(start, end, feature, data.routes) - start;
    return;
  }
  buildHistogramSlice(
    histogramById(control[CONTROL.histogram] as number),
    rows.bins,
    rows.stride,
    data.featureList.subarray(0, control[CONTROL.featureCount] as number),
    control[CONTROL.featureFrom] as number,
    control[CONTROL.featureTo] as number,
    start,
    end,
    rows.gradients,
    rows.hessians,
  );
}

Atomics.store(control, CONTROL.ready, 1);
Atomics.notify(control, CONTROL.ready);
for (let seen = 0; ; ) {
  Atomics.wait(control, CONTROL.sequence, seen);
  seen = Atomics.load(control, CONTROL.sequence);
  if (control[CONTROL.exit] === 1) break;
  try {
    run();
  } catch {
    control[CONTROL.failed] = 1;
  }
  Atomics.store(control, CONTROL.done, seen);
  Atomics.notify(control, CONTROL.done);
}
data.port.close();
