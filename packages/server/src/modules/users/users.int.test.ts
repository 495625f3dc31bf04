import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { UserRole } from '../../db/schema.js';
import { buildTestApp, type TestApp } from '../../test/app.js';
import { describeEachEngine } from '../../test/databases.js';
import { createTestOrganization, createTestUser, TEST_PASSWORD } from '../../test/factories.js';
import { updateUser } from './users.service.js';

interface Actor {
  id: string;
  email: string;
  token: string;
}

describeEachEngine('users', (engine) => {
  let t: TestApp;
  let orgA: string;
  let orgB: string;
  /** Users of org A who call the API, and org B's admin. */
  let owner: Actor;
  let admin: Actor;
  let viewer: Actor;
  let analyst: Actor;
  let adminB: Actor;

  beforeAll(async () => {
    t = await buildTestApp(engine);
    orgA = (await createTestOrganization(t.database.db)).organizationId;
    orgB = (await createTestOrganization(t.database.db)).organizationId;
    owner = await signedIn(orgA, 'owner');
    admin = await signedIn(orgA, 'admin');
    viewer = await signedIn(orgA, 'viewer');
    analyst = await signedIn(orgA, 'analyst');
    adminB = await signedIn(orgB, 'admin');
  });
  afterAll(() => t.close());

  const login = (email: string, password = TEST_PASSWORD) =>
    t.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password } });
  const as = (actor: Actor) => ({ authorization: `Bearer ${actor.token}` });
  const get = (actor: Actor, url: string) => t.app.inject({ url, headers: as(actor) });
  const post = (actor: Actor, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/users', headers: as(actor), payload });
  const patch = (actor: Actor, id: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'PATCH', url: `/users/${id}`, headers: as(actor), payload });

  async function signedIn(organizationId: string, role: UserRole): Promise<Actor> {
    const user = await createTestUser(t.database.db, organizationId, role);
    return { ...user, token: (await login(user.email)).json().accessToken };
  }

  const newUser = (organizationId: string, role: UserRole) =>
    createTestUser(t.database.db, organizationId, role);

  async function auditOf(targetId: string) {
    const response = await get(admin, `/audit-log?targetType=user&targetId=${targetId}`);
    expect(response.statusCode).toBe(200);
    return (response.json().data as { action: string; details: unknown }[]).reverse();
  }

  async function idsOf(organizationId: string): Promise<string[]> {
    const rows = await t.database.db
      .selectFrom('users')
      .select('id')
      .where('organization_id', '=', organizationId)
      .execute();
    return rows.map((row) => row.id).sort();
  }

  async function allPages(actor: Actor, url: string): Promise<{ id: string; email: string }[]> {
    const rows = [];
    let cursor: string | null = null;
    do {
      const separator = url.includes('?') ? '&' : '?';
      const page = await get(actor, cursor ? `${url}${separator}cursor=${cursor}` : url);
      expect(page.statusCode).toBe(200);
      rows.push(...page.json().data);
      cursor = page.json().nextCursor;
    } while (cursor);
    return rows;
  }

  it('creates a user with the given password, email normalised, never showing a hash', async () => {
    const email = `New.Person-${randomBytes(4).toString('hex')}@Test.Example`;
    const response = await post(admin, {
      email,
      firstName: 'Ada',
      role: 'analyst',
      password: 'a long enough password',
    });
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created).toEqual({
      id: expect.any(String),
      email: email.toLowerCase(),
      firstName: 'Ada',
      lastName: null,
      role: 'analyst',
      isActive: true,
      lastLoginAt: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect((await get(analyst, `/users/${created.id}`)).json()).toEqual(created);
    expect((await login(email, 'a long enough password')).statusCode).toBe(200);
    expect(await auditOf(created.id)).toMatchObject([
      { action: 'user.created', details: { role: 'analyst', passwordGenerated: false } },
    ]);
  });

  it('generates a password when none is given and shows it once; it logs in', async () => {
    const email = `invited-${randomBytes(4).toString('hex')}@test.example`;
    const response = await post(admin, { email, role: 'viewer' });
    expect(response.statusCode).toBe(201);
    const { id, temporaryPassword } = response.json();
    expect(temporaryPassword).toMatch(/^[\w-]{20,}$/);
    expect((await login(email, temporaryPassword)).statusCode).toBe(200);
    expect((await get(admin, `/users/${id}`)).json()).not.toHaveProperty('temporaryPassword');
  });

  it('refuses an email already in use, in any case and any organisation', async () => {
    const response = await post(admin, { email: adminB.email.toUpperCase(), role: 'viewer' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'USERS_EMAIL_TAKEN' });
    const users = await allPages(admin, '/users');
    expect(users.map((u) => u.email)).not.toContain(adminB.email);
  });

  it('names every field at fault', async () => {
    const created = await post(admin, {
      email: 'not-an-email',
      role: 'boss',
      password: 'short',
      team: 'x',
    });
    expect(created.statusCode).toBe(400);
    expect(
      created
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['email', 'password', 'role', 'team']);
    const missing = await post(admin, {});
    expect(
      missing
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['email', 'role']);
    const changed = await patch(admin, viewer.id, { isActive: 'no', firstName: 'x'.repeat(101) });
    expect(changed.statusCode).toBe(400);
    expect(changed.json().errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['isActive', 'firstName']),
    );
    for (const url of ['/users/not-a-uuid', '/users?isActive=maybe', '/users?cursor=bm90LWpzb24']) {
      const response = await get(admin, url);
      expect(response.statusCode, url).toBe(400);
      expect(response.headers['content-type'], url).toMatch(/^application\/problem\+json/);
    }
  });

  it('changes roles and names, auditing each change; a no-op changes nothing', async () => {
    const user = await newUser(orgA, 'viewer');
    const response = await patch(admin, user.id, {
      role: 'sales_rep',
      firstName: 'Grace',
      lastName: 'Hopper',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ role: 'sales_rep', firstName: 'Grace' });
    const noop = await patch(admin, user.id, { role: 'sales_rep', lastName: 'Hopper' });
    expect(noop.json().updatedAt).toBe(response.json().updatedAt);
    expect(await auditOf(user.id)).toMatchObject([
      { action: 'user.role_changed', details: { from: 'viewer', to: 'sales_rep' } },
      { action: 'user.updated', details: { fields: ['firstName', 'lastName'] } },
    ]);
  });

  it('lets no one change their own role or deactivate themselves', async () => {
    const ownRole = await patch(admin, admin.id, { role: 'viewer' });
    expect(ownRole.statusCode).toBe(400);
    expect(ownRole.json()).toMatchObject({ code: 'USERS_SELF_CHANGE' });
    expect(ownRole.json().detail).toMatch(/own role/);
    const ownAccount = await patch(owner, owner.id, { isActive: false });
    expect(ownAccount.json()).toMatchObject({ code: 'USERS_SELF_CHANGE' });
    expect(ownAccount.json().detail).toMatch(/deactivate yourself/);
    expect((await patch(admin, admin.id, { firstName: 'Me' })).statusCode).toBe(200);
    expect((await get(admin, `/users/${admin.id}`)).json()).toMatchObject({
      role: 'admin',
      isActive: true,
    });
  });

  it('leaves the owner role and owners’ accounts to owners', async () => {
    const otherOwner = await newUser(orgA, 'owner');
    const user = await newUser(orgA, 'manager');
    const refused = [
      await post(admin, {
        email: `o-${randomBytes(4).toString('hex')}@test.example`,
        role: 'owner',
      }),
      await patch(admin, user.id, { role: 'owner' }),
      await patch(admin, otherOwner.id, { firstName: 'Renamed' }),
      await patch(admin, otherOwner.id, { isActive: false }),
    ];
    for (const response of refused) {
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'USERS_OWNER_ONLY' });
    }
    expect((await patch(owner, user.id, { role: 'owner' })).json()).toMatchObject({
      role: 'owner',
    });
    expect((await patch(owner, user.id, { role: 'admin' })).statusCode).toBe(200);
    expect((await patch(owner, otherOwner.id, { isActive: false })).statusCode).toBe(200);
  });

  it('always keeps an active owner, even for an actor the other rules let through', async () => {
    // Through the API the acting owner is always another active owner; this is what
    // holds when two owners demote each other at once, or a future system actor acts.
    const { organizationId } = await createTestOrganization(t.database.db);
    const soleOwner = await t.database.db
      .selectFrom('users')
      .select('id')
      .where('organization_id', '=', organizationId)
      .executeTakeFirstOrThrow();
    const actor = {
      role: 'owner' as const,
      audit: { organizationId, actorType: 'system' as const, actorId: null, requestId: 'test' },
    };
    for (const change of [{ role: 'admin' as const }, { isActive: false }]) {
      await expect(
        updateUser({ db: t.database.db }, actor, soleOwner.id, change),
      ).rejects.toMatchObject({ definition: { code: 'USERS_LAST_OWNER' } });
    }
  });

  it('two owners demoting each other at once leave one active owner', async () => {
    const { organizationId } = await createTestOrganization(t.database.db);
    const [first, second] = [
      await signedIn(organizationId, 'owner'),
      await signedIn(organizationId, 'owner'),
    ];
    await t.database.db
      .updateTable('users')
      .set({ role: 'admin' })
      .where('organization_id', '=', organizationId)
      .where('id', 'not in', [first.id, second.id])
      .execute();
    const responses = await Promise.all([
      patch(first, second.id, { role: 'admin' }),
      patch(second, first.id, { role: 'admin' }),
    ]);
    // The loser is refused as the last owner, or as no longer an owner if it was
    // authenticated after the winner committed.
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    const owners = await t.database.db
      .selectFrom('users')
      .select('id')
      .where('organization_id', '=', organizationId)
      .where('role', '=', 'owner')
      .where('is_active', '=', true)
      .execute();
    expect(owners).toHaveLength(1);
  });

  it('deactivation shuts the user out at once, refresh included; reactivation is audited', async () => {
    const user = await newUser(orgA, 'sales_rep');
    const session = (await login(user.email)).json();
    const deactivated = await patch(admin, user.id, { isActive: false });
    expect(deactivated.statusCode).toBe(200);
    expect(deactivated.json().isActive).toBe(false);
    const me = await t.app.inject({
      url: '/auth/me',
      headers: { authorization: `Bearer ${session.accessToken}` },
    });
    expect(me.statusCode).toBe(401);
    const refreshed = await t.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refreshToken: session.refreshToken },
    });
    expect(refreshed.statusCode).toBe(401);
    const live = await t.database.db
      .selectFrom('refresh_tokens')
      .select('id')
      .where('user_id', '=', user.id)
      .where('revoked_at', 'is', null)
      .execute();
    expect(live).toEqual([]);

    expect((await patch(admin, user.id, { isActive: true })).json().isActive).toBe(true);
    expect((await auditOf(user.id)).map((e) => e.action)).toEqual([
      'user.deactivated',
      'user.reactivated',
    ]);
  });

  it('lists the organisation’s users by email, page by page, filtered by role and state', async () => {
    const inactive = await newUser(orgA, 'viewer');
    await patch(admin, inactive.id, { isActive: false });
    const listed = (await allPages(admin, '/users?limit=2')).map((u) => u.id);
    expect(listed.sort()).toEqual(await idsOf(orgA));

    const viewers = (await get(analyst, '/users?role=viewer')).json().data;
    expect(viewers.every((u: { role: string }) => u.role === 'viewer')).toBe(true);
    const deactivated = (await get(analyst, '/users?isActive=false')).json().data;
    expect(deactivated.map((u: { id: string }) => u.id)).toContain(inactive.id);
    expect(deactivated.every((u: { isActive: boolean }) => !u.isActive)).toBe(true);
  });

  it('keeps organisations apart: another organisation’s users are not found or touched', async () => {
    const userB = await newUser(orgB, 'viewer');
    for (const response of [
      await get(admin, `/users/${userB.id}`),
      await patch(admin, userB.id, { role: 'admin', isActive: false, firstName: 'Hijacked' }),
      await get(admin, `/users/${randomUUID()}`),
    ]) {
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: 'HTTP_NOT_FOUND' });
    }
    const stored = await t.database.db
      .selectFrom('users')
      .select(['role', 'is_active', 'first_name'])
      .where('id', '=', userB.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ role: 'viewer', is_active: true, first_name: null });

    const orgBIds = await idsOf(orgB);
    const listed = (await allPages(admin, '/users?limit=3')).map((u) => u.id);
    expect(listed.filter((id) => orgBIds.includes(id))).toEqual([]);
    expect((await allPages(adminB, '/users')).map((u) => u.id).sort()).toEqual(orgBIds);
  });

  it('lets analysts and viewers read users, and only managers of users change them', async () => {
    expect((await get(analyst, '/users')).statusCode).toBe(200);
    expect((await get(analyst, `/users/${admin.id}`)).statusCode).toBe(200);
    expect((await get(viewer, '/users')).statusCode).toBe(200);
    for (const response of [
      await post(viewer, { email: 'nope@test.example', role: 'viewer' }),
      await patch(viewer, analyst.id, { firstName: 'Nope' }),
      await post(analyst, { email: 'nope@test.example', role: 'viewer' }),
      await get(viewer, '/audit-log'),
    ]) {
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'AUTH_FORBIDDEN' });
    }
  });
});
