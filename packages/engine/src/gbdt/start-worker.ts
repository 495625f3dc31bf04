/**
 * Starts one of the GBDT worker threads. From compiled JavaScript its entry is a sibling file.
 * From TypeScript sources (tests, benches) Node cannot load a .ts entry by itself, and a
 * worker does not inherit the ESM loader hooks that run the sources: the worker then
 * registers tsx's require hook first and loads the same entry through it.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type Transferable, Worker } from 'node:worker_threads';

export type WorkerEntry = 'tree-work-worker' | 'scoring-worker';

export function startWorker(
  entry: WorkerEntry,
  workerData: unknown,
  transferList: readonly Transferable[] = [],
): Worker {
  const options = { workerData, transferList: [...transferList] };
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL(`./${entry}.js`, import.meta.url), options);
  }
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const source = fileURLToPath(new URL(`./${entry}.ts`, import.meta.url));
  const code = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(source)});`;
  return new Worker(code, { ...options, eval: true });
}
