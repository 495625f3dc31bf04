import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { verify } from 'argon2';
import { sql } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import { loadConfig } from './config.js';
import { openDatabase } from './db/connection.js';
import { DEMO_LEAD_COUNT } from './first-run.js';
import { createShutdown, startServer } from './server.js';
import { buildTestApp } from './test/app.js';
import { createEmptyPostgresDatabase, pgliteEngine } from './test/databases.js';

const quiet = { LOG_LEVEL: 'silent', PORT: '0' };

async function countRows(config: ReturnType<typeof loadConfig>) {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const { rows } = await sql<{
      organizations: number;
      users: number;
      leads: number;
      activities: number;
    }>`
      select (select count(*)::int from organizations) as organizations,
             (select count(*)::int from users) as users,
             (select count(*)::int from leads) as leads,
             (select count(*)::int from lead_activities) as activities`.execute(database.db);
    const admin = await database.db
      .selectFrom('users')
      .select(['email', 'password_hash', 'role'])
      .executeTakeFirstOrThrow();
    return { ...rows[0], admin };
  } finally {
    await database.close();
  }
}

// A new embedded database runs initdb (7–13 s here, several times that on a loaded machine).
const EMBEDDED_FIRST_START_MS = 120_000;

describe('first start on the embedded database', { timeout: EMBEDDED_FIRST_START_MS }, () => {
  it('migrates, creates the admin with a one-time password and the demo leads, then serves; a second start reuses it all', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'leadscore-start-'));
    const config = loadConfig({ ...quiet, DATA_DIR: dataDir });

    const first = await startServer(config, { demo: true });
    expect(first.firstRun).toMatchObject({
      adminEmail: 'admin@example.com',
      demoLeads: DEMO_LEAD_COUNT,
    });
    const password = first.firstRun?.generatedPassword ?? '';
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    await first.close();

    const afterFirst = await countRows(config);
    expect(afterFirst).toMatchObject({ organizations: 1, users: 1, leads: DEMO_LEAD_COUNT });
    expect(afterFirst.activities).toBeGreaterThan(DEMO_LEAD_COUNT * 3);
    expect(afterFirst.admin).toMatchObject({ email: 'admin@example.com', role: 'owner' });
    expect(await verify(afterFirst.admin.password_hash ?? '', password)).toBe(true);

    const second = await startServer(config, { demo: true });
    expect(second.firstRun).toBeNull();
    await second.close();
    expect(await countRows(config)).toEqual(afterFirst);
  });
});

const postgresUrl = inject('postgresUrl');
describe.skipIf(!postgresUrl)(
  `first start on PostgreSQL${postgresUrl ? '' : ` (skipped: ${inject('postgresSkipReason')})`}`,
  () => {
    it('sets up once when two processes start together, with the admin from the environment', async () => {
      const empty = await createEmptyPostgresDatabase();
      try {
        const env = {
          ...quiet,
          DATABASE_URL: empty.url,
          DATA_DIR: await mkdtemp(path.join(tmpdir(), 'leadscore-start-')),
          ADMIN_EMAIL: 'Owner@Acme.example',
          ADMIN_PASSWORD: 'a very long admin password',
        };
        const config = loadConfig(env);
        const servers = await Promise.all([
          startServer(config, { demo: false }),
          startServer(config, { demo: false }),
        ]);
        const firstRuns = servers.map((s) => s.firstRun).filter((r) => r !== null);
        expect(firstRuns).toEqual([
          { adminEmail: 'owner@acme.example', generatedPassword: undefined, demoLeads: 0 },
        ]);
        await Promise.all(servers.map((s) => s.close()));

        const rows = await countRows(config);
        expect(rows).toMatchObject({ organizations: 1, users: 1, leads: 0 });
        expect(await verify(rows.admin.password_hash ?? '', 'a very long admin password')).toBe(
          true,
        );
      } finally {
        await empty.drop();
      }
    });
  },
);

describe('graceful shutdown', () => {
  it('finishes every in-flight request, refuses new connections, then closes the database', async () => {
    const t = await buildTestApp(pgliteEngine);
    let started = 0;
    t.app.get('/test/slow', { config: { auth: 'public' } }, async () => {
      started++;
      await new Promise((resolve) => setTimeout(resolve, 400));
      // Still needs the database after shutdown has begun.
      const { rows } = await sql<{ answer: number }>`select 42 as answer`.execute(t.database.db);
      return { answer: rows[0]?.answer };
    });
    const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const shutdown = createShutdown({ app: t.app, database: t.database });

    const inFlight = Array.from({ length: 5 }, () => fetch(`${url}/test/slow`));
    await waitFor(() => started === 5);
    const stopped = shutdown();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();

    const responses = await Promise.all(inFlight);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await Promise.all(responses.map((r) => r.json()))).toEqual(
      Array(5).fill({ answer: 42 }),
    );
    await stopped;
    await expect(sql`select 1`.execute(t.database.db)).rejects.toThrow();
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error('condition not reached');
}
