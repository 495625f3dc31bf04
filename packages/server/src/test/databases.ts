import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { describe, inject } from 'vitest';
import { type Database, type DatabaseEngine, openDatabase, usePGlite } from '../db/connection.js';
import { PGLITE_OPTIONS } from '../db/pglite-options.js';
import type { Metrics } from '../metrics.js';
import { adminUrl } from './services.js';

export interface TestEngine {
  readonly name: DatabaseEngine;
  /** A migrated database; tests isolate themselves by creating their own organisations. */
  open(metrics?: Metrics): Promise<Database>;
  /** A brand-new database with no schema at all, removed when closed. */
  openEmpty(): Promise<Database>;
}

const pgliteEngine: TestEngine = {
  name: 'pglite',
  async open(metrics) {
    const snapshot = new Blob([await readFile(inject('pgliteSnapshot'))]);
    const pglite = await PGlite.create({ ...PGLITE_OPTIONS, loadDataDir: snapshot });
    return usePGlite(pglite, () => pglite.close(), metrics);
  },
  async openEmpty() {
    const pglite = await PGlite.create(PGLITE_OPTIONS);
    return usePGlite(pglite, () => pglite.close());
  },
};

function postgresEngine(url: string): TestEngine {
  return {
    name: 'postgres',
    open: (metrics) =>
      openDatabase({ databaseUrl: url, dataDir: '', poolMax: 4, ...(metrics && { metrics }) }),
    async openEmpty() {
      const empty = await createEmptyPostgresDatabase();
      const database = await openDatabase({ databaseUrl: empty.url, dataDir: '', poolMax: 4 });
      return {
        ...database,
        async close() {
          await database.close();
          await empty.drop();
        },
      };
    },
  };
}

/** A PostgreSQL database with no schema, for tests of what happens on a first start. */
export async function createEmptyPostgresDatabase(): Promise<{
  url: string;
  drop(): Promise<void>;
}> {
  const name = `leadscore_empty_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`create database ${name}`));
  return {
    url: adminUrl(name),
    drop: () => withAdmin((admin) => admin.query(`drop database if exists ${name} with (force)`)),
  };
}

async function withAdmin(work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Runs a suite once per database engine: always on PGlite, and on PostgreSQL when the
 * run found a server (otherwise the suite shows as skipped, with the reason in its title).
 */
export function describeEachEngine(title: string, suite: (engine: TestEngine) => void): void {
  describe(`${title} [pglite]`, () => suite(pgliteEngine));
  const postgresUrl = inject('postgresUrl');
  if (postgresUrl) {
    describe(`${title} [postgres]`, () => suite(postgresEngine(postgresUrl)));
  } else {
    // Registering the suite under skip lists each of its tests as skipped in the report.
    describe.skip(`${title} [postgres] (skipped: ${inject('postgresSkipReason')})`, () => {
      suite(pgliteEngine);
    });
  }
}

export { pgliteEngine };
