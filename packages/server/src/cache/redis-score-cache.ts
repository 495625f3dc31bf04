import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  type CachedScore,
  type CacheEntry,
  entryFor,
  SCORE_TTL_MS,
  type ScoreCache,
  scoreKey,
} from './score-cache.js';

/**
 * ScoreCache.set's rule (see mayReplace) made atomic on the Redis server, where writers of
 * several processes meet: KEYS are the leads' keys, ARGV[1] the TTL in ms, then for each key
 * its JSON value and its calculatedAt. ISO timestamps of one format compare as strings.
 */
const SET_NEWER = `
local written = 0
for i, key in ipairs(KEYS) do
  local current = redis.call('GET', key)
  local keep = false
  if current then
    local entry = cjson.decode(current)
    keep = entry.deleted == true or (entry.calculatedAt ~= nil and entry.calculatedAt > ARGV[2 * i + 1])
  end
  if not keep then
    redis.call('SET', key, ARGV[2 * i], 'PX', ARGV[1])
    written = written + 1
  end
end
return written`;

const TOMBSTONE = JSON.stringify({ deleted: true } satisfies CacheEntry);

/**
 * Past this many leads with a failed write, stop tracking them one by one and drop every
 * cached score once Redis is back (a long outage under load).
 */
const MAX_TRACKED_FAILURES = 100_000;

/**
 * The score cache in Redis, shared by every process (the scorer's writes are what the API
 * processes read). Redis unreachable: reads miss at once (the client's status says so,
 * no command waits for a reconnect) and the database answers. A write that fails would leave
 * the previous score cached when Redis comes back, so the lead is remembered, reads of it
 * here miss, and once the connection is ready again its key is dropped (or tombstoned).
 */
export function createRedisScoreCache(
  redis: Redis,
  logger: Pick<Logger, 'warn'>,
  options: { ttlMs?: number } = {},
): ScoreCache {
  const ttlMs = options.ttlMs ?? SCORE_TTL_MS;
  /** Leads whose entry may be wrong in Redis: what to write there once it is reachable. */
  const unsettled = new Map<string, 'drop' | 'tombstone'>();
  let overflowed = false;

  const ready = () => redis.status === 'ready';
  const remember = (leadIds: readonly string[], fix: 'drop' | 'tombstone', error?: unknown) => {
    if (error !== undefined) logger.warn({ err: error }, 'score cache write failed');
    for (const leadId of leadIds) {
      if (unsettled.size >= MAX_TRACKED_FAILURES) overflowed = true;
      else if (unsettled.get(leadId) !== 'tombstone') unsettled.set(leadId, fix);
    }
  };

  let settling = false;
  const settle = async () => {
    if (settling || (unsettled.size === 0 && !overflowed)) return;
    settling = true;
    try {
      if (overflowed) {
        for await (const keys of redis.scanStream({ match: scoreKey('*'), count: 1000 })) {
          if ((keys as string[]).length > 0) await redis.unlink(...(keys as string[]));
        }
        overflowed = false;
      }
      for (const [leadId, fix] of [...unsettled]) {
        if (fix === 'tombstone') await redis.set(scoreKey(leadId), TOMBSTONE, 'PX', ttlMs);
        else await redis.unlink(scoreKey(leadId));
        unsettled.delete(leadId);
      }
    } catch (error) {
      logger.warn({ err: error }, 'score cache could not drop the entries of failed writes yet');
    } finally {
      settling = false;
    }
  };
  redis.on('ready', () => void settle());

  return {
    async get(organizationId, leadId) {
      if (!ready() || overflowed || unsettled.has(leadId)) return undefined;
      try {
        const value = await redis.get(scoreKey(leadId));
        return entryFor(
          value === null ? undefined : (JSON.parse(value) as CacheEntry),
          organizationId,
        );
      } catch (error) {
        logger.warn({ err: error }, 'score cache read failed; reading the database');
        return undefined;
      }
    },
    async set(scores: readonly CachedScore[]) {
      if (scores.length === 0) return;
      const leadIds = scores.map((s) => s.leadId);
      if (!ready()) return remember(leadIds, 'drop');
      const args = scores.flatMap((s) => [JSON.stringify(s), s.calculatedAt]);
      try {
        await redis.eval(SET_NEWER, scores.length, ...leadIds.map(scoreKey), ttlMs, ...args);
        // A failure without a reconnect (a timeout) sees no 'ready': settle after a success.
        void settle();
      } catch (error) {
        remember(leadIds, 'drop', error);
      }
    },
    async invalidate(leadIds) {
      if (leadIds.length === 0) return;
      if (!ready()) return remember(leadIds, 'drop');
      try {
        await redis.unlink(...leadIds.map(scoreKey));
      } catch (error) {
        remember(leadIds, 'drop', error);
      }
    },
    async markDeleted(leadId) {
      if (!ready()) return remember([leadId], 'tombstone');
      try {
        await redis.set(scoreKey(leadId), TOMBSTONE, 'PX', ttlMs);
      } catch (error) {
        remember([leadId], 'tombstone', error);
      }
    },
  };
}
