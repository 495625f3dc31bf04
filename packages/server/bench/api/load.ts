/**
 * Runs one autocannon measurement in a worker thread. The servers stay on the main thread, so
 * the load generator's own work (building batches, parsing answers) does not share their
 * event loop; on a small machine that would otherwise halve what is measured.
 */
import { Worker } from 'node:worker_threads';
import { withCleanup } from '../cleanup.js';
import type { Scenario } from './scenarios.js';

export interface LoadPlan {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  scenario: Scenario;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
}

export interface LoadResult {
  responses: number;
  seconds: number;
  requestsPerSecond: number;
  /** Of 2xx answers, from each request's hrtime (autocannon's histogram keeps whole ms). */
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  /** Status code → answers, e.g. { "202": 1234 }. */
  statusCodes: Record<string, number>;
  /** Connection errors and timeouts. */
  errors: number;
  /** Batch answers that were 2xx but did not store every item. */
  incompleteBatches: number;
}

// The worker needs tsx registered before it can load a .ts module; Node 20 does not pass
// `--import tsx` on to workers' entry points.
const WORKER_ENTRY = new URL('./load-worker.ts', import.meta.url).href;
const TSX_API = import.meta.resolve('tsx/esm/api');
const BOOT = `import(${JSON.stringify(TSX_API)})
  .then(({ register }) => { register(); return import(${JSON.stringify(WORKER_ENTRY)}); })`;

export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const worker = new Worker(BOOT, { eval: true, workerData: plan });
  return withCleanup(
    async () => {
      await worker.terminate();
    },
    () =>
      new Promise<LoadResult>((resolve, reject) => {
        worker.once('message', (result: LoadResult) => resolve(result));
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`load worker exited with ${code}`)));
      }),
  );
}
