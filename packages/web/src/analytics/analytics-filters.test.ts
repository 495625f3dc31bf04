import { describe, expect, it } from 'vitest';
import { filterProblem, NO_FILTERS, reportUrl, toLeadFilters } from './analytics-filters';

describe('the analytics filters', () => {
  it('asks for whole UTC days, the "to" day included', () => {
    expect(
      toLeadFilters({ sources: ['webinar'], createdFrom: '2026-01-01', createdTo: '2026-01-31' }),
    ).toEqual({
      source: ['webinar'],
      createdFrom: '2026-01-01T00:00:00.000Z',
      createdTo: '2026-02-01T00:00:00.000Z',
    });
    expect(toLeadFilters(NO_FILTERS)).toEqual({});
  });

  it('repeats the source parameter once per source, as the API reads a list', () => {
    const url = reportUrl('analytics/score-distribution', {
      source: ['web', 'paid search'],
      createdFrom: '2026-01-01T00:00:00.000Z',
      asOf: '2026-01-31T23:59:59.999Z',
    });
    const search = new URL(url, 'http://host/').searchParams;
    expect(search.getAll('source')).toEqual(['web', 'paid search']);
    expect(search.get('createdFrom')).toBe('2026-01-01T00:00:00.000Z');
    expect(search.get('asOf')).toBe('2026-01-31T23:59:59.999Z');
    expect(reportUrl('analytics/conversion-rates', {})).toBe('analytics/conversion-rates');
  });

  it('refuses a range that ends before it starts', () => {
    expect(
      filterProblem({ sources: [], createdFrom: '2026-02-01', createdTo: '2026-01-01' }),
    ).toMatch(/comes after/);
    expect(
      filterProblem({ sources: [], createdFrom: '2026-01-01', createdTo: '2026-01-01' }),
    ).toBeNull();
  });
});
