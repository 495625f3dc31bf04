/** A scoring worker thread: sums the trees over its rows, then reports done and exits. */
import { workerData } from 'node:worker_threads';
import { addEnsembleValues, type PredictionWorkerData } from './ensemble-prediction.js';

const data = workerData as PredictionWorkerData;
try {
  addEnsembleValues(data.trees, data.columns, 0, data.result.length, data.result);
} catch {
  data.done[1] = 1;
}
Atomics.store(data.done, 0, 1);
Atomics.notify(data.done, 0);
