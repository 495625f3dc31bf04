import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, type Dashboard, skipReason, startDashboard } from './harness';

if (skipReason) console.log(`dashboard e2e skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)('signing in and the lead list, in Chromium', () => {
  let dashboard: Dashboard;
  beforeAll(async () => {
    dashboard = await startDashboard();
  }, 240_000);
  afterAll(async () => {
    await dashboard?.close();
  });

  const scoresOnScreen = (page: Page) =>
    page
      .getByRole('table', { name: 'Leads' })
      .locator('tbody tr [aria-label^="Score "]')
      .evaluateAll((chips) =>
        chips.map((chip) => Number(/Score (\d+)/.exec(chip.getAttribute('aria-label') ?? '')?.[1])),
      );

  it('refuses a wrong password with the reason, then signs in to the lead list', async () => {
    const page = await dashboard.openPage(undefined, { url: '/auth/login', status: 401 });
    await page.goto(dashboard.url);
    await page.waitForURL('**/app/login');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/password/i);
    await dashboard.screenshot(page, 'login');
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/app/leads');
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
    await page.close();
  });

  it('lists leads highest score first, sorts the other way, and filters by status', async () => {
    const page = await dashboard.openPage();
    await dashboard.signIn(page);
    await expect.poll(async () => (await scoresOnScreen(page)).length).toBeGreaterThan(5);
    const highestFirst = await scoresOnScreen(page);
    expect(highestFirst).toEqual([...highestFirst].sort((a, b) => b - a));
    await dashboard.screenshot(page, 'leads');

    await page.getByLabel('Sort by').click();
    await page.getByRole('option', { name: 'Lowest score' }).click();
    await expect
      .poll(async () => {
        const scores = await scoresOnScreen(page);
        return scores.length > 0 && scores.join() === [...scores].sort((a, b) => a - b).join();
      })
      .toBe(true);

    await page.getByLabel('Status').click();
    await page.getByRole('option', { name: 'converted' }).click();
    const statusCells = page
      .getByRole('table', { name: 'Leads' })
      .locator('tbody tr td[data-field="status"]');
    await expect
      .poll(async () => new Set(await statusCells.allTextContents()))
      .toEqual(new Set(['converted']));
    await page.close();
  });

  it('shows a new score on screen, without a reload, when an activity arrives through the API', async () => {
    const page = await dashboard.openPage();
    await dashboard.signIn(page);
    await page.getByLabel('Sort by').click();
    await page.getByRole('option', { name: 'Lowest score' }).click();
    const firstRow = page.getByRole('table', { name: 'Leads' }).locator('tbody tr').first();
    await expect.poll(() => firstRow.getAttribute('data-lead-id')).toBeTruthy();
    const leadId = (await firstRow.getAttribute('data-lead-id')) as string;
    const row = page.locator(`tr[data-lead-id="${leadId}"]`);
    const before = await row.locator('[aria-label^="Score"]').getAttribute('aria-label');

    const response = await dashboard.api('POST', '/activities/batch', {
      activities: Array.from({ length: 3 }, (_, i) => ({
        leadId,
        type: 'demo_request',
        timestamp: new Date(Date.now() - i * 1000).toISOString(),
        data: {},
      })),
    });
    expect(response.status).toBeLessThan(300);
    await expect
      .poll(() => row.locator('[aria-label^="Score"]').getAttribute('aria-label'), {
        timeout: 15_000,
      })
      .not.toBe(before);
    await dashboard.screenshot(page, 'leads-live-score');
    await page.close();
  });

  it('pops up an alert when a lead crosses a rule’s line, and lists it under Alerts', async () => {
    const page = await dashboard.openPage();
    await dashboard.signIn(page);
    const lowest = (await (await dashboard.api('GET', '/leads?sort=score&limit=1')).json())
      .data[0] as { id: string; currentScore: number };
    const rule = await dashboard.api('POST', '/alert-rules', {
      name: 'Warming up',
      kind: 'score_above',
      threshold: lowest.currentScore + 1,
    });
    expect(rule.status).toBe(201);
    const posted = await dashboard.api('POST', '/activities/batch', {
      activities: ['demo_request', 'pricing_view', 'demo_request'].map((type, i) => ({
        leadId: lowest.id,
        type,
        timestamp: new Date(Date.now() - i * 1000).toISOString(),
        data: {},
      })),
    });
    expect(posted.status).toBeLessThan(300);

    const toast = page.getByRole('alert').filter({ hasText: 'Warming up' });
    await toast.waitFor({ timeout: 15_000 });
    await dashboard.screenshot(page, 'alert-toast');
    await page.getByRole('link', { name: /^Alerts, \d+ new$/ }).click();
    const alerts = page.getByRole('table', { name: 'Alerts' });
    await expect
      .poll(() => alerts.locator('tbody tr').first().textContent())
      .toContain('Warming up');
    await expect.poll(() => page.getByRole('link', { name: 'Alerts' }).count()).toBe(1);
    await dashboard.screenshot(page, 'alerts');
    await alerts.getByRole('link').first().click();
    await page.waitForURL(`**/app/leads/${lowest.id}`);
    await page.close();
  });

  it('fits a 360 px wide phone screen without sideways scrolling', async () => {
    const page = await dashboard.openPage({ width: 360, height: 740 });
    await dashboard.signIn(page);
    await expect.poll(async () => (await scoresOnScreen(page)).length).toBeGreaterThan(0);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
    await dashboard.screenshot(page, 'leads-phone');
    await page.close();
  });

  it('shows a viewer only what a viewer may use, and keeps settings out of reach', async () => {
    const viewer = await dashboard.createUser('viewer');
    const page = await dashboard.openPage();
    await dashboard.signIn(page, viewer);
    const sections = page.getByRole('navigation', { name: 'Sections' });
    await expect.poll(() => sections.getByRole('tab').allTextContents()).toEqual(['Leads']);
    await page.goto(new URL('/app/settings', dashboard.url).href);
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/role does not give access/);
    await dashboard.screenshot(page, 'settings-refused-to-viewer');
    await page.close();
  });
});
