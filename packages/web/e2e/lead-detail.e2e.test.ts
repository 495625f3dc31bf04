import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, type Dashboard, skipReason, startDashboard } from './harness';

if (skipReason) console.log(`lead page e2e skipped: ${skipReason}`);

interface ListedLead {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  status: string;
}

const nameOf = (lead: ListedLead) =>
  [lead.firstName, lead.lastName].filter(Boolean).join(' ') || lead.email;

describe.skipIf(skipReason !== null)('the lead page, in Chromium', () => {
  let dashboard: Dashboard;
  beforeAll(async () => {
    dashboard = await startDashboard();
  }, 240_000);
  afterAll(async () => {
    await dashboard?.close();
  });

  const getJson = async <T>(path: string): Promise<T> => {
    const response = await dashboard.api('GET', path);
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };

  /** One of the demo's leads, picked by `sort`, that has done something. */
  const demoLeadWithActivity = async (sort: '-score' | 'score'): Promise<ListedLead> => {
    const { data } = await getJson<{ data: ListedLead[] }>(`/leads?sort=${sort}&limit=5`);
    for (const lead of data) {
      const activities = await getJson<{ data: unknown[] }>(`/leads/${lead.id}/activities?limit=1`);
      if (activities.data.length > 0) return lead;
    }
    throw new Error('no demo lead among the first five has activity');
  };

  /**
   * A page whose waits give up before the test does, so that a failure names what it waited
   * for rather than the test's timeout; it asks for reduced motion, so that the charts are
   * drawn at once and the screenshots show them whole.
   */
  const openPage = async (...args: Parameters<Dashboard['openPage']>) => {
    const page = await dashboard.openPage(...args);
    page.setDefaultTimeout(15_000);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    return page;
  };

  /**
   * Signs in and waits for the lead list: `signIn`'s own wait for the "Leads" heading can be met
   * by the login page's "Sign in to Leadscore", and leaving before the login answers loses it.
   */
  const signIn = async (page: Page, who?: Credentials) => {
    await dashboard.signIn(page, who);
    await page.waitForURL('**/app/leads');
  };

  const openLead = async (page: Page, lead: ListedLead) => {
    await signIn(page);
    await page.goto(new URL(`/app/leads/${lead.id}`, dashboard.url).href);
    await page.getByRole('heading', { level: 1, name: nameOf(lead) }).waitFor();
  };

  const gaugeValue = (page: Page) =>
    page.getByRole('progressbar', { name: 'Lead score' }).getAttribute('aria-valuenow');

  it('opens a lead and sees its reasons and score history', async () => {
    const lead = await demoLeadWithActivity('-score');
    const score = await getJson<{ score: number; breakdown: { reasons: { positive: string[] } } }>(
      `/leads/${lead.id}/score`,
    );
    expect(score.breakdown.reasons.positive.length).toBeGreaterThan(0);
    const page = await openPage();
    await openLead(page, lead);

    await expect.poll(() => gaugeValue(page)).toBe(String(score.score));
    const reasons = page.getByRole('list', { name: 'Top reasons' });
    for (const reason of score.breakdown.reasons.positive) {
      await reasons.getByText(reason, { exact: true }).waitFor();
    }
    const changes = page.getByRole('table', { name: 'Score changes' }).locator('tbody tr');
    await expect.poll(() => changes.count()).toBeGreaterThan(0);
    await expect.poll(() => changes.first().textContent()).toContain(String(score.score));
    await expect
      .poll(() => page.getByRole('list', { name: 'Activities' }).getByRole('listitem').count())
      .toBeGreaterThan(0);
    await dashboard.screenshot(page, 'lead-detail');
    await page.close();
  });

  it('changes the lead’s status and owner', async () => {
    const lead = await demoLeadWithActivity('-score');
    const owner = await dashboard.createUser('sales_rep');
    const status = lead.status === 'qualified' ? 'contacted' : 'qualified';
    const page = await openPage();
    await openLead(page, lead);

    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: status, exact: true }).click();
    await page.getByText(`Status set to ${status}`).waitFor();
    await page.getByRole('combobox', { name: 'Owner' }).click();
    await page.getByRole('option', { name: owner.email }).click();
    await page.getByText(`Owner set to ${owner.email}`).waitFor();
    await dashboard.screenshot(page, 'lead-detail-changed');

    await page.reload();
    await page.getByRole('heading', { level: 1, name: nameOf(lead) }).waitFor();
    await expect
      .poll(() => page.getByRole('combobox', { name: 'Status' }).textContent())
      .toBe(status);
    await expect
      .poll(() => page.getByRole('combobox', { name: 'Owner' }).textContent())
      .toBe(owner.email);
    await page.close();
  });

  it('moves the score on screen, without a reload, when the lead does something new', async () => {
    const lead = await demoLeadWithActivity('score');
    const page = await openPage();
    await openLead(page, lead);
    await expect.poll(() => gaugeValue(page)).not.toBeNull();
    const before = await gaugeValue(page);

    const response = await dashboard.api('POST', '/activities/batch', {
      activities: Array.from({ length: 3 }, (_, i) => ({
        leadId: lead.id,
        type: 'demo_request',
        timestamp: new Date(Date.now() - i * 1000).toISOString(),
        data: {},
      })),
    });
    expect(response.status).toBeLessThan(300);
    await expect.poll(() => gaugeValue(page), { timeout: 15_000 }).not.toBe(before);
    await page
      .getByRole('list', { name: 'Activities' })
      .getByText('Requested a demo')
      .first()
      .waitFor();
    await dashboard.screenshot(page, 'lead-detail-live-score');
    await page.close();
  });

  it('shows status and owner read-only to a viewer', async () => {
    const lead = await demoLeadWithActivity('-score');
    const viewer = await dashboard.createUser('viewer');
    const page = await openPage();
    await signIn(page, viewer);
    await page.goto(new URL(`/app/leads/${lead.id}`, dashboard.url).href);
    const panel = page.getByRole('region', { name: 'Status and owner' });
    await panel.getByText('Your role can see this lead but not change it.').waitFor();
    expect(await panel.getByRole('combobox').count()).toBe(0);
    await dashboard.screenshot(page, 'lead-detail-read-only');
    await page.close();
  });

  it('says so when the lead does not exist, with the way back to the list', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const page = await openPage(undefined, { url: `/leads/${missing}`, status: 404 });
    await signIn(page);
    await page.goto(new URL(`/app/leads/${missing}`, dashboard.url).href);
    await page.getByText('This lead does not exist or was deleted.').waitFor();
    await dashboard.screenshot(page, 'lead-detail-not-found');
    await page.getByRole('link', { name: 'Back to leads' }).click();
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
    await page.close();
  });

  it('fits a 360 px wide phone screen without sideways scrolling', async () => {
    const lead = await demoLeadWithActivity('-score');
    const page = await openPage({ width: 360, height: 740 });
    await openLead(page, lead);
    await page.getByRole('table', { name: 'Score changes' }).waitFor();
    await page.getByRole('list', { name: 'Activities' }).waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
    await dashboard.screenshot(page, 'lead-detail-phone');
    await page.close();
  });
});
