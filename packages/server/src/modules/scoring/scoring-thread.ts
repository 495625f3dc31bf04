import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BacktestReport } from './scoring-backtest.js';
import type { BacktestRequest } from './scoring-backtest.worker.js';
import type { ThreadReply } from './scoring-thread-entry.js';
import {
  type DecidedLead,
  TrainingDataError,
  type TrainingResult,
  type TrainingSpec,
} from './scoring-training.js';
import type { TrainingRequest } from './scoring-training.worker.js';

/*
 * Training and backtests run on a worker thread each: fitting, cross-validating or replaying
 * thousands of histories takes seconds to minutes of CPU, and on the event loop it would stall
 * the API and the scorer that share the process.
 */

/** A history the engine refuses rejects with a TrainingDataError, as `trainOnHistory` throws. */
export function trainOnWorkerThread(
  leads: readonly DecidedLead[],
  spec: TrainingSpec,
  now: Date,
): Promise<TrainingResult> {
  const request: TrainingRequest = { leads, spec, now: now.getTime() };
  return runOnWorkerThread<TrainingResult>('scoring-training.worker', request);
}

/**
 * Backtests the stored model config (as `scoring_models.config` holds it) on the leads; a
 * history or a config the engine refuses rejects with a TrainingDataError.
 */
export function backtestOnWorkerThread(
  leads: readonly DecidedLead[],
  config: unknown,
  mqlThreshold: number,
): Promise<BacktestReport> {
  const request: BacktestRequest = { leads, config, mqlThreshold };
  return runOnWorkerThread<BacktestReport>('scoring-backtest.worker', request);
}

/** One request in, one reply out; the thread ends with it. */
function runOnWorkerThread<R>(entry: string, request: unknown): Promise<R> {
  const worker = startWorker(entry);
  return new Promise<R>((resolve, reject) => {
    worker.once('message', (reply: ThreadReply<R>) => {
      if (reply.ok) resolve(reply.result);
      else reject(reply.refused ? new TrainingDataError(reply.message) : new Error(reply.message));
    });
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(new Error(`the ${entry} thread exited with code ${code}`)),
    );
    worker.postMessage(request);
  }).finally(() => worker.terminate());
}

/**
 * From compiled JavaScript the entry is a sibling file. From the TypeScript sources (tests)
 * a worker inherits no loader hooks: it registers tsx first, and resolves the engine to its
 * sources as the tests do (the package's `leadscore-source` condition).
 */
function startWorker(entry: string): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL(`./${entry}.js`, import.meta.url));
  }
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const source = fileURLToPath(new URL(`./${entry}.ts`, import.meta.url));
  const code = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(source)});`;
  return new Worker(code, { eval: true, execArgv: ['--conditions=leadscore-source'] });
}
