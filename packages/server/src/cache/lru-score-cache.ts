import { LRUCache } from 'lru-cache';
import {
  type CachedScore,
  type CacheEntry,
  entryFor,
  mayReplace,
  SCORE_TTL_MS,
  type ScoreCache,
  scoreKey,
} from './score-cache.js';

/**
 * ~1 KB an entry (the breakdown with its reasons): tens of MB at most, and the hot leads of
 * an embedded install (sized for ~100k leads) fit.
 */
const DEFAULT_MAX_ENTRIES = 50_000;

/**
 * The score cache in this process's memory. Only coherent while one process writes scores
 * and answers reads: the embedded database guarantees that (see createScoreCache).
 */
export function createLruScoreCache(
  options: { maxEntries?: number; ttlMs?: number } = {},
): ScoreCache {
  const entries = new LRUCache<string, CacheEntry>({
    max: options.maxEntries ?? DEFAULT_MAX_ENTRIES,
    ttl: options.ttlMs ?? SCORE_TTL_MS,
  });
  return {
    async get(organizationId, leadId) {
      return entryFor(entries.get(scoreKey(leadId)), organizationId);
    },
    async set(scores: readonly CachedScore[]) {
      for (const score of scores) {
        const key = scoreKey(score.leadId);
        // peek: a write must not count as a use, nor revive an expired entry.
        if (mayReplace(entries.peek(key), score)) entries.set(key, score);
      }
    },
    async invalidate(leadIds) {
      for (const leadId of leadIds) entries.delete(scoreKey(leadId));
    },
    async markDeleted(leadId) {
      entries.set(scoreKey(leadId), { deleted: true });
    },
  };
}
