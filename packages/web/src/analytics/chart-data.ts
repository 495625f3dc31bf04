import type { Outcomes, ScoreDistribution } from './analytics.api';

/**
 * Pure preparation of API answers for the charts and their tables: what each bar is called,
 * how tall it is, and the text a reader sees for it.
 */

/** "23.4%"; a dash when there is no rate. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** "18.0–29.7%"; a dash when there is no interval. */
export function formatInterval(interval: Outcomes['interval']): string {
  if (!interval) return '—';
  return `${(interval.lower * 100).toFixed(1)}–${(interval.upper * 100).toFixed(1)}%`;
}

export interface BarSeries {
  labels: string[];
  values: number[];
}

/** Scored leads per 10-point band, lowest band first. */
export function bandSeries(distribution: ScoreDistribution): BarSeries {
  return {
    labels: distribution.bands.map((band) => band.label),
    values: distribution.bands.map((band) => band.count),
  };
}

/** Scored leads per grade A1 … D4; empty when nothing is graded (trained models do not grade). */
export function gradeSeries(distribution: ScoreDistribution): BarSeries {
  if (distribution.grades.every((grade) => grade.count === 0)) return { labels: [], values: [] };
  return {
    labels: distribution.grades.map((grade) => grade.grade),
    values: distribution.grades.map((grade) => grade.count),
  };
}

/** A row of a conversion table: what the rate is for, and its outcomes. */
export type RateRow = Outcomes & { label: string; open?: number };

export interface RateSeries {
  labels: string[];
  /** Percentages; null where nothing is decided (no bar). */
  rates: (number | null)[];
  /** The 95% interval of each bar, in percent; null where there is no rate. */
  intervals: ({ lower: number; upper: number } | null)[];
}

/** Conversion rates and their intervals, in percent, for a bar chart with error whiskers. */
export function rateSeries(rows: readonly RateRow[]): RateSeries {
  const percent = (value: number) => Math.round(value * 1000) / 10;
  return {
    labels: rows.map((row) => row.label),
    rates: rows.map((row) => (row.rate === null ? null : percent(row.rate))),
    intervals: rows.map((row) =>
      row.interval
        ? { lower: percent(row.interval.lower), upper: percent(row.interval.upper) }
        : null,
    ),
  };
}

/** A month the band-over-time chart reads, and the moment its scores are read at. */
export interface MonthEnd {
  /** "Mar 2026". */
  label: string;
  /** The month's last millisecond (UTC); `now` for the month under way. */
  asOf: string;
}

/** The last `count` calendar months (UTC), oldest first; the current one is read as of now. */
export function lastMonthEnds(now: Date, count: number): MonthEnd[] {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  return Array.from({ length: count }, (_, k) => {
    const monthsAgo = count - 1 - k;
    const start = new Date(Date.UTC(year, month - monthsAgo, 1));
    const end = new Date(Date.UTC(year, month - monthsAgo + 1, 1) - 1);
    return {
      label: start.toLocaleString('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }),
      asOf: (monthsAgo === 0 ? now : end).toISOString(),
    };
  });
}

export interface StackedSeries {
  labels: string[];
  /** One series per band (then the unscored leads), each with a count per month. */
  series: { label: string; values: number[] }[];
}

/** Leads per band at each month's end, one series per band and one for the leads without a score. */
export function bandsOverTime(
  months: readonly MonthEnd[],
  snapshots: readonly ScoreDistribution[],
): StackedSeries {
  const bands = snapshots[0]?.bands ?? [];
  return {
    labels: months.map((month) => month.label),
    series: [
      ...bands.map((band, k) => ({
        label: band.label,
        values: snapshots.map((snapshot) => snapshot.bands[k]?.count ?? 0),
      })),
      { label: 'Unscored', values: snapshots.map((snapshot) => snapshot.unscored) },
    ],
  };
}

/** Band k of ten, from cool blue (low scores) to hot red (high), as a chart colour. */
export function bandColour(band: number, bandCount = 10): string {
  const hue = 215 - (215 * band) / Math.max(bandCount - 1, 1);
  return `hsl(${Math.round(hue)} 65% 50%)`;
}
