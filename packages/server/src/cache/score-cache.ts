/**
 * The score cache: a lead's newest score as `GET /leads/{id}/score` answers it, so that read
 * skips the database. Written after each committed scorer batch, read before the database.
 *
 * Keys are `lead_scores:{lead_id}` (the seed's). A lead id is a UUID, unique across
 * organisations, so one key per lead is enough; the organisation is stored in the value and
 * checked on every read, so an id guessed or leaked across tenants answers a miss (the
 * database then answers 404), never another organisation's score.
 *
 * A cache is best effort: it never throws. A failed read is a miss; a failed write is logged
 * and must not leave a stale entry served later (each implementation says how).
 */

/** What is cached of one lead: the fields of its score read, and whose it is. */
export interface CachedScore {
  readonly organizationId: string;
  readonly leadId: string;
  readonly score: number;
  readonly maxScore: number | null;
  readonly breakdown: Record<string, unknown>;
  readonly confidence: number | null;
  readonly modelId: string | null;
  /** ISO 8601 with milliseconds (Date#toISOString): orders entries, see `set`. */
  readonly calculatedAt: string;
}

export interface ScoreCache {
  /** The lead's cached score when it belongs to `organizationId`; otherwise undefined. */
  get(organizationId: string, leadId: string): Promise<CachedScore | undefined>;
  /**
   * Caches scores read from the database after their commit. Newer wins: an entry calculated
   * later than the one offered is kept, so a slow writer (another worker's batch, a read that
   * raced the scorer) cannot put an older score back. A deleted lead's entry is kept too.
   */
  set(scores: readonly CachedScore[]): Promise<void>;
  /** Drops entries whose score is unknown (e.g. the read-back after a commit failed). */
  invalidate(leadIds: readonly string[]): Promise<void>;
  /**
   * The lead is deleted: its entry becomes a tombstone that no `set` overwrites, so a batch
   * committed just before the deletion cannot cache a score for a lead that is gone.
   */
  markDeleted(leadId: string): Promise<void>;
}

/** A day: long enough to absorb reads, short enough that nothing is served stale forever. */
export const SCORE_TTL_MS = 24 * 60 * 60 * 1000;

export function scoreKey(leadId: string): string {
  return `lead_scores:${leadId}`;
}

/** What a key holds: a score, or the mark of a deleted lead. */
export type CacheEntry = CachedScore | { readonly deleted: true };

/** Whether `offered` may replace what a key holds (see ScoreCache.set). */
export function mayReplace(current: CacheEntry | undefined, offered: CachedScore): boolean {
  if (current === undefined) return true;
  if ('deleted' in current) return false;
  return current.calculatedAt <= offered.calculatedAt;
}

/** The entry for this organisation's read, or undefined (a tombstone, another tenant's). */
export function entryFor(
  entry: CacheEntry | undefined,
  organizationId: string,
): CachedScore | undefined {
  if (entry === undefined || 'deleted' in entry) return undefined;
  return entry.organizationId === organizationId ? entry : undefined;
}
