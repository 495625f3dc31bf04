import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import {
  createEmptyPostgresDatabase,
  describeEachEngine,
  type TestEngine,
} from '../test/databases.js';
import { createTestOrganization } from '../test/factories.js';
import {
  drain,
  type IsolatedDatabase,
  insertActivities,
  insertLead,
  openIsolatedDatabase,
} from './pipeline-test-support.js';
import { decayScores } from './score-decay.js';

const DAY_MS = 86_400_000;
const T0 = new Date(Date.UTC(2025, 5, 15, 12));
const LATER = new Date(T0.getTime() + 30 * DAY_MS);
const OPTIONS = { quietMinutes: 15, maxLeads: 1000, batchSize: 2 };

describeEachEngine('score decay', (engine) => {
  let iso: IsolatedDatabase<TestEngine>;
  const db = () => iso.database.db;
  beforeAll(async () => {
    iso = await openIsolatedDatabase({
      engine,
      pgliteSnapshot: inject('pgliteSnapshot'),
      createEmptyPostgresDatabase,
    });
  });
  afterAll(() => iso?.close());

  const scoresOf = (leadId: string) =>
    db()
      .selectFrom('lead_scores')
      .select(['score', 'calculated_at'])
      .where('lead_id', '=', leadId)
      .orderBy('calculated_at')
      .execute();
  const currentScore = async (leadId: string) =>
    (
      await db()
        .selectFrom('leads')
        .select('current_score')
        .where('id', '=', leadId)
        .executeTakeFirstOrThrow()
    ).current_score;

  it('cools a lead that went quiet with a new score, and writes nothing for a lead whose score stays', async () => {
    const { organizationId } = await createTestOrganization(db());
    // Hot a day before T0: pricing pages and a demo request, which fade within weeks.
    const hot = await insertLead(db(), organizationId);
    await insertActivities(db(), organizationId, hot, [
      { type: 'pricing_view', timestamp: T0.getTime() - DAY_MS },
      { type: 'pricing_view', timestamp: T0.getTime() - DAY_MS + 60_000 },
      { type: 'demo_request', timestamp: T0.getTime() - DAY_MS + 120_000 },
      { type: 'email_click', timestamp: T0.getTime() - 2 * DAY_MS },
    ]);
    // Quiet for years already: nothing of it is left to fade.
    const cold = await insertLead(db(), organizationId, { job_title: 'Intern' });
    await insertActivities(db(), organizationId, cold, [
      { type: 'page_view', timestamp: T0.getTime() - 3 * 365 * DAY_MS },
    ]);
    // A lead with no activity has no state and nothing to decay.
    const unseen = await insertLead(db(), organizationId);
    await drain(db(), { batchSize: 100, now: () => T0 });
    const [hotAtT0] = await scoresOf(hot);
    const coldAtT0 = await currentScore(cold);

    // Scored a moment ago: not quiet yet, nothing is looked at again.
    const early = await decayScores(
      { db: db(), now: () => new Date(T0.getTime() + 60_000) },
      OPTIONS,
    );
    expect(early).toMatchObject({ rescored: 0, wrapped: true });
    expect(await scoresOf(hot)).toHaveLength(1);

    const heard: string[] = [];
    const result = await decayScores(
      {
        db: db(),
        now: () => LATER,
        onScored: async (batch) => {
          heard.push(...batch.scoredLeads.map((lead) => lead.leadId));
        },
      },
      OPTIONS,
    );
    expect(result).toMatchObject({ examined: 2, rescored: 1, brokenModels: 0, wrapped: true });
    expect(heard).toEqual([hot]);

    const hotScores = await scoresOf(hot);
    expect(hotScores).toHaveLength(2);
    const cooled = hotScores[1];
    expect(cooled?.calculated_at).toEqual(LATER);
    expect((hotAtT0?.score ?? 0) - (cooled?.score ?? 0)).toBeGreaterThanOrEqual(1);
    expect(await currentScore(hot)).toBe(cooled?.score);
    // max_score remembers the peak; the last activity is still the one a day before T0.
    const hotLead = await db()
      .selectFrom('leads')
      .select(['max_score', 'last_activity_at'])
      .where('id', '=', hot)
      .executeTakeFirstOrThrow();
    expect(hotLead.max_score).toBe(hotAtT0?.score);
    expect(hotLead.last_activity_at).toEqual(new Date(T0.getTime() - DAY_MS + 120_000));

    expect(await scoresOf(cold)).toHaveLength(1);
    expect(await currentScore(cold)).toBe(coldAtT0);
    expect(await scoresOf(unseen)).toHaveLength(0);

    // Run again at the same time: nothing moved since, nothing is written.
    const again = await decayScores({ db: db(), now: () => LATER }, OPTIONS);
    expect(again).toMatchObject({ rescored: 0, wrapped: true });
    expect(await scoresOf(hot)).toHaveLength(2);
  });

  it('bounds a run and goes on where the last one stopped', async () => {
    const { organizationId } = await createTestOrganization(db());
    const leads: string[] = [];
    for (let i = 0; i < 5; i++) {
      const leadId = await insertLead(db(), organizationId);
      await insertActivities(db(), organizationId, leadId, [
        { type: 'demo_request', timestamp: T0.getTime() - DAY_MS - i * 60_000 },
      ]);
      leads.push(leadId);
    }
    await drain(db(), { batchSize: 100, now: () => T0 });
    const deps = { db: db(), now: () => LATER };
    // The earlier test's organisation is in the sweep too: its leads no longer move.
    const runs = [];
    for (let run = 0; run < 10; run++) {
      const result = await decayScores(deps, { ...OPTIONS, maxLeads: 2 });
      expect(result.examined).toBeLessThanOrEqual(2);
      runs.push(result);
      if (result.wrapped) break;
    }
    expect(runs.length).toBeGreaterThan(2);
    expect(runs.reduce((sum, run) => sum + run.rescored, 0)).toBe(5);
    for (const leadId of leads) expect(await scoresOf(leadId)).toHaveLength(2);
  });
});
