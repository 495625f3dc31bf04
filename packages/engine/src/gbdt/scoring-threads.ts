/**
 * Scoring and explaining on several threads: the rows are cut into contiguous ranges, the
 * calling thread takes the first and a short-lived worker thread each other one (on copies of
 * its rows, written back through a SharedArrayBuffer). Every row goes through the same code
 * in the same order as on one thread, so the results are the single-threaded ones exactly.
 */
import { addEnsembleValues } from './ensemble-prediction.js';
import { startWorker } from './start-worker.js';
import type { Tree } from './tree.js';
import { addEnsembleShap } from './tree-shap.js';

/** How long the calling thread waits for a worker before giving up on it. */
const WORKER_TIMEOUT_MS = 600_000;

/** One worker's job: its rows, and `result` (shared) to add to. */
export type ScoringTask =
  | {
      readonly kind: 'predict';
      readonly trees: readonly Tree[];
      /** Its rows of each feature column. */
      readonly columns: readonly Float64Array[];
      /** One running log-odds sum per row. */
      readonly result: Float64Array;
      /** [0]: 1 once `result` is final; [1]: 1 if the worker failed. */
      readonly done: Int32Array;
    }
  | {
      readonly kind: 'explain';
      readonly trees: readonly Tree[];
      /** Its rows' feature values, row-major. */
      readonly values: Float64Array;
      readonly featureCount: number;
      /** Contributions, row-major like `values`. */
      readonly result: Float64Array;
      readonly done: Int32Array;
    };

/** Runs a task; what a scoring worker does with the one it is given. */
export function runScoringTask(task: ScoringTask): void {
  if (task.kind === 'predict') {
    addEnsembleValues(task.trees, task.columns, 0, task.result.length, task.result);
  } else {
    addEnsembleShap(task.trees, task.values, task.featureCount, task.result);
  }
}

/** The row where range `k` of `rows` rows cut into `parts` begins. */
export function rangeStart(k: number, rows: number, parts: number): number {
  return Math.floor((k * rows) / parts);
}

/**
 * Starts one worker per task, runs `onThisThread` meanwhile, then waits for the workers and
 * hands each task's (final) result to `collect`.
 */
export function runOnWorkers<T extends ScoringTask>(
  tasks: readonly T[],
  onThisThread: () => void,
  collect: (task: T, index: number) => void,
  where: string,
): void {
  // The tasks' row copies are fresh ArrayBuffers: handed over, not copied again.
  const workers = tasks.map((task) => {
    const copies = task.kind === 'predict' ? task.columns : [task.values];
    return startWorker(
      'scoring-worker',
      task,
      copies.map((copy) => copy.buffer as ArrayBuffer),
    );
  });
  onThisThread();
  tasks.forEach((task, k) => {
    const outcome = Atomics.wait(task.done, 0, 0, WORKER_TIMEOUT_MS);
    workers[k]?.unref();
    if (outcome === 'timed-out' || task.done[1] === 1) {
      throw new Error(`${where}: a scoring worker thread failed; use threads: 1`);
    }
    collect(task, k);
  });
}

/** A new Int32Array for a task's done flags, shared with its worker. */
export function doneFlags(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(8));
}

/**
 * {@link addEnsembleValues} for all `rows` rows of `columns` on `threads` threads.
 */
export function addEnsembleValuesOnThreads(
  trees: readonly Tree[],
  columns: readonly Float64Array[],
  rows: number,
  threads: number,
  out: Float64Array,
): void {
  const tasks = Array.from({ length: threads - 1 }, (_, k) => {
    const from = rangeStart(k + 1, rows, threads);
    const to = rangeStart(k + 2, rows, threads);
    // The worker adds to the same starting sums, in the same order, as one thread would.
    const result = new Float64Array(new SharedArrayBuffer(8 * (to - from)));
    result.set(out.subarray(from, to));
    return {
      kind: 'predict' as const,
      trees,
      columns: columns.map((column) => column.slice(from, to)),
      result,
      done: doneFlags(),
    };
  });
  runOnWorkers(
    tasks,
    () => addEnsembleValues(trees, columns, 0, rangeStart(1, rows, threads), out),
    (task, k) => out.set(task.result, rangeStart(k + 1, rows, threads)),
    'predictLogOdds',
  );
}

/**
 * {@link addEnsembleShap} for the rows in `values` (row-major, `featureCount` a row) on
 * `threads` threads.
 */
export function addEnsembleShapOnThreads(
  trees: readonly Tree[],
  values: Float64Array,
  featureCount: number,
  threads: number,
  out: Float64Array,
): void {
  const rows = values.length / featureCount;
  const bounds = (k: number) => rangeStart(k, rows, threads) * featureCount;
  const tasks = Array.from({ length: threads - 1 }, (_, k) => ({
    kind: 'explain' as const,
    trees,
    values: values.slice(bounds(k + 1), bounds(k + 2)),
    featureCount,
    result: new Float64Array(new SharedArrayBuffer(8 * (bounds(k + 2) - bounds(k + 1)))),
    done: doneFlags(),
  }));
  runOnWorkers(
    tasks,
    () =>
      addEnsembleShap(
        trees,
        values.subarray(0, bounds(1)),
        featureCount,
        out.subarray(0, bounds(1)),
      ),
    (task, k) => out.set(task.result, bounds(k + 1)),
    'explainRows',
  );
}
