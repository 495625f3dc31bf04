import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, skipReason, startDashboard } from './harness';

if (skipReason) console.log(`dashboard e2e skipped: ${skipReason}`);

interface Outcomes {
  converted: number;
  lost: number;
  rate: number | null;
  interval: { lower: number; upper: number } | null;
}
interface Distribution {
  total: number;
  scored: number;
  unscored: number;
  bands: { label: string; count: number }[];
}
interface Rates {
  overall: Outcomes & { open: number };
  byScoreBand: (Outcomes & { label: string })[];
  bySource: (Outcomes & { source: string | null; open: number })[];
}

// What a reader sees for a rate and its interval, written out independently of the page's code.
const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const rangeOf = (interval: Outcomes['interval']) =>
  interval ? `${(interval.lower * 100).toFixed(1)}–${(interval.upper * 100).toFixed(1)}%` : '—';

/** The body rows of a table, as the text of each cell. */
const rowsOf = (table: Locator) =>
  table
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => cell.textContent ?? '')),
    );

/** The end of the month `monthsAgo` before this one (UTC), as the page asks for it. */
function monthEnd(monthsAgo: number): { label: string; asOf: string } {
  const now = new Date();
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsAgo, 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsAgo + 1, 1) - 1);
  return {
    label: start.toLocaleString('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }),
    asOf: end.toISOString(),
  };
}

describe.skipIf(skipReason !== null)('the analytics page, in Chromium', () => {
  let dashboard: Dashboard;
  beforeAll(async () => {
    dashboard = await startDashboard();
  }, 240_000);
  afterAll(async () => {
    await dashboard?.close();
  });

  const get = async <T>(path: string): Promise<T> => {
    const response = await dashboard.api('GET', path);
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };

  async function openAnalytics(page: Page) {
    await dashboard.signIn(page);
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('tab', { name: 'Analytics' })
      .click();
    await page.getByRole('heading', { name: 'Analytics' }).waitFor();
    await page.getByRole('table', { name: 'Conversion by source' }).waitFor();
  }

  it('shows the score distribution, conversion by band and by source with intervals, and bands over time, as the API counts them', async () => {
    const page = await dashboard.openPage();
    await openAnalytics(page);
    const distribution = await get<Distribution>('/analytics/score-distribution');
    const rates = await get<Rates>('/analytics/conversion-rates');
    expect(distribution.total).toBeGreaterThan(0);
    expect(rates.overall.converted + rates.overall.lost).toBeGreaterThan(0);

    await expect
      .poll(() => page.getByLabel('Leads counted').textContent())
      .toBe(
        `${distribution.total} leads: ${distribution.scored} scored, ${distribution.unscored} not scored yet.`,
      );
    await page.getByText('Show the numbers: leads per score band', { exact: true }).click();
    expect(await rowsOf(page.getByRole('table', { name: 'Leads per score band' }))).toEqual(
      distribution.bands.map((band) => [band.label, String(band.count)]),
    );
    expect(
      await page
        .getByRole('img', { name: /^Scored leads per score band/ })
        .getAttribute('aria-label'),
    ).toContain(`${distribution.bands[9]?.label}: ${distribution.bands[9]?.count}`);

    expect(await page.getByLabel('Overall conversion').textContent()).toContain(
      `Overall ${percent(rates.overall.rate as number)} (95% interval ${rangeOf(rates.overall.interval)})`,
    );
    expect(await rowsOf(page.getByRole('table', { name: 'Conversion by score band' }))).toEqual(
      rates.byScoreBand.map((band) => [
        band.label,
        band.rate === null ? '—' : percent(band.rate),
        rangeOf(band.interval),
        String(band.converted),
        String(band.lost),
      ]),
    );
    expect(await rowsOf(page.getByRole('table', { name: 'Conversion by source' }))).toEqual(
      rates.bySource.map((source) => [
        source.source ?? '(no source)',
        source.rate === null ? '—' : percent(source.rate),
        rangeOf(source.interval),
        String(source.converted),
        String(source.lost),
        String(source.open),
      ]),
    );
    await expect
      .poll(() => page.getByRole('img', { name: /^Conversion rate per score band/ }).count())
      .toBe(1);

    // Months that are over do not change: the page's table must hold what the API says of them.
    await page.getByText('Show the numbers: leads per score band by month').click();
    const history = await rowsOf(
      page.getByRole('table', { name: 'Leads per score band by month' }),
    );
    expect(history.map((row) => row[0])).toEqual(
      [5, 4, 3, 2, 1, 0].map((ago) => monthEnd(ago).label),
    );
    for (const ago of [5, 3, 1]) {
      const month = monthEnd(ago);
      const snapshot = await get<Distribution>(
        `/analytics/score-distribution?asOf=${encodeURIComponent(month.asOf)}`,
      );
      expect(history[5 - ago]).toEqual([
        month.label,
        ...snapshot.bands.map((band) => String(band.count)),
        String(snapshot.unscored),
        String(snapshot.total),
      ]);
    }
    await dashboard.screenshot(page, 'analytics');
    await page.close();
  });

  it('counts only the leads of the chosen source', async () => {
    const page = await dashboard.openPage();
    await openAnalytics(page);
    const rates = await get<Rates>('/analytics/conversion-rates');
    const source = rates.bySource.find((row) => row.source !== null)?.source as string;
    await page.getByLabel('Sources').click();
    await page.getByRole('option', { name: source, exact: true }).click();
    await page.keyboard.press('Escape');
    const filtered = await get<Distribution>(
      `/analytics/score-distribution?source=${encodeURIComponent(source)}`,
    );
    await expect
      .poll(() => page.getByLabel('Leads counted').textContent())
      .toBe(
        `${filtered.total} leads: ${filtered.scored} scored, ${filtered.unscored} not scored yet.`,
      );
    await expect
      .poll(async () =>
        (await rowsOf(page.getByRole('table', { name: 'Conversion by source' }))).map(
          (row) => row[0],
        ),
      )
      .toEqual([source]);
    await dashboard.screenshot(page, 'analytics-one-source');

    // A created range that ends before it starts is refused before the API is asked.
    await page.getByLabel('Created from').fill('2026-02-01');
    await page.getByLabel('Created to').fill('2026-01-01');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/comes after/);
    await dashboard.screenshot(page, 'analytics-bad-range');
    await page.close();
  });

  it('fits a 360 px wide phone screen without sideways scrolling', async () => {
    const page = await dashboard.openPage({ width: 360, height: 740 });
    await openAnalytics(page);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
    await dashboard.screenshot(page, 'analytics-phone');
    await page.close();
  }, 60_000);
});
