// The score cache (ARCHITECTURE.md §2): Redis when configured, this process's memory otherwise.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createLruScoreCache } from './lru-score-cache.js';
import { createRedisScoreCache } from './redis-score-cache.js';
import type { ScoreCache } from './score-cache.js';

export { createLruScoreCache } from './lru-score-cache.js';
export { createRedisScoreCache } from './redis-score-cache.js';
export { type CachedScore, SCORE_TTL_MS, type ScoreCache, scoreKey } from './score-cache.js';

/**
 * Redis when there is one: every process shares it. Without Redis, an in-memory LRU only on
 * the embedded database, which one process opens alone, so the scorer that writes the cache
 * and the API that reads it are the same process. On PostgreSQL without Redis, processes may
 * be many (`serve --role api`, `worker`, several `serve`): an LRU in one would keep serving a
 * score another process has since replaced, so there is no cache and reads go to the database.
 */
export function createScoreCache(parts: {
  redis: Redis | undefined;
  databaseUrl: string | undefined;
  logger: Pick<Logger, 'warn'>;
}): ScoreCache | undefined {
  if (parts.redis) return createRedisScoreCache(parts.redis, parts.logger);
  return parts.databaseUrl === undefined ? createLruScoreCache() : undefined;
}
