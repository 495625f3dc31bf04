import { randomUUID } from 'node:crypto';
import {
  computeLeadFeatures,
  defaultRulesModel,
  type RulesModelConfig,
  rocAuc,
  scoreWithRules,
} from '@leadscore/engine';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import {
  LEAD_PROFILE_COLUMNS,
  scoreNextBatch,
  toLeadActivity,
  toProfile,
} from '../../pipeline/index.js';
import {
  type IsolatedDatabase,
  insertActivities,
  insertLead,
  openIsolatedDatabase,
} from '../../pipeline/pipeline-test-support.js';
import { createEmptyPostgresDatabase, describeEachEngine } from '../../test/databases.js';
import { createTestOrganization } from '../../test/factories.js';
import { buildScoringTestApp, type ScoringTestApp } from '../../test/scoring-app.js';
import { insertModel } from './scoring.repository.js';

const HOUR_MS = 3_600_000;
const TYPES = ['page_view', 'email_open', 'email_click', 'pricing_view', 'demo_request'];
const TITLES = ['VP of Marketing', 'Intern', 'Chief Technology Officer', 'Sales Manager', null];
const LEADS = 30;

/** Two points models over one feature config: who the lead is first, or what it does first. */
const fitFirst: RulesModelConfig = {
  ...defaultRulesModel(),
  weights: { fit: 0.8, engagement: 0.2 },
};
const engagementFirst: RulesModelConfig = {
  ...defaultRulesModel(),
  weights: { fit: 0.2, engagement: 0.8 },
};
/** A model that keeps its state for another feature config (slower decay). */
const slowDecay: RulesModelConfig = {
  ...engagementFirst,
  features: { ...defaultRulesModel().features, halfLifeDays: {}, defaultHalfLifeDays: 90 },
};

interface ChallengerRow {
  lead_id: string;
  model_id: string;
  score: number;
  active_model_id: string | null;
  active_score: number;
  calculated_at: Date;
}

describeEachEngine('a challenger beside the active model', (engine) => {
  let isolated: IsolatedDatabase<typeof engine>;
  let t: ScoringTestApp;
  let db: Database['db'];
  let organizationId: string;
  let manager: string;
  let analyst: string;
  let active: { id: string };
  let challenger: { id: string };
  const leads: string[] = [];

  beforeAll(async () => {
    // The scorer drains the whole outbox: this suite gets a database of its own.
    isolated = await openIsolatedDatabase({
      engine,
      pgliteSnapshot: inject('pgliteSnapshot'),
      createEmptyPostgresDatabase,
    });
    t = await buildScoringTestApp(isolated.database);
    db = isolated.database.db;
    ({ organizationId } = await createTestOrganization(db));
    manager = (await t.tokenFor(organizationId, 'manager')).token;
    analyst = (await t.tokenFor(organizationId, 'analyst')).token;
    // Active from the start (written as is: activation would queue a rescore of its own).
    active = await db
      .insertInto('scoring_models')
      .values({
        organization_id: organizationId,
        name: 'Fit first',
        model_type: 'composite',
        config: JSON.stringify({ algorithm: 'rules', rules: fitFirst }),
        is_active: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    challenger = await rulesVersion('Engagement first', engagementFirst);
    const now = Date.now();
    for (let i = 0; i < LEADS; i++) {
      const leadId = await insertLead(db, organizationId, {
        job_title: TITLES[i % TITLES.length],
        company_size: [5, 50, 250, 2000][i % 4],
      });
      leads.push(leadId);
      await insertActivities(
        db,
        organizationId,
        leadId,
        Array.from({ length: 1 + (i % 7) }, (_, k) => ({
          type: TYPES[(i + k * 3) % TYPES.length] as string,
          timestamp: now - ((i * 5 + k * 11) % 200) * HOUR_MS - HOUR_MS,
        })),
      );
    }
  });
  afterAll(async () => {
    await t.close();
    await isolated.close();
  });

  function rulesVersion(name: string, rules: RulesModelConfig, organization = organizationId) {
    return insertModel(db, {
      organizationId: organization,
      name,
      modelType: 'composite',
      config: { algorithm: 'rules', rules },
      status: 'ready',
      createdBy: null,
    });
  }

  /** The lead's score by `rules` from scratch: its counted activities, as of `asOf`. */
  async function scoreFromScratch(leadId: string, rules: RulesModelConfig, asOf: Date) {
    const lead = await db
      .selectFrom('leads')
      .select(LEAD_PROFILE_COLUMNS)
      .where('id', '=', leadId)
      .executeTakeFirstOrThrow();
    const activities = await db
      .selectFrom('lead_activities')
      .select(['activity_type', 'activity_data', 'timestamp'])
      .where('lead_id', '=', leadId)
      .where('failure_reason', 'is', null)
      .execute();
    const profile = toProfile(lead);
    const features = computeLeadFeatures(
      profile,
      activities.map(toLeadActivity),
      asOf.getTime(),
      rules.features,
    );
    return scoreWithRules(rules, profile, features).score;
  }

  const challengerRows = async (modelId: string) =>
    (
      await sql<ChallengerRow>`
        select lead_id, model_id, score, active_model_id, active_score, calculated_at
        from challenger_scores where model_id = ${modelId}
        order by calculated_at, id`.execute(db)
    ).rows;

  const performanceOf = async (modelId: string) =>
    (await t.call(analyst, 'GET', `/scoring/models/${modelId}/performance`)).json();

  it('scores every scored lead with the challenger into challenger_scores, leaving the real scores to the active model', async () => {
    const started = await t.call(manager, 'PUT', `/scoring/models/${challenger.id}/challenger`);
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json()).toMatchObject({ status: 'challenger', isActive: false });
    expect(started.json().challengerSince).not.toBeNull();

    const result = await scoreNextBatch({ db }, { batchSize: 1000 });
    expect(result).toMatchObject({ scored: LEADS, failed: 0, challengerFailures: [] });

    const rows = await challengerRows(challenger.id);
    expect(rows).toHaveLength(LEADS);
    for (const leadId of leads) {
      const lead = await db
        .selectFrom('leads')
        .select(['current_score', 'max_score'])
        .where('id', '=', leadId)
        .executeTakeFirstOrThrow();
      const scores = await db
        .selectFrom('lead_scores')
        .select(['model_id', 'score'])
        .where('lead_id', '=', leadId)
        .execute();
      // The active model alone decides the lead's score.
      const activeScore = await scoreFromScratch(leadId, fitFirst, result.calculatedAt);
      expect(lead).toEqual({ current_score: activeScore, max_score: activeScore });
      expect(scores).toEqual([{ model_id: active.id, score: activeScore }]);
      const row = rows.find((r) => r.lead_id === leadId);
      expect(row).toMatchObject({
        active_model_id: active.id,
        active_score: activeScore,
        score: await scoreFromScratch(leadId, engagementFirst, result.calculatedAt),
      });
      expect(row?.calculated_at.getTime()).toBe(result.calculatedAt.getTime());
    }
    // The two models disagree somewhere, or the test proves nothing.
    expect(rows.some((row) => row.score !== row.active_score)).toBe(true);
  });

  it('compares the two side by side in SQL: means, differences, bands, and ROC AUC on the leads decided since', async () => {
    // 12 leads convert and 12 are lost, after the scores above; then 5 of them act again, so
    // their latest scores come after the outcome and must not count for the AUC.
    const decidedAt = new Date(Date.now() + 5);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const decided = leads.slice(0, 24);
    for (const [i, leadId] of decided.entries()) {
      await db
        .updateTable('leads')
        .set({ status: i % 2 === 0 ? 'converted' : 'lost', status_changed_at: decidedAt })
        .where('id', '=', leadId)
        .execute();
    }
    for (const leadId of decided.slice(0, 5)) {
      await insertActivities(db, organizationId, leadId, [
        { type: 'demo_request', timestamp: Date.now() - HOUR_MS },
      ]);
    }
    expect(await scoreNextBatch({ db }, { batchSize: 1000 })).toMatchObject({ scored: 5 });

    const rows = await challengerRows(challenger.id);
    expect(rows).toHaveLength(LEADS + 5);
    const latest = new Map<string, ChallengerRow>();
    for (const row of rows) latest.set(row.lead_id, row);
    const pairs = [...latest.values()];
    const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    const band = (score: number) => Math.min(Math.floor(score / 10), 9);
    const preOutcome = decided.map((leadId) =>
      rows.filter((r) => r.lead_id === leadId && r.calculated_at <= decidedAt).at(-1),
    );
    const labels = Uint8Array.from(decided, (_, i) => (i % 2 === 0 ? 1 : 0));

    const { comparison } = await performanceOf(challenger.id);
    expect(comparison).toMatchObject({
      challengerModelId: challenger.id,
      activeModelId: null,
      running: true,
      scorings: LEADS + 5,
      leads: LEADS,
      outcomes: { converted: 12, lost: 12, reason: null },
    });
    expect(comparison.challenger.meanScore).toBeCloseTo(mean(pairs.map((p) => p.score)), 9);
    expect(comparison.active.meanScore).toBeCloseTo(mean(pairs.map((p) => p.active_score)), 9);
    expect(comparison.meanAbsoluteDifference).toBeCloseTo(
      mean(pairs.map((p) => Math.abs(p.score - p.active_score))),
      9,
    );
    expect(comparison.sameBandShare).toBeCloseTo(
      mean(pairs.map((p) => (band(p.score) === band(p.active_score) ? 1 : 0))),
      9,
    );
    expect(comparison.bands).toEqual(
      Array.from({ length: 10 }, (_, b) => ({
        lower: b * 10,
        upper: b === 9 ? 100 : b * 10 + 10,
        challenger: pairs.filter((p) => band(p.score) === b).length,
        active: pairs.filter((p) => band(p.active_score) === b).length,
      })),
    );
    expect(comparison.challenger.rocAuc).toBeCloseTo(
      rocAuc(
        labels,
        Float64Array.from(preOutcome, (row) => row?.score as number),
      ),
      9,
    );
    expect(comparison.active.rocAuc).toBeCloseTo(
      rocAuc(
        labels,
        Float64Array.from(preOutcome, (row) => row?.active_score as number),
      ),
      9,
    );

    // The active model's report shows the same comparison, over the scores made beside it.
    const activeReport = await performanceOf(active.id);
    expect(activeReport.comparison).toEqual({ ...comparison, activeModelId: active.id });
  });

  it('says why there is no ROC AUC yet when too few leads were decided since the challenger started', async () => {
    const { organizationId: quiet } = await createTestOrganization(db);
    const version = await rulesVersion('Quiet', engagementFirst, quiet);
    const { token } = await t.tokenFor(quiet, 'manager');
    expect(
      (await t.call(token, 'PUT', `/scoring/models/${version.id}/challenger`)).statusCode,
    ).toBe(200);
    const leadId = await insertLead(db, quiet);
    await insertActivities(db, quiet, leadId, [
      { type: 'page_view', timestamp: Date.now() - HOUR_MS },
    ]);
    await scoreNextBatch({ db }, { batchSize: 1000 });
    const { comparison } = (
      await t.call(token, 'GET', `/scoring/models/${version.id}/performance`)
    ).json();
    expect(comparison).toMatchObject({
      leads: 1,
      challenger: { rocAuc: null },
      active: { rocAuc: null },
      outcomes: {
        converted: 0,
        lost: 0,
        reason:
          'ROC AUC needs at least 10 converted and 10 lost leads scored by the challenger before their outcome; there are 0 converted and 0 lost',
      },
    });
  });

  it('rebuilds the features of a challenger that keeps another feature config, and replaces the old challenger', async () => {
    const slow = await rulesVersion('Slow decay', slowDecay);
    const replaced = await t.call(manager, 'PUT', `/scoring/models/${slow.id}/challenger`);
    expect(replaced.statusCode, replaced.body).toBe(200);
    const old = (await t.call(analyst, 'GET', `/scoring/models/${challenger.id}`)).json();
    expect(old.status).toBe('ready');
    const challengers = (await t.call(analyst, 'GET', '/scoring/models?status=challenger')).json();
    expect(challengers.data.map((m: { id: string }) => m.id)).toEqual([slow.id]);

    const acting = leads.slice(24, 28);
    for (const leadId of acting) {
      await insertActivities(db, organizationId, leadId, [
        { type: 'pricing_view', timestamp: Date.now() - 2 * HOUR_MS },
      ]);
    }
    const result = await scoreNextBatch({ db }, { batchSize: 1000 });
    expect(result).toMatchObject({ scored: acting.length, challengerFailures: [] });
    const rows = await challengerRows(slow.id);
    expect(rows).toHaveLength(acting.length);
    for (const row of rows) {
      expect(row.score).toBe(await scoreFromScratch(row.lead_id, slowDecay, result.calculatedAt));
      expect(row.active_score).toBe(
        await scoreFromScratch(row.lead_id, fitFirst, result.calculatedAt),
      );
    }
    // The stopped challenger's report still covers its last run.
    const { comparison } = await performanceOf(challenger.id);
    expect(comparison).toMatchObject({ running: false, scorings: LEADS + 5 });

    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'target_id', 'details'])
      .where('organization_id', '=', organizationId)
      .where('action', 'like', 'scoring_model.challenger%')
      .orderBy('created_at')
      .execute();
    expect(audit).toEqual([
      {
        action: 'scoring_model.challenger_started',
        target_id: challenger.id,
        details: expect.objectContaining({ replacedModelId: null }),
      },
      {
        action: 'scoring_model.challenger_started',
        target_id: slow.id,
        details: expect.objectContaining({ replacedModelId: challenger.id }),
      },
    ]);
  });

  it('goes on scoring with the active model when the challenger cannot load, and says so', async () => {
    const { organizationId: broken } = await createTestOrganization(db);
    const { id: brokenId } = await db
      .insertInto('scoring_models')
      .values({
        organization_id: broken,
        name: 'hand-edited',
        model_type: 'composite',
        config: JSON.stringify({ algorithm: 'rules', rules: { format: 'nope' } }),
        status: 'challenger',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const leadId = await insertLead(db, broken);
    await insertActivities(db, broken, leadId, [
      { type: 'demo_request', timestamp: Date.now() - HOUR_MS },
    ]);

    const result = await scoreNextBatch({ db }, { batchSize: 1000 });
    expect(result).toMatchObject({ scored: 1, failed: 0 });
    expect(result.challengerFailures).toEqual([
      { modelId: brokenId, leads: 1, reason: expect.stringMatching(/^ModelLoadError: model /) },
    ]);
    const lead = await db
      .selectFrom('leads')
      .select('current_score')
      .where('id', '=', leadId)
      .executeTakeFirstOrThrow();
    expect(lead.current_score).toBe(
      await scoreFromScratch(leadId, defaultRulesModel(), result.calculatedAt),
    );
    expect(await challengerRows(brokenId)).toEqual([]);
    const activities = await db
      .selectFrom('lead_activities')
      .select(['processed', 'failure_reason'])
      .where('lead_id', '=', leadId)
      .execute();
    expect(activities).toEqual([{ processed: true, failure_reason: null }]);
  });

  it('refuses what a challenger cannot be, across organisations too, with problem documents', async () => {
    const call = (method: string, id: string, token = manager) =>
      t.call(token, method, `/scoring/models/${id}/challenger`);
    const unknown = await call('PUT', randomUUID());
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().type).toBe('/problems/scoring-model-not-found');
    const activeRefused = await call('PUT', active.id);
    expect(activeRefused.statusCode).toBe(409);
    expect(activeRefused.json().type).toBe('/problems/scoring-model-is-active');
    const training = await insertModel(db, {
      organizationId,
      name: 'Still training',
      modelType: 'composite',
      config: { algorithm: 'logistic', features: defaultRulesModel().features },
      status: 'training',
      createdBy: null,
    });
    expect((await call('PUT', training.id)).json().type).toBe('/problems/scoring-model-not-ready');
    const notChallenger = await call('DELETE', challenger.id);
    expect(notChallenger.statusCode).toBe(409);
    expect(notChallenger.json().type).toBe('/problems/scoring-model-not-challenger');
    expect((await call('PUT', challenger.id, analyst)).statusCode).toBe(403);

    const other = await createTestOrganization(db);
    const { token: outsider } = await t.tokenFor(other.organizationId, 'admin');
    const [current] = (await t.call(analyst, 'GET', '/scoring/models?status=challenger')).json()
      .data as { id: string }[];
    for (const [method, id] of [
      ['PUT', challenger.id],
      ['DELETE', current?.id as string],
    ] as const) {
      const response = await call(method, id, outsider);
      expect(response.statusCode, `${method} ${id}`).toBe(404);
      expect(response.json().type).toBe('/problems/scoring-model-not-found');
    }
    expect(
      (await t.call(outsider, 'GET', `/scoring/models/${current?.id}/performance`)).statusCode,
    ).toBe(404);
    expect(
      (await t.call(outsider, 'GET', '/scoring/models?status=challenger')).json().data,
    ).toEqual([]);
    expect((await t.call(analyst, 'GET', '/scoring/models?status=challenger')).json().data).toEqual(
      [expect.objectContaining({ id: current?.id })],
    );
  });

  it('stops a challenger, and activating one promotes it and ends its challenge', async () => {
    const [current] = (await t.call(analyst, 'GET', '/scoring/models?status=challenger')).json()
      .data as { id: string }[];
    const stopped = await t.call(manager, 'DELETE', `/scoring/models/${current?.id}/challenger`);
    expect(stopped.statusCode, stopped.body).toBe(200);
    expect(stopped.json()).toMatchObject({ status: 'ready' });

    expect(
      (await t.call(manager, 'PUT', `/scoring/models/${challenger.id}/challenger`)).statusCode,
    ).toBe(200);
    // Hand-written rules have no metrics and no gate.
    const activated = await t.call(manager, 'PUT', `/scoring/models/${challenger.id}/activate`);
    expect(activated.statusCode, activated.body).toBe(200);
    expect(activated.json()).toMatchObject({
      status: 'active',
      isActive: true,
      previousModelId: active.id,
    });
    expect((await t.call(analyst, 'GET', '/scoring/models?status=challenger')).json().data).toEqual(
      [],
    );
    expect((await t.call(analyst, 'GET', `/scoring/models/${active.id}`)).json().status).toBe(
      'retired',
    );
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('organization_id', '=', organizationId)
      .where('target_id', '=', challenger.id)
      .where('action', 'in', ['scoring_model.challenger_stopped', 'scoring_model.activated'])
      .execute();
    expect(audit).toEqual([
      {
        action: 'scoring_model.activated',
        details: expect.objectContaining({ wasChallenger: true }),
      },
    ]);
    const stopAudit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', current?.id as string)
      .where('action', '=', 'scoring_model.challenger_stopped')
      .execute();
    expect(stopAudit).toHaveLength(1);
  });
});
