import { afterAll, beforeAll, expect, it } from 'vitest';
import type { UserRole } from '../../db/schema.js';
import { buildTestApp, type TestApp } from '../../test/app.js';
import { describeEachEngine } from '../../test/databases.js';
import { createTestOrganization, createTestUser, TEST_PASSWORD } from '../../test/factories.js';

describeEachEngine('current organisation', (engine) => {
  let t: TestApp;
  let orgA: string;
  let orgB: string;
  /** Access tokens of org A's owner, admin and viewer, and of org B's owner. */
  const tokens = { owner: '', admin: '', viewer: '', ownerB: '' };

  beforeAll(async () => {
    t = await buildTestApp(engine);
    orgA = (await createTestOrganization(t.database.db)).organizationId;
    orgB = (await createTestOrganization(t.database.db)).organizationId;
    const roles: [keyof typeof tokens, string, UserRole][] = [
      ['owner', orgA, 'owner'],
      ['admin', orgA, 'admin'],
      ['viewer', orgA, 'viewer'],
      ['ownerB', orgB, 'owner'],
    ];
    for (const [name, organizationId, role] of roles) {
      const { email } = await createTestUser(t.database.db, organizationId, role);
      const session = await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email, password: TEST_PASSWORD },
      });
      tokens[name] = session.json().accessToken;
    }
  });
  afterAll(() => t.close());

  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const current = (token: string) =>
    t.app.inject({ url: '/organizations/current', headers: as(token) });
  const update = (token: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'PATCH', url: '/organizations/current', headers: as(token), payload });

  it('describes the caller’s organisation, counting its active users', async () => {
    const inactive = await createTestUser(t.database.db, orgA, 'viewer');
    await t.database.db
      .updateTable('users')
      .set({ is_active: false })
      .where('id', '=', inactive.id)
      .execute();
    const response = await current(tokens.viewer);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      id: orgA,
      name: expect.stringMatching(/^Test /),
      slug: expect.stringMatching(/^test-/),
      domain: null,
      createdAt: expect.any(String),
      // The organisation's first owner and the three users signed in above.
      userCount: 4,
    });
    expect((await current(tokens.ownerB)).json().id).toBe(orgB);
  });

  it('lets the owner rename it and set its domain, audited, and nobody else', async () => {
    const before = (await current(tokens.ownerB)).json();
    const response = await update(tokens.owner, { name: '  Acme Corp ', domain: 'Acme.COM' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: orgA, name: 'Acme Corp', domain: 'acme.com' });
    expect((await current(tokens.viewer)).json()).toMatchObject({ name: 'Acme Corp' });

    const audit = await t.app.inject({
      url: '/audit-log?action=organization.updated',
      headers: as(tokens.admin),
    });
    expect(audit.json().data).toMatchObject([
      {
        targetType: 'organization',
        targetId: orgA,
        details: { changes: { name: { to: 'Acme Corp' }, domain: { from: null, to: 'acme.com' } } },
      },
    ]);

    expect((await update(tokens.owner, { domain: null })).json().domain).toBeNull();
    const refused = await update(tokens.admin, { name: 'Admin was here' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'AUTH_FORBIDDEN' });
    // Another organisation's owner changes only their own.
    expect((await current(tokens.ownerB)).json()).toEqual(before);
  });

  it('names the fields at fault and changes nothing', async () => {
    const before = (await current(tokens.owner)).json();
    const response = await update(tokens.owner, { name: '   ', domain: 'not a domain', slug: 'x' });
    expect(response.statusCode).toBe(400);
    const fields = response.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'domain', 'slug']));
    expect((await current(tokens.owner)).json()).toEqual(before);
  });
});
