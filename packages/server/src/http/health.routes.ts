import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { getMigrationStatus } from '../db/migrator.js';
import type { AppDeps } from './app.js';

const CheckResult = Type.Union([Type.Literal('ok'), Type.String()], {
  description: '"ok", or why the dependency is not usable',
});
const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable')]),
  checks: Type.Object({
    database: CheckResult,
    migrations: CheckResult,
    redis: Type.Optional(CheckResult),
  }),
});

const probe = { auth: 'public', rateLimit: false } as const;

/** Probes for orchestrators and the Prometheus scrape endpoint. */
export const healthRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, deps) => {
  app.get(
    '/healthz',
    {
      config: probe,
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process is up and serving HTTP',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: probe,
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the database answers and its schema is current',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const { redis } = deps;
      const checks = {
        database: await check(() => sql`select 1`.execute(deps.database.db)),
        migrations: await checkMigrations(deps),
        ...(redis && { redis: await check(() => redis.ping()) }),
      };
      const ready = Object.values(checks).every((result) => result === 'ok');
      return reply
        .status(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'unavailable', checks });
    },
  );

  app.get(
    '/metrics',
    {
      config: probe,
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics in the text exposition format',
        produces: ['text/plain'],
        response: { 200: Type.String() },
      },
    },
    async (_request, reply) => {
      reply.type(deps.metrics.registry.contentType);
      return deps.metrics.registry.metrics();
    },
  );
};

async function checkMigrations(deps: AppDeps): Promise<string> {
  try {
    const status = await getMigrationStatus(deps.database.db, deps.migrations);
    if (status.unknown.length > 0) return 'database schema is newer than this build';
    if (status.changed.length > 0) return 'an applied migration was edited';
    if (status.pending.length > 0) return `${status.pending.length} migration(s) pending`;
    return 'ok';
  } catch (error) {
    return (error as Error).message;
  }
}

async function check(probe: () => Promise<unknown>): Promise<string> {
  try {
    await withTimeout(probe(), 2000);
    return 'ok';
  } catch (error) {
    return (error as Error).message;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
