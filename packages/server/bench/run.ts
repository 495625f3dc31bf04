/**
 * Server benchmark: start-up time on the embedded database, demo-seed throughput on PGlite and
 * (when one answers) PostgreSQL, and insertDemoBatch's write path against a multi-row VALUES
 * baseline measured in the same run. It prints figures and ratios; it never asserts.
 *
 *   npm run bench -w @leadscore/server -- [--leads N] [--skip-startup]
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { type Database, openDatabase } from '../src/db/connection.js';
import { loadMigrations, migrate } from '../src/db/migrator.js';
import type { DB } from '../src/db/schema.js';
import type { FirstRunResult } from '../src/first-run.js';
// The repository rather than the module's index: the write path itself is what is measured.
import { insertDemoBatch } from '../src/modules/demo/demo.repository.js';
import { type DemoBatch, generateDemoBatches } from '../src/modules/demo/demo-data.js';
import { createOrganizationWithOwner, seedDemoLeads } from '../src/modules/demo/index.js';
import { startServer } from '../src/server.js';
// Where the test suites find PostgreSQL (TEST_POSTGRES_URL or loopback); the bench looks there too.
import { adminUrl } from '../src/test/services.js';
import { type Column, count, formatTable, percent, perSecond, ratio, seconds } from './report.js';
import { insertDemoBatchAsValues } from './values-insert.js';

const runStarted = performance.now();
const DEFAULT_LEADS = 100_000;
const SEED = 1;
const BATCH_SIZE = 1000;
/** Leads written both ways by the write-path comparison (fewer when --leads is smaller). */
const COMPARISON_LEADS = 20_000;
/** Written both ways, untimed, before anything is timed on an engine. */
const WARMUP_LEADS = 1000;
const WARMUP_BATCH_SIZE = 250;
const ADMIN_PASSWORD = 'bench-password-123';
const USAGE = 'usage: npm run bench -w @leadscore/server -- [--leads N] [--skip-startup]';

interface Flags {
  leads: number;
  skipStartup: boolean;
}

interface StartupRow {
  label: string;
  dataDir: string;
  demo: boolean;
  seconds: number;
  firstRun: FirstRunResult | null;
}

interface Volume {
  leads: number;
  activities: number;
  seconds: number;
}

interface EngineResult {
  label: string;
  seed: Volume;
  /** The same batches written both ways, interleaved. */
  jsonb: Volume;
  values: Volume;
}

type EngineOutcome =
  | { kind: 'measured'; result: EngineResult }
  | { kind: 'skipped' | 'failed'; label: string; reason: string };

// ---------------------------------------------------------------------------------------------
// Clean-up that also runs on Ctrl-C: temp dirs and throwaway databases must not outlive the run.

const pendingCleanups = new Set<() => Promise<void>>();
let interrupted = false;

async function withCleanup<T>(cleanup: () => Promise<void>, work: () => Promise<T>): Promise<T> {
  if (interrupted) throw new Error('interrupted');
  let done: Promise<void> | undefined;
  const once = () => {
    done ??= cleanup();
    return done;
  };
  pendingCleanups.add(once);
  try {
    return await work();
  } finally {
    pendingCleanups.delete(once);
    await once();
  }
}

/**
 * Note that a PGlite query resolves without yielding to the event loop, so a signal that
 * arrives during a long PGlite section is handled only when that section ends.
 */
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    progress(`${signal}: cleaning up`);
    // Dropping the database under a running query makes its client emit 'error'; the run is
    // over, so nothing may stop the clean-up now.
    process.on('uncaughtException', (error) => progress(`during clean-up: ${describe(error)}`));
    void (async () => {
      // Newest first; nothing new is registered once interrupted.
      for (const cleanup of [...pendingCleanups].reverse()) {
        await cleanup().catch((error: unknown) => progress(`clean-up failed: ${describe(error)}`));
      }
      process.exit(130);
    })();
  });
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const now = new Date();
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'leadscore-bench-'));
  await withCleanup(
    () => rm(scratch, { recursive: true, force: true }),
    async () => {
      console.log(header(flags, now));

      if (flags.skipStartup) {
        console.log('\nStart-up: skipped (--skip-startup)');
      } else {
        console.log(`\n${startupTable(await measureStartups(scratch))}`);
      }

      progress(`generator: ${count(flags.leads)} leads`);
      const generator = measureGenerator(flags.leads, now);

      const engines: EngineOutcome[] = [];
      engines.push(await benchPGlite(scratch, flags.leads, now));
      engines.push(await benchPostgres(flags.leads, now));

      console.log(`\n${seedTable(flags.leads, generator, engines)}`);
      console.log(`\n${writePathTable(flags.leads, engines)}`);
      const notMeasured = engines.filter((engine) => engine.kind !== 'measured');
      for (const engine of notMeasured) {
        console.log(`\n${engine.label}: ${engine.kind} — ${engine.reason}`);
      }
      if (notMeasured.some((engine) => engine.kind === 'failed')) process.exitCode = 1;
    },
  );
}

function parseFlags(args: string[]): Flags {
  try {
    const { values } = parseArgs({
      args,
      options: { leads: { type: 'string' }, 'skip-startup': { type: 'boolean', default: false } },
    });
    const leads = values.leads === undefined ? DEFAULT_LEADS : Number(values.leads);
    if (!Number.isSafeInteger(leads) || leads < 1) {
      throw new Error(`--leads must be a positive integer, got ${values.leads}`);
    }
    return { leads, skipStartup: values['skip-startup'] ?? false };
  } catch (error) {
    console.error(`${describe(error)}\n${USAGE}`);
    process.exit(2);
  }
}

function header(flags: Flags, now: Date): string {
  const cpus = os.cpus();
  const command = [
    'npm run bench -w @leadscore/server --',
    `--leads ${flags.leads}`,
    ...(flags.skipStartup ? ['--skip-startup'] : []),
  ].join(' ');
  return [
    `$ ${command}`,
    `${now.toISOString()} · commit ${gitCommit()} · node ${process.version} ${os.platform()}-${os.arch()} · ` +
      `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'} · ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    `PostgreSQL looked for at ${redact(adminUrl())} (TEST_POSTGRES_URL overrides)`,
    `Demo data: seed ${SEED}, batches of ${count(BATCH_SIZE)} leads, one transaction per batch; ` +
      'times from performance.now(), one sample each.',
  ].join('\n');
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}

// ---------------------------------------------------------------------------------------------
// 1. Start-up through the real entry point, on the embedded database.

async function measureStartups(scratch: string): Promise<StartupRow[]> {
  // The first start in a process also compiles PGlite's WebAssembly and warms the JIT; it is
  // shown apart so that (a) and (c) compare like with like.
  const warm = await startOnce(scratch, 'start-cold', false, 'warm-up: first start in process');
  const firstRun = await startOnce(scratch, 'start-a', true, '(a) first run', { keep: true });
  const second = await startOnce(scratch, 'start-a', true, '(b) second start');
  await rm(path.join(scratch, 'start-a'), { recursive: true, force: true });
  const noDemo = await startOnce(scratch, 'start-c', false, '(c) first run, no demo');
  return [warm, firstRun, { ...second, dataDir: 'existing, from (a)' }, noDemo];
}

async function startOnce(
  scratch: string,
  dirName: string,
  demo: boolean,
  label: string,
  options: { keep?: boolean } = {},
): Promise<StartupRow> {
  progress(`start-up ${label}`);
  const dataDir = path.join(scratch, dirName);
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    ADMIN_PASSWORD,
  });
  const started = performance.now();
  const server = await startServer(config, { demo });
  const elapsed = (performance.now() - started) / 1000;
  await server.close();
  if (!options.keep) await rm(dataDir, { recursive: true, force: true });
  return { label, dataDir: 'empty', demo, seconds: elapsed, firstRun: server.firstRun };
}

function describeFirstRun(firstRun: FirstRunResult | null): string {
  if (firstRun === null) return 'none (database reused)';
  return firstRun.demoLeads > 0 ? `admin + ${count(firstRun.demoLeads)} demo leads` : 'admin only';
}

function startupTable(rows: StartupRow[]): string {
  const columns: Column[] = [
    { title: 'start', align: 'left' },
    { title: 'DATA_DIR', align: 'left' },
    { title: 'demo', align: 'left' },
    { title: 'first-run work', align: 'left' },
    { title: 'seconds', align: 'right' },
  ];
  const body = rows.map((row) => [
    row.label,
    row.dataDir,
    row.demo ? 'on' : 'off',
    describeFirstRun(row.firstRun),
    seconds(row.seconds),
  ]);
  const a = rows.find((row) => row.label.startsWith('(a)'));
  const c = rows.find((row) => row.label.startsWith('(c)'));
  if (a && c) body.push(['demo seeding ≈ (a) − (c)', '', '', '', seconds(a.seconds - c.seconds)]);
  return [
    'Start-up: startServer() until listening, in-process, embedded PGlite, fresh temp DATA_DIR',
    '(an empty DATA_DIR pays initdb + migrations + first run)',
    formatTable(columns, body),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// 2. The generator alone, so the seed figures can be split into generating and writing.

function measureGenerator(leads: number, now: Date): Volume {
  drain(generateDemoBatches({ seed: SEED + 1, leads: Math.min(leads, 2000), now }));
  const started = performance.now();
  const totals = drain(generateDemoBatches({ seed: SEED, leads, now, batchSize: BATCH_SIZE }));
  return { ...totals, seconds: (performance.now() - started) / 1000 };
}

function drain(batches: Iterable<DemoBatch>): { leads: number; activities: number } {
  const totals = { leads: 0, activities: 0 };
  for (const batch of batches) {
    totals.leads += batch.leads.length;
    totals.activities += batch.activities.length;
  }
  return totals;
}

// ---------------------------------------------------------------------------------------------
// 2 and 3, per engine: the write-path comparison, then (on emptied tables) the full seed.

async function benchPGlite(scratch: string, leads: number, now: Date): Promise<EngineOutcome> {
  const dataDir = path.join(scratch, 'pglite-seed');
  try {
    return await withCleanup(
      () => rm(dataDir, { recursive: true, force: true }),
      async () => {
        progress('PGlite: initdb and migrations');
        const database = await openDatabase({ dataDir });
        try {
          return { kind: 'measured', result: await benchEngine(database, 'PGlite', leads, now) };
        } finally {
          await database.close();
        }
      },
    );
  } catch (error) {
    return {
      kind: 'failed',
      label: 'PGlite',
      reason: interrupted ? 'interrupted' : describe(error),
    };
  }
}

async function benchPostgres(leads: number, now: Date): Promise<EngineOutcome> {
  const label = 'PostgreSQL';
  const where = redact(adminUrl());
  const skipped = (error: unknown): EngineOutcome => ({
    kind: 'skipped',
    label,
    reason: `no usable server at ${where} (${describe(error)})`,
  });
  const admin = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (error) {
    await admin.end().catch(() => undefined);
    return skipped(error);
  }
  const name = `leadscore_bench_${randomBytes(6).toString('hex')}`;
  const dropAndDisconnect = async () => {
    try {
      await admin.query(`drop database if exists ${name} with (force)`);
    } finally {
      await admin.end();
    }
  };
  try {
    // Registered before the database exists: the client runs its queries in order, so a
    // Ctrl-C during `create database` still drops it afterwards.
    return await withCleanup(dropAndDisconnect, async () => {
      try {
        await admin.query(`create database ${name}`);
      } catch (error) {
        return skipped(error);
      }
      progress(`PostgreSQL: database ${name} at ${where}`);
      const database = await openDatabase({ databaseUrl: adminUrl(name), dataDir: '' });
      try {
        return { kind: 'measured', result: await benchEngine(database, label, leads, now) };
      } finally {
        await database.close();
      }
    });
  } catch (error) {
    return { kind: 'failed', label, reason: interrupted ? 'interrupted' : describe(error) };
  }
}

async function benchEngine(
  database: Database,
  engine: string,
  leads: number,
  now: Date,
): Promise<EngineResult> {
  const { db } = database;
  await migrate(db, await loadMigrations());
  const version = await sql<{ version: string }>`
    select current_setting('server_version') as version`.execute(db);
  // "15.2 (Debian 15.2-1)" → "15.2".
  const label = `${engine} ${version.rows[0]?.version.split(' ')[0] ?? ''}`.trim();
  const organization = (slug: string) =>
    createOrganizationWithOwner(db, {
      name: `Bench ${slug}`,
      slug,
      ownerEmail: `owner@${slug}.example`,
      ownerPassword: ADMIN_PASSWORD,
    }).then((created) => created.organizationId);

  // Emails are unique per organisation, so each way of writing gets organisations of its own.
  const warmup = {
    jsonb: await organization('warmup-jsonb'),
    values: await organization('warmup-values'),
  };
  const compared = { jsonb: await organization('jsonb'), values: await organization('values') };
  const seeded = await organization('seed');

  progress(`${label}: warm-up, ${count(WARMUP_LEADS)} leads each way`);
  await compareWritePaths(db, warmup, {
    seed: SEED + 1,
    leads: WARMUP_LEADS,
    now,
    batchSize: WARMUP_BATCH_SIZE,
  });
  const comparisonLeads = Math.min(leads, COMPARISON_LEADS);
  progress(`${label}: write paths, ${count(comparisonLeads)} leads each way, interleaved`);
  const comparison = await compareWritePaths(db, compared, {
    seed: SEED,
    leads: comparisonLeads,
    now,
    batchSize: BATCH_SIZE,
  });

  // The seed then starts from empty tables, as it does on a first run.
  await sql`truncate lead_scores, lead_activities, leads`.execute(db);
  progress(`${label}: seeding ${count(leads)} leads`);
  const started = performance.now();
  const totals = await seedDemoLeads(db, seeded, { seed: SEED, leads, now, batchSize: BATCH_SIZE });
  const seed = { ...totals, seconds: (performance.now() - started) / 1000 };
  return { label, seed, ...comparison };
}

/**
 * Writes each batch both ways, each in its own transaction as seedDemoLeads does, alternating
 * which goes first, so both see the same table sizes, caches and garbage collector.
 * Only the writes are timed, not the generator.
 */
async function compareWritePaths(
  db: Kysely<DB>,
  organizations: { jsonb: string; values: string },
  options: { seed: number; leads: number; now: Date; batchSize: number },
): Promise<{ jsonb: Volume; values: Volume }> {
  const jsonb: Volume = { leads: 0, activities: 0, seconds: 0 };
  const values: Volume = { leads: 0, activities: 0, seconds: 0 };
  const timed = async (
    volume: Volume,
    write: (trx: Kysely<DB>, batch: DemoBatch) => Promise<void>,
    batch: DemoBatch,
  ) => {
    const started = performance.now();
    await db.transaction().execute((trx) => write(trx, batch));
    volume.seconds += (performance.now() - started) / 1000;
    volume.leads += batch.leads.length;
    volume.activities += batch.activities.length;
  };
  const writeJsonb = (trx: Kysely<DB>, batch: DemoBatch) =>
    insertDemoBatch(trx, organizations.jsonb, batch);
  const writeValues = (trx: Kysely<DB>, batch: DemoBatch) =>
    insertDemoBatchAsValues(trx, organizations.values, batch);

  let index = 0;
  for (const batch of generateDemoBatches(options)) {
    if (index++ % 2 === 0) {
      await timed(jsonb, writeJsonb, batch);
      await timed(values, writeValues, batch);
    } else {
      await timed(values, writeValues, batch);
      await timed(jsonb, writeJsonb, batch);
    }
  }
  return { jsonb, values };
}

// ---------------------------------------------------------------------------------------------
// Tables

function seedTable(leads: number, generator: Volume, engines: EngineOutcome[]): string {
  const columns: Column[] = [
    { title: 'what', align: 'left' },
    { title: 'leads', align: 'right' },
    { title: 'activities', align: 'right' },
    { title: 'rows', align: 'right' },
    { title: 'seconds', align: 'right' },
    { title: 'leads/s', align: 'right' },
    { title: 'rows/s', align: 'right' },
    { title: 'generator share', align: 'right' },
    { title: 'rows/s less generator', align: 'right' },
  ];
  const row = (label: string, volume: Volume, generatorSeconds?: number) => {
    const rows = volume.leads + volume.activities;
    return [
      label,
      count(volume.leads),
      count(volume.activities),
      count(rows),
      seconds(volume.seconds),
      perSecond(volume.leads, volume.seconds),
      perSecond(rows, volume.seconds),
      generatorSeconds === undefined ? '' : percent(generatorSeconds / volume.seconds),
      generatorSeconds === undefined ? '' : perSecond(rows, volume.seconds - generatorSeconds),
    ];
  };
  const body = [row('generator only, no database', generator)];
  for (const engine of engines) {
    if (engine.kind === 'measured') {
      body.push(
        row(`seedDemoLeads on ${engine.result.label}`, engine.result.seed, generator.seconds),
      );
    } else {
      body.push([`${engine.label}: ${engine.kind}`]);
    }
  }
  return [
    `Seed throughput: ${count(leads)} demo leads (rows = leads + activities)`,
    '(generator share = generator-only seconds ÷ seed seconds, same data)',
    formatTable(columns, body),
  ].join('\n');
}

function writePathTable(leads: number, engines: EngineOutcome[]): string {
  const columns: Column[] = [
    { title: 'engine', align: 'left' },
    { title: 'write path', align: 'left' },
    { title: 'rows', align: 'right' },
    { title: 'seconds', align: 'right' },
    { title: 'rows/s', align: 'right' },
    { title: 'ours ÷ baseline', align: 'right' },
  ];
  const body: string[][] = [];
  for (const engine of engines) {
    if (engine.kind !== 'measured') {
      body.push([engine.label, engine.kind]);
      continue;
    }
    const { label, jsonb, values } = engine.result;
    const rows = (volume: Volume) => volume.leads + volume.activities;
    const rate = (volume: Volume) => rows(volume) / volume.seconds;
    body.push(
      [
        label,
        'values (baseline)',
        count(rows(values)),
        seconds(values.seconds),
        perSecond(rows(values), values.seconds),
        ratio(1),
      ],
      [
        label,
        'jsonb_to_recordset (ours)',
        count(rows(jsonb)),
        seconds(jsonb.seconds),
        perSecond(rows(jsonb), jsonb.seconds),
        ratio(rate(jsonb) / rate(values)),
      ],
    );
  }
  return [
    `Write path: the first ${count(Math.min(leads, COMPARISON_LEADS))} leads written both ways into near-empty tables,`,
    'batch by batch, one transaction each, alternating which way goes first',
    '(ours = insertDemoBatch, one JSON parameter per table expanded by jsonb_to_recordset;',
    ' baseline = Kysely multi-row insert ... values, ≤ 65,535 parameters per statement;',
    ` after an untimed warm-up of ${count(WARMUP_LEADS)} leads each way; only the writes are timed)`,
    formatTable(columns, body),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------

/** Progress goes to stderr, so stdout holds only the report. */
function progress(message: string): void {
  const elapsed = ((performance.now() - runStarted) / 1000).toFixed(0).padStart(4);
  process.stderr.write(`[${elapsed}s] ${message}\n`);
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(describe).join('; ');
  }
  return error instanceof Error ? error.message || error.name : String(error);
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

await main();
