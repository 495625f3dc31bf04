import { describe, expect, it } from 'vitest';
import { AppError } from '../../http/errors.js';
import { compileReport, presentReport } from './custom-report.compiler.js';
import { planReport } from './custom-report.planner.js';
import type { CustomReportRequest } from './custom-report.schemas.js';

const ORG = '00000000-0000-4000-8000-00000000000a';
const HOSTILE = [`'; drop table leads; --`, `source" OR 1=1`, `x') or ('1'='1`, `$1`, `\\'`];

/** Every identifier the compiler may write: the leads columns of the whitelist and our aliases. */
const ALLOWED_IDENTIFIERS = new Set([
  'leads',
  'l',
  'organization_id',
  'source',
  'status',
  'owner_id',
  'industry',
  'country',
  'company_size',
  'current_score',
  'current_grade',
  'created_at',
  'created_month',
  'total_groups',
  ...[0, 1, 2].map((i) => `d${i}`),
  ...Array.from({ length: 12 }, (_, i) => `m${i}`),
]);

const compile = (request: CustomReportRequest) => compileReport(ORG, planReport(request));

function rejection(request: CustomReportRequest): { code: string; field: string } {
  try {
    planReport(request);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const [first] = error.extensions.errors as { field: string }[];
    return { code: error.definition.code, field: first?.field ?? '' };
  }
  throw new Error(`accepted: ${JSON.stringify(request)}`);
}

describe('custom report compiler', () => {
  it('binds every value, writes only whitelisted identifiers, and scopes by organisation first', () => {
    const query = compile({
      metrics: ['count', 'conversion_rate', 'avg_score', 'min_score', 'max_score', 'p90'],
      groupBy: ['company_size', 'score_band', 'created_month'],
      filters: [
        { field: 'source', op: 'eq', value: HOSTILE[0] as string },
        { field: 'industry', op: 'in', value: HOSTILE },
        { field: 'country', op: 'nin', value: ['US', 'DE'] },
        { field: 'status', op: 'neq', value: 'lost' },
        { field: 'score', op: 'between', value: [37, 83] },
        { field: 'created_at', op: 'gte', value: '2024-02-03T04:05:06Z' },
        { field: 'grade', op: 'is_not_null' },
        { field: 'owner', op: 'is_null' },
      ],
      sort: [{ by: 'p90', direction: 'desc' }],
      limit: 17,
    });

    // The vocabulary writes its own two outcomes into the SQL (see custom-report.vocabulary.ts);
    // nothing else is written there, and the caller's 'lost' is bound like every value.
    const withoutOwnLiterals = query.sql.replace(/ = '(converted|lost)'\)/g, '');
    expect(withoutOwnLiterals).not.toContain("'");
    const distinct = /"l"\."status" is distinct from \$(\d+)/.exec(query.sql);
    expect(query.parameters[Number(distinct?.[1]) - 1]).toBe('lost');
    const identifiers = [...query.sql.matchAll(/"([^"]*)"/g)].map((match) => match[1]);
    expect(identifiers.filter((name) => !ALLOWED_IDENTIFIERS.has(name ?? ''))).toEqual([]);
    const scope = / from "leads" as "l" where "l"\."organization_id" = \$(\d+) and /.exec(
      query.sql,
    );
    expect(query.parameters[Number(scope?.[1]) - 1]).toBe(ORG);
    const withoutPlaceholders = withoutOwnLiterals.replace(/\$\d+/g, '$');
    for (const value of [...HOSTILE, 'US', 'DE', 'lost', 37, 83, 17, '2024-02-03T04:05:06.000Z']) {
      expect(query.parameters).toContain(value);
      expect(withoutPlaceholders).not.toContain(String(value));
    }
    expect(query.sql).toContain('group by "d0", "d1", "d2"');
    expect(query.sql).toMatch(
      /order by "m\d+" desc nulls last, "d0" asc nulls last, "d1" asc nulls last, "d2" asc nulls last limit \$\d+$/,
    );
  });

  it('compiles each operator to its condition', () => {
    const where = (filter: NonNullable<CustomReportRequest['filters']>[number]) =>
      compile({ metrics: ['count'], filters: [filter] })
        .sql.split(' where ')[1]
        ?.split(' limit ')[0];
    expect(where({ field: 'source', op: 'neq', value: 'web' })).toContain(
      '"l"."source" is distinct from $2',
    );
    expect(where({ field: 'source', op: 'nin', value: ['a', 'b'] })).toContain(
      'coalesce("l"."source" not in ($2, $3), true)',
    );
    expect(where({ field: 'score', op: 'lte', value: 40 })).toContain('"l"."current_score" <= $2');
    expect(where({ field: 'created_month', op: 'between', value: ['2024-01', '2024-06'] })).toMatch(
      /to_char\("l"\."created_month", \$\d::text\) between \$\d and \$\d/,
    );
  });

  it('turns rows into the report: names as asked, bands by label, truncation from the group count', () => {
    const plan = planReport({
      metrics: ['count', 'conversion_rate'],
      groupBy: ['company_size', 'score_band'],
      limit: 2,
    });
    const rows = [
      { d0: 0, d1: 9, m0: 3, m1: 0.5, m2: 1, m3: 1, total_groups: 5 },
      { d0: 5, d1: null, m0: 1, m1: null, m2: 0, m3: 0, total_groups: 5 },
    ];
    expect(presentReport(plan, rows)).toEqual({
      dimensions: ['company_size', 'score_band'],
      metrics: ['count', 'conversion_rate', 'converted', 'lost'],
      rows: [
        {
          company_size: '1–10',
          score_band: '90–100',
          count: 3,
          conversion_rate: 0.5,
          converted: 1,
          lost: 1,
        },
        {
          company_size: '5001+',
          score_band: null,
          count: 1,
          conversion_rate: null,
          converted: 0,
          lost: 0,
        },
      ],
      totalGroups: 5,
      truncated: true,
    });
  });
});

describe('custom report planner', () => {
  it('knows the percentiles p1 to p99 and nothing like them', () => {
    for (const name of ['p1', 'p50', 'p99'])
      expect(() => planReport({ metrics: [name] })).not.toThrow();
    for (const name of ['p0', 'p05', 'p100', 'P50', 'p50.5', 'percentile']) {
      expect(rejection({ metrics: [name] })).toEqual({
        code: 'CUSTOM_REPORT_UNKNOWN_METRIC',
        field: 'metrics.0',
      });
    }
  });

  it('takes dates that exist on the calendar, in years PostgreSQL and ISO text share', () => {
    const at = (value: string) => ({
      metrics: ['count'],
      filters: [{ field: 'created_at', op: 'gte', value }],
    });
    for (const value of ['2024-02-29', '2024-03-31T23:30:00-02:00', '1999-12-31T23:59:59.5Z']) {
      expect(() => planReport(at(value)), value).not.toThrow();
    }
    for (const value of [
      '2023-02-29',
      '2024-04-31T10:00:00Z',
      '0000-01-01',
      '2024-01-01T24:00:00Z',
    ]) {
      expect(rejection(at(value)), value).toEqual({
        code: 'CUSTOM_REPORT_INVALID_VALUE',
        field: 'filters.0.value',
      });
    }
  });

  it('names the first mistake and its place', () => {
    const cases: [CustomReportRequest, string, string][] = [
      [{ metrics: ['count', 'count'] }, 'REPEATED_NAME', 'metrics.1'],
      [{ metrics: ['count'], groupBy: ['source', 'score'] }, 'UNKNOWN_DIMENSION', 'groupBy.1'],
      [{ metrics: ['count'], groupBy: ['__proto__'] }, 'UNKNOWN_DIMENSION', 'groupBy.0'],
      [
        { metrics: ['count'], filters: [{ field: 'source', op: 'gte', value: 'a' }] },
        'OPERATOR_NOT_ALLOWED',
        'filters.0.op',
      ],
      [
        { metrics: ['count'], filters: [{ field: 'score', op: 'between', value: [1, 2, 3] }] },
        'INVALID_VALUE',
        'filters.0.value',
      ],
      [
        { metrics: ['count'], filters: [{ field: 'score', op: 'in', value: [1, 2.5] }] },
        'INVALID_VALUE',
        'filters.0.value.1',
      ],
      [
        { metrics: ['count'], filters: [{ field: 'score', op: 'is_null', value: 1 }] },
        'INVALID_VALUE',
        'filters.0.value',
      ],
      [
        {
          metrics: ['count'],
          filters: [{ field: 'created_at', op: 'lt', value: '2024-01-01T10:00' }],
        },
        'INVALID_VALUE',
        'filters.0.value',
      ],
      [
        { metrics: ['count'], filters: [{ field: 'company_size', op: 'eq', value: '1-10' }] },
        'INVALID_VALUE',
        'filters.0.value',
      ],
      [{ metrics: ['count'], sort: [{ by: 'converted' }] }, 'SORT_NOT_IN_QUERY', 'sort.0.by'],
    ];
    for (const [request, code, field] of cases) {
      expect(rejection(request), JSON.stringify(request)).toEqual({
        code: `CUSTOM_REPORT_${code}`,
        field,
      });
    }
  });
});
