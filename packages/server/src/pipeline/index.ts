// The scoring pipeline: the activity scorer and its worker, the rescorer and time decay.
import type { Logger } from 'pino';
import type { Database } from '../db/connection.js';
import {
  type ActivitySignal,
  pgliteActivitySignal,
  postgresActivitySignal,
} from './activity-signal.js';
import {
  createScorerWorker,
  type ScorerWorker,
  type ScorerWorkerOptions,
} from './scorer-worker.js';

export {
  type FiredAlert,
  type RecordAlerts,
  type ScoreBatchResult,
  type ScoredLead,
  scoreNextBatch,
} from './activity-scorer.js';
export {
  type ActivitySignal,
  pgliteActivitySignal,
  postgresActivitySignal,
} from './activity-signal.js';
export {
  LEAD_PROFILE_COLUMNS,
  type LeadProfileRow,
  toLeadActivity,
  toProfile,
} from './lead-input.js';
export {
  type RescoreBatchResult,
  type RescorePage,
  rescoreBatch,
} from './lead-rescorer.js';
export { ModelLoadError } from './lead-scoring.js';
export {
  DEFAULT_DECAY_OPTIONS,
  decayScores,
  type ScoreDecayDeps,
  type ScoreDecayOptions,
  type ScoreDecayResult,
} from './score-decay.js';
export { createScorerWorker, type ScorerWorker } from './scorer-worker.js';

/**
 * The process's one scorer worker, woken by the outbox trigger's NOTIFY: on PostgreSQL
 * through a LISTEN connection of its own, on the embedded database in-process. It also polls
 * (every second), in case a wake-up is lost.
 */
export async function startScorerWorker(parts: {
  database: Database;
  databaseUrl: string | undefined;
  logger: Logger;
  /** What follows each committed batch (see ScorerWorkerOptions.onBatch). */
  onBatch?: ScorerWorkerOptions['onBatch'];
  recordAlerts?: ScorerWorkerOptions['recordAlerts'];
}): Promise<ScorerWorker> {
  const { database, databaseUrl, logger } = parts;
  let signal: ActivitySignal | undefined;
  const { listen } = database;
  if (listen) signal = pgliteActivitySignal({ listen });
  else if (databaseUrl) signal = postgresActivitySignal(databaseUrl, logger);
  const worker = createScorerWorker({
    database,
    logger: logger.child({ component: 'scorer' }),
    signal,
    recordAlerts: parts.recordAlerts,
    ...(parts.onBatch && { onBatch: parts.onBatch }),
  });
  await worker.start();
  return worker;
}
