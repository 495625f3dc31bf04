/**
 * API benchmark on PostgreSQL: the real server, in-process, against a bare Fastify app that
 * answers the same bytes without a database, measured with autocannon in the same run.
 * It prints figures, ratios and the aims; it never asserts.
 *
 *   npm run bench:api                      (from the root: defaults)
 *   npm run bench:api -w @leadscore/server -- [--leads N] [--duration SECONDS]
 *
 * The figures are for --leads 1000000. Seeding slows as the indexes grow: on two
 * cores 100,000 leads took 25 s (a whole run under two minutes, hence the default) and
 * 1,000,000 took seven minutes (a run of about nine, longer on a busy machine).
 *
 * This file is the entry point: flags, header, the order of the steps, the exit code.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cleanUpOnSignals, withCleanup } from '../cleanup.js';
import { describe, progress, startRunClock } from '../log.js';
import { machineLine } from '../machine.js';
import { count, seconds } from '../report.js';
import { postgresLocation, withThrowawayDatabase } from '../throwaway-database.js';
import { aimLines, apiTable, problemLines, type ScenarioResult } from './api-table.js';
import { startBareServer } from './bare-server.js';
import { type Fixture, prepareFixture } from './fixture.js';
import { type LoadSettings, measureScenarios } from './measure.js';
import { logIn, startRealServer } from './real-server.js';
import { apiScenarios, sampleResponse } from './scenarios.js';

const DEFAULT_LEADS = 100_000;
const DEFAULT_SECONDS = 10;
const CONNECTIONS = 10;
const WARMUP_SECONDS = 3;
const USAGE = 'usage: npm run bench:api -w @leadscore/server -- [--leads N] [--duration SECONDS]';

interface Flags {
  leads: number;
  seconds: number;
}

startRunClock();
cleanUpOnSignals();

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  console.log(header(flags));
  const outcome = await withThrowawayDatabase('leadscore_bench_api_', async (url) => {
    const fixture = await prepareFixture(url, flags.leads);
    const settings = {
      connections: CONNECTIONS,
      warmupSeconds: WARMUP_SECONDS,
      seconds: flags.seconds,
    };
    return { fixture, results: await measureApi(url, fixture, settings) };
  });
  if (outcome.kind === 'skipped') {
    console.log(`\nNot measured: PostgreSQL ${outcome.reason}`);
    return;
  }
  const { fixture, results } = outcome.result;
  console.log(`\n${fixtureLine(fixture)}`);
  console.log(`\n${apiTable(results)}`);
  console.log(`\n${aimLines(results).join('\n')}`);
  const problems = problemLines(results);
  if (problems.length > 0)
    console.log(`\nAnswers other than expected:\n  ${problems.join('\n  ')}`);
}

/** The real server first, capturing one answer per route; then the bare one sending those. */
async function measureApi(
  databaseUrl: string,
  fixture: Fixture,
  settings: LoadSettings,
): Promise<ScenarioResult[]> {
  const scenarios = apiScenarios(fixture.leadId, fixture.batchLeadIds);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'leadscore-bench-api-'));
  const real = await withCleanup(
    () => rm(dataDir, { recursive: true, force: true }),
    async () => {
      progress('starting the server');
      const server = await startRealServer(databaseUrl, dataDir);
      return withCleanup(server.close, async () => {
        const token = await logIn(server.url, fixture.ownerEmail, fixture.ownerPassword);
        const headers = { authorization: `Bearer ${token}` };
        const bodies: string[] = [];
        for (const scenario of scenarios) {
          bodies.push(await sampleResponse(server.url, scenario, headers));
        }
        const loads = await measureScenarios('real', server.url, scenarios, headers, settings);
        return { bodies, loads };
      });
    },
  );

  const answers = scenarios.map((scenario, index) => ({
    scenario,
    body: real.bodies[index] ?? '',
  }));
  const bare = await startBareServer(answers);
  const bareLoads = await withCleanup(bare.close, () =>
    measureScenarios('bare', bare.url, scenarios, {}, settings),
  );

  return scenarios.map((scenario, index) => {
    const realLoad = real.loads[index];
    const bareLoad = bareLoads[index];
    if (!realLoad || !bareLoad) throw new Error(`${scenario.name} was not measured`);
    const responseBytes = Buffer.byteLength(answers[index]?.body ?? '');
    return { scenario, responseBytes, real: realLoad, bare: bareLoad };
  });
}

function parseFlags(args: string[]): Flags {
  try {
    const { values } = parseArgs({
      args,
      options: { leads: { type: 'string' }, duration: { type: 'string' } },
    });
    const leads = values.leads === undefined ? DEFAULT_LEADS : Number(values.leads);
    if (!Number.isSafeInteger(leads) || leads < 1) {
      throw new Error(`--leads must be a positive integer, got ${values.leads}`);
    }
    const duration = values.duration === undefined ? DEFAULT_SECONDS : Number(values.duration);
    if (!Number.isSafeInteger(duration) || duration < 1) {
      throw new Error(`--duration must be a positive number of seconds, got ${values.duration}`);
    }
    return { leads, seconds: duration };
  } catch (error) {
    console.error(`${describe(error)}\n${USAGE}`);
    process.exit(2);
  }
}

function header(flags: Flags): string {
  return [
    `$ npm run bench:api -w @leadscore/server -- --leads ${flags.leads} --duration ${flags.seconds}`,
    machineLine(new Date()),
    `PostgreSQL looked for at ${postgresLocation()} (TEST_POSTGRES_URL overrides); a throwaway database, dropped at the end`,
    `autocannon in a worker thread, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s untimed warm-up then ` +
      `${flags.seconds} s per route; servers in this process on the main thread`,
    'latency of 2xx answers only, percentiles from every request (not binned); bare = Fastify() with no',
    'database, plugins or hooks, answering the bytes of one real answer per route (its batch route still parses the body);',
    'server thread busy = event-loop utilisation of the thread both servers run on (near 100%: our JavaScript',
    'is the limit; lower: requests wait on PostgreSQL)',
  ].join('\n');
}

function fixtureLine(fixture: Fixture): string {
  return [
    `PostgreSQL ${fixture.postgresVersion}: ${count(fixture.leads)} demo leads and ${count(fixture.activities)} activities`,
    `seeded in ${seconds(fixture.seedSeconds)} s (2 writers), then vacuum analyze; one organisation, its owner logged in;`,
    'GET /leads/{id} asks for one lead; batch items name leads round-robin from a pool of up to 10,000,',
    'each request with new idempotency keys, timestamps a minute old, type page_view',
  ].join('\n');
}

await main();
