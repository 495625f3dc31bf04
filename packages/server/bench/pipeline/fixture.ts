/**
 * The data the pipeline is measured on: a migrated database with one organisation, its owner,
 * and a pool of leads that already have a scoring history (a stored feature state), as in a
 * running installation. Writing that history is also the first measurement: the scorer alone
 * draining a backlog, with nothing else running.
 */
import { readFile } from 'node:fs/promises';
import { type Kysely, sql } from 'kysely';
import { openDatabase } from '../../src/db/connection.js';
import { loadMigrations, migrate } from '../../src/db/migrator.js';
import type { DB } from '../../src/db/schema.js';
import { createScorerWorker } from '../../src/pipeline/index.js';
import { insertBacklog } from '../../src/pipeline/pipeline-test-support.js';
import { withCleanup } from '../cleanup.js';
import { describe, progress } from '../log.js';
import { count } from '../report.js';
import { BENCH_PASSWORD, createBenchOrganization } from '../workload.js';

const SLUG = 'pipeline';
/** Activities each lead has before the measurement starts. */
export const HISTORY_PER_LEAD = 3;

export interface Fixture {
  /** e.g. "15.2" */
  postgresVersion: string;
  organizationId: string;
  ownerEmail: string;
  ownerPassword: string;
  leadIds: string[];
  /** The scorer alone, draining the history backlog. */
  drain: DrainResult;
}

export interface DrainResult {
  activities: number;
  seconds: number;
  /** CPU seconds of this process (the scorer) and of PostgreSQL's server processes (from /proc). */
  nodeCpuSeconds: number;
  postgresCpuSeconds: number | null;
}

export async function prepareFixture(databaseUrl: string, leads: number): Promise<Fixture> {
  const database = await openDatabase({ databaseUrl, dataDir: '', poolMax: 4 });
  return withCleanup(database.close, async () => {
    const { db } = database;
    progress('migrations');
    await migrate(db, await loadMigrations());
    const organizationId = await createBenchOrganization(db, SLUG);
    progress(`${count(leads)} leads with ${HISTORY_PER_LEAD} activities each`);
    const { leadIds } = await insertBacklog(db, {
      leads,
      perLead: HISTORY_PER_LEAD,
      now: new Date(),
      organizationId,
    });
    await sql`vacuum analyze`.execute(db);

    progress('the scorer alone drains that backlog');
    const activities = leads * HISTORY_PER_LEAD;
    let scored = 0;
    let drained: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      drained = resolve;
    });
    const worker = createScorerWorker({
      database,
      logger: {
        warn: () => undefined,
        debug: () => undefined,
        error: (object: unknown) => progress(`scorer: ${describe(object)}`),
      },
      pollIntervalMs: 50,
      onBatch: (result) => {
        scored += result.claimed;
        if (scored >= activities) drained();
      },
    });
    const postgresBefore = await postgresCpu(db);
    const nodeBefore = process.cpuUsage();
    const started = performance.now();
    await worker.start();
    await done;
    const seconds = (performance.now() - started) / 1000;
    const node = process.cpuUsage(nodeBefore);
    const postgresAfter = await postgresCpu(db);
    await worker.stop();
    await sql`vacuum analyze`.execute(db);

    return {
      postgresVersion: await serverVersion(db),
      organizationId,
      ownerEmail: `owner@${SLUG}.example`,
      ownerPassword: BENCH_PASSWORD,
      leadIds,
      drain: {
        activities,
        seconds,
        nodeCpuSeconds: (node.user + node.system) / 1e6,
        postgresCpuSeconds: cpuSpent(postgresBefore, postgresAfter),
      },
    };
  });
}

/**
 * CPU ticks (utime + stime) of this database's server processes, from /proc: null when
 * PostgreSQL runs elsewhere. Ticks are 1/100 s on Linux.
 */
export async function postgresCpu(db: Kysely<DB>): Promise<Map<number, number> | null> {
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity where datname = current_database()`.execute(db);
  const ticks = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ');
      ticks.set(pid, Number(fields?.[11]) + Number(fields?.[12]));
    } catch {
      return null;
    }
  }
  return ticks;
}

export function cpuSpent(
  before: Map<number, number> | null,
  after: Map<number, number> | null,
): number | null {
  if (!before || !after) return null;
  let ticks = 0;
  // A connection opened meanwhile counts from zero.
  for (const [pid, value] of after) ticks += value - (before.get(pid) ?? 0);
  return ticks / 100;
}

async function serverVersion(db: Kysely<DB>): Promise<string> {
  const { rows } = await sql<{ version: string }>`
    select current_setting('server_version') as version`.execute(db);
  return rows[0]?.version.split(' ')[0] ?? 'unknown';
}
