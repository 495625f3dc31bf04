import { randomBytes } from 'node:crypto';
import { computeLeadFeatures, defaultRulesModel, scoreWithRules } from '@leadscore/engine';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createEmptyPostgresDatabase,
  describeEachEngine,
  type TestEngine,
} from '../test/databases.js';
import { createTestOrganization } from '../test/factories.js';
import { scoreNextBatch } from './activity-scorer.js';
import { toProfile } from './lead-input.js';
import {
  drain,
  featuresStoredAndRecomputed,
  type IsolatedDatabase,
  insertActivities,
  insertLead,
  openIsolatedDatabase,
} from './pipeline-test-support.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const NOW = new Date(Date.UTC(2025, 5, 15, 12));
const now = () => NOW;
const TYPES = [
  'page_view',
  'email_open',
  'email_click',
  'pricing_view',
  'demo_request',
  'form_submit',
];

describeEachEngine('activity scorer', (engine) => {
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

  /** A deterministic history: `count` activities over the 60 days before NOW, some late. */
  function history(seed: number, count: number) {
    return Array.from({ length: count }, (_, i) => ({
      type: TYPES[(seed * 7 + i * 3) % TYPES.length] as string,
      timestamp:
        NOW.getTime() - (((seed * 131 + i * 977) % 60) * DAY_MS + ((i * 37) % 24) * HOUR_MS),
    }));
  }

  const leadRow = (id: string) =>
    db()
      .selectFrom('leads')
      .select(['current_score', 'max_score', 'last_activity_at', 'organization_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  const scoresOf = (id: string) =>
    db()
      .selectFrom('lead_scores')
      .select(['organization_id', 'model_id', 'score', 'score_breakdown', 'confidence'])
      .where('lead_id', '=', id)
      .orderBy('calculated_at')
      .execute();

  const activityRows = (leadId: string) =>
    db()
      .selectFrom('lead_activities')
      .select(['processed', 'processed_at', 'failure_reason', 'activity_type'])
      .where('lead_id', '=', leadId)
      .execute();

  it('scores a lead with the default model: the breakdown adds up, the state equals a recomputation', async () => {
    const { organizationId } = await createTestOrganization(db());
    const leadId = await insertLead(db(), organizationId);
    const activities = history(1, 12);
    await insertActivities(db(), organizationId, leadId, activities);

    const result = await drain(db(), { batchSize: 100, now });
    expect(result).toMatchObject({ claimed: 12, scored: 1, failed: 0 });

    const lead = await leadRow(leadId);
    const [score] = await scoresOf(leadId);
    // The same lead scored from scratch by the engine, as of the batch's clock.
    const model = defaultRulesModel();
    const profile = toProfile({
      id: leadId,
      email: 'x@acme.example',
      job_title: 'VP of Marketing',
      company: null,
      country: 'US',
      industry: 'Software',
      company_size: 250,
      source: null,
      custom_attributes: {},
      created_at: new Date(),
    });
    const expected = scoreWithRules(
      model,
      profile,
      computeLeadFeatures(profile, activities, NOW.getTime(), model.features),
    );
    expect(score).toMatchObject({
      organization_id: organizationId,
      model_id: null,
      score: expected.score,
      // A points model has no notion of confidence; trained models fill it.
      confidence: null,
    });
    const breakdown = score?.score_breakdown as {
      behavioral: number;
      demographic: number;
      engagement: number;
    };
    expect(breakdown).toMatchObject({ grade: expected.grade, fitScore: expected.fitScore });
    expect(breakdown.behavioral + breakdown.demographic + breakdown.engagement).toBe(score?.score);
    expect(lead).toMatchObject({ current_score: expected.score, max_score: expected.score });
    expect(lead.last_activity_at?.getTime()).toBe(Math.max(...activities.map((a) => a.timestamp)));

    const features = await featuresStoredAndRecomputed(db(), leadId, NOW.getTime());
    expect(features.stored).toEqual(features.recomputed);
    for (const row of await activityRows(leadId)) {
      expect(row).toMatchObject({ processed: true, failure_reason: null });
      expect(row.processed_at?.getTime()).toBe(NOW.getTime());
    }
  });

  it('reports each lead it scored with its previous and new score, for events and alerts', async () => {
    const { organizationId } = await createTestOrganization(db());
    const leadId = await insertLead(db(), organizationId);
    const activities = history(2, 2);
    await insertActivities(db(), organizationId, leadId, activities.slice(0, 1));
    const firstBatch = await scoreNextBatch({ db: db(), now }, { batchSize: 100 });
    const [scoredFirst] = firstBatch.scoredLeads.filter((l) => l.leadId === leadId);
    expect(scoredFirst).toMatchObject({
      organizationId,
      leadId,
      modelId: null,
      previousScore: null,
    });
    expect((await leadRow(leadId)).current_score).toBe(scoredFirst?.score);

    await insertActivities(db(), organizationId, leadId, activities.slice(1));
    const secondBatch = await scoreNextBatch({ db: db(), now }, { batchSize: 100 });
    const [scoredSecond] = secondBatch.scoredLeads.filter((l) => l.leadId === leadId);
    expect(scoredSecond?.previousScore).toBe(scoredFirst?.score);
    expect(scoredSecond?.score).toBe((await leadRow(leadId)).current_score);
  });

  it('counts every activity exactly once, however the backlog is cut into batches and rerun', async () => {
    const { organizationId } = await createTestOrganization(db());
    const leads = await Promise.all([0, 1, 2, 3].map(() => insertLead(db(), organizationId)));
    // Arrives in two waves; the second interleaves older (late) activities.
    for (const [i, leadId] of leads.entries()) {
      await insertActivities(db(), organizationId, leadId, history(10 + i, 15));
    }
    const first = await drain(db(), { batchSize: 7, now });
    for (const [i, leadId] of leads.entries()) {
      await insertActivities(db(), organizationId, leadId, history(20 + i, 10));
    }
    const second = await drain(db(), { batchSize: 7, now });
    const third = await drain(db(), { batchSize: 7, now });

    expect(first.claimed).toBe(60);
    expect(second.claimed).toBe(40);
    expect(third.claimed).toBe(0);
    for (const leadId of leads) {
      const features = await featuresStoredAndRecomputed(db(), leadId, NOW.getTime());
      expect(features.stored).toEqual(features.recomputed);
      const rows = await activityRows(leadId);
      expect(rows).toHaveLength(25);
      expect(rows.every((r) => r.processed && r.failure_reason === null)).toBe(true);
      // max_score is the greatest score ever written for the lead.
      const scores = (await scoresOf(leadId)).map((s) => s.score);
      expect((await leadRow(leadId)).max_score).toBe(Math.max(...scores));
    }
  });

  it('records a poison activity and a broken model with their reasons; the rest of the batch goes on', async () => {
    const { organizationId: healthy } = await createTestOrganization(db());
    const { organizationId: broken } = await createTestOrganization(db());
    await db()
      .insertInto('scoring_models')
      .values({
        organization_id: broken,
        name: 'hand-edited',
        model_type: 'composite',
        config: JSON.stringify({ algorithm: 'rules', rules: { format: 'nope' } }),
        is_active: true,
      })
      .execute();
    const poisoned = await insertLead(db(), healthy);
    const good = await insertLead(db(), healthy);
    const underBrokenModel = await insertLead(db(), broken);
    // An empty type makes the feature code throw.
    await insertActivities(db(), healthy, poisoned, [
      { type: '', timestamp: NOW.getTime() - HOUR_MS },
    ]);
    await insertActivities(db(), healthy, good, history(3, 5));
    await insertActivities(db(), broken, underBrokenModel, history(4, 3));

    const result = await drain(db(), { batchSize: 100, now });
    expect(result).toMatchObject({ claimed: 9, scored: 1, failed: 4 });

    const [poison] = await activityRows(poisoned);
    expect(poison).toMatchObject({ processed: true });
    expect(poison?.failure_reason).toMatch(/^LeadFeatureInputError: activity\.type/);
    expect((await leadRow(poisoned)).current_score).toBeNull();
    for (const row of await activityRows(underBrokenModel)) {
      expect(row.failure_reason).toMatch(/^ModelLoadError: model [0-9a-f-]+: RulesConfigError/);
    }
    expect((await leadRow(good)).current_score).not.toBeNull();

    // The poisoned lead is not stuck: its next good activity scores it.
    await insertActivities(db(), healthy, poisoned, history(5, 2));
    expect(await drain(db(), { batchSize: 100, now })).toMatchObject({ claimed: 2, scored: 1 });
    expect((await leadRow(poisoned)).current_score).not.toBeNull();
  });

  it("scores with the organisation's active model, and with its new version once the row changes", async () => {
    const { organizationId } = await createTestOrganization(db());
    const rules = defaultRulesModel();
    const { id: modelId } = await db()
      .insertInto('scoring_models')
      .values({
        organization_id: organizationId,
        name: 'fit only',
        model_type: 'demographic',
        config: JSON.stringify({
          algorithm: 'rules',
          rules: { ...rules, weights: { fit: 1, engagement: 0 } },
        }),
        is_active: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const leadId = await insertLead(db(), organizationId);
    await insertActivities(db(), organizationId, leadId, history(8, 4));
    await drain(db(), { batchSize: 100, now });
    const [first] = await scoresOf(leadId);
    expect(first).toMatchObject({ model_id: modelId });
    expect(first?.score_breakdown).toMatchObject({ behavioral: 0, engagement: 0 });

    // Edited in place: the scorer, which keeps loaded models, must notice.
    await db()
      .updateTable('scoring_models')
      .set({
        config: JSON.stringify({
          algorithm: 'rules',
          rules: { ...rules, weights: { fit: 0, engagement: 1 } },
        }),
      })
      .where('id', '=', modelId)
      .execute();
    await insertActivities(db(), organizationId, leadId, history(9, 1));
    await drain(db(), { batchSize: 100, now });
    const [, second] = await scoresOf(leadId);
    expect(second?.score_breakdown).toMatchObject({ demographic: 0 });
  });

  it("keeps organisations apart: one organisation's activities never touch another's leads", async () => {
    const { organizationId: orgA } = await createTestOrganization(db());
    const { organizationId: orgB } = await createTestOrganization(db());
    const email = `same-${randomBytes(4).toString('hex')}@acme.example`;
    const leadA = await insertLead(db(), orgA, { email });
    const leadB = await insertLead(db(), orgB, { email });
    await insertActivities(db(), orgA, leadA, history(6, 8));
    // Tampered data: an activity of org A pointing at org B's lead.
    await insertActivities(db(), orgA, leadB, history(7, 2));

    expect(await drain(db(), { batchSize: 100, now })).toMatchObject({ claimed: 10, failed: 2 });
    expect((await leadRow(leadA)).current_score).not.toBeNull();
    expect(await leadRow(leadB)).toMatchObject({
      organization_id: orgB,
      current_score: null,
      max_score: null,
      last_activity_at: null,
    });
    expect(await scoresOf(leadB)).toEqual([]);
    expect(
      await db()
        .selectFrom('lead_feature_state')
        .select('lead_id')
        .where('organization_id', '=', orgB)
        .execute(),
    ).toEqual([]);
    for (const row of await activityRows(leadB)) expect(row.failure_reason).toBe('lead not found');
    for (const score of await scoresOf(leadA)) expect(score.organization_id).toBe(orgA);
  });

  describe.runIf(engine.name === 'postgres')('scorers side by side', () => {
    const leadCount = 40;
    const perLead = 30;
    async function backlog() {
      const { organizationId } = await createTestOrganization(db());
      const leads: string[] = [];
      for (let i = 0; i < leadCount; i++) {
        const leadId = await insertLead(db(), organizationId, { email: `lead-${i}@acme.example` });
        leads.push(leadId);
        await insertActivities(db(), organizationId, leadId, history(100 + i, perLead));
      }
      return leads;
    }
    async function snapshot(leads: readonly string[]) {
      return Promise.all(
        leads.map(async (leadId) => {
          const lead = await leadRow(leadId);
          const features = await featuresStoredAndRecomputed(db(), leadId, NOW.getTime());
          expect(features.stored).toEqual(features.recomputed);
          const rows = await activityRows(leadId);
          return {
            currentScore: lead.current_score,
            lastActivityAt: lead.last_activity_at,
            features: features.stored,
            processed: rows.filter((r) => r.processed && r.failure_reason === null).length,
          };
        }),
      );
    }

    let alone: Awaited<ReturnType<typeof snapshot>>;
    beforeAll(async () => {
      const single = await backlog();
      expect((await drain(db(), { batchSize: 25, now })).claimed).toBe(leadCount * perLead);
      alone = await snapshot(single);
      expect(alone.every((lead) => lead.processed === perLead)).toBe(true);
    });

    it.each([2, 4])(
      '%i scorers running together over one backlog reach exactly the state one scorer reaches',
      async (scorers) => {
        const shared = await backlog();
        const runs = await Promise.all(
          Array.from({ length: scorers }, () => drain(db(), { batchSize: 25, now })),
        );
        expect(runs.reduce((sum, run) => sum + run.claimed, 0)).toBe(leadCount * perLead);
        // Each took part: the test is about interleaving, not one scorer doing it all.
        for (const run of runs) expect(run.claimed).toBeGreaterThan(0);
        expect(await snapshot(shared)).toEqual(alone);
      },
    );
  });
});
