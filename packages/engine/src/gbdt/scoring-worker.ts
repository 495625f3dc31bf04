/** A scoring worker thread: runs the one task it is given, reports done, and exits. */
import { workerData } from 'node:worker_threads';
import { runScoringTask, type ScoringTask } from './scoring-threads.js';

const task = workerData as ScoringTask;
try {
  runScoringTask(task);
} catch {
  task.done[1] = 1;
}
Atomics.store(task.done, 0, 1);
Atomics.notify(task.done, 0);
