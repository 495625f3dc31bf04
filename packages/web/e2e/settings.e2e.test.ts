import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, type Dashboard, skipReason, startDashboard } from './harness';

if (skipReason) console.log(`dashboard e2e skipped: ${skipReason}`);

interface Listed<T> {
  data: T[];
}

describe.skipIf(skipReason !== null)('the settings pages, in Chromium', () => {
  let dashboard: Dashboard;
  beforeAll(async () => {
    dashboard = await startDashboard();
  }, 240_000);
  afterAll(async () => {
    await dashboard?.close();
  });

  const list = async <T>(path: string): Promise<T[]> => {
    const response = await dashboard.api('GET', path);
    expect(response.status).toBe(200);
    return ((await response.json()) as Listed<T>).data;
  };

  async function openSettingsTab(page: Page, tab: string) {
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('tab', { name: 'Settings' })
      .click();
    await page
      .getByRole('navigation', { name: 'Settings' })
      .getByRole('tab', { name: tab })
      .click();
  }

  it('creates an API key, shows it once, lists it without it, and the key reads leads until revoked', async () => {
    const page = await dashboard.openPage();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await dashboard.signIn(page);
    await openSettingsTab(page, 'API keys');
    await page.waitForURL('**/app/settings/api-keys');
    await page.getByRole('table', { name: 'API keys' }).waitFor();
    await dashboard.screenshot(page, 'settings-api-keys');

    await page.getByRole('button', { name: 'Create API key' }).click();
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByText('Say what the key is for.').waitFor();
    await dashboard.screenshot(page, 'settings-api-key-form-invalid');
    await page.getByLabel('Name').fill('CRM sync');
    await page.getByLabel('Read leads (leads:read)').check();
    await page.getByRole('button', { name: 'Create key' }).click();

    const secretField = page.getByLabel('API key', { exact: true });
    await expect.poll(() => secretField.inputValue()).toMatch(/^lsk_/);
    const key = await secretField.inputValue();
    await page.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    await dashboard.screenshot(page, 'settings-api-key-shown-once');
    await page.getByRole('button', { name: 'Done' }).click();

    const row = page
      .getByRole('table', { name: 'API keys' })
      .getByRole('row', { name: /CRM sync/ });
    await expect.poll(() => row.textContent()).toContain('leads:read');
    const prefix = key.split('_')[1] as string;
    expect(await row.textContent()).toContain(`lsk_${prefix}_…`);
    expect(await page.content()).not.toContain(key);
    await dashboard.screenshot(page, 'settings-api-key-listed');

    const withKey = () =>
      fetch(new URL('/leads?limit=1', dashboard.url), { headers: { 'x-api-key': key } });
    expect((await withKey()).status).toBe(200);

    await page.getByRole('button', { name: 'Revoke CRM sync' }).click();
    await dashboard.screenshot(page, 'settings-api-key-revoke-confirm');
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => row.textContent()).toContain('Revoked');
    expect((await withKey()).status).toBe(401);
    await page.close();
  });

  it('adds a user (the API’s refusal shown at the field), shows the temporary password once, and changes their role', async () => {
    const page = await dashboard.openPage(undefined, { url: '/users', status: 409 });
    await dashboard.signIn(page);
    await openSettingsTab(page, 'Users');
    await page.getByRole('table', { name: 'Users' }).waitFor();
    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a user' });
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await dialog.getByText('Enter an email address.').waitFor();

    await dialog.getByLabel('Email').fill(ADMIN.email);
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await expect.poll(() => dialog.getByText(/already exists/).count()).toBe(1);
    await dashboard.screenshot(page, 'settings-user-email-taken');

    const email = 'new.colleague@e2e.example';
    await dialog.getByLabel('Email').fill(email);
    await dialog.getByLabel('First name').fill('New');
    await dialog.getByLabel('Last name').fill('Colleague');
    await dialog.getByLabel('Role').click();
    await page.getByRole('option', { name: 'Sales rep' }).click();
    await dialog.getByRole('button', { name: 'Add user' }).click();
    const password = page.getByLabel('Temporary password');
    await expect.poll(() => password.inputValue()).not.toBe('');
    await dashboard.screenshot(page, 'settings-user-temporary-password');
    await page.getByRole('button', { name: 'Done' }).click();

    const roleOf = async () =>
      (await list<{ email: string; role: string }>('/users?limit=200')).find(
        (user) => user.email === email,
      )?.role;
    expect(await roleOf()).toBe('sales_rep');
    await page.getByLabel(`Role of ${email}`).click();
    await page.getByRole('option', { name: 'Analyst' }).click();
    await expect.poll(roleOf).toBe('analyst');
    await page.getByRole('listbox').waitFor({ state: 'detached' });
    await dashboard.screenshot(page, 'settings-users');
    await page.close();
  });

  it('creates an alert rule on a grade and lists it', async () => {
    const page = await dashboard.openPage();
    await dashboard.signIn(page);
    await openSettingsTab(page, 'Alert rules');
    await page.getByRole('table', { name: 'Alert rules' }).waitFor();
    await page.getByRole('button', { name: 'New alert rule' }).click();
    const dialog = page.getByRole('dialog', { name: 'New alert rule' });
    await dialog.getByLabel('Name').fill('Best fit, most engaged');
    await dialog.getByLabel('Alert when').click();
    await page.getByRole('option', { name: 'Grade becomes a given grade' }).click();
    await dialog.getByLabel('Grade').click();
    await page.getByRole('option', { name: 'A1', exact: true }).click();
    await dashboard.screenshot(page, 'settings-alert-rule-form');
    await dialog.getByRole('button', { name: 'Create rule' }).click();

    const row = page.getByRole('row', { name: /Best fit, most engaged/ });
    await expect.poll(() => row.textContent()).toContain('Grade becomes A1');
    const rules = await list<{
      name: string;
      kind: string;
      grade: string | null;
      isActive: boolean;
    }>('/alert-rules?limit=200');
    expect(rules.find((rule) => rule.name === 'Best fit, most engaged')).toMatchObject({
      kind: 'grade_is',
      grade: 'A1',
      isActive: true,
    });
    await dashboard.screenshot(page, 'settings-alert-rules');
    await page.close();
  });

  it('shows the organisation, editable by its owner', async () => {
    const page = await dashboard.openPage();
    await dashboard.signIn(page);
    await openSettingsTab(page, 'Organisation');
    await expect.poll(() => page.getByLabel('Name').inputValue()).not.toBe('');
    await dashboard.screenshot(page, 'settings-organization');
    await page.close();
  });

  it('fits a 360 px wide phone screen without sideways scrolling', async () => {
    const page = await dashboard.openPage({ width: 360, height: 740 });
    await dashboard.signIn(page);
    // Settings opens on its first tab, Users, for an admin.
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('tab', { name: 'Settings' })
      .click();
    await page.waitForURL('**/app/settings/users');
    await page.getByRole('table', { name: 'Users' }).locator('tbody tr').first().waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
    await dashboard.screenshot(page, 'settings-users-phone');
    await page.close();
  });

  it('shows an analyst no Settings, and refuses them the settings page', async () => {
    const analyst = await dashboard.createUser('analyst');
    const page = await dashboard.openPage();
    await dashboard.signIn(page, analyst);
    const sections = page.getByRole('navigation', { name: 'Sections' });
    // The analyst's sections are there (Analytics among them), and Settings is not.
    await expect.poll(() => sections.getByRole('tab').allTextContents()).toContain('Analytics');
    expect(await sections.getByRole('tab').allTextContents()).not.toContain('Settings');
    await page.goto(new URL('/app/settings', dashboard.url).href);
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/role does not give access/);
    await dashboard.screenshot(page, 'settings-refused-to-analyst');
    await page.close();
  });
});
