import { afterAll, beforeAll, expect, it } from 'vitest';
import type { UserRole } from '../../db/schema.js';
import { encodeCursor } from '../../http/pagination.js';
import { buildTestApp, type TestApp } from '../../test/app.js';
import { describeEachEngine } from '../../test/databases.js';
import { createTestOrganization, createTestUser, TEST_PASSWORD } from '../../test/factories.js';
import { recordAudit } from './audit.repository.js';

interface Entry {
  id: number;
  action: string;
  actorId: string | null;
  targetId: string | null;
  details: { n?: number };
  createdAt: string;
}

describeEachEngine('audit log', (engine) => {
  let t: TestApp;
  let orgA: string;
  let orgB: string;
  let adminId: string;
  /** Access tokens of org A's admin, manager and viewer, and of org B's admin. */
  const tokens = { admin: '', manager: '', viewer: '', adminB: '' };

  beforeAll(async () => {
    t = await buildTestApp(engine);
    orgA = (await createTestOrganization(t.database.db)).organizationId;
    orgB = (await createTestOrganization(t.database.db)).organizationId;
    const roles: [keyof typeof tokens, string, UserRole][] = [
      ['admin', orgA, 'admin'],
      ['manager', orgA, 'manager'],
      ['viewer', orgA, 'viewer'],
      ['adminB', orgB, 'admin'],
    ];
    for (const [name, organizationId, role] of roles) {
      const user = await createTestUser(t.database.db, organizationId, role);
      if (name === 'admin') adminId = user.id;
      const session = await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email: user.email, password: TEST_PASSWORD },
      });
      tokens[name] = session.json().accessToken;
    }
    // Five events in org A on two targets, oldest n = 0; three in org B.
    for (let n = 0; n < 5; n++) {
      await recordAudit(t.database.db, {
        organizationId: orgA,
        actorType: 'user',
        actorId: adminId,
        action: 'test.event',
        targetType: 'lead',
        targetId: `lead-${n % 2}`,
        details: { n },
        ip: '203.0.113.7',
        userAgent: 'test-agent',
        requestId: `request-${n}`,
      });
    }
    for (let n = 0; n < 3; n++) {
      await recordAudit(t.database.db, {
        organizationId: orgB,
        actorType: 'system',
        actorId: null,
        action: 'test.event',
        targetType: 'lead',
        targetId: `lead-${n % 2}`,
      });
    }
  });
  afterAll(() => t.close());

  const list = (query: string, token = tokens.admin) =>
    t.app.inject({ url: `/audit-log${query}`, headers: { authorization: `Bearer ${token}` } });

  async function allPages(query: string, token = tokens.admin): Promise<Entry[]> {
    const entries: Entry[] = [];
    let cursor: string | null = null;
    do {
      const response = await list(cursor ? `${query}&cursor=${cursor}` : query, token);
      expect(response.statusCode).toBe(200);
      entries.push(...response.json().data);
      cursor = response.json().nextCursor;
    } while (cursor);
    return entries;
  }

  it('lists entries newest first, page by page, each with who, what, where and when', async () => {
    const first = await list('?action=test.event&limit=2');
    expect(first.json().data[0]).toEqual({
      id: expect.any(Number),
      action: 'test.event',
      actorType: 'user',
      actorId: adminId,
      targetType: 'lead',
      targetId: 'lead-0',
      details: { n: 4 },
      ip: '203.0.113.7',
      userAgent: 'test-agent',
      requestId: 'request-4',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const entries = await allPages('?action=test.event&limit=2');
    expect(entries.map((e) => e.details.n)).toEqual([4, 3, 2, 1, 0]);
    const ids = entries.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it('filters by action, actor, target and time', async () => {
    const onLead = await allPages('?targetType=lead&targetId=lead-1');
    expect(onLead.map((e) => e.details.n)).toEqual([3, 1]);

    const byAdmin = await allPages(`?actorId=${adminId}`);
    expect(byAdmin.every((e) => e.actorId === adminId)).toBe(true);
    expect(byAdmin.map((e) => e.action)).toEqual([...Array(5).fill('test.event'), 'auth.login']);

    const [newest] = await allPages('?action=test.event&limit=1');
    const at = encodeURIComponent(newest?.createdAt ?? '');
    expect((await allPages(`?action=test.event&from=${at}`)).map((e) => e.id)).toContain(
      newest?.id,
    );
    expect((await allPages(`?action=test.event&to=${at}`)).map((e) => e.id)).not.toContain(
      newest?.id,
    );
    expect(await allPages('?action=test.event&to=2000-01-01T00:00:00Z')).toEqual([]);
  });

  it('shows an organisation only its own entries', async () => {
    const orgBIds = (
      await t.database.db
        .selectFrom('audit_log')
        .select('id')
        .where('organization_id', '=', orgB)
        .execute()
    ).map((row) => row.id);
    const seenByA = (await allPages('?limit=200')).map((e) => e.id);
    expect(seenByA.filter((id) => orgBIds.includes(id))).toEqual([]);
    const seenByB = (await allPages('?limit=200', tokens.adminB)).map((e) => e.id);
    expect(seenByB.sort()).toEqual(orgBIds.sort());
  });

  it('is for admins and managers only', async () => {
    expect((await list('', tokens.manager)).statusCode).toBe(200);
    const refused = await list('', tokens.viewer);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'AUTH_FORBIDDEN' });
  });

  it('names the query field at fault', async () => {
    const cases = {
      '?from=yesterday': 'from',
      '?actorId=nobody': 'actorId',
      '?limit=0': 'limit',
      '?verb=login': 'verb',
      '?cursor=garbage': 'cursor',
      [`?cursor=${encodeCursor(['not an id'])}`]: 'cursor',
    };
    for (const [query, field] of Object.entries(cases)) {
      const response = await list(query);
      expect(response.statusCode, query).toBe(400);
      expect(
        response.json().errors.map((e: { field: string }) => e.field),
        query,
      ).toEqual([field]);
    }
  });
});
