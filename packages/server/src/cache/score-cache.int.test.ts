import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createLruScoreCache } from './lru-score-cache.js';
import { createRedisScoreCache } from './redis-score-cache.js';
import { type CachedScore, type ScoreCache, scoreKey } from './score-cache.js';

const silent = { warn: () => undefined };
const redisUrl = inject('redisUrl');
const clients: Redis[] = [];
afterAll(() => {
  for (const client of clients) client.disconnect();
});

async function connect(): Promise<Redis> {
  const client = new Redis(redisUrl ?? '', { maxRetriesPerRequest: 1 });
  clients.push(client);
  await client.ping();
  return client;
}

function scoreOf(overrides: Partial<CachedScore> = {}): CachedScore {
  return {
    organizationId: randomUUID(),
    leadId: randomUUID(),
    score: 72,
    maxScore: 80,
    breakdown: { behavioral: 40, demographic: 32, grade: 'A2' },
    confidence: 0.81,
    modelId: null,
    calculatedAt: '2026-11-30T10:00:00.000Z',
    ...overrides,
  };
}

const later = (score: CachedScore, by: number, changes: Partial<CachedScore> = {}) => ({
  ...score,
  calculatedAt: new Date(Date.parse(score.calculatedAt) + by).toISOString(),
  ...changes,
});

const implementations: [string, (ttlMs?: number) => Promise<ScoreCache>][] = [
  ['in-memory LRU', async (ttlMs) => createLruScoreCache({ ...(ttlMs && { ttlMs }) })],
];
if (redisUrl) {
  implementations.push([
    'Redis',
    async (ttlMs) => createRedisScoreCache(await connect(), silent, { ...(ttlMs && { ttlMs }) }),
  ]);
} else {
  describe.skip(`score cache contract [Redis] (skipped: ${inject('redisSkipReason')})`, () => {
    it.skip('needs Redis', () => undefined);
  });
}

describe.each(implementations)('score cache contract [%s]', (_name, create) => {
  it('answers a score set for its organisation, and a miss to any other', async () => {
    const cache = await create();
    const score = scoreOf();
    expect(await cache.get(score.organizationId, score.leadId)).toBeUndefined();
    await cache.set([score]);
    expect(await cache.get(score.organizationId, score.leadId)).toEqual(score);
    expect(await cache.get(randomUUID(), score.leadId)).toBeUndefined();
  });

  it('keeps the newer of two scores whatever order they are set in', async () => {
    const cache = await create();
    const first = scoreOf();
    const second = later(first, 1, { score: 90, maxScore: 90 });
    await cache.set([second]);
    await cache.set([first]);
    expect(await cache.get(first.organizationId, first.leadId)).toEqual(second);
    const third = later(second, 1000, { score: 10 });
    await cache.set([third, scoreOf()]);
    expect(await cache.get(first.organizationId, first.leadId)).toEqual(third);
  });

  it("drops an invalidated lead's score, and never caches a deleted lead's again", async () => {
    const cache = await create();
    const kept = scoreOf();
    const dropped = scoreOf();
    const deleted = scoreOf();
    await cache.set([kept, dropped, deleted]);
    await cache.invalidate([dropped.leadId]);
    await cache.markDeleted(deleted.leadId);
    expect(await cache.get(kept.organizationId, kept.leadId)).toEqual(kept);
    expect(await cache.get(dropped.organizationId, dropped.leadId)).toBeUndefined();
    expect(await cache.get(deleted.organizationId, deleted.leadId)).toBeUndefined();
    // A batch committed before the deletion, cached after it.
    await cache.set([later(deleted, 1)]);
    expect(await cache.get(deleted.organizationId, deleted.leadId)).toBeUndefined();
    await cache.set([later(dropped, 1)]);
    expect(await cache.get(dropped.organizationId, dropped.leadId)).toEqual(later(dropped, 1));
  });

  it('forgets a score after its time to live', async () => {
    const cache = await create(50);
    const score = scoreOf();
    await cache.set([score]);
    expect(await cache.get(score.organizationId, score.leadId)).toEqual(score);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await cache.get(score.organizationId, score.leadId)).toBeUndefined();
  });
});

describe.skipIf(!redisUrl)(
  `Redis score cache with Redis unreachable${redisUrl ? '' : ` (skipped: ${inject('redisSkipReason')})`}`,
  () => {
    it('misses at once rather than waiting for Redis', async () => {
      // Nothing listens on port 1: the client never becomes ready.
      const down = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 1, lazyConnect: true });
      clients.push(down);
      down.on('error', () => undefined);
      down.connect().catch(() => undefined);
      const cache = createRedisScoreCache(down, silent);
      const score = scoreOf();
      const started = Date.now();
      await cache.set([score]);
      await cache.markDeleted(score.leadId);
      expect(await cache.get(score.organizationId, score.leadId)).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(100);
    });

    it('drops, once Redis is back, the entries its failed writes left behind', async () => {
      const client = await connect();
      const observer = await connect();
      const cache = createRedisScoreCache(client, silent);
      const score = scoreOf();
      await cache.set([score]);
      client.disconnect();
      const newer = later(score, 1, { score: 5 });
      await cache.set([newer]);
      // Redis still holds the older score, which this process now knows to be stale.
      expect(await observer.get(scoreKey(score.leadId))).not.toBeNull();
      expect(await cache.get(score.organizationId, score.leadId)).toBeUndefined();

      await client.connect();
      await expect.poll(() => observer.get(scoreKey(score.leadId))).toBeNull();
      await cache.set([newer]);
      expect(await cache.get(score.organizationId, score.leadId)).toEqual(newer);
    });
  },
);
