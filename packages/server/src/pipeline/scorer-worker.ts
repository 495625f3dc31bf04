import type { Logger } from 'pino';
import type { Database } from '../db/connection.js';
import { type RecordAlerts, type ScoreBatchResult, scoreNextBatch } from './activity-scorer.js';
import type { ActivitySignal } from './activity-signal.js';

export interface ScorerWorkerOptions {
  readonly database: Database;
  readonly logger: Pick<Logger, 'warn' | 'error' | 'debug'>;
  /** Wakes the worker on new activities; without one it only polls. */
  readonly signal?: ActivitySignal | undefined;
  /** Activities per transaction. */
  readonly batchSize?: number;
  /** How long an idle worker waits for a wake-up before looking anyway. */
  readonly pollIntervalMs?: number;
  readonly now?: () => Date;
  /** Alert rules checked in each batch's transaction (see RecordAlerts). */
  readonly recordAlerts?: RecordAlerts | undefined;
  /**
   * Called after each committed batch that claimed something (cache, events, metrics,
   * tests). Calls run one at a time, in the order the batches committed, each awaited before
   * its lane's next batch: a slow follow-up slows scoring instead of piling up work. Another
   * lane may have scored a lead again meanwhile, so follow-ups use the previous and new
   * scores the result carries rather than re-reading leads. A throw is logged; scoring goes on.
   */
  readonly onBatch?: (result: ScoreBatchResult) => void | Promise<void>;
  /** Batches in flight at once on PostgreSQL (default 2); always 1 on the embedded database. */
  readonly concurrency?: number;
}

export interface ScorerWorker {
  /** Runs batches while there is work, then waits for a wake-up or the poll interval. */
  start(): Promise<void>;
  /** Look now (an in-process signal, e.g. after an insert on this process). */
  wake(): void;
  /** Finishes the batch in flight, then stops listening. */
  stop(): Promise<void>;
}

const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 30_000;

/**
 * The activity scorer's loop. Errors (a dropped connection, a database restart) are logged
 * and retried with exponential backoff; they never end the loop or the process. A failed
 * batch committed nothing, so retrying it cannot count an activity twice.
 *
 * On PostgreSQL two batches are in flight at once (`concurrency`): while one transaction
 * waits on the database, the next batch is claimed and computed, so the scorer's JavaScript
 * and PostgreSQL work side by side. They take disjoint activities (SKIP LOCKED) and take
 * turns on a lead they share (its row lock), exactly as separate workers do.
 */
export function createScorerWorker(options: ScorerWorkerOptions): ScorerWorker {
  const { database, logger } = options;
  const embedded = database.engine === 'pglite';
  // PGlite blocks the event loop while a query runs: smaller batches keep the API responsive.
  const batchSize = options.batchSize ?? (embedded ? 200 : 1000);
  // PGlite has one connection: a second batch would only queue behind the first.
  const concurrency = embedded ? 1 : (options.concurrency ?? 2);
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const deps = {
    db: database.db,
    recordAlerts: options.recordAlerts,
    ...(options.now && { now: options.now }),
  };

  let running: Promise<void> | undefined;
  let stopping = false;
  const lanes = Array.from({ length: concurrency }, () => ({
    woken: false,
    interrupt: undefined as (() => void) | undefined,
  }));
  // Follow-ups run one at a time, in the order their batches committed.
  let followUps: Promise<void> = Promise.resolve();

  const wake = () => {
    for (const lane of lanes) {
      lane.woken = true;
      lane.interrupt?.();
    }
  };

  /** Waits `ms`, or less when woken or stopped; a wake-up during a batch is not lost. */
  const pause = (lane: (typeof lanes)[number], ms: number) =>
    new Promise<void>((resolve) => {
      if (lane.woken || stopping) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        lane.interrupt = undefined;
        resolve();
      }
      lane.interrupt = done;
    });

  const followUp = (result: ScoreBatchResult): Promise<void> => {
    const done = followUps.then(async () => {
      try {
        await options.onBatch?.(result);
      } catch (error) {
        // The batch is committed; only what follows it failed. Scoring goes on.
        logger.error({ err: error }, 'the work after a scored batch failed');
      }
    });
    followUps = done;
    return done;
  };

  const loop = async (lane: (typeof lanes)[number]) => {
    let backoff = BACKOFF_MIN_MS;
    while (!stopping) {
      lane.woken = false;
      try {
        const result = await scoreNextBatch(deps, { batchSize });
        backoff = BACKOFF_MIN_MS;
        if (result.claimed > 0) {
          // A full batch means more is likely waiting: get the idle lanes going.
          if (result.claimed === batchSize) wake();
          await followUp(result);
          if (result.failed > 0) {
            logger.warn({ failed: result.failed }, 'activities recorded as failed');
          }
          for (const failure of result.challengerFailures) {
            logger.warn(failure, 'the challenger could not score; the active model did');
          }
          // More may be waiting: go on, after letting I/O and timers run.
          await new Promise((resolve) => setImmediate(resolve));
          continue;
        }
        await pause(lane, pollIntervalMs);
      } catch (error) {
        logger.error({ err: error, retryInMs: backoff }, 'scoring batch failed; retrying');
        await pause(lane, backoff);
        backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
      }
    }
  };

  return {
    async start() {
      if (running) return;
      await options.signal?.start(wake);
      running = Promise.all(lanes.map(loop)).then(() => undefined);
    },
    wake,
    async stop() {
      stopping = true;
      for (const lane of lanes) lane.interrupt?.();
      await running;
      await options.signal?.close();
    },
  };
}
