/**
 * Analytics, export and import benchmark on PostgreSQL, through the real server's HTTP API (the
 * server runs in this process with its workers, as `leadscore serve` does): the score
 * distribution, conversion by score band and a three-dimension custom report over N leads (a
 * million by default); a CSV export of every lead, streamed, with its rate and this process's
 * peak memory; an import of 100,000 new leads from a CSV upload, run by the job queue. It prints
 * figures and the aims; it never asserts. The last line is one JSON object.
 *
 *   npm run bench:analytics                      (from the root: defaults)
 *   npm run bench:analytics -w @leadscore/server -- [--leads N] [--import-leads N] [--runs R]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { logIn, startRealServer } from '../api/real-server.js';
import { cleanUpOnSignals, withCleanup } from '../cleanup.js';
import { describe, progress, startRunClock } from '../log.js';
import { machineLine } from '../machine.js';
import { count, formatTable, median, seconds } from '../report.js';
import { postgresLocation, withThrowawayDatabase } from '../throwaway-database.js';
import { type Fixture, prepareFixture } from './fixture.js';
import { type ExportResult, type ImportResult, measureExport, measureImport } from './transfers.js';

const DEFAULTS = { leads: 1_000_000, importLeads: 100_000, runs: 5 };
const AIMS = { analyticsMs: 300, exportRowsPerSecond: 100_000 };
const USAGE =
  'usage: npm run bench:analytics -w @leadscore/server -- [--leads N] [--import-leads N] [--runs R]';

/** The three analytics calls the issue names, as a dashboard would make them. */
const CALLS = [
  { name: 'score distribution', method: 'GET', url: '/analytics/score-distribution' },
  { name: 'conversion by band', method: 'GET', url: '/analytics/conversion-rates' },
  {
    name: 'custom report (3 dimensions)',
    method: 'POST',
    url: '/analytics/custom-report',
    body: {
      metrics: ['count', 'conversion_rate', 'avg_score'],
      groupBy: ['source', 'industry', 'score_band'],
      sort: [{ by: 'count', direction: 'desc' }],
      limit: 1000,
    },
  },
] as const;

interface Flags {
  leads: number;
  importLeads: number;
  runs: number;
}

interface CallTiming {
  name: string;
  /** Milliseconds of each timed run (after one warm-up). */
  runsMs: number[];
}

interface Results {
  fixture: Fixture;
  calls: CallTiming[];
  export: ExportResult;
  import: ImportResult;
}

startRunClock();
cleanUpOnSignals();

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  console.log(
    `Analytics, exports and imports: ${count(flags.leads)} leads on PostgreSQL (${postgresLocation()})\n${machineLine(new Date())}`,
  );
  const outcome = await withThrowawayDatabase('leadscore_bench_analytics_', (url) =>
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
  progress(`seeded ${count(fixture.leads)} leads in ${seconds(fixture.seedSeconds)}`);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'leadscore-bench-analytics-'));
  return withCleanup(
    () => rm(dataDir, { recursive: true, force: true }),
    async () => {
      const server = await startRealServer(url, dataDir);
      return withCleanup(server.close, async () => {
        const token = await logIn(server.url, fixture.ownerEmail, fixture.ownerPassword);
        const calls: CallTiming[] = [];
        for (const call of CALLS) {
          progress(`${call.name}: 1 warm-up + ${flags.runs} runs`);
          calls.push({
            name: call.name,
            runsMs: await timeCall(server.url, token, call, flags.runs),
          });
        }
        progress(`CSV export of ${count(fixture.leads)} leads`);
        const exported = await measureExport(server.url, token, fixture.leads);
        progress(`import of ${count(flags.importLeads)} leads`);
        const imported = await measureImport(server.url, token, flags.importLeads);
        return { fixture, calls, export: exported, import: imported };
      });
    },
  );
}

async function timeCall(
  origin: string,
  token: string,
  call: (typeof CALLS)[number],
  runs: number,
): Promise<number[]> {
  const send = async () => {
    const started = performance.now();
    const response = await fetch(new URL(call.url, origin), {
      method: call.method,
      headers: {
        authorization: `Bearer ${token}`,
        ...('body' in call && { 'content-type': 'application/json' }),
      },
      ...('body' in call && { body: JSON.stringify(call.body) }),
    });
    const text = await response.text();
    if (response.status !== 200) {
      throw new Error(`${call.method} ${call.url} answered ${response.status}: ${text}`);
    }
    return performance.now() - started;
  };
  await send();
  const timings: number[] = [];
  for (let i = 0; i < runs; i++) timings.push(await send());
  return timings;
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

function report(results: Results): string[] {
  const analytics = results.calls.map((call) => ({
    name: call.name,
    medianMs: median(call.runsMs),
    maxMs: Math.max(...call.runsMs),
  }));
  const exported = results.export;
  const imported = results.import;
  const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
  const json = {
    leads: results.fixture.leads,
    postgres: results.fixture.postgresVersion,
    scoreDistributionMs: Math.round(analytics[0]?.medianMs ?? Number.NaN),
    conversionByBandMs: Math.round(analytics[1]?.medianMs ?? Number.NaN),
    customReport3DimMs: Math.round(analytics[2]?.medianMs ?? Number.NaN),
    exportRows: exported.rows,
    exportRowsPerSecond: Math.round(exported.rows / exported.seconds),
    exportPeakRssMb: Math.round(exported.peakRssBytes / 2 ** 20),
    exportRssGrowthMb: Math.round((exported.peakRssBytes - exported.startRssBytes) / 2 ** 20),
    importRows: imported.rows,
    importRowsPerSecond: Math.round(imported.rows / imported.seconds),
  };
  return [
    `PostgreSQL ${results.fixture.postgresVersion}; ${count(results.fixture.leads)} leads seeded in ${seconds(results.fixture.seedSeconds)}`,
    '',
    formatTable(
      [
        { title: 'analytics call', align: 'left' },
        { title: 'median', align: 'right' },
        { title: 'slowest', align: 'right' },
        { title: `aim < ${AIMS.analyticsMs} ms`, align: 'left' },
      ],
      analytics.map((call) => [
        call.name,
        ms(call.medianMs),
        ms(call.maxMs),
        verdict(call.medianMs < AIMS.analyticsMs),
      ]),
    ),
    '',
    formatTable(
      [
        { title: 'transfer', align: 'left' },
        { title: 'rows', align: 'right' },
        { title: 'time', align: 'right' },
        { title: 'rows/s', align: 'right' },
        { title: 'memory', align: 'left' },
      ],
      [
        [
          'CSV export (GET /exports/leads, streamed)',
          count(exported.rows),
          seconds(exported.seconds),
          count(json.exportRowsPerSecond),
          `peak RSS ${mb(exported.peakRssBytes)} (+${mb(exported.peakRssBytes - exported.startRssBytes)}), ${mb(exported.bytes)} of CSV`,
        ],
        [
          'CSV import (POST /imports/leads + job)',
          count(imported.rows),
          seconds(imported.seconds),
          count(json.importRowsPerSecond),
          `${mb(imported.bytes)} uploaded`,
        ],
      ],
    ),
    `  export aim > ${count(AIMS.exportRowsPerSecond)} rows/s: ${verdict(json.exportRowsPerSecond > AIMS.exportRowsPerSecond)}`,
    '',
    JSON.stringify(json),
  ];
}

function parseFlags(args: string[]): Flags {
  const { values } = parseArgs({
    args,
    options: {
      leads: { type: 'string' },
      'import-leads': { type: 'string' },
      runs: { type: 'string' },
    },
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
    importLeads: positive(values['import-leads'], DEFAULTS.importLeads),
    runs: positive(values.runs, DEFAULTS.runs),
  };
}

main().catch((error: unknown) => {
  console.error(`bench:analytics failed: ${describe(error)}`);
  process.exitCode = 1;
});
