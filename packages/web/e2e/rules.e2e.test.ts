import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, skipReason, startDashboard } from './harness';

if (skipReason) console.log(`dashboard e2e skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)('the scoring rules editor, in Chromium', () => {
  let dashboard: Dashboard;
  beforeAll(async () => {
    dashboard = await startDashboard();
  }, 240_000);
  afterAll(async () => {
    await dashboard?.close();
  });

  const openRules = async (page: Page) => {
    await page.getByRole('tab', { name: 'Scoring rules' }).click();
    await page.getByRole('heading', { name: 'Scoring rules' }).waitFor();
  };
  const demoRule = (page: Page) => page.getByRole('group', { name: 'Rule demo-request' });

  it('edits a rule, previews how many leads change band, saves, and shows it after a reload', async () => {
    const page = await dashboard.openPage();
    await dashboard.signIn(page);
    await openRules(page);
    const points = demoRule(page).getByLabel('Points');
    expect(await points.inputValue()).toBe('30');
    await dashboard.screenshot(page, 'rules');

    await points.fill('45');
    const save = page.getByRole('button', { name: 'Save rules' });
    expect(await save.isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Preview changes' }).click();
    const summary = page.getByText(/^[\d,]+ of [\d,]+ leads would change score band$/);
    await summary.waitFor();
    const [, changed, compared] =
      /^([\d,]+) of ([\d,]+)/.exec((await summary.textContent())?.replaceAll(',', '') ?? '') ?? [];
    // A demo request is worth more: leads that asked for one move up, none move down.
    expect(Number(compared)).toBeGreaterThan(0);
    expect(Number(changed)).toBeGreaterThan(0);
    await page.getByText(/\([\d,]+ up, 0 down\)/).waitFor();
    await dashboard.screenshot(page, 'rules-preview');

    await save.click();
    await page.getByText(/^Saved as version \d+: these rules now score your leads\.$/).waitFor();
    await page.getByText(/^Every lead rescored/).waitFor({ timeout: 120_000 });
    await dashboard.screenshot(page, 'rules-saved');

    await page.reload();
    await page.getByRole('heading', { name: 'Scoring rules' }).waitFor();
    expect(await demoRule(page).getByLabel('Points').inputValue()).toBe('45');
    await page.close();
  }, 180_000);

  it('names the field the API refuses, next to it', async () => {
    const page = await dashboard.openPage(undefined, {
      url: '/scoring/rules/preview',
      status: 400,
    });
    await dashboard.signIn(page);
    await openRules(page);
    await demoRule(page).getByLabel('Feature or attribute').fill('demo_requests');
    await page.getByRole('button', { name: 'Preview changes' }).click();
    await demoRule(page)
      .getByText(/"demo_requests" is not a lead feature/)
      .waitFor();
    await dashboard.screenshot(page, 'rules-field-error');
    await page.close();
  });

  it('is read-only for an analyst', async () => {
    const analyst = await dashboard.createUser('analyst');
    const page = await dashboard.openPage({ width: 360, height: 740 });
    await dashboard.signIn(page, analyst);
    await openRules(page);
    await demoRule(page).waitFor();
    expect(await demoRule(page).getByLabel('Points').getAttribute('readonly')).not.toBeNull();
    expect(await page.getByRole('button', { name: 'Save rules' }).count()).toBe(0);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    ).toBe(true);
    await dashboard.screenshot(page, 'rules-analyst-phone');
    await page.close();
  });
});
