import { randomInt } from 'node:crypto';
import { validate } from '@readme/openapi-parser';
import { Redis } from 'ioredis';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadMigrations } from '../db/migrator.js';
import { createMetrics } from '../metrics.js';
import { buildTestApp, TEST_SIGNING_KEY, type TestApp, testConfig } from '../test/app.js';
import { describeEachEngine, pgliteEngine } from '../test/databases.js';
import { buildApp } from './app.js';
import { errorCatalogues } from './error-catalogues.js';

describeEachEngine('HTTP app', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(engine);
  });
  afterAll(() => t.close());

  it('answers /healthz and /readyz when the database is reachable and migrated', async () => {
    const health = await t.app.inject('/healthz');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });

    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok' } });
  });

  it('serves Prometheus metrics with request durations by route and status, and database timings', async () => {
    await t.app.inject('/healthz');
    await t.app.inject('/readyz');
    const metrics = await t.app.inject('/metrics');
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.body).toMatch(
      /leadscore_http_request_duration_seconds_count\{method="GET",route="\/healthz",status_code="200"\} [1-9]/,
    );
    expect(metrics.body).toMatch(
      new RegExp(`leadscore_db_query_duration_seconds_count\\{engine="${engine.name}"\\} [1-9]`),
    );
    expect(metrics.body).toContain('leadscore_process_cpu_seconds_total');
  });
});

describe('HTTP app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(pgliteEngine, { env: { CORS_ORIGINS: 'https://app.example.com' } });
    // A route with a body schema, to see how the real validator and error handler answer.
    t.app.post(
      '/test/echo',
      {
        config: { auth: 'public' },
        schema: {
          body: Type.Object(
            {
              email: Type.String({ format: 'email' }),
              count: Type.Integer({ minimum: 1 }),
              note: Type.Optional(Type.Union([Type.String({ maxLength: 3 }), Type.Null()])),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => request.body,
    );
    t.app.get('/test/crash', { config: { auth: 'public' } }, async () => {
      throw new Error('database password is hunter2');
    });
  });
  afterAll(() => t.close());

  it('publishes a valid OpenAPI 3.1 document describing its routes', async () => {
    const response = await t.app.inject('/openapi.json');
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/healthz', '/readyz', '/metrics']),
    );
    // A query parameter with a default may be left out, so it is not published as required.
    const listParameters = document.paths['/leads'].get.parameters;
    expect(listParameters.find((p: { name: string }) => p.name === 'limit')).toMatchObject({
      required: false,
      schema: { default: 50 },
    });
    const result = await validate(structuredClone(document));
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(result).toMatchObject({ valid: true, specification: 'OpenAPI' });
    // The validator does catch a broken document, so the check above can fail.
    const broken = { ...structuredClone(document), info: { title: 'no version' } };
    expect(await validate(broken)).toMatchObject({ valid: false });
  });

  it('serves interactive API docs at /docs', async () => {
    const response = await t.app.inject('/docs/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.body).toContain('swagger-ui');
  });

  it('sends security headers on every response', async () => {
    for (const url of ['/healthz', '/no-such-route']) {
      const { headers } = await t.app.inject(url);
      expect(headers['content-security-policy']).toContain("default-src 'self'");
      expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(headers['x-frame-options']).toBe('DENY');
      expect(headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('answers an unknown route with a 404 problem document', async () => {
    const response = await t.app.inject('/no-such-route');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      type: '/problems/http-not-found',
      title: 'Not found',
      status: 404,
      code: 'HTTP_NOT_FOUND',
      instance: '/no-such-route',
    });
  });

  it('names every invalid field of a body in a 400 problem document', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/test/echo',
      payload: { email: 'not-an-email', count: 0, admin: true },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem).toMatchObject({
      status: 400,
      code: 'HTTP_VALIDATION_FAILED',
      type: '/problems/http-validation-failed',
    });
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ in: 'body', field: 'email' }),
        expect.objectContaining({ in: 'body', field: 'count' }),
        { in: 'body', field: 'admin', message: 'is not an allowed property' },
      ]),
    );

    const missing = await t.app.inject({
      method: 'POST',
      url: '/test/echo',
      payload: { count: 2 },
    });
    expect(missing.json().errors).toEqual([
      expect.objectContaining({ in: 'body', field: 'email' }),
    ]);
  });

  it('answers malformed JSON and unsupported content types with problem documents', async () => {
    const broken = await t.app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ code: 'HTTP_MALFORMED_REQUEST' });

    const xml = await t.app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/xml' },
      payload: '<lead/>',
    });
    expect(xml.statusCode).toBe(415);
    expect(xml.json()).toMatchObject({ code: 'HTTP_UNSUPPORTED_MEDIA_TYPE' });
  });

  it('refuses a body over the configured size with a 413 problem', async () => {
    const small = await buildTestApp(pgliteEngine, { env: { BODY_LIMIT_BYTES: '2048' } });
    try {
      small.app.post('/test/upload', { config: { auth: 'public' } }, async () => 'stored');
      const response = await small.app.inject({
        method: 'POST',
        url: '/test/upload',
        payload: { padding: 'x'.repeat(4096) },
      });
      expect(response.statusCode).toBe(413);
      expect(response.json()).toMatchObject({ code: 'HTTP_PAYLOAD_TOO_LARGE' });
    } finally {
      await small.close();
    }
  });

  it('hides the cause of an unexpected failure behind a 500 problem with the request id', async () => {
    const response = await t.app.inject('/test/crash');
    expect(response.statusCode).toBe(500);
    const problem = response.json();
    expect(problem).toMatchObject({
      code: 'HTTP_INTERNAL_ERROR',
      requestId: response.headers['x-request-id'],
    });
    expect(response.body).not.toContain('hunter2');
  });

  it('gives every response a request id, keeping a well-formed one from the caller', async () => {
    const generated = await t.app.inject('/healthz');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await t.app.inject({
      url: '/healthz',
      headers: { 'x-request-id': 'trace-abc.123' },
    });
    expect(kept.headers['x-request-id']).toBe('trace-abc.123');
    const replaced = await t.app.inject({
      url: '/healthz',
      headers: { 'x-request-id': 'bad id\nwith newline' },
    });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('allows the configured browser origins and no others', async () => {
    const allowed = await t.app.inject({
      url: '/healthz',
      headers: { origin: 'https://app.example.com' },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const other = await t.app.inject({
      url: '/healthz',
      headers: { origin: 'https://evil.example' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('documents every error code at its problem type URI', async () => {
    for (const definition of errorCatalogues.flatMap((c) => Object.values(c))) {
      expect(definition.description.length, definition.code).toBeGreaterThan(20);
      const slug = definition.code.toLowerCase().replace(/_/g, '-');
      const response = await t.app.inject(`/problems/${slug}`);
      expect(response.statusCode, definition.code).toBe(200);
      expect(response.json()).toMatchObject({ code: definition.code, status: definition.status });
    }
  });

  it('reports not ready while a migration is pending', async () => {
    const behind = await buildTestApp(pgliteEngine);
    const migrations = [
      ...(await loadMigrations()),
      { version: 9000, name: 'future', sql: 'select 1', checksum: 'x' },
    ];
    const app = await buildApp({
      config: testConfig(),
      tokenSigningKey: TEST_SIGNING_KEY,
      database: behind.database,
      migrations,
      metrics: createMetrics(),
      logger: false,
    });
    const response = await app.inject('/readyz');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      status: 'unavailable',
      checks: { database: 'ok', migrations: '1 migration(s) pending' },
    });
    await app.close();
    await behind.close();
  });
});

describe('rate limiting', () => {
  it('answers 429 with a problem document and Retry-After once a client exceeds its rate', async () => {
    const t = await buildTestApp(pgliteEngine, { env: { RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await t.app.inject('/openapi.json')).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await t.app.inject('/openapi.json');
      expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(limited.headers['retry-after']).toBeDefined();
      expect(limited.json()).toMatchObject({ code: 'HTTP_RATE_LIMITED', status: 429 });
      // Probes are never limited: an orchestrator must always see the truth.
      expect((await t.app.inject('/healthz')).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  const redisUrl = inject('redisUrl');
  it.skipIf(!redisUrl)(
    `shares counters between processes through Redis${redisUrl ? '' : ` (skipped: ${inject('redisSkipReason')})`}`,
    async () => {
      const prefix = { env: { RATE_LIMIT_PER_MINUTE: '4' } };
      const redisA = new Redis(redisUrl ?? '');
      const redisB = new Redis(redisUrl ?? '');
      const a = await buildTestApp(pgliteEngine, { ...prefix, redis: redisA });
      const b = await buildTestApp(pgliteEngine, { ...prefix, redis: redisB });
      // A client address of this run's own: another test run on the same Redis (a CI clone
      // beside a developer's run) counts its requests under another key.
      const client = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
      try {
        const statuses = [];
        for (const t of [a, b, a, b, a])
          statuses.push(
            (await t.app.inject({ url: '/openapi.json', remoteAddress: client })).statusCode,
          );
        expect(statuses).toEqual([200, 200, 200, 200, 429]);
      } finally {
        await a.close();
        await b.close();
        redisA.disconnect();
        redisB.disconnect();
      }
    },
  );
});
