import { defaultRulesModel } from '@leadscore/engine';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import { rescoreBatch } from '../../pipeline/index.js';
import {
  drain,
  type IsolatedDatabase,
  insertActivities,
  insertLead,
  openIsolatedDatabase,
} from '../../pipeline/pipeline-test-support.js';
import { createEmptyPostgresDatabase, describeEachEngine } from '../../test/databases.js';
import { createTestOrganization } from '../../test/factories.js';
import { buildScoringTestApp, type ScoringTestApp } from '../../test/scoring-app.js';

const HOUR_MS = 3_600_000;

interface HistoryEntry {
  id: string;
  score: number;
  breakdown: Record<string, unknown>;
  cause: string | null;
  calculatedAt: string;
  model: { id: string; name: string; version: number; algorithm: string | null } | null;
  activity: { id: string; type: string; timestamp: string } | null;
}

describeEachEngine('a lead’s score history', (engine) => {
  let isolated: IsolatedDatabase<typeof engine>;
  let t: ScoringTestApp;
  let db: Database['db'];
  let orgA: string;
  let leadId: string;
  let viewerA: string;
  let managerA: string;
  let managerB: string;
  let model: { id: string; version: number };
  const activityIds: string[] = [];
  const batchTimes = [new Date(Date.now() - 2 * HOUR_MS), new Date(Date.now() - HOUR_MS)];

  const newestActivityId = async () =>
    (
      await db
        .selectFrom('lead_activities')
        .select('id')
        .where('lead_id', '=', leadId)
        .orderBy('timestamp', 'desc')
        .executeTakeFirstOrThrow()
    ).id;

  beforeAll(async () => {
    // The scorer drains the whole outbox: this suite gets a database of its own.
    isolated = await openIsolatedDatabase({
      engine,
      pgliteSnapshot: inject('pgliteSnapshot'),
      createEmptyPostgresDatabase,
    });
    t = await buildScoringTestApp(isolated.database);
    db = isolated.database.db;
    ({ organizationId: orgA } = await createTestOrganization(db));
    const { organizationId: orgB } = await createTestOrganization(db);
    viewerA = (await t.tokenFor(orgA, 'viewer')).token;
    managerA = (await t.tokenFor(orgA, 'manager')).token;
    managerB = (await t.tokenFor(orgB, 'manager')).token;
    leadId = await insertLead(db, orgA);

    // Two scorer batches on the built-in rules, each with activities of its own…
    const start = batchTimes[0]?.getTime() as number;
    await insertActivities(db, orgA, leadId, [
      { type: 'page_view', timestamp: start - 3 * HOUR_MS },
      { type: 'email_open', timestamp: start - HOUR_MS },
    ]);
    await drain(db, { batchSize: 100, now: () => batchTimes[0] as Date });
    activityIds.push(await newestActivityId());
    await insertActivities(db, orgA, leadId, [
      { type: 'pricing_view', timestamp: start + HOUR_MS / 2 },
    ]);
    await drain(db, { batchSize: 100, now: () => batchTimes[1] as Date });
    activityIds.push(await newestActivityId());

    // …then a version of the organisation's own rescores every lead.
    model = await db
      .insertInto('scoring_models')
      .values({
        organization_id: orgA,
        name: 'Fit above all',
        model_type: 'composite',
        config: JSON.stringify({
          algorithm: 'rules',
          rules: { ...defaultRulesModel(), weights: { fit: 0.9, engagement: 0.1 } },
        }),
        is_active: true,
      })
      .returning(['id', 'version'])
      .executeTakeFirstOrThrow();
    await db
      .transaction()
      .execute((trx) =>
        rescoreBatch(
          trx,
          { organizationId: orgA, afterLeadId: null, limit: 10, leads: 'all' },
          new Date(),
        ),
      );
  });
  afterAll(async () => {
    await t?.close();
    await isolated?.close();
  });

  const history = async (token: string, query = '') =>
    t.call(token, 'GET', `/leads/${leadId}/score-history${query}`);

  it('lists every score newest first, with the model that wrote it and the activity behind it', async () => {
    const response = await history(viewerA);
    expect(response.statusCode).toBe(200);
    const { data, nextCursor } = response.json() as { data: HistoryEntry[]; nextCursor: null };
    expect(nextCursor).toBeNull();
    expect(data.map((entry) => entry.cause)).toEqual(['rescore', 'activity', 'activity']);

    const [rescored, second, first] = data as [HistoryEntry, HistoryEntry, HistoryEntry];
    expect(rescored.model).toEqual({
      id: model.id,
      name: 'Fit above all',
      version: model.version,
      algorithm: 'rules',
    });
    expect(rescored.activity).toBeNull();
    expect(second).toMatchObject({
      model: null,
      calculatedAt: batchTimes[1]?.toISOString(),
      activity: { id: activityIds[1], type: 'pricing_view' },
    });
    expect(first).toMatchObject({
      model: null,
      calculatedAt: batchTimes[0]?.toISOString(),
      activity: { id: activityIds[0], type: 'email_open' },
    });
    // Each entry's breakdown adds up to its score, as the scorer stored it.
    for (const entry of data) {
      const { behavioral, demographic, engagement } = entry.breakdown as Record<string, number>;
      expect(Number(behavioral) + Number(demographic) + Number(engagement)).toBe(entry.score);
    }
  });

  it('pages with a cursor, without repeating or skipping a score', async () => {
    const first = (await history(viewerA, '?limit=2')).json() as {
      data: HistoryEntry[];
      nextCursor: string;
    };
    expect(first.data).toHaveLength(2);
    const rest = (await history(viewerA, `?limit=2&cursor=${first.nextCursor}`)).json() as {
      data: HistoryEntry[];
      nextCursor: string | null;
    };
    expect(rest.nextCursor).toBeNull();
    const all = (await history(viewerA)).json() as { data: HistoryEntry[] };
    expect([...first.data, ...rest.data].map((e) => e.id)).toEqual(all.data.map((e) => e.id));

    const forged = await history(viewerA, '?cursor=bm90LWEtY3Vyc29y');
    expect(forged.statusCode).toBe(400);
    expect(forged.json()).toMatchObject({ errors: [{ field: 'cursor' }] });
  });

  it('keeps the lead’s grade beside its current score', async () => {
    const lead = await db
      .selectFrom('leads')
      .select(['current_score', 'current_grade'])
      .where('id', '=', leadId)
      .executeTakeFirstOrThrow();
    const [latest] = (await history(viewerA)).json().data as HistoryEntry[];
    expect(lead.current_score).toBe(latest?.score);
    expect(lead.current_grade).toMatch(/^[A-D][1-4]$/);
    expect(lead.current_grade).toBe(latest?.breakdown.grade);
  });

  it('remembers the score a lead had when it was decided, and forgets it when reopened', async () => {
    const outcome = async () =>
      (
        await db
          .selectFrom('leads')
          .select(['current_score', 'outcome_score'])
          .where('id', '=', leadId)
          .executeTakeFirstOrThrow()
      ).outcome_score;
    const { current_score: scoreWhenWon } = await db
      .selectFrom('leads')
      .select('current_score')
      .where('id', '=', leadId)
      .executeTakeFirstOrThrow();
    expect(scoreWhenWon).not.toBeNull();

    expect(
      (await t.call(managerA, 'PATCH', `/leads/${leadId}`, { status: 'converted' })).statusCode,
    ).toBe(200);
    expect(await outcome()).toBe(scoreWhenWon);
    // A later score leaves the outcome's score as it was.
    await db.updateTable('leads').set({ current_score: 3 }).where('id', '=', leadId).execute();
    expect(await outcome()).toBe(scoreWhenWon);
    // A change that leaves the status alone keeps it too.
    expect(
      (await t.call(managerA, 'PATCH', `/leads/${leadId}`, { company: 'Acme' })).statusCode,
    ).toBe(200);
    expect(await outcome()).toBe(scoreWhenWon);

    expect(
      (await t.call(managerA, 'PATCH', `/leads/${leadId}`, { status: 'qualified' })).statusCode,
    ).toBe(200);
    expect(await outcome()).toBeNull();
    expect(
      (await t.call(managerA, 'PATCH', `/leads/${leadId}`, { status: 'lost' })).statusCode,
    ).toBe(200);
    expect(await outcome()).toBe(3);
  });

  it('answers 404 to another organisation', async () => {
    const response = await history(managerB);
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });
});
