import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../test/databases.js';
import type { Database } from './connection.js';
import {
  getMigrationStatus,
  loadMigrations,
  type Migration,
  MigrationError,
  migrate,
} from './migrator.js';

const SEED_TABLES = [
  'organizations',
  'users',
  'leads',
  'scoring_models',
  'lead_scores',
  'lead_activities',
  'integrations',
];

async function tableNames(database: Database): Promise<string[]> {
  const result = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public'`.execute(
    database.db,
  );
  return result.rows.map((r) => r.table_name);
}

describeEachEngine('migrations', (engine) => {
  let database: Database | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  it('builds the whole schema on an empty database and records each migration', async () => {
    database = await engine.openEmpty();
    const migrations = await loadMigrations();
    const applied = await migrate(database.db, migrations);

    expect(applied.map((m) => m.version)).toEqual(migrations.map((m) => m.version));
    expect(await tableNames(database)).toEqual(
      expect.arrayContaining([...SEED_TABLES, 'schema_migrations']),
    );
    const status = await getMigrationStatus(database.db, migrations);
    expect(status.pending).toEqual([]);
    expect(status.applied).toEqual(migrations.map((m) => m.version));
  });

  it('applies nothing the second time', async () => {
    database = await engine.openEmpty();
    const migrations = await loadMigrations();
    await migrate(database.db, migrations);
    expect(await migrate(database.db, migrations)).toEqual([]);
  });

  it('applies only the new migration after an upgrade, and rolls back a failing one', async () => {
    database = await engine.openEmpty();
    const migrations = await loadMigrations();
    await migrate(database.db, migrations.slice(0, 1));
    const next = migrations.at(-1)?.version ?? 0;
    const good = fakeMigration(next + 1, 'create table upgrade_probe (id int primary key);');
    const bad = fakeMigration(
      next + 2,
      'create table half_done (id int); select no_such_function();',
    );

    expect((await migrate(database.db, [...migrations, good])).map((m) => m.version)).toEqual(
      [...migrations.slice(1), good].map((m) => m.version),
    );
    await expect(migrate(database.db, [...migrations, good, bad])).rejects.toThrow(
      /no_such_function/,
    );
    expect(await tableNames(database)).toContain('upgrade_probe');
    expect(await tableNames(database)).not.toContain('half_done');
    const status = await getMigrationStatus(database.db, [...migrations, good, bad]);
    expect(status.pending.map((m) => m.version)).toEqual([bad.version]);
  });

  it('refuses a database migrated by a newer build', async () => {
    database = await engine.openEmpty();
    const migrations = await loadMigrations();
    const future = fakeMigration(9999, 'select 1;');
    await migrate(database.db, [...migrations, future]);

    const refusal = migrate(database.db, migrations);
    await expect(refusal).rejects.toThrow(MigrationError);
    await expect(refusal).rejects.toThrow(
      /schema is at version 9999, newer than this Leadscore build/,
    );
  });

  it('refuses a database whose applied migration was edited since', async () => {
    database = await engine.openEmpty();
    const migrations = await loadMigrations();
    await migrate(database.db, migrations);
    const [first, ...rest] = migrations;
    if (!first) throw new Error('no migrations');
    const edited = { ...first, checksum: 'edited' };

    await expect(migrate(database.db, [edited, ...rest])).rejects.toThrow(
      /was edited after it was applied/,
    );
  });

  if (engine.name === 'postgres') {
    it('lets two processes migrate at once: one applies, the other waits and finds nothing to do', async () => {
      database = await engine.openEmpty();
      const migrations = await loadMigrations();
      // Two Kysely instances over separate pools behave as two processes would.
      const { openDatabase } = await import('./connection.js');
      const url = await currentUrl(database);
      const other = await openDatabase({ databaseUrl: url, dataDir: '' });
      try {
        const [a, b] = await Promise.all([
          migrate(database.db, migrations),
          migrate(other.db, migrations),
        ]);
        expect([a.length, b.length].sort()).toEqual([0, migrations.length]);
        const rows = await database.db.selectFrom('schema_migrations').select('version').execute();
        expect(rows).toHaveLength(migrations.length);
      } finally {
        await other.close();
      }
    });
  }
});

describe('migration files', () => {
  it('are numbered, named and unique', async () => {
    const migrations = await loadMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('reject a badly named file with a message saying how to name it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'migrations-'));
    await writeFile(path.join(dir, '1_init.sql'), 'select 1;');
    await expect(loadMigrations(dir)).rejects.toThrow(/named NNNN_snake_case\.sql/);
  });
});

function fakeMigration(version: number, text: string): Migration {
  return { version, name: `test_${version}`, sql: text, checksum: `checksum-${version}` };
}

async function currentUrl(database: Database): Promise<string> {
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(
    database.db,
  );
  const { adminUrl } = await import('../test/services.js');
  return adminUrl(rows[0]?.name);
}
