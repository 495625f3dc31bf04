import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { loadConfig } from '../../server/src/config.js';
import { type RunningServer, startServer } from '../../server/src/server.js';

/**
 * What every end-to-end test of the dashboard stands on: a production build of the dashboard,
 * the real server (API, scorer and dashboard in one process, as `npm start` runs it) on a
 * fresh embedded database with demo data, and Debian's Chromium. Each test file gets its own
 * build directory and server, so files run side by side.
 */
const CHROMIUM = '/usr/bin/chromium';
const WEB = fileURLToPath(new URL('..', import.meta.url));
export const ARTIFACTS = path.join(WEB, 'e2e-artifacts');
export const ADMIN = { email: 'admin@e2e.example', password: 'e2e-admin-password' };

/** Why the end-to-end tests cannot run here, or null when they can. */
export const skipReason = existsSync(CHROMIUM)
  ? null
  : `${CHROMIUM} is missing (apt-get install -y chromium)`;

export interface Credentials {
  email: string;
  password: string;
}

export interface Dashboard {
  readonly url: string;
  /**
   * A page that fails the test on any console error or uncaught exception, but for the
   * browser's own report of a response the test asks for (a refused login is a 401) and
   * messages `tolerated` accepts.
   */
  openPage(
    viewport?: { width: number; height: number },
    expectedFailure?: { url: string; status: number },
    tolerated?: (message: string) => boolean,
  ): Promise<Page>;
  /** Signs in through the login page and waits for the lead list. */
  signIn(page: Page, who?: Credentials): Promise<void>;
  /** Calls the API as the admin (bearer token from a fresh login). */
  api(method: string, apiPath: string, body?: unknown): Promise<Response>;
  /** A new user of the demo organisation with this role; returns how to sign in. */
  createUser(role: string): Promise<Credentials>;
  /** Saves the page under e2e-artifacts/ as `name`.png. */
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startDashboard(): Promise<Dashboard> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'leadscore-e2e-'));
  const buildDir = path.join(workDir, 'web');
  // A production build (under the test runner's NODE_ENV=test, Vite would bundle React's
  // development build), where this server alone serves it from.
  execFileSync(
    'npx',
    ['vite', 'build', '--outDir', buildDir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: WEB,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: 'inherit',
    },
  );
  await mkdir(ARTIFACTS, { recursive: true });
  const server: RunningServer = await startServer(
    loadConfig({
      PORT: '0',
      LOG_LEVEL: 'warn',
      DATA_DIR: path.join(workDir, 'data'),
      DASHBOARD_DIR: buildDir,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    }),
    { demo: true },
  );
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });

  let adminToken: string | undefined;
  const api = async (method: string, apiPath: string, body?: unknown) => {
    adminToken ??= await logIn(server.url, ADMIN);
    return fetch(new URL(apiPath, server.url), {
      method,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  };

  let users = 0;
  return {
    url: server.url,
    async openPage(viewport = { width: 1280, height: 800 }, expectedFailure, tolerated) {
      const page = await browser.newPage({ viewport });
      const problems: string[] = [];
      page.on('console', (message) => {
        const expected =
          expectedFailure !== undefined &&
          message.location().url.endsWith(expectedFailure.url) &&
          message.text().includes(`status of ${expectedFailure.status}`);
        if (message.type() === 'error' && !expected && !tolerated?.(message.text())) {
          problems.push(message.text());
        }
      });
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('close', () => expect(problems).toEqual([]));
      return page;
    },
    async signIn(page, who = ADMIN) {
      await page.goto(server.url);
      await page.getByLabel('Email').fill(who.email);
      await page.getByLabel('Password').fill(who.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/app/leads');
      await page.getByRole('heading', { name: 'Leads', exact: true }).waitFor();
    },
    api,
    async createUser(role) {
      users += 1;
      const credentials = {
        email: `${role}-${users}@e2e.example`,
        password: `${role}-e2e-password-${users}`,
      };
      const response = await api('POST', '/users', { ...credentials, role });
      expect(response.status).toBe(201);
      return credentials;
    },
    async screenshot(page, name) {
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close();
      await server.close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

async function logIn(url: string, who: Credentials): Promise<string> {
  const response = await fetch(new URL('/auth/login', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(who),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { accessToken: string }).accessToken;
}
