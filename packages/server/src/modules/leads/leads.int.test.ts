import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadStatus } from '../../db/schema.js';
import { buildTestApp, TEST_SIGNING_KEY, type TestApp, testConfig } from '../../test/app.js';
import { describeEachEngine } from '../../test/databases.js';
import { createTestOrganization, createTestUser } from '../../test/factories.js';
import { createTokenSigner } from '../auth/index.js';
import { LEAD_SORTS, MAX_ATTRIBUTES_BYTES } from './leads.schemas.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Api = (method: Method, url: string, payload?: object) => Promise<LightMyRequestResponse>;

const signer = createTokenSigner({ key: TEST_SIGNING_KEY, issuer: testConfig().publicUrl });

describeEachEngine('leads API', (engine) => {
  let t: TestApp;
  let orgA: string;
  let orgB: string;
  let ownerA: string;
  /** An admin and a viewer of A, an admin of B; tokens are signed directly to spare logins. */
  let admin: Api;
  let viewer: Api;
  let adminB: Api;

  async function apiFor(organizationId: string, role: 'admin' | 'viewer') {
    const user = await createTestUser(t.database.db, organizationId, role);
    const token = await signer.issue({ userId: user.id, organizationId });
    const api: Api = (method, url, payload) =>
      t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload });
    return { api, userId: user.id };
  }

  beforeAll(async () => {
    t = await buildTestApp(engine);
    ({ organizationId: orgA } = await createTestOrganization(t.database.db));
    ({ organizationId: orgB } = await createTestOrganization(t.database.db));
    ({ api: admin, userId: ownerA } = await apiFor(orgA, 'admin'));
    ({ api: viewer } = await apiFor(orgA, 'viewer'));
    ({ api: adminB } = await apiFor(orgB, 'admin'));
  });
  afterAll(() => t.close());

  const leadRow = (id: string) =>
    t.database.db.selectFrom('leads').selectAll().where('id', '=', id).executeTakeFirst();
  const countLeads = async (organizationId: string) =>
    (
      await t.database.db
        .selectFrom('leads')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('organization_id', '=', organizationId)
        .executeTakeFirstOrThrow()
    ).n;
  const auditActions = async (leadId: string) =>
    (
      await t.database.db
        .selectFrom('audit_log')
        .select('action')
        .where('target_id', '=', leadId)
        .orderBy('id')
        .execute()
    ).map((row) => row.action);

  it('creates, reads, replaces, patches and deletes a lead, auditing each write', async () => {
    const created = await admin('POST', '/leads', {
      email: '  Ada.Lovelace@Example.COM ',
      firstName: 'Ada',
      company: 'Analytical Engines',
      country: 'gb',
      companySize: 12,
      ownerId: ownerA,
      attributes: { plan: 'pro', seats: 3 },
    });
    expect(created.statusCode).toBe(201);
    const lead = created.json();
    expect(lead).toMatchObject({
      email: 'ada.lovelace@example.com',
      firstName: 'Ada',
      lastName: null,
      status: 'new',
      country: 'GB',
      ownerId: ownerA,
      attributes: { plan: 'pro', seats: 3 },
      currentScore: null,
      lastActivityAt: null,
    });
    expect(created.headers.location).toBe(`/leads/${lead.id}`);
    expect((await admin('GET', `/leads/${lead.id}`)).json()).toEqual(lead);

    const replaced = await admin('PUT', `/leads/${lead.id}`, {
      email: 'ada@example.com',
      status: 'contacted',
    });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({
      email: 'ada@example.com',
      status: 'contacted',
      firstName: null,
      company: null,
      ownerId: null,
      attributes: {},
    });
    const afterPut = await leadRow(lead.id);
    expect(afterPut?.status_changed_at).not.toBeNull();

    const patched = await admin('PATCH', `/leads/${lead.id}`, { lastName: 'Byron', phone: null });
    expect(patched.json()).toMatchObject({ lastName: 'Byron', status: 'contacted' });
    // The status did not change, so neither does the time it last changed.
    expect((await leadRow(lead.id))?.status_changed_at).toEqual(afterPut?.status_changed_at);
    // A write that changes nothing is no write.
    expect((await admin('PATCH', `/leads/${lead.id}`, { lastName: 'Byron' })).statusCode).toBe(200);

    expect((await admin('DELETE', `/leads/${lead.id}`)).statusCode).toBe(204);
    const gone = await admin('GET', `/leads/${lead.id}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ code: 'LEADS_NOT_FOUND' });
    expect(await auditActions(lead.id)).toEqual([
      'lead.created',
      'lead.updated',
      'lead.updated',
      'lead.deleted',
    ]);
  });

  it('answers a duplicate email with 409 and the existing id, or updates it with upsert', async () => {
    const first = (
      await admin('POST', '/leads', { email: 'dup@example.com', company: 'Acme' })
    ).json();
    const again = await admin('POST', '/leads', { email: 'DUP@example.com' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'LEADS_DUPLICATE_EMAIL', existingId: first.id });

    const upserted = await admin('POST', '/leads?upsert=true', {
      email: 'Dup@Example.com',
      status: 'qualified',
    });
    expect(upserted.statusCode).toBe(200);
    expect(upserted.json()).toMatchObject({ id: first.id, status: 'qualified', company: 'Acme' });
    const fresh = await admin('POST', '/leads?upsert=true', { email: 'new-upsert@example.com' });
    expect(fresh.statusCode).toBe(201);

    const clash = await admin('PATCH', `/leads/${fresh.json().id}`, { email: 'dup@example.com' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json()).toMatchObject({ existingId: first.id });
    expect(await auditActions(first.id)).toEqual(['lead.created', 'lead.updated']);
  });

  it('refuses bad input with 400 naming each field, and stores nothing', async () => {
    const before = await countLeads(orgA);
    const { id } = (await admin('POST', '/leads', { email: 'valid@example.com' })).json();
    const refused: [string, Method, string, object, string[]][] = [
      ['bad email', 'POST', '/leads', { email: 'not-an-email' }, ['email']],
      ['missing email', 'POST', '/leads', { firstName: 'X' }, ['email']],
      ['unknown status', 'POST', '/leads', { email: 'a@b.io', status: 'won' }, ['status']],
      [
        'wrong types',
        'POST',
        '/leads',
        { email: 'a@b.io', companySize: 'many', attributes: 'x' },
        ['companySize', 'attributes'],
      ],
      ['unknown property', 'POST', '/leads', { email: 'a@b.io', score: 99 }, ['score']],
      ['negative size', 'PATCH', `/leads/${id}`, { companySize: -1 }, ['companySize']],
      ['country', 'PUT', `/leads/${id}`, { email: 'a@b.io', country: 'GBR' }, ['country']],
      ['owner of no one', 'PATCH', `/leads/${id}`, { ownerId: crypto.randomUUID() }, ['ownerId']],
      [
        'oversized attributes',
        'POST',
        '/leads',
        { email: 'a@b.io', attributes: { blob: 'x'.repeat(MAX_ATTRIBUTES_BYTES) } },
        ['attributes'],
      ],
      ['id not a uuid', 'GET', '/leads/42', {}, ['id']],
      ['unknown filter', 'GET', '/leads?colour=red', {}, ['colour']],
      ['score out of range', 'GET', '/leads?minScore=101', {}, ['minScore']],
      ['unknown sort', 'GET', '/leads?sort=name', {}, ['sort']],
      ['forged cursor', 'GET', '/leads?cursor=bm9wZQ', {}, ['cursor']],
    ];
    for (const [name, method, url, payload, fields] of refused) {
      const response = await admin(method, url, method === 'GET' ? undefined : payload);
      expect(response.statusCode, name).toBe(400);
      expect(response.headers['content-type'], name).toContain('application/problem+json');
      const named = response.json().errors.map((e: { field: string }) => e.field);
      expect(named, name).toEqual(expect.arrayContaining(fields));
    }
    const deactivated = await createTestUser(t.database.db, orgA, 'sales_rep');
    await t.database.db
      .updateTable('users')
      .set({ is_active: false })
      .where('id', '=', deactivated.id)
      .execute();
    const inactiveOwner = await admin('PATCH', `/leads/${id}`, { ownerId: deactivated.id });
    expect(inactiveOwner.json().errors).toEqual([expect.objectContaining({ field: 'ownerId' })]);
    expect(await countLeads(orgA)).toBe(before + 1);
    expect((await leadRow(id))?.updated_at).toEqual((await leadRow(id))?.created_at);
  });

  it('lets a viewer read leads but not write them', async () => {
    const { id } = (await admin('POST', '/leads', { email: 'viewed@example.com' })).json();
    expect((await viewer('GET', `/leads/${id}`)).statusCode).toBe(200);
    expect((await viewer('GET', '/leads')).statusCode).toBe(200);
    for (const [method, url, payload] of [
      ['POST', '/leads', { email: 'viewer-made@example.com' }],
      ['PUT', `/leads/${id}`, { email: 'viewed@example.com' }],
      ['PATCH', `/leads/${id}`, { status: 'lost' }],
      ['DELETE', `/leads/${id}`, undefined],
    ] as const) {
      const response = await viewer(method, url, payload);
      expect(response.statusCode, method).toBe(403);
      expect(response.json(), method).toMatchObject({ code: 'AUTH_FORBIDDEN' });
    }
    expect((await leadRow(id))?.status).toBe('new');
  });

  it('keeps organisations apart: another org’s lead is 404 on every route and untouched', async () => {
    const { id } = (
      await adminB('POST', '/leads', { email: 'secret@b.example', company: 'B Corp' })
    ).json();
    const { id: userB } = await createTestUser(t.database.db, orgB, 'sales_rep');
    const before = await leadRow(id);
    const routes: [Method, string, object?][] = [
      ['GET', `/leads/${id}`],
      ['GET', `/leads/${id}/activities`],
      ['GET', `/leads/${id}/score`],
      ['PUT', `/leads/${id}`, { email: 'stolen@b.example' }],
      ['PATCH', `/leads/${id}`, { status: 'lost' }],
      ['DELETE', `/leads/${id}`],
    ];
    for (const [method, url, payload] of routes) {
      const response = await admin(method, url, payload);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json().detail, `${method} ${url}`).not.toContain('B Corp');
    }
    const listed = await admin('GET', '/leads?q=secret');
    expect(listed.json().data).toEqual([]);
    expect((await admin('GET', `/leads?ownerId=${userB}`)).json().data).toEqual([]);
    const foreignOwner = await admin('POST', '/leads', { email: 'x@a.example', ownerId: userB });
    expect(foreignOwner.statusCode).toBe(400);
    // The same address in A is A's own lead, not a clash with B's.
    const upsert = await admin('POST', '/leads?upsert=true', {
      email: 'secret@b.example',
      status: 'lost',
    });
    expect(upsert.statusCode).toBe(201);
    expect(upsert.json().id).not.toBe(id);
    expect(await leadRow(id)).toEqual(before);
  });

  it('changes the status and owner of many leads at once, all or nothing, audited', async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      ids.push((await admin('POST', '/leads', { email: `bulk${n}@example.com` })).json().id);
    }
    const changed = await admin('POST', '/leads/bulk-update', {
      ids,
      changes: { status: 'contacted', ownerId: ownerA },
    });
    expect(changed.statusCode).toBe(200);
    expect(
      changed
        .json()
        .data.map((lead: { id: string }) => lead.id)
        .sort(),
    ).toEqual([...ids].sort());
    for (const id of ids) {
      expect(await leadRow(id)).toMatchObject({ status: 'contacted', owner_id: ownerA });
      expect(await auditActions(id)).toEqual(['lead.created', 'lead.updated']);
    }

    // One lead of another organisation in the list: nothing changes, and the answer names it.
    const { id: foreign } = (await adminB('POST', '/leads', { email: 'bulk@b.example' })).json();
    const refused = await admin('POST', '/leads/bulk-update', {
      ids: [...ids, foreign],
      changes: { status: 'lost' },
    });
    expect(refused.statusCode).toBe(404);
    expect(refused.json().missingIds).toEqual([foreign]);
    for (const id of ids) expect((await leadRow(id))?.status).toBe('contacted');
    expect((await leadRow(foreign))?.status).toBe('new');

    for (const [body, field] of [
      [{ ids: [], changes: { status: 'lost' } }, 'ids'],
      [{ ids, changes: {} }, 'changes'],
      [{ ids, changes: { email: 'x@example.com' } }, 'changes'],
      [{ ids: [ids[0], ids[0]], changes: { status: 'lost' } }, 'ids'],
    ] as const) {
      const response = await admin('POST', '/leads/bulk-update', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(response.json().errors), JSON.stringify(body)).toContain(field);
    }
    expect(
      (await viewer('POST', '/leads/bulk-update', { ids, changes: { status: 'lost' } })).statusCode,
    ).toBe(403);
  });

  it('lists a lead’s activities newest first, page by page', async () => {
    const { id } = (await admin('POST', '/leads', { email: 'active@example.com' })).json();
    const stamps = [
      '2024-05-01T09:00:00.000001Z',
      '2024-05-01T09:00:00.000002Z',
      '2024-05-01T09:00:00.000002Z',
      '2024-05-02T09:00:00.000000Z',
      '2024-04-30T09:00:00.000000Z',
    ];
    const inserted = await t.database.db
      .insertInto('lead_activities')
      .values(
        stamps.map((stamp, i) => ({
          organization_id: orgA,
          lead_id: id,
          activity_type: 'page_view',
          activity_data: JSON.stringify({ url: `/page/${i}` }),
          timestamp: sql<Date>`${stamp}::timestamptz`,
        })),
      )
      .returning(['id', 'timestamp'])
      .execute();
    const expected = inserted
      .map((row, i) => ({ id: row.id, stamp: stamps[i] ?? '' }))
      .sort((a, b) => compare(b.stamp, a.stamp) || compare(b.id, a.id))
      .map((row) => row.id);

    const seen = await pageThrough(admin, `/leads/${id}/activities?limit=2`);
    expect(seen.map((item) => item.id)).toEqual(expected);
    expect(seen[0]).toEqual({
      id: expected[0],
      type: 'page_view',
      timestamp: '2024-05-02T09:00:00.000Z',
      data: { url: '/page/3' },
      processed: false,
      receivedAt: expect.any(String),
    });
  });

  it('says a lead is not scored yet, then answers its newest score', async () => {
    const { id } = (await admin('POST', '/leads', { email: 'scored@example.com' })).json();
    expect((await admin('GET', `/leads/${id}/score`)).json()).toEqual({
      leadId: id,
      scored: false,
      score: null,
      maxScore: null,
      breakdown: null,
      confidence: null,
      modelId: null,
      calculatedAt: null,
    });
    const breakdown = { behavioral: 40, demographic: 22, engagement: 10 };
    await t.database.db
      .insertInto('lead_scores')
      .values([
        { organization_id: orgA, lead_id: id, score: 30, calculated_at: new Date('2024-01-01') },
        {
          organization_id: orgA,
          lead_id: id,
          score: 72,
          score_breakdown: JSON.stringify(breakdown),
          confidence: 0.85,
          calculated_at: new Date('2024-02-01'),
        },
      ])
      .execute();
    await t.database.db.updateTable('leads').set({ max_score: 72 }).where('id', '=', id).execute();
    expect((await admin('GET', `/leads/${id}/score`)).json()).toEqual({
      leadId: id,
      scored: true,
      score: 72,
      maxScore: 72,
      breakdown,
      confidence: 0.85,
      modelId: null,
      calculatedAt: '2024-02-01T00:00:00.000Z',
    });
  });

  it('documents every route with its permission and problems in OpenAPI', async () => {
    const { paths } = (await t.app.inject('/openapi.json')).json();
    expect(paths['/leads'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['q', 'status', 'sort', 'cursor', 'minScore', 'lastActivityFrom']),
    );
    expect(Object.keys(paths['/leads'].post.responses)).toEqual(
      expect.arrayContaining(['200', '201', '400', '401', '403', '409']),
    );
    expect(paths['/leads/{id}'].delete.description).toContain('leads:delete');
    expect(paths['/leads/{id}/activities'].get.description).toContain('activities:read');
    expect(paths['/leads/{id}/score'].get.responses['200'].content).toBeDefined();
  });

  describe('listing', () => {
    /** Times a microsecond apart within one millisecond, then days apart. */
    const T = [
      '2024-03-01T10:00:00.000001Z',
      '2024-03-01T10:00:00.000002Z',
      '2024-03-01T10:00:00.000500Z',
      '2024-03-02T08:00:00.000000Z',
      '2024-03-03T08:00:00.000000Z',
      '2024-03-04T08:00:00.000000Z',
      '2024-03-05T08:00:00.000000Z',
    ] as const;
    /**
     * name | first last | company | status | source | owned | score | last activity, created,
     * updated (indexes into T); `-` is null. Every sort column has ties and nulls.
     */
    const table = [
      'ada|Ada Lovelace|Analytical Engines|qualified|webinar|y|80|4|0|2',
      'alan|Alan Turing|Bletchley|new|ads|n|80|-|0|0',
      'grace|Grace Hopper|100% Compilers|contacted|webinar|y|95|1|1|1',
      'linus|Linus Torvalds|Kernel_Works|lost|referral|n|-|0|2|3',
      'mary|Mary Jackson|NACA|new|ads|n|10|2|3|4',
      'katherine|Katherine Johnson|-|converted|-|y|-|-|4|5',
      'dorothy|Dorothy Vaughan|NACA|qualified|referral|n|50|3|5|6',
      'edsger|Edsger Dijkstra|Shortest Path|new|-|n|50|3|5|6',
      'ken|Ken Thompson|Bell|new|webinar|n|100|5|6|6',
    ].map((line) => {
      const [name, fullName, company, status, source, owned, score, ...times] = line
        .split('|')
        .map((cell) => (cell === '-' ? null : cell));
      const [lastActivity, created, updated] = times.map((i) => (i === null ? null : T[Number(i)]));
      return {
        name: String(name),
        fullName: String(fullName),
        company,
        status: status as LeadStatus,
        source,
        owned: owned === 'y',
        score: score === null ? null : Number(score),
        lastActivity: lastActivity ?? null,
        created: created ?? '',
        updated: updated ?? '',
      };
    });
    let list: Api;
    let ownerC: string;
    const leads: ((typeof table)[number] & { id: string })[] = [];

    beforeAll(async () => {
      const { organizationId } = await createTestOrganization(t.database.db);
      ({ api: list, userId: ownerC } = await apiFor(organizationId, 'admin'));
      const at = (stamp: string | null) =>
        stamp === null ? null : sql<Date>`${stamp}::timestamptz`;
      for (const lead of table) {
        const [first, last] = lead.fullName.split(' ');
        const row = await t.database.db
          .insertInto('leads')
          .values({
            organization_id: organizationId,
            email: `${lead.name}@list.example`,
            first_name: first ?? null,
            last_name: last ?? null,
            company: lead.company,
            status: lead.status,
            source: lead.source,
            owner_id: lead.owned ? ownerC : null,
            current_score: lead.score,
            last_activity_at: at(lead.lastActivity),
            created_at: sql<Date>`${lead.created}::timestamptz`,
            updated_at: sql<Date>`${lead.updated}::timestamptz`,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        leads.push({ ...lead, id: row.id });
      }
    });

    const names = async (query: string) =>
      ((await list('GET', `/leads?limit=200&${query}`)).json().data as { email: string }[])
        .map((lead) => lead.email.split('@')[0])
        .sort();
    const where = (keep: (lead: (typeof leads)[number]) => boolean) =>
      leads
        .filter(keep)
        .map((lead) => lead.name)
        .sort();

    it('filters by status, source, owner, score and time ranges', async () => {
      expect(await names('status=qualified')).toEqual(where((l) => l.status === 'qualified'));
      expect(await names('status=new&status=lost')).toEqual(
        where((l) => l.status === 'new' || l.status === 'lost'),
      );
      expect(await names('source=webinar')).toEqual(where((l) => l.source === 'webinar'));
      expect(await names(`ownerId=${ownerC}`)).toEqual(where((l) => l.owned));
      expect(await names('minScore=50&maxScore=80')).toEqual(
        where((l) => l.score !== null && l.score >= 50 && l.score <= 80),
      );
      const within = (from: string, to: string, value: string | null) =>
        value !== null && value >= from && value < to;
      const ranges = [
        ['created', T[1], T[3], 'created'],
        ['updated', T[0], T[2], 'updated'],
        ['lastActivity', T[2], T[5], 'lastActivity'],
      ] as const;
      for (const [param, from, to, key] of ranges) {
        expect(await names(`${param}From=${from}&${param}To=${to}`), param).toEqual(
          where((l) => within(from, to, l[key])),
        );
      }
    });

    it('searches names, emails and companies, case-insensitively and wildcards literally', async () => {
      expect(await names('q=LOVE')).toEqual(['ada']);
      expect(await names('q=grace%20hop')).toEqual(['grace']);
      expect(await names('q=naca')).toEqual(['dorothy', 'mary']);
      expect(await names('q=KEN%40')).toEqual(['ken']);
      expect(await names('q=%25')).toEqual(['grace']);
      expect(await names('q=_')).toEqual(['linus']);
    });

    it('sorts every way, nulls last, and its cursors visit every lead exactly once', async () => {
      for (const sort of LEAD_SORTS) {
        const descending = sort.startsWith('-');
        const key = sort.replace('-', '') as 'score' | 'created' | 'updated' | 'lastActivity';
        // Nulls last; ties broken by id in the opposite direction to the sort.
        const expected = [...leads]
          .sort((a, b) => {
            const [x, y] = [a[key], b[key]];
            if (x !== y && (x === null || y === null)) return x === null ? 1 : -1;
            if (x !== y) return compare(x, y) * (descending ? -1 : 1);
            return compare(a.id, b.id) * (descending ? 1 : -1);
          })
          .map((lead) => lead.id);
        for (const limit of [2, 4]) {
          const seen = await pageThrough(list, `/leads?sort=${sort}&limit=${limit}`);
          expect(
            seen.map((lead) => lead.id),
            `${sort} by ${limit}`,
          ).toEqual(expected);
        }
      }
      const page = (await list('GET', '/leads?sort=score&limit=2')).json();
      const other = await list('GET', `/leads?sort=-created&cursor=${page.nextCursor}`);
      expect(other.statusCode).toBe(400);
    });
  });
});

/** Pages through a list, following nextCursor, and answers every item in order. */
async function pageThrough(api: Api, url: string): Promise<{ id: string }[]> {
  const items: { id: string }[] = [];
  let next: string | null = url;
  while (next !== null) {
    const response = await api('GET', next);
    expect(response.statusCode, next).toBe(200);
    const page: { data: { id: string }[]; nextCursor: string | null } = response.json();
    items.push(...page.data);
    next = page.nextCursor && `${url}&cursor=${encodeURIComponent(page.nextCursor)}`;
  }
  return items;
}

/** Plain code-unit order, which is PostgreSQL's order for these ISO times and uuids. */
function compare<T extends string | number | null>(a: T, b: T): number {
  return a === b ? 0 : (a ?? '') < (b ?? '') ? -1 : 1;
}
