import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { ScoreCache } from '../cache/index.js';
import type { Config } from '../config.js';
import type { Database } from '../db/connection.js';
import type { Migration } from '../db/migrator.js';
import type { EventBus } from '../events/event-bus.js';
import { createJobQueue, type JobQueue } from '../jobs/index.js';
import type { Metrics } from '../metrics.js';
import { activityRoutes } from '../modules/activities/index.js';
import { alertRoutes } from '../modules/alerts/index.js';
import { analyticsRoutes, customReportRoutes } from '../modules/analytics/index.js';
import { apiKeyRoutes, authenticateApiKey, isApiKey } from '../modules/api-keys/index.js';
import { auditRoutes } from '../modules/audit/index.js';
import { authRoutes, createTokenSigner, installAuthGuard } from '../modules/auth/index.js';
import { exportRoutes } from '../modules/exports/index.js';
import { importRoutes } from '../modules/imports/index.js';
import { leadRoutes } from '../modules/leads/index.js';
import { organizationsRoutes } from '../modules/organizations/index.js';
import { scoringRoutes } from '../modules/scoring/index.js';
import { usersRoutes } from '../modules/users/index.js';
import { createExportStorage } from '../storage/index.js';
import { dashboardRoutes } from './dashboard.routes.js';
import { AppError, HttpErrors } from './errors.js';
import { healthRoutes } from './health.routes.js';
import { registerOpenApi } from './openapi.js';
import { registerProblemHandling } from './problem-handler.js';
import { problemRoutes } from './problems.routes.js';
import { installValidators } from './validation.js';

export interface AppDeps {
  readonly config: Config;
  readonly database: Database;
  readonly migrations: readonly Migration[];
  readonly metrics: Metrics;
  /** Signs and checks access tokens (see secrets.ts for where it comes from). */
  readonly tokenSigningKey: string;
  /** Shared rate-limit counters across processes; in-process counters without it. */
  readonly redis?: Redis | undefined;
  /** Lead scores read before the database (see cache/index.ts); without it, no cache. */
  readonly scoreCache?: ScoreCache | undefined;
  /** Domain events of requests (new activities); without it, nobody hears them. */
  readonly events?: EventBus | undefined;
  /** Where background jobs go; without it the app sends them through a queue of its own. */
  readonly jobs?: JobQueue | undefined;
  /** Defaults to pino at the configured level; tests pass `false` or their own. */
  readonly logger?: FastifyBaseLogger | boolean;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Builds the HTTP app without listening: the CLI listens, tests inject or listen on port 0. */
export async function buildApp(deps: AppDeps) {
  const { config } = deps;
  const logger = deps.logger ?? { level: config.logLevel };
  const app = Fastify({
    ...(typeof logger === 'object' && 'child' in logger ? { loggerInstance: logger } : { logger }),
    trustProxy: config.trustProxy,
    bodyLimit: config.bodyLimitBytes,
    // A caller's own request id is kept (so one id follows a request across systems)
    // when it is a sane token; anything else is replaced.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    deps.metrics.httpRequestDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_code: reply.statusCode,
      },
      reply.elapsedTime / 1000,
    );
  });

  // Responses sent while closing ask the client to drop its keep-alive connection, so
  // shutdown ends when the last in-flight request does, not when idle sockets time out.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  installValidators(app);
  registerProblemHandling(app);
  await app.register(helmet, {
    frameguard: { action: 'deny' },
    contentSecurityPolicy: { directives: { frameAncestors: ["'none'"] } },
  });
  await app.register(cors, {
    origin: config.corsOrigins === '*' ? '*' : [...config.corsOrigins],
    exposedHeaders: ['x-request-id', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining'],
  });
  await app.register(rateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    ...(deps.redis && { redis: deps.redis, nameSpace: 'leadscore:rate-limit:' }),
    errorResponseBuilder: (_request, context) =>
      new AppError(
        HttpErrors.RATE_LIMITED,
        `Rate limit of ${context.max} requests exceeded; retry in ${context.after}`,
      ),
  });
  const auth = {
    db: deps.database.db,
    signer: createTokenSigner({ key: deps.tokenSigningKey, issuer: config.publicUrl }),
  };
  installAuthGuard(app, {
    ...auth,
    apiKeys: { isApiKey, authenticate: (presented) => authenticateApiKey(auth, presented) },
  });
  await registerOpenApi(app, config);

  await app.register(healthRoutes, deps);
  await app.register(dashboardRoutes, { root: config.dashboardDir });
  await app.register(problemRoutes);
  await app.register(authRoutes, auth);
  await app.register(leadRoutes, { db: deps.database.db, scoreCache: deps.scoreCache });
  await app.register(activityRoutes, { db: deps.database.db, events: deps.events });
  await app.register(usersRoutes, { db: deps.database.db });
  await app.register(organizationsRoutes, { db: deps.database.db });
  await app.register(auditRoutes, { db: deps.database.db });
  await app.register(apiKeyRoutes, { db: deps.database.db });
  const jobs = deps.jobs ?? createJobQueue({ database: deps.database, logger: app.log });
  if (!deps.jobs) app.addHook('onClose', () => jobs.stop());
  await app.register(scoringRoutes, {
    db: deps.database.db,
    jobs,
    minRocAuc: deps.config.modelMinRocAuc,
  });
  await app.register(alertRoutes, { db: deps.database.db });
  await app.register(importRoutes, { db: deps.database.db, jobs });
  await app.register(exportRoutes, {
    db: deps.database.db,
    engine: deps.database.engine,
    jobs,
    storage: createExportStorage(config),
  });
  await app.register(analyticsRoutes, { db: deps.database.db });
  await app.register(customReportRoutes, { db: deps.database.db });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
