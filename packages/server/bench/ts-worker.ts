/** Runs a TypeScript module on a worker thread until it posts one result, then ends it. */
import { Worker } from 'node:worker_threads';
import { withCleanup } from './cleanup.js';

// The worker needs tsx registered before it can load a .ts module; Node 20 does not pass
// `--import tsx` on to workers' entry points.
const TSX_API = import.meta.resolve('tsx/esm/api');

export async function runTsWorker<Result>(entry: URL, workerData: unknown): Promise<Result> {
  const boot = `import(${JSON.stringify(TSX_API)})
  .then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`;
  const worker = new Worker(boot, { eval: true, workerData });
  return withCleanup(
    async () => {
      await worker.terminate();
    },
    () =>
      new Promise<Result>((resolve, reject) => {
        worker.once('message', (result: Result) => resolve(result));
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
      }),
  );
}
