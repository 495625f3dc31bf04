import { SignJWT, UnsecuredJWT } from 'jose';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TEST_SIGNING_KEY, type TestApp, testConfig } from '../../test/app.js';
import { describeEachEngine, pgliteEngine } from '../../test/databases.js';
import { createTestOrganization, createTestUser, TEST_PASSWORD } from '../../test/factories.js';
import { createTokenSigner } from './tokens.js';

const ISSUER = testConfig().publicUrl;
const key = new TextEncoder().encode(TEST_SIGNING_KEY);

describeEachEngine('authentication', (engine) => {
  let t: TestApp;
  let organizationId: string;
  beforeAll(async () => {
    t = await buildTestApp(engine);
    ({ organizationId } = await createTestOrganization(t.database.db));
    t.app.get('/test/manage-users', { config: { auth: 'users:manage' } }, async (request) => ({
      caller: request.caller?.user?.email,
    }));
  });
  afterAll(() => t.close());

  const login = (email: string, password = TEST_PASSWORD) =>
    t.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password } });
  const me = (token: string) =>
    t.app.inject({ url: '/auth/me', headers: { authorization: `Bearer ${token}` } });
  const refresh = (refreshToken: string) =>
    t.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });

  async function auditActions(userId: string): Promise<string[]> {
    const rows = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('actor_id', '=', userId)
      .orderBy('id')
      .execute();
    return rows.map((r) => r.action);
  }

  it('logs in with email and password and answers /auth/me with the caller and their permissions', async () => {
    const user = await createTestUser(t.database.db, organizationId, 'analyst');
    const response = await login(user.email.toUpperCase());
    expect(response.statusCode).toBe(200);
    const session = response.json();
    expect(session).toMatchObject({
      expiresIn: 900,
      user: { id: user.id, email: user.email, role: 'analyst', organizationId },
    });
    expect(session.refreshToken).toMatch(/^lsr_/);

    const current = await me(session.accessToken);
    expect(current.statusCode).toBe(200);
    expect(current.json()).toMatchObject({ id: user.id, role: 'analyst' });
    expect(current.json().permissions).toContain('leads:read');
    expect(current.json().permissions).not.toContain('users:manage');
    expect(await auditActions(user.id)).toEqual(['auth.login']);
  });

  it('gives the same answer for a wrong password and an unknown email', async () => {
    const user = await createTestUser(t.database.db, organizationId, 'viewer');
    const wrong = await login(user.email, 'not the password');
    const unknown = await login('nobody-here@test.example');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });
    expect(strip(wrong.json())).toEqual(strip(unknown.json()));
    expect(wrong.json()).toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
    expect(await auditActions(user.id)).toEqual(['auth.login_failed']);
  });

  it('pauses logins for an account after five failures, known email or not', async () => {
    const user = await createTestUser(t.database.db, organizationId, 'viewer');
    for (const email of [user.email, 'ghost@test.example']) {
      for (let i = 0; i < 5; i++)
        expect((await login(email, 'wrong password')).statusCode).toBe(401);
      const paused = await login(email, TEST_PASSWORD);
      expect(paused.statusCode).toBe(429);
      expect(paused.json()).toMatchObject({ code: 'AUTH_TOO_MANY_ATTEMPTS' });
      expect(Number(paused.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('refuses missing, malformed, expired, tampered and foreign tokens', async () => {
    const user = await createTestUser(t.database.db, organizationId, 'viewer');
    const valid = (await login(user.email)).json().accessToken as string;
    const claims = { org: organizationId };
    const now = Math.floor(Date.now() / 1000);
    const signed = (alg: string, issuer = ISSUER, audience = 'leadscore-api', exp = now + 600) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg })
        .setSubject(user.id)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(now - 10)
        .setExpirationTime(exp)
        .sign(key);
    const [header, payload, signature] = valid.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()),
        sub: 'someone-else',
      }),
    ).toString('base64url');
    const expired = await createTokenSigner({
      key: TEST_SIGNING_KEY,
      issuer: ISSUER,
      now: () => new Date(Date.now() - 16 * 60_000),
    }).issue({ userId: user.id, organizationId });

    const refused = {
      garbage: 'not-a-token',
      expired,
      tampered: `${header}.${forgedPayload}.${signature}`,
      'alg none': new UnsecuredJWT(claims)
        .setSubject(user.id)
        .setIssuer(ISSUER)
        .setAudience('leadscore-api')
        .setIssuedAt()
        .setExpirationTime('10m')
        .encode(),
      'another algorithm (HS512)': await signed('HS512'),
      'wrong issuer': await signed('HS256', 'https://evil.example'),
      'wrong audience': await signed('HS256', ISSUER, 'other-app'),
    };
    expect((await me(await signed('HS256'))).statusCode).toBe(200);
    for (const [name, token] of Object.entries(refused)) {
      const response = await me(token);
      expect(response.statusCode, name).toBe(401);
      expect(response.json(), name).toMatchObject({ code: 'AUTH_UNAUTHENTICATED' });
      expect(response.headers['www-authenticate'], name).toBe('Bearer');
    }
    expect((await t.app.inject('/auth/me')).statusCode).toBe(401);
  });

  it('rotates refresh tokens, and a reused one revokes the whole login', async () => {
    const user = await createTestUser(t.database.db, organizationId, 'manager');
    const first = (await login(user.email)).json();
    const second = await refresh(first.refreshToken);
    expect(second.statusCode).toBe(200);
    const rotated = second.json();
    expect(rotated.refreshToken).not.toBe(first.refreshToken);
    expect((await me(rotated.accessToken)).statusCode).toBe(200);

    // The first token again: someone copied it. Both it and its successor stop working.
    const reused = await refresh(first.refreshToken);
    expect(reused.statusCode).toBe(401);
    expect(reused.json()).toMatchObject({ code: 'AUTH_INVALID_REFRESH_TOKEN' });
    expect((await refresh(rotated.refreshToken)).statusCode).toBe(401);
    expect(await auditActions(user.id)).toEqual([
      'auth.login',
      'auth.refresh',
      'auth.refresh_token_reuse_detected',
    ]);
  });

  it('logs out: the refresh token stops working', async () => {
    const user = await createTestUser(t.database.db, organizationId, 'viewer');
    const session = (await login(user.email)).json();
    const out = await t.app.inject({
      method: 'POST',
      url: '/auth/logout',
      payload: { refreshToken: session.refreshToken },
    });
    expect(out.statusCode).toBe(204);
    expect((await refresh(session.refreshToken)).statusCode).toBe(401);
  });

  it('shuts a deactivated user out at once, refresh included', async () => {
    const user = await createTestUser(t.database.db, organizationId, 'sales_rep');
    const session = (await login(user.email)).json();
    await t.database.db
      .updateTable('users')
      .set({ is_active: false })
      .where('id', '=', user.id)
      .execute();
    expect((await me(session.accessToken)).statusCode).toBe(401);
    expect((await refresh(session.refreshToken)).statusCode).toBe(401);
    expect((await login(user.email)).statusCode).toBe(401);
  });

  it('checks the permission a route declares against the caller’s current role', async () => {
    const user = await createTestUser(t.database.db, organizationId, 'viewer');
    const token = (await login(user.email)).json().accessToken as string;
    const call = () =>
      t.app.inject({ url: '/test/manage-users', headers: { authorization: `Bearer ${token}` } });
    const denied = await call();
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ code: 'AUTH_FORBIDDEN' });
    // A role change applies to tokens already issued.
    await sql`update users set role = 'admin' where id = ${user.id}`.execute(t.database.db);
    expect((await call()).json()).toEqual({ caller: user.email });
  });
});

describe('route declarations', () => {
  it('refuses to register a route that does not say who may call it', async () => {
    const t = await buildTestApp(pgliteEngine);
    try {
      expect(() => t.app.get('/test/forgotten', async () => 'oops')).toThrow(/declares no auth/);
    } finally {
      await t.close();
    }
  });

  it('documents each protected route’s security and auth errors in OpenAPI', async () => {
    const t = await buildTestApp(pgliteEngine);
    try {
      const document = (await t.app.inject('/openapi.json')).json();
      const me = document.paths['/auth/me'].get;
      expect(me.security).toEqual([{ bearerAuth: [] }]);
      expect(Object.keys(me.responses)).toEqual(expect.arrayContaining(['200', '401', '403']));
      expect(document.paths['/auth/login'].post.security).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});
