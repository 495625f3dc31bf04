import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLruScoreCache, createRedisScoreCache, type ScoreCache } from '../../cache/index.js';
import type { Database } from '../../db/connection.js';
import { createInProcessEventBus } from '../../events/event-bus.js';
import type { App } from '../../http/app.js';
import { scoreNextBatch } from '../../pipeline/index.js';
import { createScoredBatchHandler } from '../../realtime/index.js';
import { buildAppOver, TEST_SIGNING_KEY, testConfig } from '../../test/app.js';
import { pgliteEngine } from '../../test/databases.js';
import { createTestOrganization, createTestUser } from '../../test/factories.js';
import { createTokenSigner } from '../auth/index.js';

const silent = { warn: () => undefined, error: () => undefined };
const redisUrl = inject('redisUrl');
const signer = createTokenSigner({ key: TEST_SIGNING_KEY, issuer: testConfig().publicUrl });

let database: Database;
const redisClients: Redis[] = [];
const apps: App[] = [];
beforeAll(async () => {
  database = await pgliteEngine.open();
});
afterAll(async () => {
  for (const app of apps) await app.close();
  for (const client of redisClients) client.disconnect();
  await database?.close();
});

async function appWith(scoreCache: ScoreCache): Promise<App> {
  const app = await buildAppOver(database, { scoreCache });
  apps.push(app);
  return app;
}

async function tokenOf(organizationId: string) {
  const user = await createTestUser(database.db, organizationId, 'manager');
  return signer.issue({ userId: user.id, organizationId });
}

const caches: [string, () => ScoreCache][] = [['in-memory LRU', () => createLruScoreCache()]];
if (redisUrl) {
  caches.push([
    'Redis',
    () => {
      const client = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
      redisClients.push(client);
      return createRedisScoreCache(client, silent);
    },
  ]);
} else {
  describe.skip(`GET /leads/{id}/score from the cache [Redis] (skipped: ${inject('redisSkipReason')})`, () => {
    it.skip('needs Redis', () => undefined);
  });
}

describe.each(caches)('GET /leads/{id}/score from the cache [%s]', (_name, createCache) => {
  let app: App;
  let scoreCache: ScoreCache;
  let afterBatch: ReturnType<typeof createScoredBatchHandler>;
  const tokens = { a: '', b: '' };

  beforeAll(async () => {
    scoreCache = createCache();
    app = await appWith(scoreCache);
    // As the worker runs it: the batch commits, then its handler caches the scores.
    afterBatch = createScoredBatchHandler({
      db: database.db,
      events: createInProcessEventBus(() => undefined),
      scoreCache,
      logger: silent,
    });
    const { organizationId: a } = await createTestOrganization(database.db);
    const { organizationId: b } = await createTestOrganization(database.db);
    tokens.a = await tokenOf(a);
    tokens.b = await tokenOf(b);
  });

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token: string, payload?: object) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload && { payload }),
    });

  async function scoredLead(options: { cached: boolean }): Promise<string> {
    const created = await call('POST', '/leads', tokens.a, {
      email: `lead-${randomBytes(5).toString('hex')}@acme.example`,
      jobTitle: 'VP Marketing',
      companySize: 300,
    });
    const leadId = created.json().id as string;
    const posted = await call('POST', '/activities', tokens.a, {
      leadId,
      type: 'demo_request',
      timestamp: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(posted.statusCode).toBe(202);
    const result = await scoreNextBatch({ db: database.db }, { batchSize: 1000 });
    expect(result.scoredLeads.map((l) => l.leadId)).toContain(leadId);
    if (options.cached) await afterBatch(result);
    return leadId;
  }

  /** Changes the stored score behind the cache's back: a read that shows it read the database. */
  async function rewriteStoredScore(leadId: string, score: number) {
    await sql`update lead_scores set score = ${score} where lead_id = ${leadId}`.execute(
      database.db,
    );
  }

  it('answers the score the scorer cached, not the database', async () => {
    const leadId = await scoredLead({ cached: true });
    const stored = await database.db
      .selectFrom('lead_scores')
      .innerJoin('leads', 'leads.id', 'lead_scores.lead_id')
      .select(['score', 'max_score', 'score_breakdown', 'confidence', 'model_id', 'calculated_at'])
      .where('lead_id', '=', leadId)
      .executeTakeFirstOrThrow();
    await rewriteStoredScore(leadId, stored.score === 3 ? 4 : 3);

    const answered = await call('GET', `/leads/${leadId}/score`, tokens.a);
    expect(answered.statusCode).toBe(200);
    // Exactly what the database held when the batch committed.
    expect(answered.json()).toEqual({
      leadId,
      scored: true,
      score: stored.score,
      maxScore: stored.max_score,
      breakdown: stored.score_breakdown,
      confidence: stored.confidence === null ? null : Number(stored.confidence),
      modelId: stored.model_id,
      calculatedAt: stored.calculated_at.toISOString(),
    });
  });

  it('caches what a miss read from the database', async () => {
    const leadId = await scoredLead({ cached: false });
    const first = await call('GET', `/leads/${leadId}/score`, tokens.a);
    expect(first.json().scored).toBe(true);
    await rewriteStoredScore(leadId, first.json().score === 3 ? 4 : 3);
    expect((await call('GET', `/leads/${leadId}/score`, tokens.a)).json()).toEqual(first.json());
  });

  it('answers another organisation 404 for a lead whose score is cached', async () => {
    const leadId = await scoredLead({ cached: true });
    expect((await call('GET', `/leads/${leadId}/score`, tokens.a)).statusCode).toBe(200);
    const foreign = await call('GET', `/leads/${leadId}/score`, tokens.b);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().score).toBeUndefined();
  });

  it('answers 404 once the lead is deleted, though its score was cached', async () => {
    const leadId = await scoredLead({ cached: true });
    expect((await call('DELETE', `/leads/${leadId}`, tokens.a)).statusCode).toBe(204);
    expect((await call('GET', `/leads/${leadId}/score`, tokens.a)).statusCode).toBe(404);
  });
});

describe.skipIf(!redisUrl)(
  `GET /leads/{id}/score with Redis down${redisUrl ? '' : ` (skipped: ${inject('redisSkipReason')})`}`,
  () => {
    it('answers from the database, promptly', async () => {
      // Nothing listens on port 1: every cache call fails.
      const down = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 1, lazyConnect: true });
      redisClients.push(down);
      down.on('error', () => undefined);
      down.connect().catch(() => undefined);
      const app = await appWith(createRedisScoreCache(down, silent));
      const { organizationId } = await createTestOrganization(database.db);
      const token = await tokenOf(organizationId);
      const created = await app.inject({
        method: 'POST',
        url: '/leads',
        headers: { authorization: `Bearer ${token}` },
        payload: { email: 'down@acme.example' },
      });
      const leadId = created.json().id as string;
      await sql`insert into lead_scores (organization_id, lead_id, score) values (${organizationId}, ${leadId}, 42)`.execute(
        database.db,
      );
      const started = Date.now();
      const answered = await app.inject({
        url: `/leads/${leadId}/score`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(answered.statusCode).toBe(200);
      expect(answered.json()).toMatchObject({ leadId, scored: true, score: 42 });
      expect(Date.now() - started).toBeLessThan(1000);
    });
  },
);
