import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/app.js';
import { describeEachEngine } from '../../test/databases.js';
import { createTestOrganization, createTestUser, TEST_PASSWORD } from '../../test/factories.js';

const MINUTE_MS = 60_000;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
const uniqueEmail = () => `lead-${randomBytes(5).toString('hex')}@test.example`;
const pageView = (ref: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  ...ref,
  type: 'page_view',
  timestamp: at(-MINUTE_MS),
  data: { url: 'https://www.example.com/pricing', title: 'Pricing' },
  ...extra,
});

describeEachEngine('activity ingestion', (engine) => {
  let t: TestApp;
  let orgA: string;
  let orgB: string;
  let writer: string;
  let viewer: string;
  beforeAll(async () => {
    t = await buildTestApp(engine);
    ({ organizationId: orgA } = await createTestOrganization(t.database.db));
    ({ organizationId: orgB } = await createTestOrganization(t.database.db));
    writer = await tokenFor('sales_rep');
    viewer = await tokenFor('viewer');
  });
  afterAll(() => t.close());

  async function tokenFor(role: 'sales_rep' | 'viewer'): Promise<string> {
    const user = await createTestUser(t.database.db, orgA, role);
    const response = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: user.email, password: TEST_PASSWORD },
    });
    return response.json().accessToken;
  }

  const post = (url: string, payload: object, token = writer) =>
    t.app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${token}` } });

  async function insertLead(organizationId: string, email = uniqueEmail()) {
    const { id } = await t.database.db
      .insertInto('leads')
      .values({ organization_id: organizationId, email })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id, email };
  }

  const activitiesOf = (leadId: string) =>
    t.database.db
      .selectFrom('lead_activities')
      .selectAll()
      .where('lead_id', '=', leadId)
      .orderBy('timestamp')
      .execute();

  it('stores one activity unprocessed and audits the request', async () => {
    const lead = await insertLead(orgA);
    const timestamp = at(-MINUTE_MS);
    const response = await post(
      '/activities',
      pageView({ leadId: lead.id }, { timestamp, source: 'hubspot' }),
    );
    expect(response.statusCode).toBe(202);
    const body = response.json();
    expect(body).toEqual({ id: expect.any(String), leadId: lead.id, duplicate: false });

    const [row] = await activitiesOf(lead.id);
    expect(row).toMatchObject({
      id: body.id,
      organization_id: orgA,
      activity_type: 'page_view',
      activity_data: {
        url: 'https://www.example.com/pricing',
        title: 'Pricing',
        _source: 'hubspot',
      },
      processed: false,
      idempotency_key: null,
    });
    expect(row?.timestamp.toISOString()).toBe(timestamp);

    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'details', 'organization_id'])
      .where('request_id', '=', String(response.headers['x-request-id']))
      .execute();
    expect(audit).toEqual([
      {
        action: 'activities.ingested',
        organization_id: orgA,
        details: { accepted: 1, duplicates: 0, rejected: 0, leadsCreated: 0 },
      },
    ]);
  });

  it('finds the lead by email, creates it when asked, and answers 404 otherwise', async () => {
    const lead = await insertLead(orgA);
    const byEmail = await post('/activities', pageView({ leadEmail: lead.email.toUpperCase() }));
    expect(byEmail.statusCode).toBe(202);
    expect(byEmail.json().leadId).toBe(lead.id);

    const email = uniqueEmail();
    const unknown = await post('/activities', pageView({ leadEmail: email }));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'ACTIVITIES_LEAD_NOT_FOUND' });

    const created = await post('/activities', pageView({ leadEmail: email, createLead: true }));
    expect(created.statusCode).toBe(202);
    const newLead = await t.database.db
      .selectFrom('leads')
      .select(['id', 'organization_id', 'status'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    expect(newLead).toEqual({ id: created.json().leadId, organization_id: orgA, status: 'new' });
  });

  it('refuses unknown types, data that does not fit its type and timestamps over 5 minutes ahead', async () => {
    const lead = await insertLead(orgA);
    const ref = { leadId: lead.id };
    const refusals = [
      [pageView(ref, { type: 'page_visit' }), 'ACTIVITIES_UNKNOWN_TYPE', 'type'],
      [pageView(ref, { data: { title: 'No URL' } }), 'ACTIVITIES_INVALID_DATA', 'data.url'],
      [pageView(ref, { timestamp: at(6 * MINUTE_MS) }), 'ACTIVITIES_FUTURE_TIMESTAMP', 'timestamp'],
    ] as const;
    for (const [item, code, field] of refusals) {
      const response = await post('/activities', item);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code, errors: [{ field }] });
    }
    const soon = await post('/activities', pageView(ref, { timestamp: at(4 * MINUTE_MS) }));
    expect(soon.statusCode).toBe(202);
    const custom = await post(
      '/activities',
      pageView(ref, { type: 'custom:trial.started', data: { plan: 7 } }),
    );
    expect(custom.statusCode).toBe(202);
    expect((await activitiesOf(lead.id)).map((row) => row.activity_type)).toEqual([
      'custom:trial.started',
      'page_view',
    ]);
  });

  it('stores the good items of a batch and reports each bad one by index', async () => {
    const lead = await insertLead(orgA);
    const newEmail = uniqueEmail();
    const response = await post('/activities/batch', {
      activities: [
        pageView({ leadId: lead.id }),
        pageView({ leadId: lead.id }, { type: 'nope' }),
        {
          leadId: lead.id,
          type: 'email_bounce',
          timestamp: at(0),
          data: { bounce_type: 'medium' },
        },
        pageView({ leadId: lead.id }, { timestamp: at(10 * MINUTE_MS) }),
        pageView({ leadEmail: uniqueEmail() }),
        pageView({ leadId: lead.id }, { data: { url: 'https://x.example/\u0000' } }),
        { leadEmail: newEmail, createLead: true, type: 'demo_request', timestamp: at(0) },
        'not an activity',
        pageView({ leadId: lead.id, leadEmail: lead.email }),
      ],
    });
    expect(response.statusCode).toBe(202);
    const { accepted, rejected } = response.json();
    expect(accepted.map((a: { index: number }) => a.index)).toEqual([0, 6]);
    expect(rejected.map((r: Record<string, unknown>) => [r.index, r.status, r.code])).toEqual([
      [1, 400, 'ACTIVITIES_UNKNOWN_TYPE'],
      [2, 400, 'ACTIVITIES_INVALID_DATA'],
      [3, 400, 'ACTIVITIES_FUTURE_TIMESTAMP'],
      [4, 404, 'ACTIVITIES_LEAD_NOT_FOUND'],
      [5, 400, 'ACTIVITIES_INVALID_ITEM'],
      [7, 400, 'ACTIVITIES_INVALID_ITEM'],
      [8, 400, 'ACTIVITIES_INVALID_ITEM'],
    ]);
    expect(rejected[1].detail).toContain('data.bounce_type');

    expect((await activitiesOf(lead.id)).map((row) => row.id)).toEqual([accepted[0].id]);
    expect(await activitiesOf(accepted[1].leadId)).toHaveLength(1);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('details')
      .where('request_id', '=', String(response.headers['x-request-id']))
      .execute();
    expect(audit).toEqual([
      { details: { accepted: 2, duplicates: 0, rejected: 7, leadsCreated: 1 } },
    ]);
  });

  it('refuses a body that is not a batch of at most 1000 activities as a whole', async () => {
    const lead = await insertLead(orgA);
    const tooMany = Array.from({ length: 1001 }, () => pageView({ leadId: lead.id }));
    for (const body of [{ activities: tooMany }, {}, { activities: 'none' }, []]) {
      const response = await post('/activities/batch', body);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    expect(await activitiesOf(lead.id)).toEqual([]);
  });

  it('answers a repeated idempotency key with the original id and stores nothing twice', async () => {
    const lead = await insertLead(orgA);
    const key = (n: number) => `${lead.id}-${n}`;
    const batch = {
      activities: [
        pageView({ leadId: lead.id }, { idempotencyKey: key(1) }),
        pageView({ leadId: lead.id }, { idempotencyKey: key(2) }),
        pageView({ leadId: lead.id }, { idempotencyKey: key(1) }),
      ],
    };
    const first = (await post('/activities/batch', batch)).json();
    expect(first.accepted.map((a: { duplicate: boolean }) => a.duplicate)).toEqual([
      false,
      false,
      true,
    ]);
    expect(first.accepted[2].id).toBe(first.accepted[0].id);

    const again = (await post('/activities/batch', batch)).json();
    expect(again.accepted.map((a: { id: string }) => a.id)).toEqual(
      first.accepted.map((a: { id: string }) => a.id),
    );
    expect(again.accepted.every((a: { duplicate: boolean }) => a.duplicate)).toBe(true);

    const single = await post(
      '/activities',
      pageView({ leadId: lead.id }, { idempotencyKey: key(2) }),
    );
    expect(single.json()).toEqual({ id: first.accepted[1].id, leadId: lead.id, duplicate: true });
    expect(await activitiesOf(lead.id)).toHaveLength(2);
  });

  it('stores each item once when the same batch arrives twice at once', async () => {
    const lead = await insertLead(orgA);
    const emails = Array.from({ length: 5 }, uniqueEmail);
    const activities = Array.from({ length: 20 }, (_, n) =>
      n % 4 === 0
        ? pageView(
            { leadEmail: emails[n / 4], createLead: true },
            { idempotencyKey: `c-${lead.id}-${n}` },
          )
        : pageView({ leadId: lead.id }, { idempotencyKey: `c-${lead.id}-${n}` }),
    );
    const responses = await Promise.all([
      post('/activities/batch', { activities }),
      post('/activities/batch', { activities }),
    ]);
    const [first, second] = responses.map((response) => {
      expect(response.statusCode).toBe(202);
      return response.json();
    });
    expect(first.rejected).toEqual([]);
    expect(second.accepted).toEqual(
      first.accepted.map((a: object) => ({ ...a, duplicate: expect.any(Boolean) })),
    );
    const stored = await t.database.db
      .selectFrom('lead_activities')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('organization_id', '=', orgA)
      .where('idempotency_key', 'like', `c-${lead.id}-%`)
      .executeTakeFirstOrThrow();
    expect(Number(stored.count)).toBe(20);
    const leads = await t.database.db
      .selectFrom('leads')
      .select('id')
      .where('email', 'in', emails)
      .execute();
    expect(leads).toHaveLength(5);
  });

  it("never attaches an activity to another organisation's lead", async () => {
    const theirs = await insertLead(orgB);
    const single = await post('/activities', pageView({ leadId: theirs.id }));
    expect(single.statusCode).toBe(404);
    const batch = await post('/activities/batch', {
      activities: [pageView({ leadId: theirs.id }), pageView({ leadEmail: theirs.email })],
    });
    expect(batch.json().rejected.map((r: { status: number }) => r.status)).toEqual([404, 404]);
    // Creating by email makes a lead of the caller's organisation, never touches theirs.
    const created = await post(
      '/activities',
      pageView({ leadEmail: theirs.email, createLead: true }),
    );
    expect(created.json().leadId).not.toBe(theirs.id);
    const inB = await t.database.db
      .selectFrom('lead_activities')
      .select('id')
      .where('organization_id', '=', orgB)
      .execute();
    expect(inB).toEqual([]);
  });

  it('does not let a viewer record activities', async () => {
    const lead = await insertLead(orgA);
    const response = await post('/activities', pageView({ leadId: lead.id }), viewer);
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'AUTH_FORBIDDEN' });
    expect(await activitiesOf(lead.id)).toEqual([]);
  });
});
