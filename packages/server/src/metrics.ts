import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus instruments. Each app gets its own registry (no global
 * state), so tests can build several apps in one process.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly dbQueryDuration: Histogram<'engine'>;
  readonly dbQueryErrors: Counter<'engine'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'leadscore_' });
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'leadscore_http_request_duration_seconds',
      help: 'HTTP request duration by route template and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    dbQueryDuration: new Histogram({
      name: 'leadscore_db_query_duration_seconds',
      help: 'Database query duration',
      labelNames: ['engine'],
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    }),
    dbQueryErrors: new Counter({
      name: 'leadscore_db_query_errors_total',
      help: 'Database queries that failed',
      labelNames: ['engine'],
      registers: [registry],
    }),
  };
}
