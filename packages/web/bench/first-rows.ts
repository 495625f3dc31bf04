/**
 * Dashboard benchmark on PostgreSQL: how soon the lead list shows its first rows after
 * navigation, with N leads in the organisation (a million by default), in Debian's Chromium
 * against the real server serving a production build. Cold runs use a fresh browser profile
 * each (no HTTP cache, no service worker); warm runs reload in a profile that has the app.
 * Baseline, measured in the same run: the GET /leads call the page makes, timed alone — the
 * rest of the ratio is what the browser adds. Also the first page's JavaScript, gzipped. It
 * prints figures and the budgets; it never asserts. The last line is one JSON object.
 *
 *   npm run bench:dashboard                      (from the root: defaults)
 *   npm run bench:dashboard -w @leadscore/web -- [--leads N] [--runs R]
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { type Browser, chromium } from 'playwright-core';
import { prepareFixture } from '../../server/bench/analytics/fixture.js';
import { startRealServer } from '../../server/bench/api/real-server.js';
import { cleanUpOnSignals, withCleanup } from '../../server/bench/cleanup.js';
import { describe, progress, startRunClock } from '../../server/bench/log.js';
import { machineLine } from '../../server/bench/machine.js';
import { count, formatTable, median, ratio } from '../../server/bench/report.js';
import { postgresLocation, withThrowawayDatabase } from '../../server/bench/throwaway-database.js';

const DEFAULTS = { leads: 1_000_000, runs: 5 };
const BUDGETS = { firstRowsMs: 1000, initialJsKb: 300 };
const USAGE = 'usage: npm run bench:dashboard -w @leadscore/web -- [--leads N] [--runs R]';
const CHROMIUM = '/usr/bin/chromium';
const WEB = fileURLToPath(new URL('..', import.meta.url));
/** What the lead list asks for first (its default order and page size). */
const FIRST_PAGE = '/leads?limit=50&sort=-score';

interface Flags {
  leads: number;
  runs: number;
}

/** Milliseconds since navigation started, from the page's own clock. */
interface Timeline {
  /** The last script of the page finished downloading. */
  scriptsLoaded: number;
  /** The lead list's GET /leads was sent, and its answer was in. */
  listSent: number;
  listAnswered: number;
  /** The first lead row was in the table. */
  firstRows: number;
}

interface Results {
  leads: number;
  postgresVersion: string;
  apiMs: number[];
  cold: Timeline[];
  warm: Timeline[];
  initialJsBytesGzipped: number;
}

startRunClock();
cleanUpOnSignals();

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  console.log(
    `Dashboard: first rows of the lead list with ${count(flags.leads)} leads on PostgreSQL (${postgresLocation()})\n${machineLine(new Date())}`,
  );
  if (!existsSync(CHROMIUM)) {
    console.log(`\nNot measured: ${CHROMIUM} is missing (apt-get install -y chromium)`);
    return;
  }
  const outcome = await withThrowawayDatabase('leadscore_bench_dashboard_', (url) =>
    measure(url, flags),
  );
  if (outcome.kind === 'skipped') {
    console.log(`\nNot measured: PostgreSQL ${outcome.reason}`);
    return;
  }
  console.log(`\n${report(outcome.result).join('\n')}`);
}

async function measure(url: string, flags: Flags): Promise<Results> {
  const fixture = await prepareFixture(url, flags.leads);
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'leadscore-bench-dashboard-'));
  return withCleanup(
    () => rm(workDir, { recursive: true, force: true }),
    async () => {
      progress('production build of the dashboard');
      const buildDir = path.join(workDir, 'web');
      execFileSync(
        'npx',
        ['vite', 'build', '--outDir', buildDir, '--emptyOutDir', '--logLevel', 'warn'],
        {
          cwd: WEB,
          env: { ...process.env, NODE_ENV: 'production' },
          stdio: 'inherit',
        },
      );
      const server = await startRealServer(url, workDir, { DASHBOARD_DIR: buildDir });
      return withCleanup(server.close, async () => {
        const session = await signIn(server.url, fixture.ownerEmail, fixture.ownerPassword);
        progress(`GET ${FIRST_PAGE}: 1 warm-up + ${flags.runs} runs`);
        const apiMs = await timeApi(server.url, session.accessToken, flags.runs);
        const browser = await chromium.launch({
          executablePath: CHROMIUM,
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
        });
        return withCleanup(
          () => browser.close(),
          async () => {
            progress(`lead list in Chromium: ${flags.runs} cold and ${flags.runs} warm loads`);
            const loads = await timeFirstRows(browser, server.url, session, flags.runs);
            return {
              leads: fixture.leads,
              postgresVersion: fixture.postgresVersion,
              apiMs,
              ...loads,
            };
          },
        );
      });
    },
  );
}

/** The session the dashboard keeps in localStorage, as POST /auth/login answers it. */
async function signIn(origin: string, email: string, password: string) {
  const response = await fetch(new URL('/auth/login', origin), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const session = (await response.json()) as { accessToken: string };
  if (response.status !== 200) throw new Error(`login answered ${response.status}`);
  return session;
}

async function timeApi(origin: string, token: string, runs: number): Promise<number[]> {
  const send = async () => {
    const started = performance.now();
    const response = await fetch(new URL(FIRST_PAGE, origin), {
      headers: { authorization: `Bearer ${token}` },
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`GET ${FIRST_PAGE} answered ${response.status}`);
    return performance.now() - started;
  };
  await send();
  const timings: number[] = [];
  for (let i = 0; i < runs; i++) timings.push(await send());
  return timings;
}

/**
 * Each load navigates to /app/leads signed in (the session put where the dashboard keeps it)
 * and reads, from the page's own clock, when the first lead row was added to the table —
 * milliseconds since navigation started, so server, network, parsing and rendering all count —
 * and, from resource timing, when the scripts and the list's API call were done.
 */
async function timeFirstRows(
  browser: Browser,
  origin: string,
  session: object,
  runs: number,
): Promise<Pick<Results, 'cold' | 'warm' | 'initialJsBytesGzipped'>> {
  const cold: Timeline[] = [];
  const warm: Timeline[] = [];
  let initialJsBytesGzipped = 0;
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext();
    await context.addInitScript((stored) => {
      localStorage.setItem('leadscore.session', stored);
      const watcher = new MutationObserver(() => {
        if (!document.querySelector('tbody tr[data-lead-id]')) return;
        (window as unknown as { firstRowsAt: number }).firstRowsAt = performance.now();
        watcher.disconnect();
      });
      watcher.observe(document, { childList: true, subtree: true });
    }, JSON.stringify(session));
    const page = await context.newPage();
    const scripts: Promise<number>[] = [];
    if (run === 0) {
      page.on('response', (response) => {
        if (response.request().resourceType() === 'script' && response.status() === 200) {
          scripts.push(response.body().then((body) => gzipSync(body).length));
        }
      });
    }
    const load = async (): Promise<Timeline> => {
      await page.goto(new URL('/app/leads', origin).href);
      await page.waitForSelector('tbody tr[data-lead-id]');
      return page.evaluate(() => {
        const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
        const list = resources.find((entry) => new URL(entry.name).pathname === '/leads');
        return {
          scriptsLoaded: Math.max(
            ...resources
              .filter((entry) => entry.initiatorType === 'script' || entry.name.endsWith('.js'))
              .map((entry) => entry.responseEnd),
          ),
          listSent: list?.startTime ?? Number.NaN,
          listAnswered: list?.responseEnd ?? Number.NaN,
          firstRows: (window as unknown as { firstRowsAt: number }).firstRowsAt,
        };
      });
    };
    cold.push(await load());
    if (run === 0) initialJsBytesGzipped = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
    warm.push(await load());
    await context.close();
  }
  return { cold, warm, initialJsBytesGzipped };
}

const ms = (value: number) => `${value.toFixed(0)} ms`;

const PHASES = {
  scriptsLoaded: 'scripts downloaded',
  listSent: 'GET /leads sent',
  listAnswered: 'GET /leads answered',
} as const;

function report(results: Results): string[] {
  const api = median(results.apiMs);
  const phase = (loads: Timeline[], name: keyof Timeline) => loads.map((load) => load[name]);
  const coldRows = phase(results.cold, 'firstRows');
  const warmRows = phase(results.warm, 'firstRows');
  const cold = median(coldRows);
  const warm = median(warmRows);
  const jsKb = results.initialJsBytesGzipped / 1024;
  const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
  const json = {
    leads: results.leads,
    postgres: results.postgresVersion,
    firstRowsMs: { cold: Math.round(cold), warm: Math.round(warm) },
    apiFirstPageMs: Math.round(api),
    ratio: Number((cold / api).toFixed(2)),
    initialJsKbGzipped: Math.round(jsKb),
  };
  return [
    `PostgreSQL ${results.postgresVersion}; ${count(results.leads)} leads`,
    '',
    formatTable(
      [
        { title: 'measure', align: 'left' },
        { title: 'median', align: 'right' },
        { title: 'slowest', align: 'right' },
        { title: 'budget', align: 'left' },
      ],
      [
        [`GET ${FIRST_PAGE} alone (baseline)`, ms(api), ms(Math.max(...results.apiMs)), ''],
        ...(['scriptsLoaded', 'listSent', 'listAnswered'] as const).map((name) => [
          `  cold: ${PHASES[name]}`,
          ms(median(phase(results.cold, name))),
          ms(Math.max(...phase(results.cold, name))),
          '',
        ]),
        [
          'first rows, cold (new profile)',
          ms(cold),
          ms(Math.max(...coldRows)),
          `< ${BUDGETS.firstRowsMs} ms: ${verdict(cold < BUDGETS.firstRowsMs)}`,
        ],
        [
          'first rows, warm (reload)',
          ms(warm),
          ms(Math.max(...warmRows)),
          `< ${BUDGETS.firstRowsMs} ms: ${verdict(warm < BUDGETS.firstRowsMs)}`,
        ],
      ],
    ),
    `  cold first rows / API call alone: ${ratio(cold / api)}`,
    `  first page's JavaScript: ${jsKb.toFixed(1)} KB gzipped (budget ≤ ${BUDGETS.initialJsKb} KB: ${verdict(jsKb <= BUDGETS.initialJsKb)})`,
    '',
    JSON.stringify(json),
  ];
}

function parseFlags(args: string[]): Flags {
  const { values } = parseArgs({
    args,
    options: { leads: { type: 'string' }, runs: { type: 'string' } },
  });
  const positive = (value: string | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1)
      throw new Error(`${USAGE}\n(${value} is not a positive integer)`);
    return parsed;
  };
  return {
    leads: positive(values.leads, DEFAULTS.leads),
    runs: positive(values.runs, DEFAULTS.runs),
  };
}

main().catch((error: unknown) => {
  console.error(`bench:dashboard failed: ${describe(error)}`);
  process.exitCode = 1;
});
