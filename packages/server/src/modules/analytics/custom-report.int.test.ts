import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAD_STATUSES, type LeadStatus } from '../../db/schema.js';
import { buildTestApp, signIn, type TestApp } from '../../test/app.js';
import { describeEachEngine } from '../../test/databases.js';
import { createTestOrganization, createTestUser } from '../../test/factories.js';
import type { CustomReportRequest } from './custom-report.schemas.js';

/** A seeded lead as the test knows it, to compute every report independently of the SQL. */
interface Lead {
  source: string | null;
  status: LeadStatus;
  owner_id: string | null;
  industry: string | null;
  country: string | null;
  company_size: number | null;
  current_score: number | null;
  current_grade: string | null;
  created_at: Date;
}
type Row = Record<string, string | number | null>;
type Filter = NonNullable<CustomReportRequest['filters']>[number];

// Band edges on both sides, and a creation time that is March in UTC-2 but April in UTC.
const SIZES = [null, 0, 5, 10, 11, 50, 51, 200, 201, 1000, 1001, 5000, 5001, 20000];
const SCORES = [null, 0, 9, 10, 35, 49, 50, 51, 77, 89, 90, 99, 100];
const CREATED = [
  '2024-01-15T10:00:00Z',
  '2024-02-29T23:59:59Z',
  '2024-03-01T00:00:00Z',
  '2024-03-31T23:30:00-02:00',
  '2024-05-20T08:00:00Z',
];

/** The report's rules, written out plainly: bands, months, metrics, order. */
const SIZE_BANDS: [number, string][] = [
  [10, '1–10'],
  [50, '11–50'],
  [200, '51–200'],
  [1000, '201–1000'],
  [5000, '1001–5000'],
];
const companySizeBand = (size: number | null) =>
  size === null ? null : (SIZE_BANDS.find(([upTo]) => size <= upTo)?.[1] ?? '5001+');
const scoreBand = (score: number | null) => {
  if (score === null) return null;
  const lower = Math.min(Math.floor(score / 10), 9) * 10;
  return `${lower}–${lower === 90 ? 100 : lower + 9}`;
};
const BAND_ORDER = [
  ...['1–10', '11–50', '51–200', '201–1000', '1001–5000', '5001+'],
  ...Array.from({ length: 10 }, (_, i) => scoreBand(i * 10)),
];
const DIMENSIONS: Record<string, (lead: Lead) => string | null> = {
  source: (l) => l.source,
  status: (l) => l.status,
  owner: (l) => l.owner_id,
  industry: (l) => l.industry,
  country: (l) => l.country,
  company_size: (l) => companySizeBand(l.company_size),
  score_band: (l) => scoreBand(l.current_score),
  grade: (l) => l.current_grade,
  created_month: (l) => l.created_at.toISOString().slice(0, 7),
};

function percentile(sorted: number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const position = fraction * (sorted.length - 1);
  const below = sorted[Math.floor(position)] as number;
  const above = sorted[Math.ceil(position)] as number;
  return below + (above - below) * (position - Math.floor(position));
}

function metricsOf(leads: Lead[], metrics: string[]): Row {
  const scores = leads.flatMap((l) => (l.current_score === null ? [] : [l.current_score]));
  scores.sort((a, b) => a - b);
  const converted = leads.filter((l) => l.status === 'converted').length;
  const lost = leads.filter((l) => l.status === 'lost').length;
  const row: Row = {};
  for (const metric of metrics) {
    if (metric === 'count') row.count = leads.length;
    if (metric === 'conversion_rate') {
      Object.assign(row, {
        conversion_rate: converted + lost === 0 ? null : converted / (converted + lost),
        converted,
        lost,
      });
    }
    if (metric === 'avg_score') {
      row.avg_score = scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null;
    }
    if (metric === 'min_score') row.min_score = scores[0] ?? null;
    if (metric === 'max_score') row.max_score = scores.at(-1) ?? null;
    if (/^p\d+$/.test(metric)) row[metric] = percentile(scores, Number(metric.slice(1)) / 100);
  }
  return row;
}

/** Groups and sorts as documented: sort keys, then the dimensions ascending; nulls last. */
function expectedReport(leads: Lead[], request: CustomReportRequest): Row[] {
  const groupBy = request.groupBy ?? [];
  const groups = new Map<string, Lead[]>();
  for (const lead of leads) {
    const key = JSON.stringify(groupBy.map((d) => DIMENSIONS[d]?.(lead) ?? null));
    groups.set(key, [...(groups.get(key) ?? []), lead]);
  }
  if (groupBy.length === 0) groups.set('[]', leads);
  const rows = [...groups].map(([key, members]) => ({
    ...Object.fromEntries(groupBy.map((d, i) => [d, JSON.parse(key)[i]])),
    ...metricsOf(members, request.metrics),
  }));
  const rank = (value: string | number | null) =>
    typeof value === 'string' && BAND_ORDER.includes(value) ? BAND_ORDER.indexOf(value) : value;
  const keys = [
    ...(request.sort ?? []).map((s) => ({ by: s.by, desc: s.direction === 'desc' })),
    ...groupBy
      .filter((d) => !request.sort?.some((s) => s.by === d))
      .map((by) => ({ by, desc: false })),
  ];
  return rows.sort((a: Row, b: Row) => {
    for (const { by, desc } of keys) {
      const [x, y] = [rank(a[by] ?? null), rank(b[by] ?? null)];
      if (x === y) continue;
      if (x === null || y === null) return x === null ? 1 : -1;
      return (x < y ? -1 : 1) * (desc ? -1 : 1);
    }
    return 0;
  });
}

/** Floats as 9 decimals, so that SQL's and JavaScript's last bits do not matter. */
const rounded = (rows: Row[]) =>
  rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toFixed(9)) : v]),
    ),
  );

describeEachEngine('POST /analytics/custom-report', (engine) => {
  let t: TestApp;
  let orgA: string;
  let analyst = '';
  const leadsA: Lead[] = [];
  let owners: string[] = [];

  beforeAll(async () => {
    t = await buildTestApp(engine);
    ({ organizationId: orgA } = await createTestOrganization(t.database.db));
    analyst = await signIn(t, orgA, 'analyst');
    owners = [
      (await createTestUser(t.database.db, orgA, 'sales_rep')).id,
      (await createTestUser(t.database.db, orgA, 'sales_rep')).id,
    ];
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
    for (let i = 0; i < 90; i++) {
      leadsA.push({
        source: pick(['web', 'referral', 'event', null]),
        status: pick(LEAD_STATUSES),
        owner_id: pick([...owners, null]),
        industry: pick(['saas', 'retail', null]),
        country: pick(['US', 'DE', 'FR', null]),
        company_size: SIZES[i % SIZES.length] ?? null,
        current_score: SCORES[(i * 5) % SCORES.length] ?? null,
        current_grade: pick(['A1', 'B2', 'C4', null]),
        created_at: new Date(CREATED[i % CREATED.length] as string),
      });
    }
    await insertLeads(orgA, leadsA);
  });
  afterAll(() => t.close());

  async function insertLeads(organizationId: string, leads: Lead[]) {
    await t.database.db
      .insertInto('leads')
      .values(
        leads.map((lead, i) => ({
          ...lead,
          organization_id: organizationId,
          email: `l${i}@x.example`,
        })),
      )
      .execute();
  }

  const report = (payload: object) =>
    t.app.inject({
      method: 'POST',
      url: '/analytics/custom-report',
      headers: { authorization: `Bearer ${analyst}` },
      payload,
    });

  async function expectMatches(request: CustomReportRequest, leads = leadsA) {
    const response = await report(request);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    const expected = expectedReport(leads, request);
    const limit = request.limit ?? 100;
    expect(rounded(body.rows), JSON.stringify(request)).toEqual(rounded(expected.slice(0, limit)));
    expect(body.totalGroups).toBe(expected.length);
    expect(body.truncated).toBe(expected.length > limit);
    return body;
  }

  describe('results', () => {
    it('computes every metric by source, as the leads give them', async () => {
      const body = await expectMatches({
        metrics: ['count', 'conversion_rate', 'avg_score', 'min_score', 'max_score', 'p50', 'p90'],
        groupBy: ['source'],
      });
      expect(body.dimensions).toEqual(['source']);
      expect(body.metrics).toEqual([
        ...['count', 'conversion_rate', 'converted', 'lost'],
        ...['avg_score', 'min_score', 'max_score', 'p50', 'p90'],
      ]);
      expect(body.rows.map((r: Row) => r.source)).toEqual(['event', 'referral', 'web', null]);
    });

    it('groups by three dimensions: company size band × score band × month (UTC)', async () => {
      const body = await expectMatches({
        metrics: ['count', 'avg_score'],
        groupBy: ['company_size', 'score_band', 'created_month'],
        limit: 1000,
      });
      const sizes = new Set(body.rows.map((r: Row) => r.company_size));
      expect([...sizes]).toEqual([
        '1–10',
        '11–50',
        '51–200',
        '201–1000',
        '1001–5000',
        '5001+',
        null,
      ]);
      expect(body.rows.some((r: Row) => r.created_month === '2024-04')).toBe(true);
    });

    it('groups by owner, grade, industry, country and status', async () => {
      await expectMatches({ metrics: ['count', 'p25'], groupBy: ['owner', 'grade'] });
      await expectMatches({
        metrics: ['conversion_rate', 'max_score'],
        groupBy: ['industry', 'country', 'status'],
      });
    });

    it('answers one row of totals without groupBy, and zeros when no lead passes', async () => {
      await expectMatches({ metrics: ['count', 'conversion_rate', 'avg_score', 'p75'] });
      const empty = await report({
        metrics: ['count', 'avg_score'],
        filters: [{ field: 'source', op: 'eq', value: 'nowhere' }],
      });
      expect(empty.json()).toMatchObject({ rows: [{ count: 0, avg_score: null }], totalGroups: 1 });
    });

    const filterCases: [Filter, (lead: Lead) => boolean][] = [
      [{ field: 'source', op: 'eq', value: 'web' }, (l) => l.source === 'web'],
      [{ field: 'source', op: 'neq', value: 'web' }, (l) => l.source !== 'web'],
      [
        { field: 'source', op: 'in', value: ['web', 'event'] },
        (l) => ['web', 'event'].includes(l.source ?? ''),
      ],
      [{ field: 'source', op: 'nin', value: ['web'] }, (l) => l.source !== 'web'],
      [{ field: 'source', op: 'is_null' }, (l) => l.source === null],
      [{ field: 'country', op: 'is_not_null' }, (l) => l.country !== null],
      [
        { field: 'status', op: 'in', value: ['converted', 'lost'] },
        (l) => ['converted', 'lost'].includes(l.status),
      ],
      [{ field: 'industry', op: 'nin', value: ['saas', 'retail'] }, (l) => l.industry === null],
      [
        { field: 'grade', op: 'in', value: ['A1', 'B2'] },
        (l) => ['A1', 'B2'].includes(l.current_grade ?? ''),
      ],
      [
        { field: 'company_size', op: 'eq', value: '11–50' },
        (l) => companySizeBand(l.company_size) === '11–50',
      ],
      [
        { field: 'company_size', op: 'in', value: ['1–10', '5001+'] },
        (l) => ['1–10', '5001+'].includes(companySizeBand(l.company_size) ?? ''),
      ],
      [{ field: 'score_band', op: 'eq', value: '90–100' }, (l) => (l.current_score ?? -1) >= 90],
      [{ field: 'score', op: 'gte', value: 50 }, (l) => (l.current_score ?? -1) >= 50],
      [{ field: 'score', op: 'gt', value: 50 }, (l) => (l.current_score ?? -1) > 50],
      [
        { field: 'score', op: 'lt', value: 10 },
        (l) => l.current_score !== null && l.current_score < 10,
      ],
      [
        { field: 'score', op: 'lte', value: 10 },
        (l) => l.current_score !== null && l.current_score <= 10,
      ],
      [
        { field: 'score', op: 'between', value: [10, 50] },
        (l) => l.current_score !== null && l.current_score >= 10 && l.current_score <= 50,
      ],
      [{ field: 'score', op: 'eq', value: 0 }, (l) => l.current_score === 0],
      [{ field: 'score', op: 'is_null' }, (l) => l.current_score === null],
      [
        { field: 'created_at', op: 'gte', value: '2024-03-01' },
        (l) => l.created_at >= new Date('2024-03-01T00:00:00Z'),
      ],
      [
        { field: 'created_at', op: 'lt', value: '2024-03-01T01:00:00+01:00' },
        (l) => l.created_at < new Date('2024-03-01T00:00:00Z'),
      ],
      [
        { field: 'created_at', op: 'between', value: ['2024-02-01', '2024-03-01T00:00:00Z'] },
        (l) =>
          l.created_at >= new Date('2024-02-01T00:00:00Z') &&
          l.created_at <= new Date('2024-03-01T00:00:00Z'),
      ],
      [
        { field: 'created_month', op: 'eq', value: '2024-04' },
        (l) => l.created_at.toISOString().startsWith('2024-04'),
      ],
      [
        { field: 'created_month', op: 'between', value: ['2024-02', '2024-03'] },
        (l) => ['2024-02', '2024-03'].includes(l.created_at.toISOString().slice(0, 7)),
      ],
      [{ field: 'owner', op: 'eq', value: '<owner 0>' }, (l) => l.owner_id === '<owner 0>'],
      [{ field: 'owner', op: 'is_null' }, (l) => l.owner_id === null],
    ];

    it.each(
      filterCases.map(([filter, keep]) => [`${filter.field} ${filter.op}`, filter, keep] as const),
    )('filters with %s', async (_, filter, keep) => {
      const owner = owners[0] as string;
      const real = JSON.parse(JSON.stringify(filter).replaceAll('<owner 0>', owner)) as Filter;
      const leads = leadsA.filter((lead) =>
        keep({ ...lead, owner_id: lead.owner_id === owner ? '<owner 0>' : lead.owner_id }),
      );
      expect(leads.length, 'the seed has leads on both sides').toBeGreaterThan(0);
      expect(leads.length).toBeLessThan(leadsA.length);
      await expectMatches(
        { metrics: ['count', 'avg_score'], groupBy: ['status'], filters: [real] },
        leads,
      );
    });

    it('combines filters: a lead must pass all of them', async () => {
      const filters: Filter[] = [
        { field: 'score', op: 'gte', value: 35 },
        { field: 'source', op: 'neq', value: 'event' },
        { field: 'created_month', op: 'lt', value: '2024-05' },
      ];
      const leads = leadsA.filter(
        (l) =>
          (l.current_score ?? -1) >= 35 &&
          l.source !== 'event' &&
          l.created_at < new Date('2024-05-01'),
      );
      await expectMatches({ metrics: ['count', 'p50'], groupBy: ['source'], filters }, leads);
    });

    it('sorts by metrics and dimensions, limits the rows and says when it truncated', async () => {
      const body = await expectMatches({
        metrics: ['count', 'max_score'],
        groupBy: ['source', 'status'],
        sort: [
          { by: 'count', direction: 'desc' },
          { by: 'max_score', direction: 'asc' },
        ],
        limit: 3,
      });
      expect(body.rows).toHaveLength(3);
      expect(body.truncated).toBe(true);
      const bands = await expectMatches({
        metrics: ['count'],
        groupBy: ['score_band'],
        sort: [{ by: 'score_band', direction: 'desc' }],
      });
      expect(bands.rows.map((r: Row) => r.score_band)).toEqual([
        ...['90–100', '80–89', '70–79', '50–59', '40–49', '30–39', '10–19', '0–9'],
        null,
      ]);
    });
  });
});
