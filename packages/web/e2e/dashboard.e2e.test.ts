import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config.js';
import { type RunningServer, startServer } from '../../server/src/server.js';

/**
 * The dashboard end to end: the real server (API, scorer and dashboard in one process, as
 * `npm start` runs it) on a fresh embedded database with demo data, driven in Debian's Chromium.
 * Each page is saved as a screenshot under e2e-artifacts/.
 */
const CHROMIUM = '/usr/bin/chromium';
const WEB = fileURLToPath(new URL('..', import.meta.url));
const ARTIFACTS = path.join(WEB, 'e2e-artifacts');
const ADMIN = { email: 'admin@e2e.example', password: 'e2e-admin-password' };
const skipReason = existsSync(CHROMIUM)
  ? null
  : `${CHROMIUM} is missing (apt-get install -y chromium)`;
if (skipReason) console.log(`dashboard e2e skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)('the dashboard in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    // What `npm run build` makes, where the server serves it from (a production build:
    // under the test runner's NODE_ENV=test, Vite would bundle React's development build).
    execFileSync('npm', ['run', 'build', '--silent'], {
      cwd: WEB,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: 'inherit',
    });
    dataDir = await mkdtemp(path.join(tmpdir(), 'leadscore-e2e-'));
    await mkdir(ARTIFACTS, { recursive: true });
    const config = loadConfig({
      PORT: '0',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    });
    server = await startServer(config, { demo: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /**
   * A page that fails the test on any console error or uncaught exception, but for the
   * browser's own report of a response the test asks for (a refused login is a 401).
   */
  async function openPage(
    viewport = { width: 1280, height: 800 },
    expectedFailure?: { url: string; status: number },
  ): Promise<Page> {
    const page = await browser.newPage({ viewport });
    const problems: string[] = [];
    page.on('console', (message) => {
      const expected =
        expectedFailure !== undefined &&
        message.location().url.endsWith(expectedFailure.url) &&
        message.text().includes(`status of ${expectedFailure.status}`);
      if (message.type() === 'error' && !expected) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('close', () => expect(problems).toEqual([]));
    return page;
  }

  async function signIn(page: Page): Promise<void> {
    await page.goto(server.url);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
  }

  const scoresOnScreen = (page: Page) =>
    page
      .getByRole('table', { name: 'Leads' })
      .locator('tbody tr [aria-label^="Score "]')
      .evaluateAll((chips) =>
        chips.map((chip) => Number(/Score (\d+)/.exec(chip.getAttribute('aria-label') ?? '')?.[1])),
      );

  it('refuses a wrong password with the reason, then signs in to the lead list', async () => {
    const page = await openPage(undefined, { url: '/auth/login', status: 401 });
    await page.goto(server.url);
    await page.waitForURL('**/app/login');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/password/i);
    await page.screenshot({ path: path.join(ARTIFACTS, 'login.png') });
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/app/leads');
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
    await page.close();
  });

  it('lists leads highest score first, sorts the other way, and filters by status', async () => {
    const page = await openPage();
    await signIn(page);
    await expect.poll(async () => (await scoresOnScreen(page)).length).toBeGreaterThan(5);
    const highestFirst = await scoresOnScreen(page);
    expect(highestFirst).toEqual([...highestFirst].sort((a, b) => b - a));
    await page.screenshot({ path: path.join(ARTIFACTS, 'leads.png'), fullPage: true });

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
      .locator('tbody tr td:nth-child(3)');
    await expect
      .poll(async () => new Set(await statusCells.allTextContents()))
      .toEqual(new Set(['converted']));
    await page.close();
  });

  it('shows a new score on screen, without a reload, when an activity arrives through the API', async () => {
    const page = await openPage();
    await signIn(page);
    await page.getByLabel('Sort by').click();
    await page.getByRole('option', { name: 'Lowest score' }).click();
    const firstRow = page.getByRole('table', { name: 'Leads' }).locator('tbody tr').first();
    await expect.poll(() => firstRow.getAttribute('data-lead-id')).toBeTruthy();
    const leadId = (await firstRow.getAttribute('data-lead-id')) as string;
    const row = page.locator(`tr[data-lead-id="${leadId}"]`);
    const before = await row.locator('[aria-label^="Score"]').getAttribute('aria-label');

    const token = await page.evaluate(
      () => JSON.parse(localStorage.getItem('leadscore.session') ?? '{}').accessToken as string,
    );
    const response = await fetch(new URL('/activities/batch', server.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        activities: Array.from({ length: 3 }, (_, i) => ({
          leadId,
          type: 'demo_request',
          timestamp: new Date(Date.now() - i * 1000).toISOString(),
          data: {},
        })),
      }),
    });
    expect(response.status).toBeLessThan(300);
    await expect
      .poll(() => row.locator('[aria-label^="Score"]').getAttribute('aria-label'), {
        timeout: 15_000,
      })
      .not.toBe(before);
    await page.screenshot({ path: path.join(ARTIFACTS, 'leads-live-score.png') });
    await page.close();
  });

  it('fits a 360 px wide phone screen without sideways scrolling', async () => {
    const page = await openPage({ width: 360, height: 740 });
    await signIn(page);
    await expect.poll(async () => (await scoresOnScreen(page)).length).toBeGreaterThan(0);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'leads-phone.png'), fullPage: true });
    await page.close();
  });
});
