import type { LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import type { Database } from '../db/connection.js';
import type { UserRole } from '../db/schema.js';
import { createInProcessEventBus, type DomainEvents, type EventBus } from '../events/event-bus.js';
import type { App } from '../http/app.js';
import { scoringJobHandlers } from '../modules/scoring/index.js';
import { buildAppOver, createTestJobQueue } from './app.js';
import { createTestUser, TEST_PASSWORD } from './factories.js';

/** The app with a job queue that runs training, as `leadscore serve` has them. */
export interface ScoringTestApp {
  readonly app: App;
  readonly database: Database;
  readonly events: EventBus;
  /** Resolves with the next `model_training_complete` of this model. */
  trainingOf(modelId: string): Promise<DomainEvents['model_training_complete']>;
  /** Logs a new user of this role into the organisation and returns its access token. */
  tokenFor(organizationId: string, role: UserRole): Promise<{ token: string; userId: string }>;
  call(
    token: string,
    method: string,
    url: string,
    payload?: unknown,
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The caller owns `database` and closes it after the app. */
export async function buildScoringTestApp(database: Database): Promise<ScoringTestApp> {
  const logger = pino({ level: 'silent' });
  const events = createInProcessEventBus((error) => {
    throw error;
  });
  const jobs = createTestJobQueue(database, { logger });
  const app = await buildAppOver(database, { jobs });
  await jobs.work({ ...scoringJobHandlers({ db: database.db, events }) });
  const completed = new Map<string, DomainEvents['model_training_complete']>();
  const waiting = new Map<string, (event: DomainEvents['model_training_complete']) => void>();
  events.subscribe((_organizationId, name, payload) => {
    if (name !== 'model_training_complete') return;
    const event = payload as DomainEvents['model_training_complete'];
    const resolve = waiting.get(event.modelId);
    if (resolve) resolve(event);
    else completed.set(event.modelId, event);
  });
  return {
    app,
    database,
    events,
    trainingOf(modelId) {
      const done = completed.get(modelId);
      if (done) return Promise.resolve(done);
      return new Promise((resolve) => waiting.set(modelId, resolve));
    },
    async tokenFor(organizationId, role) {
      const user = await createTestUser(database.db, organizationId, role);
      const login = await app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email: user.email, password: TEST_PASSWORD },
      });
      return { token: login.json().accessToken, userId: user.id };
    },
    call(token, method, url, payload) {
      return app.inject({
        method: method as 'GET',
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(payload !== undefined && { payload: payload as object }),
      });
    },
    async close() {
      await app.close();
      await jobs.stop();
    },
  };
}
