import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/app.js';
import { describeEachEngine } from '../../test/databases.js';
import { createTestOrganization, createTestUser, TEST_PASSWORD } from '../../test/factories.js';

describeEachEngine('API keys', (engine) => {
  let t: TestApp;
  /** Access tokens of an admin of org A, an admin of org B and a viewer of org A. */
  const tokens = { adminA: '', adminB: '', viewerA: '' };
  let adminAId: string;
  let orgA: string;
  let orgB: string;

  beforeAll(async () => {
    t = await buildTestApp(engine);
    // Routes inside and outside the scopes keys are given; they echo who is calling.
    for (const [url, auth] of [
      ['/test/read-leads', 'leads:read'],
      ['/test/manage-users', 'users:manage'],
    ] as const) {
      t.app.get(url, { config: { auth } }, async (request) => request.caller);
    }
    orgA = (await createTestOrganization(t.database.db)).organizationId;
    orgB = (await createTestOrganization(t.database.db)).organizationId;
    const users = {
      adminA: await createTestUser(t.database.db, orgA, 'admin'),
      adminB: await createTestUser(t.database.db, orgB, 'admin'),
      viewerA: await createTestUser(t.database.db, orgA, 'viewer'),
    };
    adminAId = users.adminA.id;
    for (const role of ['adminA', 'adminB', 'viewerA'] as const) {
      const session = await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email: users[role].email, password: TEST_PASSWORD },
      });
      tokens[role] = session.json().accessToken;
    }
  });
  afterAll(() => t.close());

  const asUser = (token: string) => ({ authorization: `Bearer ${token}` });
  const create = (token: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api-keys', headers: asUser(token), payload });
  const list = (token: string, query = '') =>
    t.app.inject({ url: `/api-keys${query}`, headers: asUser(token) });
  const revoke = (token: string, id: string) =>
    t.app.inject({ method: 'DELETE', url: `/api-keys/${id}`, headers: asUser(token) });
  const call = (url: string, headers: Record<string, string>) => t.app.inject({ url, headers });
  const asBearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const asHeader = (key: string) => ({ 'x-api-key': key });

  async function newKey(token = tokens.adminA, scopes = ['leads:read']) {
    const response = await create(token, { name: 'CRM sync', scopes });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: string; key: string; prefix: string };
  }

  async function auditActions(keyId: string): Promise<string[]> {
    const rows = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', keyId)
      .orderBy('id')
      .execute();
    return rows.map((r) => r.action);
  }

  it('shows the key once at creation and never in the list', async () => {
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const response = await create(tokens.adminA, {
      name: 'Ingestion',
      scopes: ['activities:write', 'leads:read'],
      expiresAt,
    });
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({
      name: 'Ingestion',
      scopes: ['activities:write', 'leads:read'],
      expiresAt,
    });
    expect(created.key).toMatch(new RegExp(`^lsk_${created.prefix}_[A-Za-z0-9_-]{43}$`));
    expect(created.prefix).toMatch(/^[A-Za-z0-9]{8}$/);

    const listed = await list(tokens.adminA);
    expect(listed.statusCode).toBe(200);
    const item = listed.json().data.find((k: { id: string }) => k.id === created.id);
    expect(item).toEqual({
      id: created.id,
      name: 'Ingestion',
      prefix: created.prefix,
      scopes: ['activities:write', 'leads:read'],
      createdAt: created.createdAt,
      createdBy: adminAId,
      lastUsedAt: null,
      expiresAt,
      revokedAt: null,
    });
    expect(listed.body).not.toContain(created.key.slice(13));
    expect(await auditActions(created.id)).toEqual(['api_key.created']);
  });

  it('refuses bad input: no scopes, repeated or unknown scopes, a past expiry, extra fields', async () => {
    const bad = {
      'no scopes': { name: 'x', scopes: [] },
      'repeated scope': { name: 'x', scopes: ['leads:read', 'leads:read'] },
      'scope keys cannot hold': { name: 'x', scopes: ['users:manage'] },
      'past expiry': { name: 'x', scopes: ['leads:read'], expiresAt: '2020-01-01T00:00:00Z' },
      'extra field': { name: 'x', scopes: ['leads:read'], key: 'lsk_mine' },
    };
    for (const [label, payload] of Object.entries(bad)) {
      const response = await create(tokens.adminA, payload);
      expect(response.statusCode, label).toBe(400);
      expect(response.json().code, label).toBe('HTTP_VALIDATION_FAILED');
    }
    const forged = Buffer.from(JSON.stringify(['yesterday', 'not-an-id'])).toString('base64url');
    for (const cursor of ['bm90LWEtY3Vyc29y', forged]) {
      const response = await list(tokens.adminA, `?cursor=${cursor}`);
      expect(response.statusCode, cursor).toBe(400);
      expect(response.json().errors, cursor).toEqual([
        expect.objectContaining({ field: 'cursor' }),
      ]);
    }
  });

  it('pages through all of the organisation’s keys, newest first', async () => {
    const created = [];
    for (let i = 0; i < 3; i++) created.push((await newKey()).id);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await list(tokens.adminA, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const page: { data: { id: string }[]; nextCursor: string | null } = response.json();
      expect(page.data.length).toBeLessThanOrEqual(2);
      paged.push(...page.data.map((k) => k.id));
      cursor = page.nextCursor;
    } while (cursor);
    const stored = await t.database.db
      .selectFrom('api_keys')
      .select('id')
      .where('organization_id', '=', orgA)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    expect(paged).toEqual(stored.map((r) => r.id));
    expect(paged.slice(0, 3)).toEqual(created.reverse());
  });

  it('lets a key call routes within its scopes, by either header, as its organisation', async () => {
    const { id, key } = await newKey();
    for (const headers of [asBearer(key), asHeader(key)]) {
      const response = await call('/test/read-leads', headers);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        organizationId: orgA,
        actor: { type: 'api_key', id },
        permissions: ['leads:read'],
      });
      expect(response.json().user).toBeUndefined();

      const outside = await call('/test/manage-users', headers);
      expect(outside.statusCode).toBe(403);
      expect(outside.json().code).toBe('AUTH_FORBIDDEN');
    }
    // Keys cannot manage keys, nor read the user profile.
    expect((await t.app.inject({ url: '/api-keys', headers: asHeader(key) })).statusCode).toBe(403);
    expect((await call('/auth/me', asBearer(key))).statusCode).toBe(403);
  });

  it('records when a key was last used, at most once a minute', async () => {
    const { id, key } = await newKey();
    const lastUsed = async () =>
      (
        await t.database.db
          .selectFrom('api_keys')
          .select('last_used_at')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).last_used_at;
    expect(await lastUsed()).toBeNull();
    await call('/test/read-leads', asHeader(key));
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    await call('/test/read-leads', asHeader(key));
    expect(await lastUsed()).toEqual(first);
  });

  it('refuses revoked, expired, tampered and malformed keys like a bad token', async () => {
    const revoked = await newKey();
    expect((await revoke(tokens.adminA, revoked.id)).statusCode).toBe(204);
    expect((await revoke(tokens.adminA, revoked.id)).statusCode).toBe(204);
    expect(await auditActions(revoked.id)).toEqual(['api_key.created', 'api_key.revoked']);
    const listed = (await list(tokens.adminA)).json().data;
    expect(listed.find((k: { id: string }) => k.id === revoked.id).revokedAt).toEqual(
      expect.any(String),
    );

    const expired = await newKey();
    await t.database.db
      .updateTable('api_keys')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', expired.id)
      .execute();

    const valid = await newKey();
    const secret = valid.key.slice(13);
    const flipped = `${secret[0] === 'A' ? 'B' : 'A'}${secret.slice(1)}`;
    const refused = {
      revoked: revoked.key,
      expired: expired.key,
      tampered: `lsk_${valid.prefix}_${flipped}`,
      'unknown prefix': `lsk_00000000_${secret}`,
      truncated: valid.key.slice(0, -1),
    };
    for (const [label, key] of Object.entries(refused)) {
      for (const headers of [asBearer(key), asHeader(key)]) {
        const response = await call('/test/read-leads', headers);
        expect(response.statusCode, label).toBe(401);
        expect(response.json().code, label).toBe('AUTH_UNAUTHENTICATED');
      }
    }
    expect((await call('/test/read-leads', asHeader(valid.key))).statusCode).toBe(200);
  });

  it('keeps organisations apart: another org’s key is neither listed nor revocable', async () => {
    const keyB = await newKey(tokens.adminB);
    const listedByA = (await list(tokens.adminA)).json().data.map((k: { id: string }) => k.id);
    expect(listedByA).not.toContain(keyB.id);
    const revokedByA = await revoke(tokens.adminA, keyB.id);
    expect(revokedByA.statusCode).toBe(404);
    expect(revokedByA.json().code).toBe('HTTP_NOT_FOUND');

    const used = await call('/test/read-leads', asHeader(keyB.key));
    expect(used.statusCode).toBe(200);
    expect(used.json().organizationId).toBe(orgB);
    const listedByB = (await list(tokens.adminB)).json().data;
    expect(listedByB.find((k: { id: string }) => k.id === keyB.id).revokedAt).toBeNull();
  });

  it('needs api_keys:manage on every key route', async () => {
    const { id } = await newKey();
    const responses = [
      await create(tokens.viewerA, { name: 'x', scopes: ['leads:read'] }),
      await list(tokens.viewerA),
      await revoke(tokens.viewerA, id),
    ];
    expect(responses.map((r) => r.statusCode)).toEqual([403, 403, 403]);
  });

  it('documents both schemes on routes a key can reach, and only bearer elsewhere', async () => {
    const document = (await t.app.inject('/openapi.json')).json();
    expect(document.components.securitySchemes.apiKey).toEqual({
      type: 'apiKey',
      in: 'header',
      name: 'X-API-Key',
    });
    expect(document.paths['/test/read-leads'].get.security).toEqual([
      { bearerAuth: [] },
      { apiKey: [] },
    ]);
    expect(document.paths['/api-keys'].get.security).toEqual([{ bearerAuth: [] }]);
  });
});
