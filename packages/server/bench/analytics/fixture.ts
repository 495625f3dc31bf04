/**
 * The data analytics are measured on: one organisation with N leads (a million by default) as a
 * running installation has them — scored, graded, a share decided (converted or lost, with the
 * score they had then), spread over sources, industries, countries, sizes, owners and two years
 * of cohorts. Written by PostgreSQL itself (generate_series), as the point is to time the reads.
 * Seeded (setseed), so every run measures the same data.
 */
import { type Kysely, sql } from 'kysely';
import { openDatabase } from '../../src/db/connection.js';
import { loadMigrations, migrate } from '../../src/db/migrator.js';
import type { DB } from '../../src/db/schema.js';
import { withCleanup } from '../cleanup.js';
import { progress } from '../log.js';
import { count } from '../report.js';
import { BENCH_PASSWORD, createBenchOrganization } from '../workload.js';

const SLUG = 'analytics';
/** Rows per INSERT: a million in one statement would hold one huge transaction for nothing. */
const CHUNK = 250_000;

export interface Fixture {
  postgresVersion: string;
  organizationId: string;
  ownerEmail: string;
  ownerPassword: string;
  leads: number;
  seedSeconds: number;
}

export async function prepareFixture(databaseUrl: string, leads: number): Promise<Fixture> {
  const database = await openDatabase({ databaseUrl, dataDir: '', poolMax: 2 });
  return withCleanup(database.close, async () => {
    const { db } = database;
    progress('migrations');
    await migrate(db, await loadMigrations());
    const organizationId = await createBenchOrganization(db, SLUG);
    const owners = await addOwners(db, organizationId);
    const started = performance.now();
    for (let from = 1; from <= leads; from += CHUNK) {
      const to = Math.min(leads, from + CHUNK - 1);
      progress(`leads ${count(from)}–${count(to)} of ${count(leads)}`);
      await insertLeads(db, organizationId, owners, from, to);
    }
    progress('vacuum analyze, checkpoint');
    await sql`vacuum analyze`.execute(db);
    // Written out now, not by the checkpointer while the calls are timed (a running
    // installation's leads were written long before anyone asks for a report).
    await sql`checkpoint`.execute(db);
    const { rows } = await sql<{
      version: string;
    }>`select current_setting('server_version') as version`.execute(db);
    return {
      postgresVersion: rows[0]?.version.split(' ')[0] ?? 'unknown',
      organizationId,
      ownerEmail: `owner@${SLUG}.example`,
      ownerPassword: BENCH_PASSWORD,
      leads,
      seedSeconds: (performance.now() - started) / 1000,
    };
  });
}

/** Sales reps the leads are spread over (the owner dimension of reports). */
async function addOwners(db: Kysely<DB>, organizationId: string): Promise<string[]> {
  const rows = await db
    .insertInto('users')
    .values(
      Array.from({ length: 8 }, (_, i) => ({
        organization_id: organizationId,
        email: `rep${i}@${SLUG}.example`,
        role: 'sales_rep' as const,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Leads `from`…`to`. The score is skewed low as real ones are; a lead converts more often the
 * higher it scored, so conversion by band has something to show; a third are decided.
 */
async function insertLeads(
  db: Kysely<DB>,
  organizationId: string,
  owners: readonly string[],
  from: number,
  to: number,
): Promise<void> {
  await sql`select setseed(${from / 2 ** 31})`.execute(db);
  await sql`
    insert into leads (organization_id, email, first_name, last_name, company, job_title, country,
      industry, company_size, source, status, owner_id, current_score, max_score, current_grade,
      outcome_score, status_changed_at, last_activity_at, created_at, updated_at)
    select ${organizationId}::uuid, 'lead' || g || '@bench.example', 'First' || g % 997,
      'Last' || g % 991, 'Company ' || g % 50000, (array['VP of Marketing', 'Engineer', 'CEO',
      'Sales Manager', 'Intern'])[1 + g % 5], (array['US', 'GB', 'DE', 'FR', 'BR', 'IN', 'JP'])[1 + g % 7],
      (array['Software', 'Finance', 'Retail', 'Health', 'Education', 'Manufacturing'])[1 + g % 6],
      (array[5, 30, 120, 600, 2500, 9000])[1 + g % 6],
      (array['web', 'ads', 'event', 'referral', 'partner', 'email', 'webinar', 'organic'])[1 + g % 8],
      s.status, (${sql.val(owners)}::uuid[])[1 + g % ${owners.length}], s.score,
      least(100, s.score + g % 7), (array['A', 'B', 'C', 'D'])[1 + (100 - s.score) / 26]
        || (1 + g % 4)::text,
      case when s.status in ('converted', 'lost') then s.score end,
      s.created_at + interval '20 days', s.created_at + interval '10 days', s.created_at, s.created_at
    from generate_series(${from}::int, ${to}::int) g
    cross join lateral (
      select least(100, floor(100 * power(random(), 1.6)))::int as score, random() as fate,
        now() - random() * interval '730 days' as created_at
      -- Refers to g so that PostgreSQL draws anew for every lead rather than once.
      where g > 0
    ) r
    cross join lateral (
      select r.score, r.created_at,
        case when r.fate < 0.66 then (array['new', 'contacted', 'qualified'])[1 + g % 3]
          when r.fate < 0.66 + 0.34 * (0.1 + 0.8 * r.score / 100.0) then 'converted'
          else 'lost' end as status
    ) s`.execute(db);
}
