import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessEventBus, type DomainEvents } from '../../events/event-bus.js';
import { buildTestApp, signIn, type TestApp } from '../../test/app.js';
import { describeEachEngine } from '../../test/databases.js';
import { createTestOrganization } from '../../test/factories.js';
import type { ScoreChange } from './alert-rules.js';
import { announceAlerts, recordAlerts } from './alerts.service.js';

describeEachEngine('alert rules and alerts', (engine) => {
  let t: TestApp;
  let orgA: string;
  let orgB: string;
  const tokens = { managerA: '', salesA: '', viewerA: '', managerB: '' };
  const triggered: { organizationId: string; payload: DomainEvents['alert_triggered'] }[] = [];
  const events = createInProcessEventBus((error) => {
    throw error;
  });
  // Strictly increasing, so "newest first" has one answer however fast the tests run.
  let clock = Date.now();
  const evaluate = async (changes: ScoreChange[]) =>
    announceAlerts(
      events,
      await recordAlerts({ db: t.database.db, now: () => new Date(++clock) }, changes),
    );
  events.subscribe((organizationId, event, payload) => {
    if (event === 'alert_triggered') {
      triggered.push({ organizationId, payload: payload as DomainEvents['alert_triggered'] });
    }
  });

  beforeAll(async () => {
    t = await buildTestApp(engine);
    ({ organizationId: orgA } = await createTestOrganization(t.database.db));
    ({ organizationId: orgB } = await createTestOrganization(t.database.db));
    tokens.managerA = await signIn(t, orgA, 'manager');
    tokens.salesA = await signIn(t, orgA, 'sales_rep');
    tokens.viewerA = await signIn(t, orgA, 'viewer');
    tokens.managerB = await signIn(t, orgB, 'manager');
  });
  afterAll(() => t.close());

  const call = (method: string, url: string, token: string, payload?: object) =>
    t.app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload && { payload }),
    });

  async function createRule(body: object, token = tokens.managerA) {
    const response = await call('POST', '/alert-rules', token, body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string };
  }

  async function insertLead(organizationId = orgA) {
    const { id } = await t.database.db
      .insertInto('leads')
      .values({
        organization_id: organizationId,
        email: `${randomBytes(5).toString('hex')}@x.example`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  /** Feeds a lead's successive scores to the evaluator, as the scorer's batches would. */
  async function scoreSequence(leadId: string, scores: number[], organizationId = orgA) {
    let previous: number | null = null;
    for (const score of scores) {
      const change: ScoreChange = {
        organizationId,
        leadId,
        previousScore: previous,
        score,
        grade: null,
        calculatedAt: new Date(),
      };
      await evaluate([change]);
      previous = score;
    }
  }

  const alertsOf = async (leadId: string, token = tokens.viewerA) => {
    const response = await call('GET', '/alerts?limit=200', token);
    expect(response.statusCode).toBe(200);
    return (response.json().data as { leadId: string; score: number }[]).filter(
      (a) => a.leadId === leadId,
    );
  };
  const emittedFor = (leadId: string) => triggered.filter((e) => e.payload.leadId === leadId);

  describe('crossings', () => {
    it('fires score_above once per upward crossing: up, down, up is two alerts, stored and emitted', async () => {
      const rule = await createRule({ name: 'Hot', kind: 'score_above', threshold: 80 });
      const leadId = await insertLead();
      await scoreSequence(leadId, [50, 85, 90, 70, 82, 99]);

      const stored = await alertsOf(leadId);
      expect(stored.map((a) => a.score)).toEqual([82, 85]);
      expect(stored[0]).toMatchObject({
        alertRuleId: rule.id,
        kind: 'score_above',
        previousScore: 70,
      });
      expect(emittedFor(leadId).map((e) => [e.organizationId, e.payload.score])).toEqual([
        [orgA, 85],
        [orgA, 82],
      ]);
      expect(emittedFor(leadId)[1]?.payload).toEqual({
        alertRuleId: rule.id,
        leadId,
        message: 'Score rose to 82 (from 70), reaching 80 or more — rule "Hot"',
        score: 82,
        previousScore: 70,
      });
      await call('DELETE', `/alert-rules/${rule.id}`, tokens.managerA);
    });

    it('fires score_below on the way down only, and becomes_mql once in a lead’s life', async () => {
      const below = await createRule({ name: 'Cooling', kind: 'score_below', threshold: 40 });
      const mql = await createRule({ name: 'MQL', kind: 'becomes_mql', threshold: 60 });
      const leadId = await insertLead();
      await scoreSequence(leadId, [30, 65, 35, 70, 20]);

      const stored = await alertsOf(leadId);
      const byRule = (id: string) =>
        stored.filter((a) => (a as { alertRuleId?: string }).alertRuleId === id);
      expect(byRule(below.id).map((a) => a.score)).toEqual([20, 35]);
      expect(byRule(mql.id).map((a) => a.score)).toEqual([65]);
      expect(emittedFor(leadId)).toHaveLength(3);
      for (const rule of [below, mql])
        await call('DELETE', `/alert-rules/${rule.id}`, tokens.managerA);
    });

    it('fires grade_is when the lead’s newest score brings the grade, reading the one before', async () => {
      const rule = await createRule({ name: 'Ideal', kind: 'grade_is', grade: 'A1' });
      const leadId = await insertLead();
      // The scorer's rows: evaluation runs right after the newest is committed.
      let at = Date.now();
      const score = async (value: number, grade: string) => {
        const calculatedAt = new Date(++at);
        await t.database.db
          .insertInto('lead_scores')
          .values({
            organization_id: orgA,
            lead_id: leadId,
            score: value,
            score_breakdown: JSON.stringify({ grade }),
            calculated_at: calculatedAt,
          })
          .execute();
        await evaluate([
          { organizationId: orgA, leadId, previousScore: null, score: value, grade, calculatedAt },
        ]);
      };
      await score(40, 'B2');
      await score(70, 'A1');
      await score(75, 'A1');
      await score(50, 'A2');
      await score(80, 'A1');
      // A change is judged against the score before its own, even when a later batch (another
      // worker lane) has committed since: the 90 (A2) row must not hide the crossing to A1.
      const row = (value: number, grade: string, calculatedAt: Date) =>
        t.database.db
          .insertInto('lead_scores')
          .values({
            organization_id: orgA,
            lead_id: leadId,
            score: value,
            score_breakdown: JSON.stringify({ grade }),
            calculated_at: calculatedAt,
          })
          .execute();
      await row(60, 'B1', new Date(at + 10));
      await row(85, 'A1', new Date(at + 20));
      await row(90, 'A2', new Date(at + 30));
      await evaluate([
        {
          organizationId: orgA,
          leadId,
          previousScore: 60,
          score: 85,
          grade: 'A1',
          calculatedAt: new Date(at + 20),
        },
      ]);

      const stored = await alertsOf(leadId);
      expect(stored.map((a) => (a as { message?: string }).message)).toEqual([
        'Grade became A1 (was B1) — rule "Ideal"',
        'Grade became A1 (was A2) — rule "Ideal"',
        'Grade became A1 (was B2) — rule "Ideal"',
      ]);
      await call('DELETE', `/alert-rules/${rule.id}`, tokens.managerA);
    });

    it('ignores switched-off rules, and keeps alerts listed after their rule is deleted', async () => {
      const rule = await createRule({ name: 'Off', kind: 'score_above', threshold: 50 });
      const leadId = await insertLead();
      await scoreSequence(leadId, [60]);
      const off = await call('PATCH', `/alert-rules/${rule.id}`, tokens.managerA, {
        isActive: false,
      });
      expect(off.json()).toMatchObject({ isActive: false });
      await scoreSequence(leadId, [10, 70]);
      expect((await alertsOf(leadId)).map((a) => a.score)).toEqual([60]);

      expect((await call('DELETE', `/alert-rules/${rule.id}`, tokens.managerA)).statusCode).toBe(
        204,
      );
      expect(await alertsOf(leadId)).toEqual([
        expect.objectContaining({ alertRuleId: null, score: 60, kind: 'score_above' }),
      ]);
    });
  });

  describe('rules API', () => {
    it('creates, lists, changes and deletes a rule, auditing each change', async () => {
      const created = await call('POST', '/alert-rules', tokens.managerA, {
        name: 'Hot leads',
        kind: 'score_above',
        threshold: 80,
      });
      expect(created.statusCode).toBe(201);
      const rule = created.json();
      expect(created.headers.location).toBe(`/alert-rules/${rule.id}`);
      expect(rule).toMatchObject({
        name: 'Hot leads',
        kind: 'score_above',
        threshold: 80,
        grade: null,
        isActive: true,
      });

      const listed = await call('GET', '/alert-rules', tokens.viewerA);
      expect(listed.json().data.map((r: { id: string }) => r.id)).toContain(rule.id);

      // Switching to a grade rule drops the threshold and needs a grade.
      const noGrade = await call('PATCH', `/alert-rules/${rule.id}`, tokens.managerA, {
        kind: 'grade_is',
      });
      expect(noGrade.statusCode).toBe(400);
      expect(noGrade.json().errors).toEqual([
        { in: 'body', field: 'grade', message: 'is required by grade_is rules' },
      ]);
      const patched = await call('PATCH', `/alert-rules/${rule.id}`, tokens.managerA, {
        kind: 'grade_is',
        grade: 'A1',
        name: 'Ideal customers',
      });
      expect(patched.statusCode).toBe(200);
      expect(patched.json()).toMatchObject({
        kind: 'grade_is',
        grade: 'A1',
        threshold: null,
        name: 'Ideal customers',
      });

      expect((await call('DELETE', `/alert-rules/${rule.id}`, tokens.managerA)).statusCode).toBe(
        204,
      );
      expect((await call('DELETE', `/alert-rules/${rule.id}`, tokens.managerA)).statusCode).toBe(
        404,
      );

      const audit = await t.database.db
        .selectFrom('audit_log')
        .select(['action', 'details'])
        .where('organization_id', '=', orgA)
        .where('target_id', '=', rule.id)
        .orderBy('id')
        .execute();
      expect(audit.map((a) => a.action)).toEqual([
        'alert_rule.created',
        'alert_rule.updated',
        'alert_rule.deleted',
      ]);
      expect(audit[1]?.details).toEqual({
        name: { from: 'Hot leads', to: 'Ideal customers' },
        kind: { from: 'score_above', to: 'grade_is' },
        threshold: { from: 80, to: null },
        grade: { from: null, to: 'A1' },
      });
    });

    it('refuses a rule without the threshold or grade its kind needs, or with the other one', async () => {
      const missing = await call('POST', '/alert-rules', tokens.managerA, {
        name: 'x',
        kind: 'score_below',
      });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().errors.map((e: { field: string }) => e.field)).toEqual(['threshold']);
      const both = await call('POST', '/alert-rules', tokens.managerA, {
        name: 'x',
        kind: 'grade_is',
        threshold: 50,
      });
      expect(both.json().errors.map((e: { field: string }) => e.field)).toEqual([
        'grade',
        'threshold',
      ]);
      const badGrade = await call('POST', '/alert-rules', tokens.managerA, {
        name: 'x',
        kind: 'grade_is',
        grade: 'E9',
      });
      expect(badGrade.statusCode).toBe(400);
    });

    it('lets managers manage rules and everyone who reads leads read rules and alerts', async () => {
      const body = { name: 'Rep rule', kind: 'score_above', threshold: 70 };
      expect((await call('POST', '/alert-rules', tokens.salesA, body)).statusCode).toBe(403);
      expect((await call('GET', '/alert-rules', tokens.viewerA)).statusCode).toBe(200);
      expect((await call('GET', '/alerts', tokens.salesA)).statusCode).toBe(200);
    });

    it("never shows or changes another organisation's rules or alerts", async () => {
      const rule = await createRule({ name: 'A only', kind: 'score_above', threshold: 30 });
      const leadId = await insertLead();
      await scoreSequence(leadId, [40]);

      for (const [method, payload] of [
        ['PATCH', { name: 'stolen' }],
        ['DELETE', undefined],
      ] as const) {
        const response = await call(method, `/alert-rules/${rule.id}`, tokens.managerB, payload);
        expect(response.statusCode).toBe(404);
      }
      const theirRules = await call('GET', '/alert-rules', tokens.managerB);
      expect(theirRules.json().data).toEqual([]);
      expect(await alertsOf(leadId, tokens.managerB)).toEqual([]);
      // Org B's own scores never fire org A's rule.
      await scoreSequence(await insertLead(orgB), [90], orgB);
      expect(triggered.filter((e) => e.organizationId === orgB)).toEqual([]);
      expect((await alertsOf(leadId)).map((a) => a.score)).toEqual([40]);
      await call('DELETE', `/alert-rules/${rule.id}`, tokens.managerA);
    });

    it('pages alerts newest first with a cursor, none repeated or skipped', async () => {
      const { organizationId } = await createTestOrganization(t.database.db);
      const manager = await signIn(t, organizationId, 'manager');
      await createRule({ name: 'Any', kind: 'score_above', threshold: 1 }, manager);
      const leads: string[] = [];
      for (let i = 0; i < 5; i++) {
        const leadId = await insertLead(organizationId);
        leads.push(leadId);
        await scoreSequence(leadId, [10 + i], organizationId);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await call(
          'GET',
          `/alerts?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          manager,
        );
        expect(page.statusCode).toBe(200);
        const body = page.json();
        seen.push(...body.data.map((a: { leadId: string }) => a.leadId));
        cursor = body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...leads].reverse());
      expect((await call('GET', '/alerts?cursor=garbage', manager)).statusCode).toBe(400);
    });
  });
});
