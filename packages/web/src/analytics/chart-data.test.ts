import { describe, expect, it } from 'vitest';
import type { ScoreDistribution } from './analytics.api';
import {
  bandSeries,
  bandsOverTime,
  formatInterval,
  formatRate,
  gradeSeries,
  lastMonthEnds,
  rateSeries,
} from './chart-data';

const LABELS = Array.from({ length: 10 }, (_, k) =>
  k === 9 ? '90–100' : `${k * 10}–${k * 10 + 9}`,
);
const GRADES = ['A', 'B', 'C', 'D'].flatMap((fit) => ['1', '2', '3', '4'].map((e) => fit + e));

function distribution(counts: number[], unscored: number, graded: Record<string, number> = {}) {
  const scored = counts.reduce((sum, count) => sum + count, 0);
  return {
    asOf: null,
    modelId: null,
    total: scored + unscored,
    scored,
    unscored,
    bands: LABELS.map((label, k) => ({
      lower: k * 10,
      upper: k === 9 ? 100 : k * 10 + 9,
      label,
      count: counts[k] ?? 0,
    })),
    grades: GRADES.map((grade) => ({ grade, count: graded[grade] ?? 0 })),
    ungraded: scored - Object.values(graded).reduce((sum, count) => sum + count, 0),
  } satisfies ScoreDistribution;
}

describe('preparing the analytics charts', () => {
  it('draws a bar per band, lowest first, as tall as the API counts', () => {
    const series = bandSeries(distribution([5, 0, 3, 0, 0, 0, 0, 0, 1, 2], 4));
    expect(series.labels).toEqual(LABELS);
    expect(series.values).toEqual([5, 0, 3, 0, 0, 0, 0, 0, 1, 2]);
  });

  it('draws grades only when some lead is graded (a trained model grades none)', () => {
    expect(gradeSeries(distribution([1, 2], 0)).labels).toEqual([]);
    const graded = gradeSeries(distribution([1, 2], 0, { A1: 2, D4: 1 }));
    expect(graded.labels).toEqual(GRADES);
    expect(graded.values[0]).toBe(2);
    expect(graded.values[15]).toBe(1);
  });

  it('turns rates and their Wilson intervals into percent, leaving undecided bands without a bar', () => {
    const series = rateSeries([
      {
        label: '80–89',
        converted: 3,
        lost: 7,
        decided: 10,
        rate: 0.3,
        interval: { lower: 0.10779, upper: 0.60333 },
      },
      { label: '90–100', converted: 0, lost: 0, decided: 0, rate: null, interval: null },
    ]);
    expect(series).toEqual({
      labels: ['80–89', '90–100'],
      rates: [30, null],
      intervals: [{ lower: 10.8, upper: 60.3 }, null],
    });
    expect(formatRate(0.3)).toBe('30.0%');
    expect(formatRate(null)).toBe('—');
    expect(formatInterval({ lower: 0.10779, upper: 0.60333 })).toBe('10.8–60.3%');
  });

  it('reads the last six months at each month’s last millisecond (UTC), this month as of now', () => {
    const now = new Date('2026-03-15T10:00:00.000Z');
    const months = lastMonthEnds(now, 6);
    expect(months.map((month) => month.label)).toEqual([
      'Oct 2025',
      'Nov 2025',
      'Dec 2025',
      'Jan 2026',
      'Feb 2026',
      'Mar 2026',
    ]);
    expect(months[0]?.asOf).toBe('2025-10-31T23:59:59.999Z');
    expect(months[4]?.asOf).toBe('2026-02-28T23:59:59.999Z');
    expect(months[5]?.asOf).toBe(now.toISOString());
  });

  it('stacks each band’s count month by month, with the unscored leads as a series of their own', () => {
    const months = lastMonthEnds(new Date('2026-02-10T00:00:00Z'), 2);
    const history = bandsOverTime(months, [
      distribution([1], 2),
      distribution([4, 0, 0, 0, 0, 0, 0, 0, 0, 6], 0),
    ]);
    expect(history.labels).toEqual(['Jan 2026', 'Feb 2026']);
    expect(history.series).toHaveLength(11);
    expect(history.series[0]).toEqual({ label: '0–9', values: [1, 4] });
    expect(history.series[9]).toEqual({ label: '90–100', values: [0, 6] });
    expect(history.series[10]).toEqual({ label: 'Unscored', values: [2, 0] });
  });
});
