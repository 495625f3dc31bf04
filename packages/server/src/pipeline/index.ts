// The scoring pipeline: the activity scorer and the worker that runs it.
import type { Logger } from 'pino';
import type { Database } from '../db/connection.js';
import { postgresActivitySignal } from './activity-signal.js';
import {
  createScorerWorker,
  type ScorerWorker,
  type ScorerWorkerOptions,
} from './scorer-worker.js';

export { type ScoreBatchResult, type ScoredLead, scoreNextBatch } from './activity-scorer.js';
export {
  type ActivitySignal,
  pgliteActivitySignal,
  postgresActivitySignal,
} from './activity-signal.js';
export { createScorerWorker, type ScorerWorker } from './scorer-worker.js';

/** How often an embedded-database worker looks for work when nothing woke it. */
const EMBEDDED_POLL_MS = 250;

/**
 * The process's one scorer worker. On PostgreSQL it LISTENs on its own connection. The
 * embedded database's handle is not reachable through `Database`, so there it polls every
 * 250 ms (a probe of the outbox's partial index; nothing found costs well under 1 ms).
 */
export async function startScorerWorker(parts: {
  database: Database;
  databaseUrl: string | undefined;
  logger: Logger;
  /** What follows each committed batch (see ScorerWorkerOptions.onBatch). */
  onBatch?: ScorerWorkerOptions['onBatch'];
}): Promise<ScorerWorker> {
  const { database, databaseUrl, logger } = parts;
  const worker = createScorerWorker({
    database,
    logger: logger.child({ component: 'scorer' }),
    signal:
      database.engine === 'postgres' && databaseUrl
        ? postgresActivitySignal(databaseUrl, logger)
        : undefined,
    ...(database.engine === 'pglite' && { pollIntervalMs: EMBEDDED_POLL_MS }),
    ...(parts.onBatch && { onBatch: parts.onBatch }),
  });
  await worker.start();
  return worker;
}
