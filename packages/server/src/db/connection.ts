import type { PGlite } from '@electric-sql/pglite';
import { Kysely, type LogEvent, PostgresDialect } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { Gauge } from 'prom-client';
import type { Metrics } from '../metrics.js';
import { openEmbeddedStore } from './embedded-store.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { DB } from './schema.js';

export type DatabaseEngine = 'pglite' | 'postgres';

/** The one query interface the rest of the server uses, whichever engine is below. */
export interface Database {
  readonly engine: DatabaseEngine;
  readonly db: Kysely<DB>;
  /**
   * The embedded database's notifications: calls `onNotify` for each NOTIFY on `channel`
   * (PGlite delivers them in-process); resolves to the function that stops listening.
   * Absent on PostgreSQL, where a listener needs a connection of its own.
   */
  readonly listen?: (channel: string, onNotify: () => void) => Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL URL; when absent the embedded database in `dataDir` is used. */
  readonly databaseUrl?: string | undefined;
  readonly dataDir: string;
  readonly poolMax?: number;
  readonly metrics?: Metrics;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    return openPostgres(options.databaseUrl, options.poolMax ?? 10, options.metrics);
  }
  const store = await openEmbeddedStore(options.dataDir);
  return usePGlite(store.pglite, () => store.close(), options.metrics);
}

/** Wraps an already-open PGlite (tests load one from a prepared snapshot). */
export function usePGlite(pglite: PGlite, close: () => Promise<void>, metrics?: Metrics): Database {
  const db = new Kysely<DB>({
    dialect: new PGliteDialect(pglite),
    log: metrics && recordQuery(metrics, 'pglite'),
  });
  // LISTEN inside another caller's open transaction would vanish with its rollback: holding
  // the one connection while (un)subscribing keeps transactions out.
  const exclusive = <T>(work: () => Promise<T>) => db.connection().execute(work);
  return {
    engine: 'pglite',
    db,
    async listen(channel, onNotify) {
      const unlisten = await exclusive(() => pglite.listen(channel, () => onNotify()));
      return () => exclusive(() => unlisten());
    },
    async close() {
      await db.destroy();
      await close();
    },
  };
}

function openPostgres(url: string, poolMax: number, metrics: Metrics | undefined): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    // Counts and ids come back as numbers, as they do from PGlite; no column we keep
    // approaches 2^53.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === pg.types.builtins.INT8
          ? Number
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // A client that loses its server (restart, failover, dropped database) emits 'error';
  // with no listener that crashes the process. The pool listens only while a client is
  // idle, so each client gets its own listener: the query in flight fails instead, and
  // the pool replaces the client.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  if (metrics) registerPoolGauge(pool, metrics);
  const db = new Kysely<DB>({
    // The cursor lets an export read millions of rows a chunk at a time (query.stream()).
    dialect: new PostgresDialect({ pool, cursor: Cursor }),
    log: metrics && recordQuery(metrics, 'postgres'),
  });
  return { engine: 'postgres', db, close: () => db.destroy() };
}

function recordQuery(metrics: Metrics, engine: DatabaseEngine) {
  return (event: LogEvent) => {
    metrics.dbQueryDuration.observe({ engine }, event.queryDurationMillis / 1000);
    if (event.level === 'error') metrics.dbQueryErrors.inc({ engine });
  };
}

function registerPoolGauge(pool: pg.Pool, metrics: Metrics): void {
  new Gauge({
    name: 'leadscore_db_pool_connections',
    help: 'PostgreSQL pool connections by state',
    labelNames: ['state'],
    registers: [metrics.registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
}
