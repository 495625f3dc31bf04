/**
 * A histogram worker thread: waits for a command in its control block, fills its slice of
 * the features of the named histogram, reports done, and waits again. See
 * threaded-histogram-builder.ts for the other side.
 */
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { buildHistogramSlice } from './histogram.js';
import { CONTROL, type HistogramWorkerData } from './histogram-worker-protocol.js';

const data = workerData as HistogramWorkerData;
const { control } = data;
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

Atomics.store(control, CONTROL.ready, 1);
Atomics.notify(control, CONTROL.ready);
for (let seen = 0; ; ) {
  Atomics.wait(control, CONTROL.sequence, seen);
  seen = Atomics.load(control, CONTROL.sequence);
  if (control[CONTROL.exit] === 1) break;
  try {
    buildHistogramSlice(
      histogramById(control[CONTROL.histogram] as number),
      data.bins,
      data.stride,
      data.featureList.subarray(0, control[CONTROL.featureCount] as number),
      control[CONTROL.featureFrom] as number,
      control[CONTROL.featureTo] as number,
      control[CONTROL.start] as number,
      control[CONTROL.end] as number,
      data.gradients,
      data.hessians,
    );
  } catch {
    control[CONTROL.failed] = 1;
  }
  Atomics.store(control, CONTROL.done, seen);
  Atomics.notify(control, CONTROL.done);
}
data.port.close();
