import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { type Config, loadConfig } from '../config.js';
import type { Database } from '../db/connection.js';
import { loadMigrations } from '../db/migrator.js';
import type { UserRole } from '../db/schema.js';
import { type App, type AppDeps, buildApp } from '../http/app.js';
import { createJobQueue, type JobQueue, type JobQueueOptions } from '../jobs/index.js';
import { createMetrics } from '../metrics.js';
import type { TestEngine } from './databases.js';
import { createTestUser, TEST_PASSWORD } from './factories.js';

export const TEST_SIGNING_KEY = 'test-signing-key-that-is-long-enough-for-hs256';

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ DATA_DIR: '/nonexistent/leadscore-test', LOG_LEVEL: 'silent', ...env });
}

export interface TestApp {
  app: App;
  database: Database;
  close(): Promise<void>;
}

type TestAppOptions = Partial<Pick<AppDeps, 'config' | 'metrics'>> &
  Omit<AppDeps, 'config' | 'database' | 'migrations' | 'metrics' | 'tokenSigningKey'>;

/** The real app over an open, migrated database, with the test config and its logs off. */
export async function buildAppOver(database: Database, options: TestAppOptions = {}): Promise<App> {
  const { config = testConfig(), metrics = createMetrics(), ...rest } = options;
  return buildApp({
    config,
    database,
    migrations: await loadMigrations(),
    metrics,
    tokenSigningKey: TEST_SIGNING_KEY,
    logger: false,
    ...rest,
  });
}

/** The real app over a migrated test database; logs are off unless a test asks. */
export async function buildTestApp(
  engine: TestEngine,
  options: { env?: Record<string, string>; redis?: Redis } = {},
): Promise<TestApp> {
  const metrics = createMetrics();
  const database = await engine.open(metrics);
  const app = await buildAppOver(database, {
    config: testConfig(options.env),
    metrics,
    redis: options.redis,
  });
  return {
    app,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/**
 * A job queue in a pg-boss schema of its own: test files share one PostgreSQL database, and
 * their queues must not take each other's jobs. Idle workers look for jobs every half second.
 */
export function createTestJobQueue(
  database: Database,
  options: Partial<Pick<JobQueueOptions, 'logger' | 'schedules'>> = {},
): JobQueue {
  return createJobQueue({
    database,
    logger: options.logger ?? pino({ level: 'silent' }),
    schema: `pgboss_${randomBytes(4).toString('hex')}`,
    pollingIntervalSeconds: 0.5,
    schedules: options.schedules,
  });
}

/** A new user of the role in the organisation, logged in: their access token. */
export async function signIn(
  t: Pick<TestApp, 'app' | 'database'>,
  organizationId: string,
  role: UserRole,
): Promise<string> {
  const user = await createTestUser(t.database.db, organizationId, role);
  const response = await t.app.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { email: user.email, password: TEST_PASSWORD },
  });
  return response.json().accessToken as string;
}
