import type { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import { startBackgroundWork } from './background-work.js';
import { createScoreCache } from './cache/index.js';
import type { Config } from './config.js';
import { type Database, openDatabase } from './db/connection.js';
import { loadMigrations, migrate } from './db/migrator.js';
import { createInProcessEventBus } from './events/event-bus.js';
import { ensureFirstRun, type FirstRunResult } from './first-run.js';
import { type App, buildApp } from './http/app.js';
import { createJobQueue, type JobQueue } from './jobs/index.js';
import { createMetrics } from './metrics.js';
import { createTokenSigner } from './modules/auth/index.js';
import type { ScorerWorker } from './pipeline/index.js';
import {
  attachRealtime,
  createPostgresEventRelay,
  type EventRelay,
  type PostgresEventRelay,
  type RealtimeGateway,
} from './realtime/index.js';
import { connectRedis } from './redis.js';
import { loadTokenSigningKey } from './secrets.js';
import { createExportStorage } from './storage/index.js';

export interface RunningServer {
  readonly app: App;
  /** Where the server listens, e.g. http://127.0.0.1:8000. */
  readonly url: string;
  readonly firstRun: FirstRunResult | null;
  readonly logger: Logger;
  /** Stops accepting, lets in-flight requests finish, then releases the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Seed the demo leads when the database is new. */
  readonly demo: boolean;
  readonly now?: Date;
  /**
   * `all` (the default): the API and the activity scorer; `api`: the API alone, while
   * `leadscore worker` processes score (PostgreSQL only; the CLI checks).
   */
  readonly role?: 'all' | 'api';
}

/** `leadscore serve`: open and migrate the database, first-run setup, listen. */
export async function startServer(config: Config, options: StartOptions): Promise<RunningServer> {
  const logger = pino({ level: config.logLevel });
  const metrics = createMetrics();
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: config.databasePoolMax,
    metrics,
  });
  let redis: Redis | undefined;
  let scorer: ScorerWorker | undefined;
  let jobs: JobQueue | undefined;
  let realtime: RealtimeGateway | undefined;
  let relay: PostgresEventRelay | undefined;
  const events = createInProcessEventBus((error, event) =>
    logger.error({ err: error, event }, 'an event listener failed'),
  );
  try {
    const migrations = await loadMigrations();
    const applied = await migrate(database.db, migrations);
    if (applied.length > 0) {
      logger.info({ migrations: applied.map((m) => m.version) }, 'database migrated');
    }
    const tokenSigningKey = await loadTokenSigningKey(config.tokenSigningKey, config.dataDir);
    const firstRun = await ensureFirstRun(database.db, {
      adminEmail: config.adminEmail,
      adminPassword: config.adminPassword,
      demo: options.demo,
      now: options.now ?? new Date(),
    });
    redis = config.redisUrl ? connectRedis(config.redisUrl, logger) : undefined;
    jobs = createJobQueue({ database, logger: logger.child({ component: 'jobs' }) });
    const scoreCache = createScoreCache({ redis, databaseUrl: config.databaseUrl, logger });
    const app = await buildApp({
      config,
      database,
      migrations,
      metrics,
      tokenSigningKey,
      redis,
      logger,
      jobs,
      events,
      scoreCache,
    });
    // Events of other processes (`worker`, other API processes) reach this one's sockets
    // through the socket.io Redis adapter when there is Redis, through NOTIFY on PostgreSQL
    // alone; the embedded database has one process, nothing to relay.
    if (!redis && config.databaseUrl) {
      relay = createPostgresEventRelay({
        db: database.db,
        databaseUrl: config.databaseUrl,
        logger,
      });
      events.subscribe(relay.send);
    }
    realtime = await attachRealtime(app.server, {
      db: database.db,
      signer: createTokenSigner({ key: tokenSigningKey, issuer: config.publicUrl }),
      events,
      corsOrigins: config.corsOrigins,
      redis,
      remoteEvents: relay,
      logger,
    });
    // An API-only process sends jobs; the processes that run workers run them.
    if (options.role !== 'api') {
      scorer = await startBackgroundWork({
        database,
        databaseUrl: config.databaseUrl,
        logger,
        events,
        scoreCache,
        jobs,
        exportStorage: createExportStorage(config),
      });
    }
    const url = await app.listen({ port: config.port, host: config.host });
    const close = createShutdown({ app, database, redis, scorer, jobs, realtime, relay });
    return { app, url, firstRun, logger, close };
  } catch (error) {
    await realtime?.close();
    await scorer?.stop();
    await jobs?.stop();
    await relay?.close();
    redis?.disconnect();
    await database.close();
    throw error;
  }
}

/**
 * Order matters: sockets first (their clients reconnect elsewhere; an open socket would keep
 * the HTTP server from closing), then the HTTP server (Fastify stops accepting and waits for
 * in-flight requests, which may still need the database), then the scorer (it finishes its
 * batch), then the job queue (it gives running jobs a grace period), then the event relay
 * (it sends what they published last), then Redis, then the database.
 */
export function createShutdown(parts: {
  app: App;
  database: Database;
  redis?: Redis | undefined;
  scorer?: ScorerWorker | undefined;
  jobs?: JobQueue | undefined;
  realtime?: RealtimeGateway | undefined;
  relay?: EventRelay | undefined;
}): () => Promise<void> {
  let closing: Promise<void> | undefined;
  const close = async () => {
    await parts.realtime?.close();
    await parts.app.close();
    await parts.scorer?.stop();
    await parts.jobs?.stop();
    await parts.relay?.close();
    await parts.redis?.quit();
    await parts.database.close();
  };
  return () => {
    closing ??= close();
    return closing;
  };
}
