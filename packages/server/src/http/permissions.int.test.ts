import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { UserRole } from '../db/schema.js';
import { type Permission, ROLE_PERMISSIONS } from '../modules/auth/index.js';
import { buildTestApp, type TestApp } from '../test/app.js';
import { describeEachEngine } from '../test/databases.js';
import { createTestOrganization, createTestUser, TEST_PASSWORD } from '../test/factories.js';

const ROLES = Object.keys(ROLE_PERMISSIONS) as UserRole[];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Operation {
  method: (typeof METHODS)[number];
  path: string;
  permission: Permission | 'public';
}

/** Every operation of the published API with the permission it documents. */
function operationsOf(document: {
  paths: Record<string, Record<string, { security?: unknown[]; description?: string }>>;
}): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = item[method];
      if (!operation) return [];
      const declared = /Requires the `([a-z_:]+)` permission/.exec(
        operation.description ?? '',
      )?.[1];
      if (operation.security && !declared)
        throw new Error(`${method} ${path} is protected but names no permission`);
      return [{ method, path, permission: (declared as Permission | undefined) ?? 'public' }];
    }),
  );
}

/**
 * The role × route matrix, generated from the route table itself: every protected
 * route, called by every role, is refused (403) exactly when the role lacks the route's
 * permission, and refused (401) without a token. A new route is covered as it is added.
 */
describeEachEngine('role × route matrix', (engine) => {
  let t: TestApp;
  let operations: Operation[];
  const tokens = new Map<UserRole, string>();
  beforeAll(async () => {
    t = await buildTestApp(engine);
    operations = operationsOf((await t.app.inject('/openapi.json')).json());
    const { organizationId } = await createTestOrganization(t.database.db);
    for (const role of ROLES) {
      const user = await createTestUser(t.database.db, organizationId, role);
      const session = await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email: user.email, password: TEST_PASSWORD },
      });
      tokens.set(role, session.json().accessToken);
    }
  });
  afterAll(() => t.close());

  it('finds the protected routes in the route table', () => {
    expect(operations.filter((o) => o.permission !== 'public').length).toBeGreaterThan(0);
  });

  it.each(ROLES)('lets %s call exactly the routes its permissions allow', async (role) => {
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const operation of operations.filter((o) => o.permission !== 'public')) {
      const url = operation.path.replace(/\{[^}]+\}/g, randomUUID());
      const response = await t.app.inject({
        method: operation.method.toUpperCase() as 'GET',
        url,
        headers: { authorization: `Bearer ${tokens.get(role)}` },
        ...(operation.method !== 'get' && operation.method !== 'delete' && { payload: {} }),
      });
      const allowed = ROLE_PERMISSIONS[role].includes(operation.permission as Permission);
      const label = `${operation.method.toUpperCase()} ${operation.path}`;
      expect(response.statusCode, `${label} as ${role}`).toBeLessThan(500);
      outcomes.push(`${label}: ${response.statusCode === 403 ? 'denied' : 'allowed'}`);
      expected.push(`${label}: ${allowed ? 'allowed' : 'denied'}`);
    }
    expect(outcomes).toEqual(expected);
  });

  it('answers 401 on every protected route without a token', async () => {
    for (const operation of operations.filter((o) => o.permission !== 'public')) {
      const url = operation.path.replace(/\{[^}]+\}/g, randomUUID());
      const response = await t.app.inject({ method: operation.method.toUpperCase() as 'GET', url });
      expect(response.statusCode, `${operation.method} ${operation.path}`).toBe(401);
    }
  });
});
