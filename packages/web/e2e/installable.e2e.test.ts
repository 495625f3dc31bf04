import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, skipReason, startDashboard } from './harness';

if (skipReason) console.log(`installable-app e2e skipped: ${skipReason}`);

/** The seed's mobile app, as an installable web app: a manifest, and a shell that works offline. */
describe.skipIf(skipReason !== null)('the dashboard as an installable app, in Chromium', () => {
  let dashboard: Dashboard;
  beforeAll(async () => {
    dashboard = await startDashboard();
  }, 240_000);
  afterAll(async () => {
    await dashboard?.close();
  });

  it('declares a web manifest a phone can install from', async () => {
    const page = await dashboard.openPage({ width: 360, height: 740 });
    await page.goto(new URL('/app/', dashboard.url).href);
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const response = await fetch(new URL(href ?? '', page.url()));
    expect(response.status).toBe(200);
    const manifest = await response.json();
    expect(manifest).toMatchObject({
      name: 'Leadscore',
      start_url: '/app/',
      scope: '/app/',
      display: 'standalone',
    });
    const sizes = manifest.icons.map((icon: { sizes: string }) => icon.sizes);
    expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of manifest.icons) {
      const image = await fetch(new URL(icon.src, new URL(href ?? '', page.url())));
      expect(image.headers.get('content-type'), icon.src).toBe('image/png');
    }
    await page.close();
  });

  it('opens without a network once visited: the service worker keeps the shell', async () => {
    // Offline, the browser reports each API call and socket it cannot make: expected here.
    const page = await dashboard.openPage({ width: 360, height: 740 }, undefined, (message) =>
      /ERR_INTERNET_DISCONNECTED|WebSocket/.test(message),
    );
    await dashboard.signIn(page);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.context().setOffline(true);
    await page.reload();
    // The page itself came from the service worker; the API cannot be reached, and says so.
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toMatch(/cannot be reached/);
    await dashboard.screenshot(page, 'offline-shell');
    await page.context().setOffline(false);
    await page.close();
  });
});
