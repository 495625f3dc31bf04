/**
 * The data the API is measured on: a migrated database with one organisation, its owner and
 * N demo leads, vacuumed and analysed as a settled production database would be.
 */
import { type Kysely, sql } from 'kysely';
import { openDatabase } from '../../src/db/connection.js';
import { loadMigrations, migrate } from '../../src/db/migrator.js';
import type { DB } from '../../src/db/schema.js';
import { seedDemoLeads } from '../../src/modules/demo/index.js';
import { withCleanup } from '../cleanup.js';
import { progress } from '../log.js';
import { count, seconds } from '../report.js';
import { BENCH_PASSWORD, createBenchOrganization, SEED } from '../workload.js';

/** Leads the batch items point at, so concurrent batches seldom share a lead. */
const BATCH_LEAD_POOL = 10_000;
const SLUG = 'api';

export interface Fixture {
  /** e.g. "15.2" */
  postgresVersion: string;
  ownerEmail: string;
  ownerPassword: string;
  leads: number;
  activities: number;
  seedSeconds: number;
  /** The lead GET /leads/{id} asks for. */
  leadId: string;
  batchLeadIds: string[];
}

/**
 * Seeds before the server starts: with an organisation present, the server's first run
 * creates none of its own, and the owner seeded here is who logs in.
 */
export async function prepareFixture(databaseUrl: string, leads: number): Promise<Fixture> {
  const { db, close } = await openDatabase({ databaseUrl, dataDir: '' });
  return withCleanup(close, async () => {
    progress('migrations');
    await migrate(db, await loadMigrations());
    const organizationId = await createBenchOrganization(db, SLUG);

    progress(`seeding ${count(leads)} demo leads, 2 writers`);
    const started = performance.now();
    let reported = 0;
    const seeded = await seedDemoLeads(
      db,
      organizationId,
      { seed: SEED, leads, now: new Date(), writers: 2 },
      (done) => {
        if (done.leads - reported < leads / 10) return;
        reported = done.leads;
        progress(`  ${count(done.leads)} leads, ${count(done.activities)} activities`);
      },
    );
    const seedSeconds = (performance.now() - started) / 1000;
    progress(`seeded in ${seconds(seedSeconds)} s; vacuum analyze`);
    // Fresh bulk loads have no statistics, and autovacuum would otherwise start mid-measurement.
    await sql`vacuum analyze`.execute(db);

    return {
      postgresVersion: await serverVersion(db),
      ownerEmail: `owner@${SLUG}.example`,
      ownerPassword: BENCH_PASSWORD,
      leads: seeded.leads,
      activities: seeded.activities,
      seedSeconds,
      ...(await pickLeads(db, organizationId)),
    };
  });
}

async function pickLeads(
  db: Kysely<DB>,
  organizationId: string,
): Promise<{ leadId: string; batchLeadIds: string[] }> {
  const rows = await db
    .selectFrom('leads')
    .select('id')
    .where('organization_id', '=', organizationId)
    .limit(BATCH_LEAD_POOL)
    .execute();
  const first = rows[0];
  if (!first) throw new Error('the seed wrote no leads');
  return { leadId: first.id, batchLeadIds: rows.map((row) => row.id) };
}

async function serverVersion(db: Kysely<DB>): Promise<string> {
  const { rows } = await sql<{ version: string }>`
    select current_setting('server_version') as version`.execute(db);
  // "15.2 (Debian 15.2-1)" → "15.2".
  return rows[0]?.version.split(' ')[0] ?? 'unknown';
}
