import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { buildTestApp, type TestApp } from '../test/app.js';
import {
  createEmptyPostgresDatabase,
  describeEachEngine,
  type TestEngine,
} from '../test/databases.js';
import { createTestOrganization, createTestUser, TEST_PASSWORD } from '../test/factories.js';
import { pgliteActivitySignal, postgresActivitySignal } from './activity-signal.js';
import { type IsolatedDatabase, openIsolatedDatabase } from './pipeline-test-support.js';
import { createScorerWorker, type ScorerWorker } from './scorer-worker.js';

const silent = { warn: () => undefined, error: () => undefined, debug: () => undefined };

describeEachEngine('scorer worker', (engine) => {
  let iso: IsolatedDatabase<TestEngine>;
  let t: TestApp;
  let worker: ScorerWorker;
  let token: string;
  let organizationId: string;
  beforeAll(async () => {
    iso = await openIsolatedDatabase({
      engine,
      pgliteSnapshot: inject('pgliteSnapshot'),
      createEmptyPostgresDatabase,
    });
    t = await buildTestApp(iso.engine);
    ({ organizationId } = await createTestOrganization(t.database.db));
    const user = await createTestUser(t.database.db, organizationId, 'sales_rep');
    const login = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: user.email, password: TEST_PASSWORD },
    });
    token = login.json().accessToken;
    worker = createScorerWorker({
      database: iso.database,
      logger: silent,
      signal: iso.database.listen
        ? pgliteActivitySignal({ listen: iso.database.listen })
        : postgresActivitySignal(iso.url ?? '', silent),
      // Far beyond the test's deadline: only the wake-up can make it in time.
      pollIntervalMs: 60_000,
    });
    await worker.start();
  });
  afterAll(async () => {
    await worker?.stop();
    // The app's close would also close the database, which iso owns (and drops).
    await t?.app.close();
    await iso?.close();
  });

  async function waitForScore(leadId: string, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const lead = await t.database.db
        .selectFrom('leads')
        .select('current_score')
        .where('id', '=', leadId)
        .executeTakeFirstOrThrow();
      if (lead.current_score !== null) return lead.current_score;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return null;
  }

  it('scores a lead within a second of its activities being posted', async () => {
    const email = `lead-${randomBytes(5).toString('hex')}@acme.example`;
    const created = await t.app.inject({
      method: 'POST',
      url: '/leads',
      headers: { authorization: `Bearer ${token}` },
      payload: { email, jobTitle: 'Chief Technology Officer', companySize: 400, country: 'US' },
    });
    expect(created.statusCode).toBe(201);
    const leadId: string = created.json().id;

    const started = Date.now();
    const posted = await t.app.inject({
      method: 'POST',
      url: '/activities/batch',
      headers: { authorization: `Bearer ${token}` },
      payload: {
        activities: ['pricing_view', 'demo_request'].map((type) => ({
          leadId,
          type,
          timestamp: new Date(Date.now() - 60_000).toISOString(),
        })),
      },
    });
    expect(posted.statusCode).toBe(202);

    const score = await waitForScore(leadId, 1000);
    expect(score).not.toBeNull();
    expect(Date.now() - started).toBeLessThan(1000);
    const [row] = await t.database.db
      .selectFrom('lead_scores')
      .select(['score', 'score_breakdown'])
      .where('lead_id', '=', leadId)
      .execute();
    const parts = row?.score_breakdown as {
      behavioral: number;
      demographic: number;
      engagement: number;
    };
    expect(parts.behavioral + parts.demographic + parts.engagement).toBe(score);
    expect(row?.score).toBe(score);
  });

  it('stops after the batch in flight, leaving later activities for the next worker', async () => {
    await worker.stop();
    const lead = await t.database.db
      .insertInto('leads')
      .values({
        organization_id: organizationId,
        email: `late-${randomBytes(4).toString('hex')}@acme.example`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.database.db
      .insertInto('lead_activities')
      .values({
        organization_id: organizationId,
        lead_id: lead.id,
        activity_type: 'page_view',
        timestamp: new Date(),
      })
      .execute();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const [row] = await t.database.db
      .selectFrom('lead_activities')
      .select('processed')
      .where('lead_id', '=', lead.id)
      .execute();
    expect(row?.processed).toBe(false);
  });
});
