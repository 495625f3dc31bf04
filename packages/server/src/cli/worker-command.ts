import type { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import { startBackgroundWork } from '../background-work.js';
import { createScoreCache } from '../cache/index.js';
import type { Config } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { loadMigrations, migrate } from '../db/migrator.js';
import { createInProcessEventBus } from '../events/event-bus.js';
import { createJobQueue, type JobQueue } from '../jobs/index.js';
import type { ScorerWorker } from '../pipeline/index.js';
import {
  createPostgresEventRelay,
  createRedisEventRelay,
  type EventRelay,
} from '../realtime/index.js';
import { connectRedis } from '../redis.js';
import { createExportStorage } from '../storage/index.js';

/** A role that cannot run with this configuration; the message says what to do instead. */
export class RoleError extends Error {
  override readonly name = 'RoleError';
}

/** Why a role apart from the API needs PostgreSQL: shared by `worker` and `serve --role api`. */
export const EMBEDDED_ONE_PROCESS =
  'the embedded database (DATA_DIR) is opened by one process only, so its API and scorer run ' +
  'together: use `leadscore serve`, or set DATABASE_URL to run roles apart';

export interface RunningWorker {
  readonly logger: Logger;
  /** Where it scores, for the start-up line (the URL without its password). */
  readonly database: string;
  /** Finishes the batch and jobs in flight, sends their events, then releases the database. */
  close(): Promise<void>;
}

/**
 * `leadscore worker`: the activity scorer and the job runner, no HTTP, against PostgreSQL. Any
 * number of them (and of `serve --role api` processes) may share one database: batches are
 * claimed with SKIP LOCKED and each lead is scored by one worker at a time. It migrates
 * first, as `serve` does (under the migrator's advisory lock), so start-up order does not
 * matter. Its events reach the API processes' sockets through Redis (the socket.io emitter)
 * when REDIS_URL is set, through NOTIFY otherwise.
 */
export async function startWorker(config: Config): Promise<RunningWorker> {
  const { databaseUrl } = config;
  if (!databaseUrl)
    throw new RoleError(`leadscore worker needs DATABASE_URL: ${EMBEDDED_ONE_PROCESS}`);
  const logger = pino({ level: config.logLevel });
  const database = await openDatabase({
    databaseUrl,
    dataDir: config.dataDir,
    poolMax: config.databasePoolMax,
  });
  let redis: Redis | undefined;
  let jobs: JobQueue | undefined;
  let scorer: ScorerWorker | undefined;
  let relay: EventRelay | undefined;
  const stop = async () => {
    await scorer?.stop();
    await jobs?.stop();
    // After the workers: it sends what they published last.
    await relay?.close();
    await redis?.quit().catch(() => undefined);
    await database.close();
  };
  try {
    const applied = await migrate(database.db, await loadMigrations());
    if (applied.length > 0) {
      logger.info({ migrations: applied.map((m) => m.version) }, 'database migrated');
    }
    redis = config.redisUrl ? connectRedis(config.redisUrl, logger) : undefined;
    relay = redis
      ? createRedisEventRelay(redis, logger)
      : createPostgresEventRelay({ db: database.db, databaseUrl, logger });
    const events = createInProcessEventBus((error, event) =>
      logger.error({ err: error, event }, 'an event listener failed'),
    );
    events.subscribe(relay.send);
    jobs = createJobQueue({ database, logger: logger.child({ component: 'jobs' }) });
    scorer = await startBackgroundWork({
      database,
      databaseUrl,
      logger,
      events,
      scoreCache: createScoreCache({ redis, databaseUrl, logger }),
      jobs,
      exportStorage: createExportStorage(config),
    });
    let closing: Promise<void> | undefined;
    return {
      logger,
      database: withoutPassword(databaseUrl),
      close() {
        closing ??= stop();
        return closing;
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'PostgreSQL';
  }
}
