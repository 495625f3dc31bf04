/**
 * Server benchmark: start-up time on the embedded database, demo-seed throughput on PGlite and
 * (when one answers) PostgreSQL, and insertDemoBatch's write path against a multi-row VALUES
 * baseline measured in the same run. It prints figures and ratios; it never asserts.
 *
 *   npm run bench -w @leadscore/server -- [--leads N] [--skip-startup]
 *
 * This file is the entry point: flags, header, the order of the sections, the exit code.
 * Each section lives in its own module; engines.ts opens and removes the databases.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { DB } from '../src/db/schema.js';
import { cleanUpOnSignals, withCleanup } from './cleanup.js';
import { type EngineOutcome, onPGlite, onThrowawayPostgres } from './engines.js';
import { describe, progress, startRunClock } from './log.js';
import { machineLine } from './machine.js';
import { count } from './report.js';
import { measureGenerator, measureSeeds, type SeedRun, seedTable } from './seed-throughput.js';
import { measureStartups, startupTable } from './startup.js';
import { postgresLocation } from './throwaway-database.js';
import { BATCH_SIZE, SEED } from './workload.js';
import { measureWritePaths, type WritePaths, writePathTable } from './write-path.js';

const DEFAULT_LEADS = 100_000;
const USAGE = 'usage: npm run bench -w @leadscore/server -- [--leads N] [--skip-startup]';

interface Flags {
  leads: number;
  skipStartup: boolean;
}

interface EngineResult extends WritePaths {
  seeds: SeedRun[];
}

startRunClock();
cleanUpOnSignals();

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

      // One writer everywhere, as a first run seeds, so figures compare across runs and
      // engines; PostgreSQL also seeds with two (PGlite has one connection, so gains nothing).
      const engines: EngineOutcome<EngineResult>[] = [];
      engines.push(await onPGlite(scratch, benchEngine(flags.leads, now, [1])));
      engines.push(await onThrowawayPostgres(benchEngine(flags.leads, now, [1, 2])));

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

/** Per engine: the write-path comparison first, then (on emptied tables) the full seeds. */
function benchEngine(leads: number, now: Date, writerCounts: readonly number[]) {
  return async (db: Kysely<DB>, label: string): Promise<EngineResult> => {
    const writePaths = await measureWritePaths(db, label, leads, now);
    const seeds = await measureSeeds(db, label, leads, now, writerCounts);
    return { ...writePaths, seeds };
  };
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
  const command = [
    'npm run bench -w @leadscore/server --',
    `--leads ${flags.leads}`,
    ...(flags.skipStartup ? ['--skip-startup'] : []),
  ].join(' ');
  return [
    `$ ${command}`,
    machineLine(now),
    `PostgreSQL looked for at ${postgresLocation()} (TEST_POSTGRES_URL overrides)`,
    `Demo data: seed ${SEED}, batches of ${count(BATCH_SIZE)} leads, one transaction per batch; ` +
      'times from performance.now(), one sample each.',
  ].join('\n');
}

await main();
