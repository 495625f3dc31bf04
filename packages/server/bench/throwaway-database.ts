/**
 * A throwaway database on the PostgreSQL the test suites use, dropped at the end — also on
 * failure and Ctrl-C. The work gets its URL, so it can open a pool or start the real server.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
// Where the test suites find PostgreSQL (TEST_POSTGRES_URL or loopback); the benches look there too.
import { adminUrl } from '../src/test/services.js';
import { withCleanup } from './cleanup.js';
import { describe, progress } from './log.js';

export type DatabaseOutcome<T> = { kind: 'done'; result: T } | { kind: 'skipped'; reason: string };

/** Skipped, not failed, when no server answers or it refuses to create the database. */
export async function withThrowawayDatabase<T>(
  namePrefix: string,
  work: (url: string) => Promise<T>,
): Promise<DatabaseOutcome<T>> {
  const skipped = (error: unknown): DatabaseOutcome<T> => ({
    kind: 'skipped',
    reason: `no usable server at ${postgresLocation()} (${describe(error)})`,
  });
  const admin = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (error) {
    await admin.end().catch(() => undefined);
    return skipped(error);
  }
  const name = `${namePrefix}${randomBytes(6).toString('hex')}`;
  const dropAndDisconnect = async () => {
    try {
      // `with (force)` ends the server's pool connections if it is still running.
      await admin.query(`drop database if exists ${name} with (force)`);
      progress(`PostgreSQL: dropped ${name}`);
    } finally {
      await admin.end();
    }
  };
  // Registered before the database exists: the client runs its queries in order, so a
  // Ctrl-C during `create database` still drops it afterwards.
  return withCleanup(dropAndDisconnect, async () => {
    try {
      await admin.query(`create database ${name}`);
    } catch (error) {
      return skipped(error);
    }
    progress(`PostgreSQL: database ${name} at ${postgresLocation()}`);
    return { kind: 'done', result: await work(adminUrl(name)) };
  });
}

/** Where PostgreSQL is looked for, password hidden. */
export function postgresLocation(): string {
  const parsed = new URL(adminUrl());
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
