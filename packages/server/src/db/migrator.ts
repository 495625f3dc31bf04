import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Kysely, sql } from 'kysely';
import type { DB } from './schema.js';

/** migrations/ sits beside src/ and dist/, so this path holds from both. */
const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;
/** Serialises migrators across processes sharing one PostgreSQL database. */
const ADVISORY_LOCK_KEY = 7_215_306_347;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export interface MigrationStatus {
  readonly applied: readonly number[];
  readonly pending: readonly Migration[];
  /** Versions recorded in the database that this build has no file for. */
  readonly unknown: readonly number[];
  /** Applied migrations whose file has changed since. */
  readonly changed: readonly Migration[];
}

/** The database cannot be brought to this build's schema; the message says what to do. */
export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

export async function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for (const file of (await readdir(dir)).sort()) {
    const match = FILE_NAME.exec(file);
    if (!match) {
      if (file.endsWith('.sql'))
        throw new MigrationError(`${file}: migration files are named NNNN_snake_case.sql`);
      continue;
    }
    // CRLF checkouts must not look like edited migrations.
    const text = (await readFile(`${dir}/${file}`, 'utf8')).replace(/\r\n/g, '\n');
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version)) {
      throw new MigrationError(`Two migration files share version ${match[1]}`);
    }
    migrations.push({
      version,
      name: match[2] ?? file,
      sql: text,
      checksum: createHash('sha256').update(text).digest('hex'),
    });
  }
  return migrations;
}

export async function getMigrationStatus(
  db: Kysely<DB>,
  migrations: readonly Migration[],
): Promise<MigrationStatus> {
  const recorded = await readRecorded(db);
  const byVersion = new Map(recorded.map((r) => [r.version, r.checksum]));
  const known = new Set(migrations.map((m) => m.version));
  return {
    applied: recorded.map((r) => r.version),
    pending: migrations.filter((m) => !byVersion.has(m.version)),
    unknown: recorded.map((r) => r.version).filter((v) => !known.has(v)),
    changed: migrations.filter((m) => {
      const checksum = byVersion.get(m.version);
      return checksum !== undefined && checksum !== m.checksum;
    }),
  };
}

/**
 * Applies every pending migration, each in its own transaction, under an advisory lock
 * so that processes starting together take turns (the second finds nothing to do).
 * Refuses a database migrated by a newer build, or one whose history was edited.
 */
export async function migrate(
  db: Kysely<DB>,
  migrations: readonly Migration[],
): Promise<Migration[]> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${sql.lit(ADVISORY_LOCK_KEY)})`.execute(conn);
    try {
      await sql`
        create table if not exists schema_migrations (
          version integer primary key,
          name text not null,
          checksum text not null,
          applied_at timestamptz not null default now()
        )`.execute(conn);
      const status = await getMigrationStatus(conn, migrations);
      assertCompatible(status, migrations);
      for (const migration of status.pending) {
        await conn.transaction().execute(async (trx) => {
          await sql.raw(migration.sql).execute(trx);
          await trx
            .insertInto('schema_migrations')
            .values({
              version: migration.version,
              name: migration.name,
              checksum: migration.checksum,
            })
            .execute();
        });
      }
      return [...status.pending];
    } finally {
      await sql`select pg_advisory_unlock(${sql.lit(ADVISORY_LOCK_KEY)})`.execute(conn);
    }
  });
}

/** Throws unless this build can run on the database as it is (pending migrations aside). */
export function assertCompatible(status: MigrationStatus, migrations: readonly Migration[]): void {
  if (status.unknown.length > 0) {
    const newest = Math.max(...status.unknown);
    const ours = Math.max(0, ...migrations.map((m) => m.version));
    throw new MigrationError(
      `The database schema is at version ${newest}, newer than this Leadscore build knows ` +
        `(up to ${ours}). It was upgraded by a newer release: run that release, or restore ` +
        'a backup taken before the upgrade.',
    );
  }
  const [changed] = status.changed;
  if (changed) {
    throw new MigrationError(
      `Migration ${String(changed.version).padStart(4, '0')}_${changed.name}.sql was edited ` +
        'after it was applied to this database. Applied migrations are never changed: ' +
        'restore the file and put the change in a new migration.',
    );
  }
}

async function readRecorded(db: Kysely<DB>): Promise<Array<{ version: number; checksum: string }>> {
  const exists = await sql<{ present: boolean }>`
    select to_regclass('schema_migrations') is not null as present`.execute(db);
  if (!exists.rows[0]?.present) return [];
  return db
    .selectFrom('schema_migrations')
    .select(['version', 'checksum'])
    .orderBy('version')
    .execute();
}
