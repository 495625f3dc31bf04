import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Database, openDatabase } from '../db/connection.js';
import { loadMigrations, migrate } from '../db/migrator.js';
import { createEmptyPostgresDatabase } from '../test/databases.js';
import { startScorerWorker } from './index.js';
import { checkOrganization, insertBacklog } from './pipeline-test-support.js';

/*
 * What must hold when scorer processes die, lose their connection or run side by side:
 * every activity is counted exactly once (each lead's stored feature state equals a
 * from-scratch recomputation over its activities). PostgreSQL only: these are the
 * production failure modes, and the embedded database has one process by design.
 */

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));
const postgresUrl = inject('postgresUrl');
const skipped = postgresUrl ? '' : ` (skipped: ${inject('postgresSkipReason')})`;

/** `leadscore worker` as a process of its own, as an operator runs it. */
function spawnWorker(databaseUrl: string): { child: ChildProcess; output: () => string } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=leadscore-source', CLI, 'worker'],
    {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  return { child, output: () => output };
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(!postgresUrl)(`scorer reliability [postgres]${skipped}`, () => {
  let url: string;
  let drop: () => Promise<void>;
  let database: Database;
  beforeAll(async () => {
    ({ url, drop } = await createEmptyPostgresDatabase());
    database = await openDatabase({ databaseUrl: url, dataDir: '', poolMax: 4 });
    await migrate(database.db, await loadMigrations());
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });

  const countProcessed = async (organizationId: string) => {
    const { rows } = await sql<{ processed: number; total: number }>`
      select count(*) filter (where processed)::int as processed, count(*)::int as total
      from lead_activities where organization_id = ${organizationId}`.execute(database.db);
    return rows[0] ?? { processed: 0, total: 0 };
  };

  it('a worker process killed with SIGKILL mid-backlog, then restarted, counts every activity exactly once', async () => {
    // 100,000 activities, as the issue asks: 20,000 leads with 5 each.
    const { organizationId } = await insertBacklog(database.db, {
      leads: 20_000,
      perLead: 5,
      now: new Date(),
    });
    await sql`analyze`.execute(database.db);

    const first = spawnWorker(url);
    const before = await until(
      () => countProcessed(organizationId),
      (c) => c.processed >= 20_000 || first.child.exitCode !== null,
      60_000,
      'the first worker to get going',
    );
    expect(first.child.exitCode, first.output()).toBeNull();
    first.child.kill('SIGKILL');
    await exited(first.child);
    const atKill = await countProcessed(organizationId);
    // Killed in the middle: work done and work left.
    expect(before.processed).toBeGreaterThan(0);
    expect(atKill.processed).toBeLessThan(atKill.total);

    const second = spawnWorker(url);
    try {
      await until(
        () => countProcessed(organizationId),
        (c) => c.processed === c.total || second.child.exitCode !== null,
        120_000,
        'the restarted worker to drain the backlog',
      );
      expect(second.child.exitCode, second.output()).toBeNull();
    } finally {
      second.child.kill('SIGTERM');
      expect(await exited(second.child)).toBe(0);
    }

    const check = await checkOrganization(database.db, organizationId, Date.now());
    expect(check).toMatchObject({
      activities: 100_000,
      counted: 100_000,
      unprocessed: 0,
      leads: 20_000,
      mismatched: [],
    });
  }, 240_000);

  it('a worker whose connections are terminated mid-run recovers and counts every activity exactly once', async () => {
    const { organizationId } = await insertBacklog(database.db, {
      leads: 4_000,
      perLead: 5,
      now: new Date(),
    });
    // Named, so that exactly the worker's connections (its pool and its LISTEN) are cut.
    const workerUrl = new URL(url);
    workerUrl.searchParams.set('application_name', 'scorer-under-test');
    const workerDatabase = await openDatabase({
      databaseUrl: workerUrl.toString(),
      dataDir: '',
      poolMax: 4,
    });
    const errors: unknown[] = [];
    const logger = silentLogger((error) => errors.push(error));
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const worker = await startScorerWorker({
      database: workerDatabase,
      databaseUrl: workerUrl.toString(),
      logger,
    });
    try {
      let terminated = 0;
      for (const share of [0.2, 0.5]) {
        await until(
          () => countProcessed(organizationId),
          (c) => c.processed >= c.total * share,
          60_000,
          `${share * 100}% processed`,
        );
        const { rows } = await admin.query(
          `select pg_terminate_backend(pid) from pg_stat_activity
           where application_name = 'scorer-under-test'`,
        );
        terminated += rows.length;
      }
      expect(terminated).toBeGreaterThan(1);
      await until(
        () => countProcessed(organizationId),
        (c) => c.processed === c.total,
        60_000,
        'the backlog to drain after the connections were terminated',
      );
    } finally {
      await worker.stop();
      await workerDatabase.close();
      await admin.end();
    }
    // The worker did see its connections go (and retried), rather than finishing first.
    expect(errors.length).toBeGreaterThan(0);
    const check = await checkOrganization(database.db, organizationId, Date.now());
    expect(check).toMatchObject({
      activities: 20_000,
      counted: 20_000,
      unprocessed: 0,
      mismatched: [],
    });
  }, 120_000);
});

/** A pino-shaped logger that records errors and drops the rest. */
function silentLogger(onError: (error: unknown) => void) {
  const logger = {
    level: 'silent',
    info: () => undefined,
    warn: () => undefined,
    debug: () => undefined,
    error: (object: { err?: unknown }) => onError(object.err ?? object),
    child: () => logger,
  };
  return logger as unknown as import('pino').Logger;
}
