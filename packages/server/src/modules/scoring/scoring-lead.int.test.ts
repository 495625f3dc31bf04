import { computeLeadFeatures, defaultRulesModel, scoreWithRules } from '@leadscore/engine';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import { describeEachEngine } from '../../test/databases.js';
import { createTestOrganization } from '../../test/factories.js';
import { buildScoringTestApp, type ScoringTestApp } from '../../test/scoring-app.js';
import { insertModel } from './scoring.repository.js';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const DAY_MS = 86_400_000;
const RULES = defaultRulesModel();

/** A VP of Marketing at a 250-person US software company who asked for a demo yesterday. */
const LEAD = {
  email: 'ada@acme.example',
  jobTitle: 'VP Marketing',
  company: 'Acme',
  companySize: 250,
  industry: 'Software',
  country: 'us',
};
const ACTIVITIES = [
  { type: 'pricing_view', timestamp: new Date(NOW - 2 * DAY_MS).toISOString() },
  { type: 'demo_request', timestamp: new Date(NOW - DAY_MS).toISOString() },
];

/** The default rules' score of a profile and activities, computed without the API. */
function expectedScore(
  profile: Parameters<typeof scoreWithRules>[1],
  activities: { type: string; timestamp: string }[],
) {
  const features = computeLeadFeatures(
    profile,
    activities.map((a) => ({ type: a.type, timestamp: Date.parse(a.timestamp) })),
    NOW,
    RULES.features,
  );
  return scoreWithRules(RULES, profile, features).score;
}

describeEachEngine('POST /scoring/score-lead', (engine) => {
  let database: Database;
  let t: ScoringTestApp;
  let orgA: string;
  let orgB: string;
  let salesA: string;
  let salesB: string;
  const asOf = new Date(NOW).toISOString();

  beforeAll(async () => {
    database = await engine.open();
    t = await buildScoringTestApp(database);
    ({ organizationId: orgA } = await createTestOrganization(database.db));
    ({ organizationId: orgB } = await createTestOrganization(database.db));
    salesA = (await t.tokenFor(orgA, 'sales_rep')).token;
    salesB = (await t.tokenFor(orgB, 'sales_rep')).token;
  });
  afterAll(async () => {
    await t.close();
    await database.close();
  });

  const score = (token: string, body: object) =>
    t.call(token, 'POST', '/scoring/score-lead', { asOf, ...body });

  it('scores a lead given in the request with the active model, explains it, stores nothing', async () => {
    const leadsBefore = await database.db
      .selectFrom('leads')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const response = await score(salesA, { lead: LEAD, activities: ACTIVITIES, reasons: 2 });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    const profile = { ...LEAD, country: 'US', customAttributes: null };
    expect(body).toMatchObject({
      leadId: null,
      modelId: null,
      algorithm: 'rules',
      asOf,
      score: expectedScore(profile, ACTIVITIES),
    });
    const { behavioral, demographic, engagement } = body.breakdown;
    expect(behavioral + demographic + engagement).toBe(body.score);
    expect(body.reasons.positive.length).toBeGreaterThan(0);
    expect(body.reasons.positive.length).toBeLessThanOrEqual(2);
    const leadsAfter = await database.db
      .selectFrom('leads')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(leadsAfter.n).toBe(leadsBefore.n);
  });

  it('scores a stored lead from its own activities, and answers "what if" with more', async () => {
    const { id: leadId } = await database.db
      .insertInto('leads')
      .values({
        organization_id: orgA,
        email: 'grace@acme.example',
        job_title: 'VP Marketing',
        company_size: 250,
        industry: 'Software',
        country: 'US',
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto('lead_activities')
      .values({
        organization_id: orgA,
        lead_id: leadId,
        activity_type: 'pricing_view',
        activity_data: JSON.stringify({}),
        timestamp: new Date(NOW - 2 * DAY_MS),
      })
      .execute();
    const stored = await database.db
      .selectFrom('leads')
      .selectAll()
      .where('id', '=', leadId)
      .executeTakeFirstOrThrow();
    const profile = {
      email: stored.email,
      jobTitle: stored.job_title,
      company: stored.company,
      country: stored.country,
      industry: stored.industry,
      companySize: stored.company_size,
      source: stored.source,
      customAttributes: stored.custom_attributes as Record<string, unknown>,
      createdAt: stored.created_at.getTime(),
    };

    const asIs = await score(salesA, { leadId });
    expect(asIs.statusCode, asIs.body).toBe(200);
    expect(asIs.json()).toMatchObject({
      leadId,
      score: expectedScore(profile, [ACTIVITIES[0] as (typeof ACTIVITIES)[number]]),
    });
    const whatIf = await score(salesA, { leadId, activities: [ACTIVITIES[1]] });
    expect(whatIf.json().score).toBe(expectedScore(profile, ACTIVITIES));
    expect(whatIf.json().score).toBeGreaterThan(asIs.json().score);
    // Nothing was stored: no score, no activity.
    const after = await database.db
      .selectFrom('leads')
      .select(['current_score'])
      .where('id', '=', leadId)
      .executeTakeFirstOrThrow();
    expect(after.current_score).toBeNull();

    // Another organisation cannot score it, nor learn that it exists.
    const foreign = await score(salesB, { leadId });
    expect(foreign.statusCode).toBe(404);
  });

  it('scores with a version of the organisation asked for, and refuses one of another', async () => {
    // Fit alone: the same lead scores lower without its demo request and pricing visits.
    const fitOnly = {
      ...RULES,
      rules: RULES.rules.filter((rule) => rule.group === 'fit'),
    };
    const version = await insertModel(database.db, {
      organizationId: orgA,
      name: 'Fit only',
      modelType: 'composite',
      config: { algorithm: 'rules', rules: fitOnly },
      status: 'ready',
      createdBy: null,
      parentId: null,
    });
    const response = await score(salesA, {
      lead: LEAD,
      activities: ACTIVITIES,
      modelId: version.id,
    });
    expect(response.statusCode, response.body).toBe(200);
    const profile = { ...LEAD, country: 'US', customAttributes: null };
    const features = computeLeadFeatures(
      profile,
      ACTIVITIES.map((a) => ({ type: a.type, timestamp: Date.parse(a.timestamp) })),
      NOW,
      fitOnly.features,
    );
    expect(response.json()).toMatchObject({
      modelId: version.id,
      score: scoreWithRules(fitOnly, profile, features).score,
    });
    // Not what the active (default) rules give: the version asked for did the scoring.
    expect(response.json().score).not.toBe(expectedScore(profile, ACTIVITIES));
    expect((await score(salesB, { lead: LEAD, modelId: version.id })).statusCode).toBe(404);
  });

  it('refuses bad input with a problem naming the field', async () => {
    const both = await score(salesA, { lead: LEAD, leadId: crypto.randomUUID() });
    expect(both.statusCode).toBe(400);
    expect(both.json().errors).toEqual([expect.objectContaining({ field: 'leadId' })]);
    const neither = await score(salesA, {});
    expect(neither.statusCode).toBe(400);
    const badType = await score(salesA, {
      lead: LEAD,
      activities: [{ type: '', timestamp: asOf }],
    });
    expect(badType.statusCode).toBe(400);
    const badTime = await score(salesA, {
      lead: LEAD,
      activities: [{ type: 'page_view', timestamp: 'yesterday' }],
    });
    expect(badTime.statusCode).toBe(400);
    expect(badTime.headers['content-type']).toContain('application/problem+json');
  });
});
