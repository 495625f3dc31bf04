/** The worker side of load.ts: one autocannon run, as workerData describes, then its result. */
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';
import { batchBody, storedWholeBatch } from './batch-body.js';
import type { LoadPlan, LoadResult } from './load.js';

function measure(plan: LoadPlan): Promise<LoadResult> {
  const { scenario } = plan;
  const { batch } = scenario;
  const latencies: number[] = [];
  let incompleteBatches = 0;
  let built = 0;
  const request: autocannon.Request = batch
    ? {
        setupRequest: (next) => ({ ...next, body: batchBody(batch, built++) }),
        onResponse: (status, body) => {
          if (status === scenario.status && !storedWholeBatch(status, body)) incompleteBatches++;
        },
      }
    : {};
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: new URL(scenario.path, plan.origin).href,
        method: scenario.method,
        headers: batch ? { ...plan.headers, 'content-type': 'application/json' } : plan.headers,
        connections: plan.connections,
        duration: plan.seconds,
        requests: [request],
      },
      (error: unknown, result) => {
        if (error) return reject(error);
        latencies.sort((a, b) => a - b);
        const responses = result['2xx'] + result.non2xx;
        resolve({
          responses,
          seconds: result.duration,
          requestsPerSecond: responses / result.duration,
          p50Ms: percentile(latencies, 0.5),
          p99Ms: percentile(latencies, 0.99),
          non2xx: result.non2xx,
          statusCodes: Object.fromEntries(
            Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [
              code,
              count ?? 0,
            ]),
          ),
          errors: result.errors,
          incompleteBatches,
        });
      },
    );
    instance.on('response', (_client, status, _bytes, milliseconds) => {
      if (status >= 200 && status < 300) latencies.push(milliseconds);
    });
  });
}

/** Nearest-rank percentile of sorted values; NaN when there are none. */
function percentile(sorted: readonly number[], quantile: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.max(0, Math.ceil(quantile * sorted.length) - 1)] ?? Number.NaN;
}

parentPort?.postMessage(await measure(workerData as LoadPlan));
