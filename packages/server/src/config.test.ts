import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('starts from documented defaults: port 8000, embedded database in ./data, no Redis', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8000,
      host: '127.0.0.1',
      dataDir: path.resolve('data'),
      databaseUrl: undefined,
      redisUrl: undefined,
      logLevel: 'info',
      publicUrl: 'http://localhost:8000',
      corsOrigins: [],
      trustProxy: false,
      tokenSigningKey: undefined,
      modelMinRocAuc: 0.8,
      shutdownTimeoutMs: 10_000,
      dashboardDir: undefined,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads and converts every variable', () => {
    const config = loadConfig({
      PORT: '9000',
      HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/leadscore',
      DATABASE_URL: 'postgres://ls:pw@db:5432/leadscore',
      DATABASE_POOL_MAX: '25',
      REDIS_URL: 'redis://cache:6379',
      LOG_LEVEL: 'debug',
      PUBLIC_URL: 'https://leads.example.com/',
      CORS_ORIGINS: 'https://a.example.com, https://b.example.com',
      TRUST_PROXY: 'true',
      BODY_LIMIT_BYTES: '1048576',
      RATE_LIMIT_PER_MINUTE: '50',
      TOKEN_SIGNING_KEY: 'k'.repeat(40),
      ADMIN_EMAIL: 'Boss@Example.com',
      ADMIN_PASSWORD: 'a long enough password',
      MODEL_MIN_ROC_AUC: '0.75',
      SHUTDOWN_TIMEOUT_SECONDS: '30',
      DASHBOARD_DIR: '/srv/leadscore-web',
    });
    expect(config).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      dataDir: '/var/lib/leadscore',
      databaseUrl: 'postgres://ls:pw@db:5432/leadscore',
      databasePoolMax: 25,
      redisUrl: 'redis://cache:6379',
      logLevel: 'debug',
      publicUrl: 'https://leads.example.com',
      corsOrigins: ['https://a.example.com', 'https://b.example.com'],
      trustProxy: true,
      bodyLimitBytes: 1_048_576,
      rateLimitPerMinute: 50,
      adminEmail: 'boss@example.com',
      modelMinRocAuc: 0.75,
      shutdownTimeoutMs: 30_000,
      dashboardDir: '/srv/leadscore-web',
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '  ' })).toMatchObject({
      port: 8000,
      databaseUrl: undefined,
    });
  });

  it('names each bad variable once, says what it expects, and hides secrets', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      LOG_LEVEL: 'verbose',
      DATABASE_URL: 'mysql://root:secret@db/leads',
      TOKEN_SIGNING_KEY: 'short',
      CORS_ORIGINS: 'app.example.com',
    });
    expect(problems).toHaveLength(5);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT="eighty" is invalid: expected TCP port/),
        expect.stringMatching(/^LOG_LEVEL="verbose" is invalid: expected one of fatal, error/),
        expect.stringMatching(
          /^DATABASE_URL=\(hidden\) is invalid: expected PostgreSQL connection URL/,
        ),
        expect.stringMatching(
          /^TOKEN_SIGNING_KEY=\(hidden\) is invalid: expected secret \(32\+ characters\)/,
        ),
        expect.stringMatching(/^CORS_ORIGINS="app.example.com" is invalid/),
      ]),
    );
    expect(problems.join('\n')).not.toContain('secret@db');
  });

  it('refuses out-of-range numbers', () => {
    expect(problemsOf({ PORT: '70000' })).toEqual([expect.stringMatching(/^PORT="70000"/)]);
    expect(problemsOf({ DATABASE_POOL_MAX: '0' })).toEqual([
      expect.stringMatching(/^DATABASE_POOL_MAX="0"/),
    ]);
    expect(problemsOf({ MODEL_MIN_ROC_AUC: '1.5' })).toEqual([
      expect.stringMatching(/^MODEL_MIN_ROC_AUC="1.5" is invalid: expected the deployment gate/),
    ]);
  });

  it('accepts * as "any origin" for CORS', () => {
    expect(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins).toBe('*');
  });
});
