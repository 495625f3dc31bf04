import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase, usePGlite } from '../db/connection.js';
import { loadMigrations, migrate } from '../db/migrator.js';
import { PGLITE_OPTIONS } from '../db/pglite-options.js';
import { adminUrl, POSTGRES_URL, REDIS_URL } from './services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PGlite data dir (gzip tarball), so no test file pays initdb. */
    pgliteSnapshot: string;
    /** A fresh, migrated PostgreSQL database for this run, or null when none answers. */
    postgresUrl: string | null;
    postgresSkipReason: string;
    redisUrl: string | null;
    redisSkipReason: string;
  }
}

/**
 * Prepares the databases once per run: a migrated PGlite snapshot, and, when a
 * PostgreSQL server answers, a database of its own for this run, dropped at the end.
 */
export default async function setup(project: TestProject) {
  const scratch = await mkdtemp(path.join(tmpdir(), 'leadscore-test-'));
  project.provide('pgliteSnapshot', await writePGliteSnapshot(scratch));

  const postgres = await createRunDatabase(scratch);
  project.provide('postgresUrl', postgres.url);
  project.provide('postgresSkipReason', postgres.skipReason);
  if (postgres.url === null) console.warn(`PostgreSQL suites skipped: ${postgres.skipReason}`);

  const redis = await probeRedis();
  project.provide('redisUrl', redis.url);
  project.provide('redisSkipReason', redis.skipReason);
  if (redis.url === null) console.warn(`Redis suites skipped: ${redis.skipReason}`);

  return async () => {
    await postgres.drop();
    await rm(scratch, { recursive: true, force: true });
  };
}

async function writePGliteSnapshot(scratch: string): Promise<string> {
  const pglite = await PGlite.create(PGLITE_OPTIONS);
  const database = usePGlite(pglite, () => pglite.close());
  await migrate(database.db, await loadMigrations());
  const file = path.join(scratch, 'pglite-migrated.tar.gz');
  await writeFile(file, Buffer.from(await (await pglite.dumpDataDir('gzip')).arrayBuffer()));
  await database.close();
  return file;
}

async function createRunDatabase(scratch: string) {
  const name = `leadscore_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
    await admin.query(`create database ${name}`);
  } catch (error) {
    await admin.end().catch(() => undefined);
    return {
      url: null,
      skipReason: `no PostgreSQL at ${POSTGRES_URL} (${(error as Error).message || String(error)})`,
      drop: async () => undefined,
    };
  }
  const url = adminUrl(name);
  const database = await openDatabase({ databaseUrl: url, dataDir: scratch });
  await migrate(database.db, await loadMigrations());
  await database.close();
  return {
    url,
    skipReason: '',
    drop: async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

async function probeRedis() {
  const redis = new Redis(REDIS_URL, {
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    lazyConnect: true,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return { url: REDIS_URL, skipReason: '' };
  } catch (error) {
    return { url: null, skipReason: `no Redis at ${REDIS_URL} (${(error as Error).message})` };
  } finally {
    redis.disconnect();
  }
}
