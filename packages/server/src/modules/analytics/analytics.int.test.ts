import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadStatus } from '../../db/schema.js';
import { buildTestApp, signIn, type TestApp } from '../../test/app.js';
import { describeEachEngine } from '../../test/databases.js';
import { createTestOrganization, createTestUser } from '../../test/factories.js';

/*
 * Score distribution and conversion rates on a seeded organisation. Every expected figure is
 * counted here, with plain loops over the seeded rows, not with the module's code.
 */

const GRADE_LIST = 'A1 A2 A3 A4 B1 B2 B3 B4 C1 C2 C3 C4 D1 D2 D3 D4'.split(' ');
const SCORES = [0, 9, 10, 19, 45, 89, 90, 99, 100, 63, 27];
const STATUSES: LeadStatus[] = [
  'converted',
  'lost',
  'new',
  'lost',
  'qualified',
  'converted',
  'contacted',
];
const DECIDED = new Set<LeadStatus>(['converted', 'lost']);
const EARLY_SCORES_AT = new Date('2025-05-10T00:00:00Z');
const LATE_SCORES_AT = new Date('2025-06-10T00:00:00Z');
const CHALLENGER_SCORES_AT = new Date('2025-07-01T00:00:00Z');

interface Seeded {
  id: string;
  source: string | null;
  industry: string;
  ownerId: string | null;
  createdAt: Date;
  status: LeadStatus;
  currentScore: number | null;
  currentGrade: string | null;
  outcomeScore: number | null;
  /** The scores written for it: model M1 early, model M2 late, M1 as challenger last. */
  history: { modelId: string; score: number; grade: string | null; at: Date }[];
}

type Score = { score: number | null; grade: string | null };

const band = (score: number) => Math.min(9, Math.floor(score / 10));
const monthOf = (date: Date) => date.toISOString().slice(0, 7);

/** The Wilson bounds in the closed form (2x + z² ∓ z·√(z² + 4x(n − x)/n)) / (2(n + z²)). */
function wilson(x: number, n: number) {
  if (n === 0) return null;
  const z = 1.959963984540054;
  const root = z * Math.sqrt(z * z + (4 * x * (n - x)) / n);
  return {
    lower: (2 * x + z * z - root) / (2 * (n + z * z)),
    upper: (2 * x + z * z + root) / (2 * (n + z * z)),
  };
}

function distributionOf(rows: readonly Score[]) {
  const bands = new Array<number>(10).fill(0);
  const grades: Record<string, number> = Object.fromEntries(GRADE_LIST.map((g) => [g, 0]));
  let unscored = 0;
  let ungraded = 0;
  for (const { score, grade } of rows) {
    if (score === null) {
      unscored++;
      continue;
    }
    bands[band(score)] = (bands[band(score)] ?? 0) + 1;
    if (grade === null) ungraded++;
    else grades[grade] = (grades[grade] ?? 0) + 1;
  }
  return { total: rows.length, unscored, ungraded, bands, grades };
}

function rateOf(leads: readonly Seeded[]) {
  const converted = leads.filter((l) => l.status === 'converted').length;
  const lost = leads.filter((l) => l.status === 'lost').length;
  const decided = converted + lost;
  return {
    converted,
    lost,
    decided,
    open: leads.length - decided,
    rate: decided === 0 ? null : converted / decided,
    interval: wilson(converted, decided),
  };
}

function groupBy<K>(leads: readonly Seeded[], key: (lead: Seeded) => K): Map<K, Seeded[]> {
  const groups = new Map<K, Seeded[]>();
  for (const lead of leads) groups.set(key(lead), [...(groups.get(key(lead)) ?? []), lead]);
  return groups;
}

describeEachEngine('score distribution and conversion rates', (engine) => {
  let t: TestApp;
  let orgA: string;
  let orgB: string;
  let ownerId: string;
  let modelOne: string;
  let modelTwo: string;
  const seeded: Seeded[] = [];
  const tokens = { analystA: '', analystB: '', viewerA: '', salesA: '' };

  beforeAll(async () => {
    t = await buildTestApp(engine);
    ({ organizationId: orgA } = await createTestOrganization(t.database.db));
    ({ organizationId: orgB } = await createTestOrganization(t.database.db));
    tokens.analystA = await signIn(t, orgA, 'analyst');
    tokens.analystB = await signIn(t, orgB, 'analyst');
    tokens.viewerA = await signIn(t, orgA, 'viewer');
    tokens.salesA = await signIn(t, orgA, 'sales_rep');
    ownerId = (await createTestUser(t.database.db, orgA, 'sales_rep')).id;
    modelOne = await insertModel(orgA, 'one');
    modelTwo = await insertModel(orgA, 'two');
    await seedOrganisation();
    // Another organisation's leads, none of which may show in A's numbers.
    for (let i = 0; i < 5; i++) {
      await insertLead(orgB, { status: 'converted', current_score: 95, outcome_score: 95 });
    }
  });
  afterAll(() => t.close());

  const get = (url: string, token = tokens.analystA) =>
    t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  async function getOk(url: string, token = tokens.analystA) {
    const response = await get(url, token);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }

  async function insertModel(organizationId: string, name: string) {
    const row = await t.database.db
      .insertInto('scoring_models')
      .values({
        organization_id: organizationId,
        name,
        model_type: 'composite',
        config: JSON.stringify({ algorithm: 'rules' }),
        status: 'ready',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function insertLead(
    organizationId: string,
    values: Partial<{
      source: string | null;
      industry: string;
      owner_id: string | null;
      created_at: Date;
      status: LeadStatus;
      current_score: number | null;
      current_grade: string | null;
      outcome_score: number | null;
    }>,
  ) {
    const row = await t.database.db
      .insertInto('leads')
      .values({
        organization_id: organizationId,
        email: `${randomBytes(5).toString('hex')}@seed.example`,
        ...values,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** 80 leads over January–April 2025, and 3 created in June, with their score history. */
  async function seedOrganisation() {
    for (let i = 0; i < 83; i++) {
      const late = i >= 80;
      const status = STATUSES[i % STATUSES.length] as LeadStatus;
      const currentScore = i % 6 === 5 ? null : (SCORES[i % SCORES.length] as number);
      const lead = {
        source: ['web', 'event', 'referral', null][i % 4] as string | null,
        industry: ['Software', 'Retail', 'Health'][i % 3] as string,
        ownerId: i % 5 === 0 ? ownerId : null,
        createdAt: late
          ? new Date('2025-06-01T09:00:00Z')
          : new Date(Date.UTC(2025, i % 4, 1 + (i % 27), 23, 30)),
        status,
        currentScore,
        currentGrade: currentScore !== null && i % 3 !== 2 ? (GRADE_LIST[i % 16] as string) : null,
        outcomeScore:
          DECIDED.has(status) && i % 8 !== 3 ? (SCORES[(i * 5) % SCORES.length] as number) : null,
        history: [] as Seeded['history'],
      };
      if (!late && i % 4 !== 3) {
        const grade = i % 2 === 0 ? (GRADE_LIST[(i + 3) % 16] as string) : null;
        lead.history.push(
          { modelId: modelOne, score: (i * 7) % 101, grade, at: EARLY_SCORES_AT },
          { modelId: modelTwo, score: (i * 11) % 101, grade: null, at: LATE_SCORES_AT },
        );
        if (i % 10 === 0) {
          lead.history.push({
            modelId: modelOne,
            score: 100 - (i % 50),
            grade: 'B2',
            at: CHALLENGER_SCORES_AT,
          });
        }
      }
      const id = await insertLead(orgA, {
        source: lead.source,
        industry: lead.industry,
        owner_id: lead.ownerId,
        created_at: lead.createdAt,
        status: lead.status,
        current_score: lead.currentScore,
        current_grade: lead.currentGrade,
        outcome_score: lead.outcomeScore,
      });
      for (const score of lead.history) await insertScore(id, score);
      seeded.push({ id, ...lead });
    }
  }

  async function insertScore(leadId: string, score: Seeded['history'][number]) {
    const breakdown = JSON.stringify(score.grade === null ? {} : { grade: score.grade });
    if (score.at === CHALLENGER_SCORES_AT) {
      await sql`
        insert into challenger_scores (organization_id, lead_id, model_id, score, score_breakdown,
          active_score, calculated_at)
        values (${orgA}, ${leadId}, ${score.modelId}, ${score.score}, ${breakdown}::jsonb, 50,
          ${score.at.toISOString()}::timestamptz)`.execute(t.database.db);
      return;
    }
    await t.database.db
      .insertInto('lead_scores')
      .values({
        organization_id: orgA,
        lead_id: leadId,
        model_id: score.modelId,
        score: score.score,
        score_breakdown: breakdown,
        calculated_at: score.at,
      })
      .execute();
  }

  /** The newest score of each lead by `modelId` (any when undefined) written by `asOf`. */
  function newestScores(options: { asOf?: Date; modelId?: string }): Score[] {
    return seeded
      .filter((lead) => !options.asOf || lead.createdAt <= options.asOf)
      .map((lead) => {
        const written = lead.history
          .filter((s) => !options.asOf || s.at <= options.asOf)
          .filter((s) => s.at !== CHALLENGER_SCORES_AT || options.modelId !== undefined)
          .filter((s) => !options.modelId || s.modelId === options.modelId)
          .sort((a, b) => b.at.getTime() - a.at.getTime());
        return written[0] ?? { score: null, grade: null };
      });
  }

  function expectDistribution(
    body: Record<string, unknown>,
    expected: ReturnType<typeof distributionOf>,
  ) {
    const answer = body as {
      total: number;
      scored: number;
      unscored: number;
      ungraded: number;
      bands: { count: number }[];
      grades: { grade: string; count: number }[];
    };
    expect(answer.total).toBe(expected.total);
    expect(answer.unscored).toBe(expected.unscored);
    expect(answer.scored).toBe(expected.total - expected.unscored);
    expect(answer.bands.map((b) => b.count)).toEqual(expected.bands);
    expect(Object.fromEntries(answer.grades.map((g) => [g.grade, g.count]))).toEqual(
      expected.grades,
    );
    expect(answer.ungraded).toBe(expected.ungraded);
  }

  describe('GET /analytics/score-distribution', () => {
    it('counts the current scores per band (100 in 90–100) and per grade', async () => {
      const body = await getOk('/analytics/score-distribution');
      expectDistribution(
        body,
        distributionOf(seeded.map((l) => ({ score: l.currentScore, grade: l.currentGrade }))),
      );
      expect(body.asOf).toBeNull();
      expect(body.bands[0]).toEqual({
        lower: 0,
        upper: 9,
        label: '0–9',
        count: expect.any(Number),
      });
      expect(body.bands[9]).toMatchObject({ lower: 90, upper: 100, label: '90–100' });
      // 90, 99 and 100 are all seeded: the last band holds each.
      const top = seeded.filter((l) => l.currentScore !== null && l.currentScore >= 90).length;
      expect(body.bands[9].count).toBe(top);
    });

    it('filters by source, owner, industry and created range (from ≤ created < to)', async () => {
      const from = new Date('2025-02-01T00:00:00Z');
      const to = new Date('2025-04-01T00:00:00Z');
      const body = await getOk(
        `/analytics/score-distribution?source=web&source=event&industry=Software&industry=Retail&createdFrom=${from.toISOString()}&createdTo=${to.toISOString()}`,
      );
      const chosen = seeded.filter(
        (l) =>
          (l.source === 'web' || l.source === 'event') &&
          (l.industry === 'Software' || l.industry === 'Retail') &&
          l.createdAt >= from &&
          l.createdAt < to,
      );
      expect(chosen.length).toBeGreaterThan(5);
      expectDistribution(
        body,
        distributionOf(chosen.map((l) => ({ score: l.currentScore, grade: l.currentGrade }))),
      );

      const owned = await getOk(`/analytics/score-distribution?ownerId=${ownerId}`);
      expect(owned.total).toBe(seeded.filter((l) => l.ownerId === ownerId).length);
    });

    it('counts each lead’s newest score as of a time, leaving out leads created after it', async () => {
      for (const asOf of [new Date('2025-05-20T00:00:00Z'), new Date('2025-06-20T00:00:00Z')]) {
        const body = await getOk(`/analytics/score-distribution?asOf=${asOf.toISOString()}`);
        expect(body.asOf).toBe(asOf.toISOString());
        expectDistribution(body, distributionOf(newestScores({ asOf })));
      }
      const early = await getOk('/analytics/score-distribution?asOf=2025-05-20T00:00:00Z');
      expect(early.total).toBe(80);
    });

    it('counts only one model’s scores, as the active model or the challenger', async () => {
      const byOne = await getOk(`/analytics/score-distribution?modelId=${modelOne}`);
      expectDistribution(byOne, distributionOf(newestScores({ modelId: modelOne })));
      expect(byOne.modelId).toBe(modelOne);
      const asOf = new Date('2025-06-20T00:00:00Z');
      const before = await getOk(
        `/analytics/score-distribution?modelId=${modelOne}&asOf=${asOf.toISOString()}`,
      );
      expectDistribution(before, distributionOf(newestScores({ modelId: modelOne, asOf })));
    });
  });

  describe('GET /analytics/conversion-rates', () => {
    it('gives counts, rates and Wilson intervals overall, by source and by created month', async () => {
      const body = await getOk('/analytics/conversion-rates');
      expect(body.confidence).toBe(0.95);
      expectRate(body.overall, rateOf(seeded));

      const bySource = groupBy(seeded, (l) => l.source);
      expect(body.bySource).toHaveLength(bySource.size);
      for (const group of body.bySource) {
        const { source, ...counts } = group;
        expectRate(counts, rateOf(bySource.get(source) ?? []));
      }
      expect(body.sourcesOmitted).toBe(0);

      const byMonth = groupBy(seeded, (l) => monthOf(l.createdAt));
      expect(body.byCohort.map((c: { month: string }) => c.month)).toEqual(
        [...byMonth.keys()].sort(),
      );
      for (const { month, ...counts } of body.byCohort) {
        expectRate(counts, rateOf(byMonth.get(month) ?? []));
      }
    });

    it('bands decided leads by their score at the outcome, not today’s, with an unscored band', async () => {
      const body = await getOk('/analytics/conversion-rates');
      const decided = seeded.filter((l) => DECIDED.has(l.status));
      const byBand = groupBy(decided, (l) =>
        l.outcomeScore === null ? 'unscored' : band(l.outcomeScore),
      );
      expect(body.byScoreBand).toHaveLength(11);
      body.byScoreBand.forEach(
        (group: { label: string; lower: number | null; open?: number }, k: number) => {
          const { label, lower, upper, ...counts } = group as typeof group & { upper: unknown };
          const { open: _open, ...expected } = rateOf(byBand.get(k === 10 ? 'unscored' : k) ?? []);
          expectRate(counts, expected);
          expect('open' in counts).toBe(false);
          if (k === 10) expect([label, lower, upper]).toEqual(['unscored', null, null]);
        },
      );
      // The seed bands them differently by today's score, so the check above tells them apart.
      const countsBy = (score: (lead: Seeded) => number | null) =>
        Array.from({ length: 10 }, (_, k) =>
          decided.filter((l) => {
            const value = score(l);
            return value !== null && band(value) === k;
          }),
        ).map((leads) => leads.length);
      expect(countsBy((l) => l.currentScore)).not.toEqual(countsBy((l) => l.outcomeScore));
    });

    it('applies the lead filters', async () => {
      const body = await getOk(
        '/analytics/conversion-rates?source=referral&createdTo=2025-03-01T00:00:00Z',
      );
      const chosen = seeded.filter(
        (l) => l.source === 'referral' && l.createdAt < new Date('2025-03-01T00:00:00Z'),
      );
      expectRate(body.overall, rateOf(chosen));
    });
  });

  function expectRate(
    actual: Record<string, unknown>,
    expected: Omit<ReturnType<typeof rateOf>, 'open'> & { open?: number },
  ) {
    const { interval, rate, ...counts } = expected;
    expect(actual).toMatchObject(counts);
    if (rate === null) expect(actual.rate).toBeNull();
    else expect(actual.rate).toBeCloseTo(rate, 12);
    if (interval === null) expect(actual.interval).toBeNull();
    else {
      const given = actual.interval as { lower: number; upper: number };
      expect(given.lower).toBeCloseTo(interval.lower, 10);
      expect(given.upper).toBeCloseTo(interval.upper, 10);
    }
  }

  describe('tenancy and permissions', () => {
    it('shows another organisation only its own numbers, and none of A’s models', async () => {
      const distribution = await getOk('/analytics/score-distribution', tokens.analystB);
      expect(distribution.total).toBe(5);
      expect(distribution.bands[9].count).toBe(5);
      const rates = await getOk('/analytics/conversion-rates', tokens.analystB);
      expect(rates.overall).toMatchObject({ converted: 5, lost: 0, open: 0 });

      const foreign = await get(
        `/analytics/score-distribution?modelId=${modelOne}`,
        tokens.analystB,
      );
      expect(foreign.statusCode).toBe(404);
      expect(foreign.headers['content-type']).toContain('application/problem+json');
    });

    it('documents each route in the OpenAPI document as needing analytics:read', async () => {
      const document = (await t.app.inject('/openapi.json')).json();
      for (const path of ['score-distribution', 'conversion-rates', 'model-performance']) {
        const operation = document.paths[`/analytics/${path}`]?.get;
        expect(operation?.description, path).toContain('Requires the `analytics:read` permission');
        expect(
          operation.responses['200'].content['application/json'].schema.properties,
        ).toBeDefined();
      }
    });

    it('refuses viewers and sales reps (403) and answers analysts', async () => {
      for (const url of ['/analytics/score-distribution', '/analytics/conversion-rates']) {
        expect((await get(url, tokens.viewerA)).statusCode).toBe(403);
        expect((await get(url, tokens.salesA)).statusCode).toBe(403);
        expect((await get(url, tokens.analystA)).statusCode).toBe(200);
      }
    });
  });

  describe('bad input', () => {
    it.each([
      ['/analytics/score-distribution?asOf=yesterday', 'asOf'],
      ['/analytics/score-distribution?modelId=42', 'modelId'],
      ['/analytics/score-distribution?ownerId=someone', 'ownerId.0'],
      [
        '/analytics/score-distribution?createdFrom=2025-03-01T00:00:00Z&createdTo=2025-02-01T00:00:00Z',
        'createdFrom',
      ],
      ['/analytics/conversion-rates?createdTo=2025-13-01', 'createdTo'],
      ['/analytics/conversion-rates?groupBy=source', 'groupBy'],
    ])('%s → 400 naming %s', async (url, field) => {
      const response = await get(url);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });
});
