import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** The process's Redis client (REDIS_URL), for the cache, rate limits and events. */
export function connectRedis(url: string, logger: Pick<Logger, 'warn'>): Redis {
  // Fail fast: a request must not hang on a missing Redis; /readyz reports it.
  const redis = new Redis(url, { connectTimeout: 2000, maxRetriesPerRequest: 1 });
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  return redis;
}
