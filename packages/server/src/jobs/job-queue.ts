import { setTimeout } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import PgBoss from 'pg-boss';
import type { Database } from '../db/connection.js';
import type { DB } from '../db/schema.js';
import {
  JOB_SETTINGS,
  type JobHandler,
  type JobHandlers,
  type JobName,
  type JobPayloads,
} from './jobs.js';
import { pgBossDb } from './pg-boss-adapter.js';

/**
 * The server's job queue: pg-boss 10 on the app's own database (PGlite or PostgreSQL), so jobs
 * need no service of their own and survive restarts with the data they concern. Any process
 * can send; a process that runs workers also calls `work`.
 */
export interface JobQueue {
  /**
   * Creates pg-boss's tables (schema `pgboss` by default) and the queues, once; later calls
   * wait for the first. Call it before opening a transaction that sends a job: on PGlite the
   * transaction holds the one connection that starting needs.
   */
  start(): Promise<void>;
  /**
   * Enqueues a job and returns its id. Given a transaction as `db`, the job is inserted in it:
   * it exists exactly when the transaction commits.
   */
  send<K extends JobName>(
    name: K,
    payload: JobPayloads[K],
    options?: { readonly db?: Kysely<DB> },
  ): Promise<string>;
  /**
   * Starts polling for every kind of job given a handler, with `JOB_SETTINGS` concurrency, and
   * keeps their schedules of `JOB_SETTINGS` registered: pg-boss sends a scheduled job once per
   * tick, whichever processes run workers. A process that runs workers gives them all
   * (`startBackgroundWork` builds a complete `JobHandlers`, so a new kind of job cannot be
   * forgotten there); a test may work only the kinds it is about.
   */
  work(handlers: Partial<JobHandlers>): Promise<void>;
  /**
   * Stops polling, waits up to `timeoutMs` for running jobs, and lets go of the database.
   * Jobs still running after that are marked failed, and so retried later.
   */
  stop(timeoutMs?: number): Promise<void>;
}

export interface JobQueueOptions {
  readonly database: Database;
  /** pino, or the app's logger (Fastify's is pino too). */
  readonly logger: FastifyBaseLogger;
  /** pg-boss's schema; tests sharing one PostgreSQL database give each file its own. */
  readonly schema?: string;
  /** How often an idle worker looks for jobs; pg-boss allows 0.5 s at least. */
  readonly pollingIntervalSeconds?: number;
  /**
   * Whether this queue sends the scheduled jobs of JOB_SETTINGS (default true). Tests that
   * call a scheduled job's handler themselves turn it off, so that no tick runs it besides.
   */
  readonly schedules?: boolean;
}

const DEFAULT_POLLING_INTERVAL_SECONDS = 2;
const DEFAULT_STOP_TIMEOUT_MS = 10_000;
const QUEUE_CREATE_ATTEMPTS = 5;

export function createJobQueue(options: JobQueueOptions): JobQueue {
  const { database, logger } = options;
  const boss = new PgBoss({
    db: pgBossDb(database.db),
    schema: options.schema ?? 'pgboss',
    // Expiry of lost jobs and archiving; cron schedules (JOB_SETTINGS) send their jobs.
    supervise: true,
    schedule: options.schedules ?? true,
  });
  // pg-boss reports failed maintenance and polling here; unheard, an 'error' event would
  // crash the process.
  boss.on('error', (error) => logger.error({ err: error }, 'job queue error'));
  let starting: Promise<void> | undefined;
  let working = false;
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? DEFAULT_POLLING_INTERVAL_SECONDS;

  const start = () => {
    starting ??= (async () => {
      await boss.start();
      for (const name of Object.keys(JOB_SETTINGS) as JobName[]) {
        await ensureQueue(boss, name);
      }
    })();
    return starting;
  };

  return {
    start,
    async send(name, payload, sendOptions = {}) {
      await start();
      const id = await boss.send(name, payload, {
        ...jobOptions(name),
        ...(sendOptions.db && { db: pgBossDb(sendOptions.db) }),
      });
      // Only a singleton or throttled send is ever skipped, and none of ours is.
      if (id === null) throw new Error(`pg-boss did not create the ${name} job`);
      return id;
    },
    async work(handlers) {
      await start();
      working = true;
      for (const name of Object.keys(JOB_SETTINGS) as JobName[]) {
        const handler = handlers[name] as JobHandler<JobName> | undefined;
        if (!handler) continue;
        const { schedule } = JOB_SETTINGS[name];
        if (schedule && options.schedules !== false) {
          await boss.schedule(name, schedule, {}, jobOptions(name));
        }
        for (let i = 0; i < JOB_SETTINGS[name].concurrency; i++) {
          await boss.work<JobPayloads[JobName]>(
            name,
            { includeMetadata: true, batchSize: 1, pollingIntervalSeconds },
            async ([job]) => {
              if (!job) return;
              const log = logger.child({ job: name, jobId: job.id });
              log.info({ retryCount: job.retryCount }, 'job started');
              try {
                await handler(job.data, {
                  jobId: job.id,
                  retryCount: job.retryCount,
                  retryLimit: job.retryLimit,
                });
                log.info('job finished');
              } catch (error) {
                log.error({ err: error }, 'job failed');
                throw error;
              }
            },
          );
        }
      }
    },
    async stop(timeoutMs = DEFAULT_STOP_TIMEOUT_MS) {
      if (!starting) return;
      await starting.catch(() => undefined);
      await boss.stop({ graceful: working, timeout: timeoutMs, wait: true });
    },
  };
}

/** How a job of this name is retried and expired, sent or scheduled. */
function jobOptions(name: JobName): PgBoss.SendOptions {
  const settings = JOB_SETTINGS[name];
  return {
    retryLimit: settings.retryLimit,
    retryDelay: settings.retryDelaySeconds,
    expireInSeconds: settings.expireInSeconds,
  };
}

/**
 * Creates the queue unless it exists. Processes starting together race to create it: the
 * loser fails (a duplicate key, or a deadlock PostgreSQL broke) and finds the winner's queue
 * on a later look, once the winner has committed.
 */
async function ensureQueue(boss: PgBoss, name: JobName): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    if (await boss.getQueue(name)) return;
    try {
      await boss.createQueue(name);
      return;
    } catch (error) {
      if (attempt >= QUEUE_CREATE_ATTEMPTS) throw error;
      await setTimeout(100 * attempt);
    }
  }
}
