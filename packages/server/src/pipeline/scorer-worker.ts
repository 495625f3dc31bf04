import type { Logger } from 'pino';
import type { Database } from '../db/connection.js';
import { type ScoreBatchResult, scoreNextBatch } from './activity-scorer.js';
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
  /**
   * Called after each committed batch that claimed something (events, alert rules, metrics,
   * tests). Awaited before the next batch, so what follows one batch sees the leads as that
   * batch left them, and a slow follow-up slows scoring instead of piling up work.
   */
  readonly onBatch?: (result: ScoreBatchResult) => void | Promise<void>;
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
 */
export function createScorerWorker(options: ScorerWorkerOptions): ScorerWorker {
  const { database, logger } = options;
  const embedded = database.engine === 'pglite';
  // PGlite blocks the event loop while a query runs: smaller batches keep the API responsive.
  const batchSize = options.batchSize ?? (embedded ? 200 : 1000);
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const deps = { db: database.db, ...(options.now && { now: options.now }) };

  let running: Promise<void> | undefined;
  let stopping = false;
  let woken = false;
  let interrupt: (() => void) | undefined;

  const wake = () => {
    woken = true;
    interrupt?.();
  };

  /** Waits `ms`, or less when woken or stopped; a wake-up during a batch is not lost. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopping) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        interrupt = undefined;
        resolve();
      }
      interrupt = done;
    });

  const loop = async () => {
    let backoff = BACKOFF_MIN_MS;
    while (!stopping) {
      woken = false;
      try {
        const result = await scoreNextBatch(deps, { batchSize });
        backoff = BACKOFF_MIN_MS;
        if (result.claimed > 0) {
          await options.onBatch?.(result);
          if (result.failed > 0) {
            logger.warn({ failed: result.failed }, 'activities recorded as failed');
          }
          // More may be waiting: go on, after letting I/O and timers run.
          await new Promise((resolve) => setImmediate(resolve));
          continue;
        }
        await pause(pollIntervalMs);
      } catch (error) {
        logger.error({ err: error, retryInMs: backoff }, 'scoring batch failed; retrying');
        await pause(backoff);
        backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
      }
    }
  };

  return {
    async start() {
      if (running) return;
      await options.signal?.start(wake);
      running = loop();
    },
    wake,
    async stop() {
      stopping = true;
      interrupt?.();
      await running;
      await options.signal?.close();
    },
  };
}
