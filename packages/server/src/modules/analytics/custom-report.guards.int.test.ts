import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, signIn, type TestApp } from '../../test/app.js';
import { describeEachEngine } from '../../test/databases.js';
import { createTestOrganization } from '../../test/factories.js';
import { runCustomReport } from './custom-report.service.js';

const DROP = `'; drop table leads; --`;
const OR_TRUE = `source" OR 1=1`;

/** [what is wrong, body, code, field named]: each a 400 problem naming the bad part. */
const REFUSED: [string, unknown, string, string][] = [
  // Injection attempts in every string field the client writes.
  ['SQL in a metric', { metrics: [DROP] }, 'CUSTOM_REPORT_UNKNOWN_METRIC', 'metrics.0'],
  [
    'quote in a metric',
    { metrics: [`count" from users --`] },
    'CUSTOM_REPORT_UNKNOWN_METRIC',
    'metrics.0',
  ],
  [
    'SQL in a dimension',
    { metrics: ['count'], groupBy: ['source', OR_TRUE] },
    'CUSTOM_REPORT_UNKNOWN_DIMENSION',
    'groupBy.1',
  ],
  [
    'a column that is no dimension',
    { metrics: ['count'], groupBy: ['email'] },
    'CUSTOM_REPORT_UNKNOWN_DIMENSION',
    'groupBy.0',
  ],
  [
    'a prototype key as dimension',
    { metrics: ['count'], groupBy: ['constructor'] },
    'CUSTOM_REPORT_UNKNOWN_DIMENSION',
    'groupBy.0',
  ],
  [
    'SQL in a filter field',
    { metrics: ['count'], filters: [{ field: OR_TRUE, op: 'eq', value: 'x' }] },
    'CUSTOM_REPORT_UNKNOWN_DIMENSION',
    'filters.0.field',
  ],
  [
    'SQL in an operator',
    { metrics: ['count'], filters: [{ field: 'source', op: '= 1 OR 1=1 --', value: 'x' }] },
    'CUSTOM_REPORT_UNKNOWN_OPERATOR',
    'filters.0.op',
  ],
  [
    'SQL as an owner id',
    { metrics: ['count'], filters: [{ field: 'owner', op: 'eq', value: DROP }] },
    'CUSTOM_REPORT_INVALID_VALUE',
    'filters.0.value',
  ],
  [
    'SQL as a status',
    { metrics: ['count'], filters: [{ field: 'status', op: 'in', value: ['new', DROP] }] },
    'CUSTOM_REPORT_INVALID_VALUE',
    'filters.0.value.1',
  ],
  [
    'SQL as a grade',
    { metrics: ['count'], filters: [{ field: 'grade', op: 'eq', value: OR_TRUE }] },
    'CUSTOM_REPORT_INVALID_VALUE',
    'filters.0.value',
  ],
  [
    'SQL as a country',
    { metrics: ['count'], filters: [{ field: 'country', op: 'eq', value: DROP }] },
    'CUSTOM_REPORT_INVALID_VALUE',
    'filters.0.value',
  ],
  [
    'SQL as a band',
    { metrics: ['count'], filters: [{ field: 'company_size', op: 'eq', value: DROP }] },
    'CUSTOM_REPORT_INVALID_VALUE',
    'filters.0.value',
  ],
  [
    'SQL as a month',
    {
      metrics: ['count'],
      filters: [{ field: 'created_month', op: 'gte', value: `2024-01' or '1'='1` }],
    },
    'CUSTOM_REPORT_INVALID_VALUE',
    'filters.0.value',
  ],
  [
    'SQL as a date',
    {
      metrics: ['count'],
      filters: [{ field: 'created_at', op: 'lt', value: `now()); drop table leads; --` }],
    },
    'CUSTOM_REPORT_INVALID_VALUE',
    'filters.0.value',
  ],
  [
    'SQL as a score',
    { metrics: ['count'], filters: [{ field: 'score', op: 'gte', value: '0 OR 1=1' }] },
    'CUSTOM_REPORT_INVALID_VALUE',
    'filters.0.value',
  ],
  [
    'SQL in a sort key',
    { metrics: ['count'], sort: [{ by: `count; ${DROP}` }] },
    'CUSTOM_REPORT_SORT_NOT_IN_QUERY',
    'sort.0.by',
  ],
  [
    'SQL in a sort direction',
    { metrics: ['count'], sort: [{ by: 'count', direction: `desc; ${DROP}` }] },
    'HTTP_VALIDATION_FAILED',
    'sort.0.direction',
  ],
  [
    'raw SQL as an extra property',
    { metrics: ['count'], where: '1=1' },
    'HTTP_VALIDATION_FAILED',
    'where',
  ],
  // Meaning.
  ['a metric twice', { metrics: ['p90', 'p90'] }, 'CUSTOM_REPORT_REPEATED_NAME', 'metrics.1'],
  [
    'a dimension twice',
    { metrics: ['count'], groupBy: ['grade', 'grade'] },
    'CUSTOM_REPORT_REPEATED_NAME',
    'groupBy.1',
  ],
  [
    'group by a raw score',
    { metrics: ['count'], groupBy: ['score'] },
    'CUSTOM_REPORT_UNKNOWN_DIMENSION',
    'groupBy.0',
  ],
  [
    'a range on text',
    { metrics: ['count'], filters: [{ field: 'industry', op: 'lt', value: 'm' }] },
    'CUSTOM_REPORT_OPERATOR_NOT_ALLOWED',
    'filters.0.op',
  ],
  [
    'a list for eq',
    { metrics: ['count'], filters: [{ field: 'source', op: 'eq', value: ['a'] }] },
    'CUSTOM_REPORT_INVALID_VALUE',
    'filters.0.value',
  ],
  [
    'no value for in',
    { metrics: ['count'], filters: [{ field: 'source', op: 'in' }] },
    'CUSTOM_REPORT_INVALID_VALUE',
    'filters.0.value',
  ],
  [
    'a text for a score',
    { metrics: ['count'], filters: [{ field: 'score', op: 'eq', value: '50' }] },
    'CUSTOM_REPORT_INVALID_VALUE',
    'filters.0.value',
  ],
  [
    'a score out of range',
    { metrics: ['count'], filters: [{ field: 'score', op: 'between', value: [0, 101] }] },
    'CUSTOM_REPORT_INVALID_VALUE',
    'filters.0.value.1',
  ],
  [
    'a date-time without offset',
    {
      metrics: ['count'],
      filters: [{ field: 'created_at', op: 'gte', value: '2024-01-01T00:00:00' }],
    },
    'CUSTOM_REPORT_INVALID_VALUE',
    'filters.0.value',
  ],
  [
    'month 13',
    { metrics: ['count'], filters: [{ field: 'created_month', op: 'eq', value: '2024-13' }] },
    'CUSTOM_REPORT_INVALID_VALUE',
    'filters.0.value',
  ],
  [
    'a sort key not in the query',
    { metrics: ['count'], groupBy: ['source'], sort: [{ by: 'status' }] },
    'CUSTOM_REPORT_SORT_NOT_IN_QUERY',
    'sort.0.by',
  ],
  ['no metrics', { metrics: [] }, 'HTTP_VALIDATION_FAILED', 'metrics'],
  // Oversize.
  [
    'four dimensions',
    { metrics: ['count'], groupBy: ['source', 'status', 'owner', 'grade'] },
    'CUSTOM_REPORT_TOO_MANY_DIMENSIONS',
    'groupBy',
  ],
  [
    'eleven metrics',
    { metrics: ['count', ...Array.from({ length: 10 }, (_, i) => `p${i + 1}`)] },
    'CUSTOM_REPORT_TOO_MANY_METRICS',
    'metrics',
  ],
  [
    '21 filters',
    {
      metrics: ['count'],
      filters: Array.from({ length: 21 }, () => ({ field: 'score', op: 'is_not_null' })),
    },
    'CUSTOM_REPORT_TOO_MANY_FILTERS',
    'filters',
  ],
  [
    '101 values',
    {
      metrics: ['count'],
      filters: [
        { field: 'score', op: 'in', value: Array.from({ length: 101 }, (_, i) => i % 100) },
      ],
    },
    'CUSTOM_REPORT_TOO_MANY_VALUES',
    'filters.0.value',
  ],
  [
    '200,000 values',
    {
      metrics: ['count'],
      filters: [{ field: 'source', op: 'nin', value: Array.from({ length: 200_000 }, () => 'x') }],
    },
    'CUSTOM_REPORT_TOO_MANY_VALUES',
    'filters.0.value',
  ],
  [
    'six sort keys',
    {
      metrics: ['count', 'p1', 'p2', 'p3', 'p4', 'p5'],
      sort: ['count', 'p1', 'p2', 'p3', 'p4', 'p5'].map((by) => ({ by })),
    },
    'CUSTOM_REPORT_TOO_MANY_SORT_KEYS',
    'sort',
  ],
  ['a limit over 1000', { metrics: ['count'], limit: 1001 }, 'HTTP_VALIDATION_FAILED', 'limit'],
  [
    'a huge name',
    { metrics: ['count'], groupBy: ['x'.repeat(100_000)] },
    'HTTP_VALIDATION_FAILED',
    'groupBy.0',
  ],
];

describeEachEngine('POST /analytics/custom-report: refusals, tenancy, time limit', (engine) => {
  let t: TestApp;
  let organizationId: string;
  let token: string;
  const others = { viewer: '', analystOfB: '' };

  beforeAll(async () => {
    t = await buildTestApp(engine);
    ({ organizationId } = await createTestOrganization(t.database.db));
    const { organizationId: orgB } = await createTestOrganization(t.database.db);
    token = await signIn(t, organizationId, 'analyst');
    others.viewer = await signIn(t, organizationId, 'viewer');
    others.analystOfB = await signIn(t, orgB, 'analyst');
    // Org B shares a source with this one: its report must count its own three leads only.
    await t.database.db
      .insertInto('leads')
      .values([
        ...['web', 'event'].map((source, i) => ({
          organization_id: organizationId,
          email: `${i}@x.example`,
          source,
        })),
        ...[10, 20, 30].map((current_score) => ({
          organization_id: orgB,
          email: `${current_score}@x.example`,
          source: 'web',
          current_score,
        })),
      ])
      .execute();
  });
  afterAll(() => t.close());

  const report = (payload: unknown, as = token) =>
    t.app.inject({
      method: 'POST',
      url: '/analytics/custom-report',
      headers: { authorization: `Bearer ${as}` },
      payload: payload as object,
    });

  it.each(REFUSED)('refuses %s', async (_, body, code, field) => {
    const response = await report(body);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem.code).toBe(code);
    expect(problem.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('binds hostile text as plain values: it matches no lead and the leads are all still there', async () => {
    for (const value of [DROP, OR_TRUE, `x' OR '1'='1`, `\\'; select pg_sleep(10); --`]) {
      const response = await report({
        metrics: ['count'],
        filters: [
          { field: 'source', op: 'in', value: ['web', value] },
          { field: 'industry', op: 'neq', value },
        ],
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().rows).toEqual([{ count: 1 }]);
    }
    const stored = await t.database.db
      .selectFrom('leads')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('organization_id', '=', organizationId)
      .executeTakeFirstOrThrow();
    expect(Number(stored.count)).toBe(2);
  });

  it('documents every code it answers with at /problems', async () => {
    const codes = [...new Set(REFUSED.map(([, , code]) => code)), 'CUSTOM_REPORT_TIMEOUT'];
    for (const code of codes) {
      const slug = code.toLowerCase().replace(/_/g, '-');
      expect((await t.app.inject(`/problems/${slug}`)).statusCode, code).toBe(200);
    }
  });

  it('counts only the caller’s organisation', async () => {
    const request = { metrics: ['count', 'max_score'], groupBy: ['source'] };
    expect((await report(request, others.analystOfB)).json().rows).toEqual([
      { source: 'web', count: 3, max_score: 30 },
    ]);
    expect((await report(request)).json().rows).toEqual([
      { source: 'event', count: 1, max_score: null },
      { source: 'web', count: 1, max_score: null },
    ]);
  });

  it('lets an analyst run reports and refuses a viewer', async () => {
    expect((await report({ metrics: ['count'] })).statusCode).toBe(200);
    const refused = await report({ metrics: ['count'] }, others.viewer);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  // PGlite runs in WASM without timer signals, so its statement_timeout never fires.
  it.skipIf(engine.name === 'pglite')(
    'stops a report at its time limit and answers CUSTOM_REPORT_TIMEOUT',
    async () => {
      // A lock held by another transaction makes the report wait, deterministically, until
      // its (shortened) time limit cancels it.
      await t.database.db.transaction().execute(async (locker) => {
        await sql`lock table leads in access exclusive mode`.execute(locker);
        const running = runCustomReport({ db: t.database.db, timeoutMs: 200 }, organizationId, {
          metrics: ['count'],
        });
        await expect(running).rejects.toMatchObject({
          statusCode: 422,
          definition: { code: 'CUSTOM_REPORT_TIMEOUT' },
          extensions: { timeoutMs: 200 },
        });
      });
      expect((await report({ metrics: ['count'] })).statusCode).toBe(200);
    },
  );
});
