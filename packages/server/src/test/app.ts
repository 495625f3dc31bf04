import type { Redis } from 'ioredis';
import { type Config, loadConfig } from '../config.js';
import type { Database } from '../db/connection.js';
import { loadMigrations } from '../db/migrator.js';
import { type App, buildApp } from '../http/app.js';
import { createMetrics } from '../metrics.js';
import type { TestEngine } from './databases.js';

export const TEST_SIGNING_KEY = 'test-signing-key-that-is-long-enough-for-hs256';

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ DATA_DIR: '/nonexistent/leadscore-test', LOG_LEVEL: 'silent', ...env });
}

export interface TestApp {
  app: App;
  database: Database;
  close(): Promise<void>;
}

/** The real app over a migrated test database; logs are off unless a test asks. */
export async function buildTestApp(
  engine: TestEngine,
  options: { env?: Record<string, string>; redis?: Redis } = {},
): Promise<TestApp> {
  const metrics = createMetrics();
  const database = await engine.open(metrics);
  const app = await buildApp({
    config: testConfig(options.env),
    database,
    migrations: await loadMigrations(),
    metrics,
    tokenSigningKey: TEST_SIGNING_KEY,
    redis: options.redis,
    logger: false,
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
