import type { Logger } from 'pino';
import type { ScoreCache } from './cache/index.js';
import type { Database } from './db/connection.js';
import type { EventBus } from './events/event-bus.js';
import type { JobHandlers, JobQueue } from './jobs/index.js';
import { exportJobHandlers } from './modules/exports/index.js';
import { importJobHandlers } from './modules/imports/index.js';
import { scoringJobHandlers } from './modules/scoring/index.js';
import { type ScorerWorker, startScorerWorker } from './pipeline/index.js';
import { createAlertRecorder, createScoredBatchHandler } from './realtime/index.js';
import type { ExportStorage } from './storage/index.js';

/**
 * The workers of a process that runs them (`serve`, unless `--role api`, and `worker`): the
 * activity scorer and the job queue's handlers (training, bulk rescores, decay), whose
 * committed scores are cached, announced and checked against alert rules. One wiring for both
 * commands.
 */
export async function startBackgroundWork(parts: {
  database: Database;
  databaseUrl: string | undefined;
  logger: Logger;
  events: EventBus;
  scoreCache: ScoreCache | undefined;
  jobs: JobQueue;
  /** Where export jobs write their files (createExportStorage). */
  exportStorage: ExportStorage;
}): Promise<ScorerWorker> {
  const { database, events, logger } = parts;
  // Every writer of scores (the scorer, bulk rescores, decay) stores the alerts its scores fire
  // in the same transaction, and follows its commits with the same steps, so the cache and the
  // clients never miss a score.
  const recordAlerts = createAlertRecorder();
  const afterScoring = createScoredBatchHandler({
    db: database.db,
    events,
    scoreCache: parts.scoreCache,
    logger,
  });
  const scorer = await startScorerWorker({
    database,
    databaseUrl: parts.databaseUrl,
    logger,
    recordAlerts,
    onBatch: afterScoring,
  });
  try {
    const handlers: JobHandlers = {
      ...scoringJobHandlers({ db: database.db, events, recordAlerts, onScored: afterScoring }),
      ...exportJobHandlers({
        db: database.db,
        engine: database.engine,
        storage: parts.exportStorage,
      }),
      ...importJobHandlers({ db: database.db }),
    };
    await parts.jobs.work(handlers);
  } catch (error) {
    await scorer.stop();
    throw error;
  }
  return scorer;
}
