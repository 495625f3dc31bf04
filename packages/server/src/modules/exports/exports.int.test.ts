import { parse } from 'csv-parse/sync';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRole } from '../../db/schema.js';
import { buildTestApp, TEST_SIGNING_KEY, type TestApp, testConfig } from '../../test/app.js';
import { describeEachEngine } from '../../test/databases.js';
import { createTestOrganization, createTestUser } from '../../test/factories.js';
import { createTokenSigner } from '../auth/index.js';
import { EXPORT_COLUMNS } from './export-formats.js';

type Api = (
  url: string,
  options?: { method?: 'GET' | 'POST'; headers?: Record<string, string>; payload?: object },
) => Promise<LightMyRequestResponse>;

type ApiLead = Record<string, unknown> & { id: string; attributes: Record<string, unknown> };

const signer = createTokenSigner({ key: TEST_SIGNING_KEY, issuer: testConfig().publicUrl });
const LEAD_COLUMNS = EXPORT_COLUMNS.leads as readonly string[];

describeEachEngine('GET /exports/leads', (engine) => {
  let t: TestApp;
  let orgA: string;
  let orgB: string;
  let manager: Api;
  let managerB: Api;
  /** Org A's leads as the API's Lead JSON, with the grade exports add; keyed by id. */
  const leadsA = new Map<string, ApiLead>();
  const leadsB: string[] = [];

  async function apiFor(organizationId: string, role: UserRole): Promise<Api> {
    const user = await createTestUser(t.database.db, organizationId, role);
    const token = await signer.issue({ userId: user.id, organizationId });
    return (url, options = {}) =>
      t.app.inject({
        method: options.method ?? 'GET',
        url,
        headers: { authorization: `Bearer ${token}`, ...options.headers },
        ...(options.payload && { payload: options.payload }),
      });
  }

  /**
   * Creates a lead through the API, then gives it what the scorer would (score, grade, activity)
   * and, when asked, an older creation time.
   */
  async function createLead(
    api: Api,
    body: object,
    scored?: { score: number; grade: string },
    createdAt?: Date,
  ) {
    const created = await api('/leads', { method: 'POST', payload: body });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json() as { id: string };
    if (createdAt) {
      // created_at is not writable through the schema: the database stamps it.
      await sql`update leads set created_at = ${createdAt.toISOString()}::timestamptz
        where id = ${id}`.execute(t.database.db);
    }
    if (scored) {
      await t.database.db
        .updateTable('leads')
        .set({
          current_score: scored.score,
          max_score: scored.score + 5,
          current_grade: scored.grade,
          last_activity_at: new Date('2025-03-04T05:06:07.089Z'),
        })
        .where('id', '=', id)
        .execute();
    }
    const read = await api(`/leads/${id}`);
    return { ...read.json(), currentGrade: scored?.grade ?? null } as ApiLead;
  }

  beforeAll(async () => {
    t = await buildTestApp(engine);
    ({ organizationId: orgA } = await createTestOrganization(t.database.db));
    ({ organizationId: orgB } = await createTestOrganization(t.database.db));
    manager = await apiFor(orgA, 'manager');
    managerB = await apiFor(orgB, 'manager');
    const leads = [
      createLead(
        manager,
        {
          email: 'ada@analytical.example',
          firstName: 'Ada',
          lastName: 'Lovelace',
          company: 'Engines, "Analytical" & Sons',
          jobTitle: 'Head of\nResearch',
          source: 'webinar',
          status: 'qualified',
          country: 'GB',
          industry: 'Software',
          companySize: 250,
          attributes: { plan: 'pro', tags: ['a', 'b'], nested: { seats: 3, trial: false } },
        },
        { score: 82, grade: 'A1' },
      ),
      createLead(
        manager,
        { email: 'zoe@mueller.example', firstName: 'Zoë', lastName: 'Müller', source: 'ads' },
        { score: 35, grade: 'C3' },
      ),
      createLead(manager, { email: 'bare@x.example' }),
      createLead(
        manager,
        { email: 'sam@converted.example', source: 'webinar', status: 'converted' },
        { score: 60, grade: 'B2' },
      ),
      createLead(
        manager,
        { email: 'lee@lost.example', source: 'ads', status: 'lost' },
        undefined,
        new Date('2020-06-01T12:00:00.123Z'),
      ),
    ];
    for (const lead of await Promise.all(leads)) leadsA.set(lead.id, lead);
    for (const email of ['b1@other.example', 'b2@other.example']) {
      leadsB.push((await createLead(managerB, { email })).id);
    }
  });
  afterAll(() => t.close());

  const csvRows = (body: string) =>
    parse(body, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const ndjsonRows = (body: string) =>
    body
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  /** What a CSV cell holds for a Lead JSON value. */
  const cell = (value: unknown) =>
    value === null ? '' : typeof value === 'object' ? value : String(value);

  describe('content', () => {
    it('writes CSV: a header of the Lead JSON names in order, one row per lead, every value as the API has it', async () => {
      const response = await manager('/exports/leads?format=csv');
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toMatch(
        /^attachment; filename="leads-\d{8}T\d{6}Z\.csv"$/,
      );
      expect(response.headers['cache-control']).toBe('no-store');
      // RFC 4180: CRLF after every record, the header included.
      expect(response.body.startsWith(`${LEAD_COLUMNS.join(',')}\r\n`)).toBe(true);
      expect(response.body.endsWith('\r\n')).toBe(true);

      const rows = csvRows(response.body);
      expect(rows.map((row) => row.id).sort()).toEqual([...leadsA.keys()].sort());
      for (const row of rows) {
        const lead = leadsA.get(row.id ?? '') as ApiLead;
        expect(Object.keys(row)).toEqual(LEAD_COLUMNS);
        const { attributes, ...cells } = row;
        expect(JSON.parse(attributes ?? '')).toEqual(lead.attributes);
        for (const [column, value] of Object.entries(cells)) {
          expect(value, column).toEqual(cell(lead[column]));
        }
      }
      // Quotes, commas, line breaks and non-ASCII survive the round trip.
      const ada = rows.find((row) => row.email === 'ada@analytical.example');
      expect(ada).toMatchObject({
        company: 'Engines, "Analytical" & Sons',
        jobTitle: 'Head of\nResearch',
        currentGrade: 'A1',
        lastActivityAt: '2025-03-04T05:06:07.089Z',
      });
      expect(rows.find((row) => row.firstName === 'Zoë')?.email).toBe('zoe@mueller.example');
    });

    it('writes NDJSON: one Lead JSON object per line, its fields in the CSV’s order', async () => {
      const response = await manager('/exports/leads?format=ndjson');
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
      expect(response.headers['content-disposition']).toMatch(/\.ndjson"$/);
      const rows = ndjsonRows(response.body);
      expect(rows).toHaveLength(leadsA.size);
      for (const row of rows) {
        expect(Object.keys(row)).toEqual(LEAD_COLUMNS);
        expect(row).toEqual(leadsA.get(row.id as string));
      }
    });
  });

  describe('filters', () => {
    it.each([
      'status=converted&status=lost',
      'source=webinar',
      'minScore=50',
      'maxScore=50',
      'q=müller',
      'source=ads&status=lost',
      `createdFrom=${encodeURIComponent('2020-01-01T00:00:00Z')}&createdTo=${encodeURIComponent('2021-01-01T00:00:00Z')}`,
      `createdFrom=${encodeURIComponent('2021-01-01T00:00:00+02:00')}`,
      `lastActivityFrom=${encodeURIComponent('2025-03-04T05:06:07.089Z')}`,
    ])('exports exactly the leads GET /leads lists for %s', async (query) => {
      const listed = await manager(`/leads?limit=200&${query}`);
      expect(listed.statusCode).toBe(200);
      const expected = (listed.json().data as { id: string }[]).map((lead) => lead.id).sort();
      const exported = await manager(`/exports/leads?format=ndjson&${query}`);
      expect(exported.statusCode).toBe(200);
      expect(
        ndjsonRows(exported.body)
          .map((row) => row.id)
          .sort(),
      ).toEqual(expected);
      expect(expected.length).toBeLessThan(leadsA.size);
    });

    it('answers a bad filter with a problem naming it', async () => {
      for (const [query, field] of [
        ['status=won', 'status.0'],
        ['minScore=101', 'minScore'],
        ['createdFrom=yesterday', 'createdFrom'],
        ['colour=red', 'colour'],
        ['format=xlsx', 'format'],
      ] as const) {
        const response = await manager(`/exports/leads?${query}`);
        expect(response.statusCode, query).toBe(400);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.json().errors).toContainEqual(
          expect.objectContaining({ in: 'querystring', field }),
        );
      }
    });
  });

  describe('content negotiation', () => {
    it.each([
      [undefined, 'text/csv'],
      ['*/*', 'text/csv'],
      ['text/csv', 'text/csv'],
      ['application/x-ndjson', 'application/x-ndjson'],
      ['text/html, application/x-ndjson;q=0.9, text/csv;q=0.5', 'application/x-ndjson'],
      ['text/csv;q=0.2, application/ndjson', 'application/x-ndjson'],
      ['application/json, */*;q=0.1', 'text/csv'],
    ])('Accept %s → %s', async (accept, contentType) => {
      const response = await manager('/exports/leads', {
        headers: accept === undefined ? {} : { accept },
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe(`${contentType}; charset=utf-8`);
    });

    it('lets ?format= win over the Accept header', async () => {
      const response = await manager('/exports/leads?format=ndjson', {
        headers: { accept: 'text/csv' },
      });
      expect(response.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    });

    it('answers 406 with a problem when the Accept header names only other types', async () => {
      for (const accept of ['application/json', 'application/xml, text/html', 'text/csv;q=0']) {
        const response = await manager('/exports/leads', { headers: { accept } });
        expect(response.statusCode, accept).toBe(406);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.json()).toMatchObject({
          code: 'EXPORTS_NOT_ACCEPTABLE',
          type: '/problems/exports-not-acceptable',
        });
      }
    });
  });

  describe('tenancy, permission and audit', () => {
    it("never exports another organisation's leads", async () => {
      const response = await managerB('/exports/leads?format=ndjson');
      expect(
        ndjsonRows(response.body)
          .map((row) => row.id)
          .sort(),
      ).toEqual([...leadsB].sort());
    });

    it.each([
      ['owner', 200],
      ['admin', 200],
      ['manager', 200],
      ['analyst', 403],
      ['sales_rep', 403],
      ['viewer', 403],
    ] as const)('lets a %s export: %i', async (role, status) => {
      const api = await apiFor(orgA, role);
      const response = await api('/exports/leads');
      expect(response.statusCode).toBe(status);
      if (status === 403) expect(response.json().code).toBe('AUTH_FORBIDDEN');
    });

    it('refuses a caller without a token', async () => {
      expect((await t.app.inject('/exports/leads')).statusCode).toBe(401);
    });

    it('records each export in the audit trail: who, which format, which filters', async () => {
      await manager('/exports/leads?format=ndjson&status=lost&minScore=10', {
        headers: { 'user-agent': 'audit-check' },
      });
      const audit = await manager('/audit-log?action=export.streamed&limit=200');
      expect(audit.statusCode, audit.body).toBe(200);
      const entry = (audit.json().data as Record<string, unknown>[]).find(
        (e) => e.userAgent === 'audit-check',
      );
      expect(entry).toMatchObject({
        action: 'export.streamed',
        actorType: 'user',
        targetType: 'leads',
        details: { format: 'ndjson', filters: { status: ['lost'], minScore: 10 } },
      });
    });
  });
});
