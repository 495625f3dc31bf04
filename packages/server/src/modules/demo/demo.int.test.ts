import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import { describeEachEngine } from '../../test/databases.js';
import { createTestOrganization } from '../../test/factories.js';
import { seedDemoLeads } from './demo.service.js';

const NOW = new Date('2026-06-15T12:00:00Z');
const HIGH_INTENT = [
  'demo_request',
  'pricing_view',
  'meeting_booked',
  'webinar_attended',
  'email_click',
];

/** Everything a user sees of an organisation's leads and activities, minus generated ids. */
async function snapshot(database: Database, organizationId: string) {
  const leads = await database.db
    .selectFrom('leads')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('email')
    .execute();
  const activities = await sql<Record<string, unknown>>`
    select l.email, a.activity_type, a.activity_data, a."timestamp", a.processed
    from lead_activities a join leads l on l.id = a.lead_id
    where a.organization_id = ${organizationId}
    order by l.email, a."timestamp", a.activity_type, a.activity_data::text`.execute(database.db);
  return {
    leads: leads.map(({ id: _id, organization_id: _org, ...rest }) => rest),
    activities: activities.rows,
  };
}

describeEachEngine('demo seeding', (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(() => database.close());

  it('writes the same rows for the same seed, different ones for another seed', async () => {
    const a = await createTestOrganization(database.db);
    const b = await createTestOrganization(database.db);
    const c = await createTestOrganization(database.db);
    const options = { seed: 7, leads: 250, now: NOW, batchSize: 100 };
    const written = await seedDemoLeads(database.db, a.organizationId, options);
    await seedDemoLeads(database.db, b.organizationId, { ...options, writers: 3 });
    await seedDemoLeads(database.db, c.organizationId, { ...options, seed: 8 });

    const first = await snapshot(database, a.organizationId);
    expect(first.leads).toHaveLength(250);
    expect(first.activities).toHaveLength(written.activities);
    expect(await snapshot(database, b.organizationId)).toEqual(first);
    expect((await snapshot(database, c.organizationId)).leads).not.toEqual(first.leads);
  });

  it('stops with the database error when a batch fails, leaving whole batches only', async () => {
    const { organizationId } = await createTestOrganization(database.db);
    const options = { seed: 9, leads: 200, now: NOW, batchSize: 50, writers: 2 };
    await seedDemoLeads(database.db, organizationId, { ...options, leads: 120 });
    // The same seed again collides on (organization, email) from its first batch on.
    await expect(seedDemoLeads(database.db, organizationId, options)).rejects.toThrow(
      /duplicate key/,
    );
    const { rows } = await sql<{ leads: number }>`
      select count(*)::int as leads from leads where organization_id = ${organizationId}`.execute(
      database.db,
    );
    expect(rows[0]?.leads).toBe(120);
  });

  it('reports progress per batch and leaves every activity for the scorer', async () => {
    const { organizationId } = await createTestOrganization(database.db);
    const progress: number[] = [];
    await seedDemoLeads(
      database.db,
      organizationId,
      { seed: 3, leads: 250, now: NOW, batchSize: 100 },
      (p) => progress.push(p.leads),
    );
    expect(progress).toEqual([100, 200, 250]);
    const { rows } = await sql<{ processed: number; mismatched: number }>`
      select
        (select count(*)::int from lead_activities
          where organization_id = ${organizationId} and processed) as processed,
        (select count(*)::int from leads l
          where l.organization_id = ${organizationId}
            and l.last_activity_at is distinct from
                (select max("timestamp") from lead_activities a where a.lead_id = l.id)) as mismatched`.execute(
      database.db,
    );
    expect(rows[0]).toEqual({ processed: 0, mismatched: 0 });
  });

  it('produces an outcome a model can learn: converted leads show more high-intent activity than lost ones', async () => {
    const { organizationId } = await createTestOrganization(database.db);
    await seedDemoLeads(database.db, organizationId, { seed: 11, leads: 1500, now: NOW });
    const { rows } = await sql<{ status: string; leads: number; per_lead: number }>`
      select l.status, count(distinct l.id)::int as leads,
             (count(a.id)::float8 / count(distinct l.id)) as per_lead
      from leads l
      left join lead_activities a
        on a.lead_id = l.id and a.activity_type in (${sql.join(HIGH_INTENT)})
      where l.organization_id = ${organizationId} and l.status in ('converted', 'lost')
      group by l.status`.execute(database.db);
    const converted = rows.find((r) => r.status === 'converted');
    const lost = rows.find((r) => r.status === 'lost');
    expect(converted?.leads).toBeGreaterThan(50);
    expect(lost?.leads).toBeGreaterThan(50);
    expect(converted?.per_lead ?? 0).toBeGreaterThan(
      1.5 * (lost?.per_lead ?? Number.POSITIVE_INFINITY),
    );
  });
});
