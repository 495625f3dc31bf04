import { randomUUID } from 'node:crypto';
import { computeLeadFeatures, defaultRulesModel, rocAuc, scoreWithRules } from '@leadscore/engine';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import { LEAD_PROFILE_COLUMNS, toLeadActivity, toProfile } from '../../pipeline/index.js';
import { describeEachEngine } from '../../test/databases.js';
import { createTestOrganization } from '../../test/factories.js';
import { buildScoringTestApp, type ScoringTestApp } from '../../test/scoring-app.js';
import { seedDemoLeads } from '../demo/index.js';
import { insertModel } from './scoring.repository.js';

const DAY_MS = 86_400_000;

describeEachEngine('backtesting a model version', (engine) => {
  let database: Database;
  let t: ScoringTestApp;
  let organizationId: string;
  let manager: string;
  let admin: string;
  let analyst: string;
  /** A rules version of the organisation, evaluated (`trained`) on its demo history. */
  let rules: { id: string };

  beforeAll(async () => {
    database = await engine.open();
    t = await buildScoringTestApp(database);
    ({ organizationId } = await createTestOrganization(database.db));
    await seedDemoLeads(database.db, organizationId, {
      seed: 33,
      leads: 200,
      now: new Date(Date.now() - DAY_MS),
    });
    manager = (await t.tokenFor(organizationId, 'manager')).token;
    admin = (await t.tokenFor(organizationId, 'admin')).token;
    analyst = (await t.tokenFor(organizationId, 'analyst')).token;
    const created = await t.call(manager, 'POST', '/scoring/models', {
      name: 'Default rules',
      algorithm: 'rules',
      modelType: 'composite',
    });
    expect(created.statusCode, created.body).toBe(202);
    rules = created.json();
    expect((await t.trainingOf(rules.id)).status).toBe('succeeded');
  });
  afterAll(async () => {
    await t.close();
    await database.close();
  });

  /** The version's backtest once its job has finished. */
  async function finishedBacktest(token: string, modelId: string) {
    for (let tries = 0; tries < 200; tries++) {
      const performance = (
        await t.call(token, 'GET', `/scoring/models/${modelId}/performance`)
      ).json();
      if (performance.backtest?.status !== 'queued') return performance.backtest;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the backtest did not finish');
  }

  /** The organisation's decided leads, each scored from scratch the day it was decided. */
  async function scoresAtOutcome(): Promise<{ scores: number[]; labels: number[] }> {
    const leads = await database.db
      .selectFrom('leads')
      .select([...LEAD_PROFILE_COLUMNS, 'status'])
      .select(sql<Date>`coalesce(status_changed_at, updated_at)`.as('decided_at'))
      .where('organization_id', '=', organizationId)
      .where('status', 'in', ['converted', 'lost'])
      .execute();
    const activities = await database.db
      .selectFrom('lead_activities')
      .select(['lead_id', 'activity_type', 'activity_data', 'timestamp'])
      .where('organization_id', '=', organizationId)
      .execute();
    const model = defaultRulesModel();
    const scores: number[] = [];
    const labels: number[] = [];
    for (const lead of leads) {
      const decidedAt = lead.decided_at.getTime();
      const seen = activities
        .filter((a) => a.lead_id === lead.id && a.timestamp.getTime() <= decidedAt)
        .map(toLeadActivity);
      const profile = toProfile(lead);
      const features = computeLeadFeatures(profile, seen, decidedAt, model.features);
      scores.push(scoreWithRules(model, profile, features).score);
      labels.push(lead.status === 'converted' ? 1 : 0);
    }
    return { scores, labels };
  }

  it('replays the decided leads in a job and stores the report: AUC as computed from scratch, the MQL line of the alert rule, the in-sample count', async () => {
    const rule = await t.call(admin, 'POST', '/alert-rules', {
      name: 'MQL',
      kind: 'becomes_mql',
      threshold: 55,
    });
    expect(rule.statusCode, rule.body).toBe(201);

    const requested = await t.call(manager, 'POST', `/scoring/models/${rules.id}/backtest`, {});
    expect(requested.statusCode, requested.body).toBe(202);
    expect(requested.headers.location).toBe(`/scoring/models/${rules.id}/performance`);
    expect(requested.json()).toMatchObject({
      status: 'queued',
      mqlThreshold: 55,
      mqlThresholdSource: 'alert_rule',
      label: { converted: ['converted'], lost: ['lost'] },
      windowDays: 365,
      report: null,
      trainingWindow: { from: expect.any(String), to: expect.any(String) },
    });

    const backtest = await finishedBacktest(analyst, rules.id);
    expect(backtest).toMatchObject({ status: 'succeeded', error: null });
    const { scores, labels } = await scoresAtOutcome();
    const converted = labels.filter((label) => label === 1).length;
    expect(backtest.report).toMatchObject({
      leads: labels.length,
      converted,
      skippedLeads: 0,
      mqlThreshold: 55,
    });
    expect(backtest.report.rocAuc).toBeCloseTo(
      rocAuc(Uint8Array.from(labels), Float64Array.from(scores)),
      12,
    );
    const banded = backtest.report.conversionByBand as { count: number; converted: number }[];
    expect(banded.reduce((sum, band) => sum + band.count, 0)).toBe(labels.length);
    expect(banded.reduce((sum, band) => sum + band.converted, 0)).toBe(converted);
    // The version was evaluated on this very window: every lead is in-sample.
    expect(backtest.leadsInTrainingWindow).toBe(labels.length);
    expect(Date.parse(backtest.outcomesTo) - Date.parse(backtest.outcomesFrom)).toBe(365 * DAY_MS);

    // The training metrics are untouched beside it.
    const performance = (
      await t.call(analyst, 'GET', `/scoring/models/${rules.id}/performance`)
    ).json();
    expect(performance.metrics.rocAuc).toBeCloseTo(backtest.report.rocAuc, 12);
    expect(performance.comparison).toBeNull();
  });

  it('takes the MQL line and the window from the request', async () => {
    const requested = await t.call(manager, 'POST', `/scoring/models/${rules.id}/backtest`, {
      mqlThreshold: 90,
      windowDays: 3650,
    });
    expect(requested.statusCode, requested.body).toBe(202);
    expect(requested.json()).toMatchObject({ mqlThreshold: 90, mqlThresholdSource: 'request' });
    const backtest = await finishedBacktest(analyst, rules.id);
    expect(backtest).toMatchObject({ status: 'succeeded', windowDays: 3650 });
    expect(backtest.report.mqlThreshold).toBe(90);
  });

  it('records too short a history on the backtest, with the reason', async () => {
    const empty = await createTestOrganization(database.db);
    const row = await insertModel(database.db, {
      organizationId: empty.organizationId,
      name: 'Rules, no history',
      modelType: 'composite',
      config: { algorithm: 'rules', rules: defaultRulesModel() },
      status: 'ready',
      createdBy: null,
    });
    const { token } = await t.tokenFor(empty.organizationId, 'manager');
    const requested = await t.call(token, 'POST', `/scoring/models/${row.id}/backtest`, {});
    expect(requested.statusCode, requested.body).toBe(202);
    // No alert rule: the documented default line.
    expect(requested.json()).toMatchObject({
      mqlThreshold: 70,
      mqlThresholdSource: 'default',
      trainingWindow: null,
    });
    expect(await finishedBacktest(token, row.id)).toMatchObject({
      status: 'failed',
      report: null,
      leadsInTrainingWindow: null,
      error:
        'A backtest needs at least 10 converted and 10 lost leads decided in the window; it holds 0 converted and 0 lost',
    });
  });

  it('refuses unknown versions, versions that cannot score and bad fields with problem documents', async () => {
    const unknown = await t.call(manager, 'POST', `/scoring/models/${randomUUID()}/backtest`, {});
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().type).toBe('/problems/scoring-model-not-found');

    const training = await insertModel(database.db, {
      organizationId,
      name: 'Still training',
      modelType: 'composite',
      config: { algorithm: 'logistic', features: defaultRulesModel().features },
      status: 'training',
      createdBy: null,
    });
    const notReady = await t.call(manager, 'POST', `/scoring/models/${training.id}/backtest`, {});
    expect(notReady.statusCode).toBe(409);
    expect(notReady.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(notReady.json().type).toBe('/problems/scoring-model-not-ready');

    for (const mqlThreshold of [0, 101, 'high']) {
      const response = await t.call(manager, 'POST', `/scoring/models/${rules.id}/backtest`, {
        mqlThreshold,
      });
      expect(response.statusCode, String(mqlThreshold)).toBe(400);
      expect(response.json().errors).toEqual([
        expect.objectContaining({ in: 'body', field: 'mqlThreshold' }),
      ]);
    }
    const overlap = await t.call(manager, 'POST', `/scoring/models/${rules.id}/backtest`, {
      label: { converted: ['converted'], lost: ['converted', 'lost'] },
    });
    expect(overlap.statusCode).toBe(400);
    expect(overlap.json().errors).toEqual([
      { in: 'body', field: 'label', message: 'converted cannot count as both converted and lost' },
    ]);
    const window = await t.call(manager, 'POST', `/scoring/models/${rules.id}/backtest`, {
      windowDays: 0,
    });
    expect(window.json().errors).toEqual([
      expect.objectContaining({ in: 'body', field: 'windowDays' }),
    ]);
  });

  it('keeps organisations apart and lets only model managers start one', async () => {
    const other = await createTestOrganization(database.db);
    const { token: outsider } = await t.tokenFor(other.organizationId, 'admin');
    const before = (await t.call(analyst, 'GET', `/scoring/models/${rules.id}/performance`)).json();
    const theirs = await t.call(outsider, 'POST', `/scoring/models/${rules.id}/backtest`, {});
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json().type).toBe('/problems/scoring-model-not-found');
    const seen = await t.call(outsider, 'GET', `/scoring/models/${rules.id}/performance`);
    expect(seen.statusCode).toBe(404);
    expect(
      (await t.call(analyst, 'POST', `/scoring/models/${rules.id}/backtest`, {})).statusCode,
    ).toBe(403);
    const after = (await t.call(analyst, 'GET', `/scoring/models/${rules.id}/performance`)).json();
    expect(after.backtest).toEqual(before.backtest);
  });
});
