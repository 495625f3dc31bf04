import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../test/app.js';
import { describeEachEngine } from '../test/databases.js';
import { createTestOrganization, createTestUser, TEST_PASSWORD } from '../test/factories.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
type Method = (typeof METHODS)[number];

interface JsonSchema {
  type?: string | string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  $ref?: string;
}

interface Operation {
  method: Method;
  path: string;
  body: JsonSchema | undefined;
  queryIntegers: string[];
  pathParams: string[];
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { in: string; name: string; schema?: JsonSchema }[];
        requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
      }
    >
  >;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** Every operation of the published API, with what it accepts. */
function operationsOf(document: OpenApiDocument): Operation[] {
  const resolve = (schema: JsonSchema | undefined): JsonSchema | undefined =>
    schema?.$ref
      ? resolve(document.components?.schemas?.[schema.$ref.split('/').pop() ?? ''])
      : schema;
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = item[method];
      if (!operation) return [];
      const parameters = operation.parameters ?? [];
      return [
        {
          method,
          path,
          body: resolve(operation.requestBody?.content?.['application/json']?.schema),
          queryIntegers: parameters
            .filter((p) => p.in === 'query' && typesOf(resolve(p.schema)).includes('integer'))
            .map((p) => p.name),
          pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        },
      ];
    }),
  );
}

function typesOf(schema: JsonSchema | undefined): string[] {
  if (!schema) return [];
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.flatMap(typesOf);
  return schema.type === undefined ? [] : [schema.type].flat();
}

/** A JSON value the field's schema refuses, or undefined when it accepts any type. */
function wrongValueFor(schema: JsonSchema): unknown {
  if (schema.enum) return 'not-one-of-the-choices';
  const allowed = typesOf(schema);
  if (allowed.length === 0) return undefined;
  if (!allowed.includes('object')) return { not: 'this' };
  if (!allowed.includes('number') && !allowed.includes('integer')) return 12345;
  return undefined;
}

/**
 * The bad-input sweep, generated from the published route table: for every route, bad
 * JSON, a body of the wrong shape, each body field with a wrong type, a body over the
 * limit, a malformed path id and non-numeric numeric query parameters. Each answer is a
 * 4xx problem+json naming what is wrong, and the organisation's data is byte-for-byte
 * what it was before. New routes are swept as they are added.
 */
describeEachEngine('bad input on every route', (engine) => {
  const BODY_LIMIT = 16_384;
  let t: TestApp;
  let operations: Operation[];
  let organizationId: string;
  let token: string;
  const realIds = new Map<string, string>();

  beforeAll(async () => {
    t = await buildTestApp(engine, { env: { BODY_LIMIT_BYTES: String(BODY_LIMIT) } });
    operations = operationsOf((await t.app.inject('/openapi.json')).json());
    ({ organizationId } = await createTestOrganization(t.database.db));
    const owner = await createTestUser(t.database.db, organizationId, 'owner');
    realIds.set('users', owner.id);
    const login = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: owner.email, password: TEST_PASSWORD },
    });
    token = login.json().accessToken;
    const lead = await call('POST', '/leads', { email: 'someone@bad-input.example' });
    realIds.set('leads', lead.json().id);
    const key = await call('POST', '/api-keys', { name: 'sweep', scopes: ['leads:read'] });
    realIds.set('api-keys', key.json().id);
  });
  afterAll(() => t.close());

  function call(method: string, url: string, payload?: unknown, headers: object = {}) {
    return t.app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${token}`, ...headers },
      ...(payload !== undefined && { payload: payload as string }),
    });
  }

  /** The path with each `{param}` replaced by a real row of this organisation where one exists. */
  function urlOf(operation: Operation): string {
    const collection = operation.path.split('/')[1] ?? '';
    return operation.path.replace(
      /\{[^}]+\}/g,
      () => realIds.get(collection) ?? crypto.randomUUID(),
    );
  }

  /** Every row the organisation owns, as text: any write at all changes it. */
  async function organisationData(): Promise<string> {
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.columns
      where table_schema = current_schema() and column_name = 'organization_id'
      order by table_name`.execute(t.database.db);
    const parts = [];
    for (const { table_name } of tables.rows) {
      const rows = await sql<{ digest: string | null }>`
        select string_agg(t::text, '|' order by t::text) as digest from ${sql.table(table_name)} t
        where organization_id = ${organizationId}`.execute(t.database.db);
      parts.push(`${table_name}: ${rows.rows[0]?.digest ?? ''}`);
    }
    const organization = await sql<{ row: string }>`
      select o::text as row from organizations o where id = ${organizationId}`.execute(
      t.database.db,
    );
    return [...parts, organization.rows[0]?.row].join('\n');
  }

  async function expectRefused(
    label: string,
    response: Awaited<ReturnType<typeof call>>,
    namedField?: string,
  ) {
    expect(response.statusCode, `${label}: ${response.body}`).toBeGreaterThanOrEqual(400);
    expect(response.statusCode, `${label}: ${response.body}`).toBeLessThan(500);
    expect(response.headers['content-type'], label).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem.type, label).toEqual(expect.any(String));
    expect(problem.status, label).toBe(response.statusCode);
    if (namedField !== undefined) {
      const fields = (problem.errors ?? []).map((e: { field: string }) => e.field);
      expect(fields, `${label}: ${response.body}`).toContain(namedField);
    }
  }

  it('finds routes with bodies, path ids and numeric query parameters', () => {
    expect(operations.filter((o) => o.body).length).toBeGreaterThan(5);
    expect(operations.filter((o) => o.pathParams.length > 0).length).toBeGreaterThan(5);
    expect(operations.filter((o) => o.queryIntegers.length > 0).length).toBeGreaterThan(3);
  });

  it('refuses malformed bodies on every route that takes one, changing nothing', async () => {
    const before = await organisationData();
    for (const operation of operations.filter((o) => o.body)) {
      const label = `${operation.method.toUpperCase()} ${operation.path}`;
      const url = urlOf(operation);
      const json = { 'content-type': 'application/json' };
      await expectRefused(
        `${label} bad JSON`,
        await call(operation.method, url, '{"email": ', json),
      );
      await expectRefused(`${label} array body`, await call(operation.method, url, '[1, 2]', json));
      await expectRefused(
        `${label} oversize body`,
        await call(operation.method, url, JSON.stringify({ pad: 'x'.repeat(BODY_LIMIT) }), json),
      );
      await expectRefused(
        `${label} not JSON`,
        await call(operation.method, url, 'email=a@b.c', { 'content-type': 'text/plain' }),
      );
      const required = operation.body?.required ?? [];
      if (required.length > 0) {
        await expectRefused(
          `${label} empty object`,
          await call(operation.method, url, {}),
          required[0],
        );
      }
      for (const [field, schema] of Object.entries(operation.body?.properties ?? {})) {
        const wrong = wrongValueFor(schema);
        if (wrong === undefined) continue;
        await expectRefused(
          `${label} wrong type for ${field}`,
          await call(operation.method, url, { [field]: wrong }),
          field,
        );
      }
    }
    expect(await organisationData()).toBe(before);
  });

  it('refuses malformed path ids and non-numeric numbers in query strings', async () => {
    const before = await organisationData();
    for (const operation of operations) {
      const label = `${operation.method.toUpperCase()} ${operation.path}`;
      const body = operation.body ? {} : undefined;
      if (operation.pathParams.length > 0) {
        const url = operation.path.replace(/\{[^}]+\}/g, 'not-an-id');
        await expectRefused(`${label} malformed id`, await call(operation.method, url, body));
      }
      for (const name of operation.queryIntegers) {
        const response = await call(operation.method, `${urlOf(operation)}?${name}=many`, body);
        await expectRefused(`${label} ?${name}=many`, response, name);
      }
    }
    expect(await organisationData()).toBe(before);
  });

  it('refuses unknown activity types and timestamps in the future, storing nothing', async () => {
    const before = await organisationData();
    const leadEmail = 'someone@bad-input.example';
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const now = new Date().toISOString();
    await expectRefused(
      'unknown type',
      await call('POST', '/activities', { leadEmail, type: 'telepathy', timestamp: now, data: {} }),
      'type',
    );
    await expectRefused(
      'future timestamp',
      await call('POST', '/activities', {
        leadEmail,
        type: 'email_open',
        timestamp: inAnHour,
        data: {},
      }),
      'timestamp',
    );
    expect(await organisationData()).toBe(before);
  });
});
