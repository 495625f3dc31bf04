/**
 * The databases the benchmark writes into: a fresh PGlite in a temp dir, and a throwaway
 * database on the PostgreSQL the test suites use, when one answers. Each is migrated, handed
 * to the caller's work, closed, and removed — also on Ctrl-C.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { type Database, openDatabase } from '../src/db/connection.js';
import { loadMigrations, migrate } from '../src/db/migrator.js';
import type { DB } from '../src/db/schema.js';
import { wasInterrupted, withCleanup } from './cleanup.js';
import { describe, progress } from './log.js';
import { withThrowawayDatabase } from './throwaway-database.js';

/** Measured under a label that carries the server version, or why not. */
export type EngineOutcome<T> =
  | { kind: 'measured'; label: string; result: T }
  | { kind: 'skipped' | 'failed'; label: string; reason: string };

/** Runs on a migrated, otherwise empty database; `label` is e.g. "PostgreSQL 15.2". */
export type EngineWork<T> = (db: Kysely<DB>, label: string) => Promise<T>;

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
  try {
    const outcome = await withThrowawayDatabase('leadscore_bench_', async (url) =>
      measured(await openDatabase({ databaseUrl: url, dataDir: '' }), label, work),
    );
    return outcome.kind === 'done'
      ? outcome.result
      : { kind: 'skipped', label, reason: outcome.reason };
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
