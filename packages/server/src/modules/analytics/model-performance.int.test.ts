import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadStatus } from '../../db/schema.js';
import { buildTestApp, signIn, type TestApp } from '../../test/app.js';
import { describeEachEngine } from '../../test/databases.js';
import { createTestOrganization } from '../../test/factories.js';

/*
 * A model's live performance on a seeded history. Each expected metric is computed here from
 * the seeded (score, outcome) pairs with textbook definitions (ROC AUC by counting pairs,
 * average precision by walking thresholds, PSI by its formula), not with the engine.
 */

const DAY_MS = 86_400_000;
/** When the active version was activated, and when the challenger started. */
const ACTIVATED_AT = new Date('2025-03-01T00:00:00Z');
const CHALLENGER_SINCE = new Date('2025-04-01T00:00:00Z');
/** The training evaluation's leads per band (performance_metrics.holdout.conversionByBand). */
const TRAINING_BANDS = [30, 25, 20, 15, 10, 10, 8, 6, 4, 2];
const BACKTEST_BANDS = [5, 5, 5, 5, 5, 5, 5, 5, 5, 5];

interface Outcome {
  leadId: string;
  decidedAt: Date;
  converted: boolean;
  /** The active version's last score before the decision. */
  score: number;
}

interface WrittenScore {
  leadId: string;
  score: number;
  at: Date;
}

const storedBands = (counts: number[]) =>
  counts.map((count, k) => ({
    lower: k * 10,
    upper: k * 10 + 10,
    count,
    converted: 0,
    rate: count ? 0 : null,
  }));

/** Chance a converted lead outscores a lost one, ties half: every pair counted. */
function pairwiseAuc(rows: readonly { score: number; converted: boolean }[]): number {
  const positives = rows.filter((r) => r.converted);
  const negatives = rows.filter((r) => !r.converted);
  let wins = 0;
  for (const p of positives) {
    for (const n of negatives) wins += p.score > n.score ? 1 : p.score === n.score ? 0.5 : 0;
  }
  return wins / (positives.length * negatives.length);
}

/** Average precision: precision at each distinct threshold, weighted by the recall it adds. */
function averagePrecision(rows: readonly { score: number; converted: boolean }[]): number {
  const positives = rows.filter((r) => r.converted).length;
  const thresholds = [...new Set(rows.map((r) => r.score))].sort((a, b) => b - a);
  let ap = 0;
  let previousRecall = 0;
  for (const threshold of thresholds) {
    const above = rows.filter((r) => r.score >= threshold);
    const truePositives = above.filter((r) => r.converted).length;
    const recall = truePositives / positives;
    ap += (recall - previousRecall) * (truePositives / above.length);
    previousRecall = recall;
  }
  return ap;
}

/** PSI over ten bands with half a lead added to each band on both sides. */
function psiOf(expected: readonly number[], actual: readonly number[]): number {
  const share = (counts: readonly number[]) => {
    const total = counts.reduce((a, b) => a + b, 0) + 0.5 * counts.length;
    return counts.map((c) => (c + 0.5) / total);
  };
  const e = share(expected);
  const a = share(actual);
  return e.reduce(
    (sum, ek, k) => sum + ((a[k] as number) - ek) * Math.log((a[k] as number) / ek),
    0,
  );
}

/** Each lead's newest score in [from, to), counted by 10-point band (100 in the last). */
function bandsOfNewest(scores: readonly WrittenScore[], from: Date, to: Date): number[] {
  const newest = new Map<string, WrittenScore>();
  for (const s of scores) {
    if (s.at < from || s.at >= to) continue;
    const seen = newest.get(s.leadId);
    if (!seen || s.at > seen.at) newest.set(s.leadId, s);
  }
  const counts = new Array<number>(10).fill(0);
  for (const { score } of newest.values()) {
    const band = Math.min(9, Math.floor(score / 10));
    counts[band] = (counts[band] ?? 0) + 1;
  }
  return counts;
}

describeEachEngine('model performance on live outcomes', (engine) => {
  let t: TestApp;
  let org: string;
  let otherOrg: string;
  let active: string;
  let challenger: string;
  let neverScored: string;
  const tokens = { analyst: '', viewer: '', sales: '', otherAnalyst: '' };
  const outcomes: Outcome[] = [];
  const challengerOutcomes: Outcome[] = [];
  const activeScores: WrittenScore[] = [];
  const challengerScores: WrittenScore[] = [];

  beforeAll(async () => {
    t = await buildTestApp(engine);
    ({ organizationId: org } = await createTestOrganization(t.database.db));
    ({ organizationId: otherOrg } = await createTestOrganization(t.database.db));
    tokens.analyst = await signIn(t, org, 'analyst');
    tokens.viewer = await signIn(t, org, 'viewer');
    tokens.sales = await signIn(t, org, 'sales_rep');
    tokens.otherAnalyst = await signIn(t, otherOrg, 'analyst');
    active = await insertModel({
      status: 'active',
      is_active: true,
      activated_at: ACTIVATED_AT,
      performance_metrics: JSON.stringify({
        holdout: { conversionByBand: storedBands(TRAINING_BANDS) },
      }),
    });
    challenger = await insertModel({
      status: 'challenger',
      challenger_since: CHALLENGER_SINCE,
      backtest: JSON.stringify({ report: { conversionByBand: storedBands(BACKTEST_BANDS) } }),
    });
    neverScored = await insertModel({ status: 'ready' });
    const other = await insertModel({ status: 'ready' });
    await seed(other);
  });
  afterAll(() => t.close());

  const get = (url: string, token = tokens.analyst) =>
    t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  async function performance(query: string, token = tokens.analyst) {
    const response = await get(`/analytics/model-performance?${query}`, token);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }

  async function insertModel(values: Record<string, unknown>) {
    const row = await t.database.db
      .insertInto('scoring_models')
      .values({
        organization_id: org,
        name: 'version',
        model_type: 'composite',
        config: JSON.stringify({ algorithm: 'rules' }),
        ...values,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function insertLead(status: LeadStatus, decidedAt: Date | null) {
    const row = await t.database.db
      .insertInto('leads')
      .values({
        organization_id: org,
        email: `${randomBytes(5).toString('hex')}@seed.example`,
        status,
        status_changed_at: decidedAt,
        created_at: new Date('2025-01-15T00:00:00Z'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function score(leadId: string, modelId: string, value: number, at: Date) {
    await t.database.db
      .insertInto('lead_scores')
      .values({
        organization_id: org,
        lead_id: leadId,
        model_id: modelId,
        score: value,
        calculated_at: at,
      })
      .execute();
    if (modelId === active) activeScores.push({ leadId, score: value, at });
  }

  async function challengerScore(leadId: string, value: number, at: Date) {
    await sql`
      insert into challenger_scores (organization_id, lead_id, model_id, score, score_breakdown,
        active_model_id, active_score, calculated_at)
      values (${org}, ${leadId}, ${challenger}, ${value}, '{}'::jsonb, ${active}, 50,
        ${at.toISOString()}::timestamptz)`.execute(t.database.db);
    challengerScores.push({ leadId, score: value, at });
  }

  /**
   * 48 outcomes after the activation (24 in March, 21 in April, 3 in May), each scored by the
   * active version at the activation's rescore, two days before the decision (the score that
   * counts) and a day after it (too late to count); the challenger scores the April and May
   * ones the other way round (and the open leads). Around them: outcomes the version never scored, outcomes from
   * before it was active, open leads it scored, and a lead that is qualified (no outcome).
   */
  async function seed(otherModel: string) {
    for (let k = 0; k < 48; k++) {
      const value = (k * 37) % 101;
      const converted = value >= 40 !== (k % 5 === 0);
      const decidedAt =
        k < 24
          ? new Date(Date.UTC(2025, 2, 5 + k, 12))
          : k < 45
            ? new Date(Date.UTC(2025, 3, 3 + (k - 24), 12))
            : new Date(Date.UTC(2025, 4, 5 + (k - 45), 12));
      const leadId = await insertLead(converted ? 'converted' : 'lost', decidedAt);
      await score(leadId, active, 50, new Date(ACTIVATED_AT.getTime() + 3_600_000));
      await score(leadId, active, value, new Date(decidedAt.getTime() - 2 * DAY_MS));
      await score(leadId, active, converted ? 0 : 100, new Date(decidedAt.getTime() + DAY_MS));
      outcomes.push({ leadId, decidedAt, converted, score: value });
      if (decidedAt >= CHALLENGER_SINCE) {
        await challengerScore(leadId, 100 - value, new Date(decidedAt.getTime() - DAY_MS));
        challengerOutcomes.push({ leadId, decidedAt, converted, score: 100 - value });
      }
    }
    for (let i = 0; i < 2; i++) {
      const leadId = await insertLead(i ? 'converted' : 'lost', new Date('2025-03-10T12:00:00Z'));
      await score(leadId, otherModel, 80, new Date('2025-03-09T12:00:00Z'));
    }
    for (let i = 0; i < 2; i++) {
      const leadId = await insertLead('converted', new Date('2025-02-15T12:00:00Z'));
      await score(leadId, active, 90, new Date('2025-02-10T12:00:00Z'));
    }
    for (let i = 0; i < 20; i++) {
      const leadId = await insertLead('new', null);
      await score(leadId, active, (i * 19) % 101, new Date('2025-03-15T12:00:00Z'));
      if (i % 2 === 0) await score(leadId, active, 95, new Date('2025-04-15T12:00:00Z'));
      await challengerScore(leadId, (i * 23) % 101, new Date('2025-04-10T12:00:00Z'));
    }
    const qualified = await insertLead('qualified', new Date('2025-03-20T12:00:00Z'));
    await score(qualified, active, 70, new Date('2025-03-19T12:00:00Z'));
  }

  function expectMetrics(
    answer: { scored: number; converted: number; lost: number; metrics: Record<string, unknown> },
    rows: readonly { score: number; converted: boolean }[],
  ) {
    const converted = rows.filter((r) => r.converted).length;
    expect([answer.scored, answer.converted, answer.lost]).toEqual([
      rows.length,
      converted,
      rows.length - converted,
    ]);
    const metrics = answer.metrics as {
      baseRate: number;
      rocAuc: number;
      prAuc: number;
      brier: number;
      calibration: { count: number; observedRate: number | null }[];
      lift: { count: number; positives: number }[];
    };
    expect(metrics.baseRate).toBeCloseTo(converted / rows.length, 12);
    expect(metrics.rocAuc).toBeCloseTo(pairwiseAuc(rows), 12);
    expect(metrics.prAuc).toBeCloseTo(averagePrecision(rows), 12);
    const brier = rows.reduce((sum, r) => sum + (r.score / 100 - (r.converted ? 1 : 0)) ** 2, 0);
    expect(metrics.brier).toBeCloseTo(brier / rows.length, 12);
    // Calibration bins (k/10, (k+1)/10], the first also holding 0.
    const bins = Array.from({ length: 10 }, (_, k) =>
      rows.filter((r) => (r.score === 0 ? 0 : Math.ceil(r.score / 10) - 1) === k),
    );
    expect(metrics.calibration.map((b) => b.count)).toEqual(bins.map((b) => b.length));
    metrics.calibration.forEach((bin, k) => {
      const inBin = bins[k] as typeof rows;
      if (inBin.length === 0) expect(bin.observedRate).toBeNull();
      else
        expect(bin.observedRate).toBeCloseTo(
          inBin.filter((r) => r.converted).length / inBin.length,
          12,
        );
    });
    // Scores are distinct, so decile d holds sorted rows ⌊(d−1)n/10⌋ … ⌊dn/10⌋ − 1 exactly.
    const sorted = [...rows].sort((a, b) => b.score - a.score);
    metrics.lift.forEach((decile, d) => {
      const slice = sorted.slice(
        Math.floor((d * rows.length) / 10),
        Math.floor(((d + 1) * rows.length) / 10),
      );
      expect(decile.count).toBe(slice.length);
      expect(decile.positives).toBeCloseTo(slice.filter((r) => r.converted).length, 12);
    });
  }

  describe('the active version', () => {
    it('evaluates each outcome after activation against the last score before the decision', async () => {
      const body = await performance(`modelId=${active}`);
      expect(body).toMatchObject({
        modelId: active,
        status: 'active',
        scoringSince: ACTIVATED_AT.toISOString(),
        from: ACTIVATED_AT.toISOString(),
        window: null,
        label: { converted: ['converted'], lost: ['lost'] },
        windows: [],
      });
      // 48 scored outcomes, and 2 decided after the activation that it never scored.
      expect(body.performance.outcomes).toBe(50);
      expectMetrics(body.performance, outcomes);
      expect(body.performance.reason).toBeNull();
    });

    it('measures drift of its newest scores against the training distribution', async () => {
      const body = await performance(`modelId=${active}`);
      const actual = bandsOfNewest(activeScores, ACTIVATED_AT, new Date());
      const psi = psiOf(TRAINING_BANDS, actual);
      expect(body.baseline).toEqual({ source: 'training', leads: 130 });
      expect(body.drift.bands.map((b: { expected: number }) => b.expected)).toEqual(TRAINING_BANDS);
      expect(body.drift.bands.map((b: { actual: number }) => b.actual)).toEqual(actual);
      expect(body.drift.scoredLeads).toBe(actual.reduce((a, b) => a + b, 0));
      expect(body.drift.psi).toBeCloseTo(psi, 12);
      expect(body.drift.driftWarning).toBe(psi >= 0.2);
      expect(body.drift.level).toBe(
        psi >= 0.2 ? 'significant' : psi >= 0.1 ? 'moderate' : 'stable',
      );
    });

    it('evaluates each month apart, with null metrics and a reason where outcomes are too few', async () => {
      const body = await performance(`modelId=${active}&window=month&to=2025-06-01T00:00:00Z`);
      expect(body.windows.map((w: { start: string }) => w.start.slice(0, 10))).toEqual([
        '2025-03-01',
        '2025-04-01',
        '2025-05-01',
      ]);
      const [march, april, may] = body.windows;
      const inMonth = (month: number) =>
        outcomes.filter((o) => o.decidedAt.getUTCMonth() === month);
      expectMetrics(march.performance, inMonth(2));
      expectMetrics(april.performance, inMonth(3));
      expect(april.end).toBe('2025-05-01T00:00:00.000Z');
      expect(may.performance).toMatchObject({
        outcomes: 3,
        scored: 3,
        converted: 1,
        lost: 2,
        metrics: null,
      });
      expect(may.performance.reason).toMatch(/at least 10 converted and 10 lost/);

      const aprilBands = bandsOfNewest(
        activeScores,
        new Date('2025-04-01T00:00:00Z'),
        new Date('2025-05-01T00:00:00Z'),
      );
      expect(april.drift.scoredLeads).toBe(aprilBands.reduce((a, b) => a + b, 0));
      expect(april.drift.psi).toBeCloseTo(psiOf(TRAINING_BANDS, aprilBands), 12);
      // Only the 3 leads decided in May were scored in May: too few to measure drift.
      expect(may.drift).toMatchObject({ psi: null, driftWarning: false });
    });

    it('narrows to the outcomes and scores between from and to', async () => {
      const from = new Date('2025-04-01T00:00:00Z');
      const to = new Date('2025-05-01T00:00:00Z');
      const body = await performance(
        `modelId=${active}&from=${from.toISOString()}&to=${to.toISOString()}`,
      );
      expect(body.from).toBe(from.toISOString());
      expectMetrics(
        body.performance,
        outcomes.filter((o) => o.decidedAt >= from && o.decidedAt < to),
      );
    });
  });

  describe('other versions', () => {
    it('evaluates a challenger on its challenger scores since it started, drift against its backtest', async () => {
      const body = await performance(`modelId=${challenger}`);
      expect(body.scoringSince).toBe(CHALLENGER_SINCE.toISOString());
      expect(body.performance.outcomes).toBe(challengerOutcomes.length);
      expectMetrics(body.performance, challengerOutcomes);
      expect(body.baseline).toEqual({ source: 'backtest', leads: 50 });
      const actual = bandsOfNewest(challengerScores, CHALLENGER_SINCE, new Date());
      expect(body.drift.scoredLeads).toBe(44);
      expect(body.drift.psi).toBeCloseTo(psiOf(BACKTEST_BANDS, actual), 12);
    });

    it('answers for a version that never scored, with null metrics and a reason', async () => {
      const body = await performance(`modelId=${neverScored}`);
      expect(body).toMatchObject({ scoringSince: null, from: null, baseline: null });
      expect(body.performance).toMatchObject({ outcomes: 0, scored: 0, metrics: null });
      expect(body.performance.reason).toMatch(/has not scored live/);
      expect(body.drift).toMatchObject({ psi: null, driftWarning: false, scoredLeads: 0 });
    });
  });

  describe('access and input', () => {
    it('answers 404 for another organisation’s version and for an unknown one', async () => {
      for (const [modelId, token] of [
        [active, tokens.otherAnalyst],
        ['00000000-0000-4000-8000-000000000000', tokens.analyst],
      ] as const) {
        const response = await get(`/analytics/model-performance?modelId=${modelId}`, token);
        expect(response.statusCode).toBe(404);
        expect(response.headers['content-type']).toContain('application/problem+json');
      }
    });

    it('refuses viewers and sales reps (403)', async () => {
      for (const token of [tokens.viewer, tokens.sales]) {
        expect(
          (await get(`/analytics/model-performance?modelId=${active}`, token)).statusCode,
        ).toBe(403);
      }
    });

    it.each([
      ['', 'modelId'],
      ['modelId=v3', 'modelId'],
      ['modelId={active}&from=2025-05-01T00:00:00Z&to=2025-04-01T00:00:00Z', 'from'],
      ['modelId={active}&to=tomorrow', 'to'],
      ['modelId={active}&window=day', 'window'],
      ['modelId={active}&window=week&to=2030-01-01T00:00:00Z', 'window'],
    ])('?%s → 400 naming %s', async (query, field) => {
      const response = await get(
        `/analytics/model-performance?${query.replace('{active}', active)}`,
      );
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });
});
