/**
 * Where the test suites look for real services. CI machines run PostgreSQL and Redis
 * on loopback; a laptop without them still passes, with those suites skipped.
 * TEST_POSTGRES_URL / TEST_REDIS_URL point elsewhere (PostgreSQL must allow CREATE DATABASE).
 */
export const POSTGRES_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The server URL with another database name (the default one when omitted). */
export function adminUrl(database?: string): string {
  const url = new URL(POSTGRES_URL);
  if (database) url.pathname = `/${database}`;
  return url.toString();
}
