/**
 * Runs one autocannon measurement in a worker thread. The servers stay on the main thread, so
 * the load generator's own work (building batches, parsing answers) does not share their
 * event loop; on a small machine that would otherwise halve what is measured.
 */

import { runTsWorker } from '../ts-worker.js';
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

export function runLoad(plan: LoadPlan): Promise<LoadResult> {
  return runTsWorker(new URL('./load-worker.ts', import.meta.url), plan);
}
