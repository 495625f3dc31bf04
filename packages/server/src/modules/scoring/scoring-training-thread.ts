import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  type DecidedLead,
  TrainingDataError,
  type TrainingResult,
  type TrainingSpec,
} from './scoring-training.js';
import type { TrainingReply, TrainingRequest } from './scoring-training.worker.js';

/**
 * Trains on a worker thread: fitting and cross-validating a model takes seconds to minutes of
 * CPU, and on the event loop it would stall the API and the scorer that share the process.
 * A history the engine refuses rejects with a TrainingDataError, as `trainOnHistory` throws.
 */
export function trainOnWorkerThread(
  leads: readonly DecidedLead[],
  spec: TrainingSpec,
  now: Date,
): Promise<TrainingResult> {
  const worker = startTrainingWorker();
  return new Promise<TrainingResult>((resolve, reject) => {
    worker.once('message', (reply: TrainingReply) => {
      if (reply.ok) resolve(reply.result);
      else reject(reply.refused ? new TrainingDataError(reply.message) : new Error(reply.message));
    });
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(new Error(`the training thread exited with code ${code}`)),
    );
    const request: TrainingRequest = { leads, spec, now: now.getTime() };
    worker.postMessage(request);
  }).finally(() => worker.terminate());
}

/**
 * From compiled JavaScript the entry is a sibling file. From the TypeScript sources (tests)
 * a worker inherits no loader hooks: it registers tsx first, and resolves the engine to its
 * sources as the tests do (the package's `leadscore-source` condition).
 */
function startTrainingWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./scoring-training.worker.js', import.meta.url));
  }
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const source = fileURLToPath(new URL('./scoring-training.worker.ts', import.meta.url));
  const code = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(source)});`;
  return new Worker(code, { eval: true, execArgv: ['--conditions=leadscore-source'] });
}
