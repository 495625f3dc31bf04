/**
 * The databases the benchmark writes into: a fresh PGlite in a temp dir, and a throwaway
 * database on the PostgreSQL the test suites use, when one answers. Each is migrated, handed
 * to the caller's work, closed, and removed — also on Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { type Database, openDatabase } from '../src/db/connection.js';
import { loadMigrations, migrate } from '../src/db/migrator.js';
import type { DB } from '../src/db/schema.js';
// Where the test suites find PostgreSQL (TEST_POSTGRES_URL or loopback); the bench looks there too.
import { adminUrl } from '../src/test/services.js';
import { wasInterrupted, withCleanup } from './cleanup.js';
import { describe, progress } from './log.js';

/** Measured under a label that carries the server version, or why not. */
export type EngineOutcome<T> =
  | { kind: 'measured'; label: string; result: T }
  | { kind: 'skipped' | 'failed'; label: string; reason: string };

/** Runs on a migrated, otherwise empty database; `label` is e.g. "PostgreSQL 15.2". */
export type EngineWork<T> = (db: Kysely<DB>, label: string) => Promise<T>;

/** Where PostgreSQL is looked for, password hidden. */
export function postgresLocation(): string {
  return redact(adminUrl());
}

export async function onPGlite<T>(scratch: string, work: EngineWork<T>): Promise<EngineOutcome<T>> {
  const label = 'PGlite';
  const dataDir = path.join(scratch, 'pglite-seed');
  try {
    return await withCleanup(
      () => rm(dataDir, { recursive: true, force: true }),
      async () => {
        progress('PGlite: initdb and migrations');
        return measured(await openDatabase({ dataDir }), label, work);
      },
    );
  } catch (error) {
    return { kind: 'failed', label, reason: wasInterrupted() ? 'interrupted' : describe(error) };
  }
}

/** Skipped, not failed, when no server answers or it refuses to create the database. */
export async function onThrowawayPostgres<T>(work: EngineWork<T>): Promise<EngineOutcome<T>> {
  const label = 'PostgreSQL';
  const where = postgresLocation();
  const skipped = (error: unknown): EngineOutcome<T> => ({
    kind: 'skipped',
    label,
    reason: `no usable server at ${where} (${describe(error)})`,
  });
  const admin = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (error) {
    await admin.end().catch(() => undefined);
    return skipped(error);
  }
  const name = `leadscore_bench_${randomBytes(6).toString('hex')}`;
  const dropAndDisconnect = async () => {
    try {
      await admin.query(`drop database if exists ${name} with (force)`);
    } finally {
      await admin.end();
    }
  };
  try {
    // Registered before the database exists: the client runs its queries in order, so a
    // Ctrl-C during `create database` still drops it afterwards.
    return await withCleanup(dropAndDisconnect, async () => {
      try {
        await admin.query(`create database ${name}`);
      } catch (error) {
        return skipped(error);
      }
      progress(`PostgreSQL: database ${name} at ${where}`);
      const database = await openDatabase({ databaseUrl: adminUrl(name), dataDir: '' });
      return measured(database, label, work);
    });
  } catch (error) {
    return { kind: 'failed', label, reason: wasInterrupted() ? 'interrupted' : describe(error) };
  }
}

/** Migrates, labels with the server version, runs the work, and always closes the database. */
async function measured<T>(
  database: Database,
  engine: string,
  work: EngineWork<T>,
): Promise<EngineOutcome<T>> {
  try {
    const { db } = database;
    await migrate(db, await loadMigrations());
    const version = await sql<{ version: string }>`
      select current_setting('server_version') as version`.execute(db);
    // "15.2 (Debian 15.2-1)" → "15.2".
    const label = `${engine} ${version.rows[0]?.version.split(' ')[0] ?? ''}`.trim();
    return { kind: 'measured', label, result: await work(db, label) };
  } finally {
    await database.close();
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
