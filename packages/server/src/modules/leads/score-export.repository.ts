import { type Kysely, sql } from 'kysely';
import type { DB, ScoreCause } from '../../db/schema.js';
import { isoText } from './lead-export.repository.js';
import { type Keyset, utcText } from './leads.repository.js';

/*
 * Scores read in bulk for exports, oldest first, a keyset page of (calculated_at, id) at a
 * time, as the records exports write (see lead-export.repository.ts for why SQL shapes them).
 */

/** One row of a lead's score history. */
export interface ScoreRecord {
  leadId: string;
  score: number;
  breakdown: Record<string, unknown>;
  confidence: number | null;
  modelId: string | null;
  cause: ScoreCause | null;
  activityId: string | null;
  calculatedAt: string;
}

export interface ScoreFilters {
  modelId?: string | undefined;
  /** Calculated at or after. */
  from?: string | undefined;
  /** Calculated before. */
  to?: string | undefined;
}

/**
 * The next page of the organisation's scores that match the filters, in the order of the
 * (organization_id, calculated_at, id) index of migration 0010, which the row comparison
 * starts at the cursor.
 */
export async function readScoreRecords(
  db: Kysely<DB>,
  organizationId: string,
  filters: ScoreFilters,
  page: { after: Keyset | undefined; limit: number },
): Promise<{ records: ScoreRecord[]; next: Keyset | null }> {
  let query = db
    .selectFrom('lead_scores')
    .select([
      'lead_id as leadId',
      'score',
      'score_breakdown as breakdown',
      // NUMERIC(3,2) comes back as text from both drivers; a float is what the API writes.
      sql<number | null>`confidence::float8`.as('confidence'),
      'model_id as modelId',
      'cause',
      'activity_id as activityId',
      isoText('calculated_at').as('calculatedAt'),
      'id',
      // Microseconds, which the page's next start needs exactly.
      utcText('calculated_at').as('sortKey'),
    ])
    .where('organization_id', '=', organizationId)
    .orderBy('calculated_at')
    .orderBy('id')
    .limit(page.limit);
  if (filters.modelId !== undefined) query = query.where('model_id', '=', filters.modelId);
  // Bounds go to SQL as text: a JS Date would drop their microseconds.
  if (filters.from !== undefined) {
    query = query.where('calculated_at', '>=', sql<Date>`${filters.from}::timestamptz`);
  }
  if (filters.to !== undefined) {
    query = query.where('calculated_at', '<', sql<Date>`${filters.to}::timestamptz`);
  }
  const { after } = page;
  if (after) {
    query = query.where(
      sql<boolean>`(calculated_at, id) > (${after.value}::timestamptz, ${after.id}::uuid)`,
    );
  }
  const rows = await query.execute();
  const last = rows.at(-1);
  return {
    records: rows.map(({ id: _, sortKey: __, ...record }) => record as ScoreRecord),
    next: rows.length === page.limit && last ? { value: last.sortKey, id: last.id } : null,
  };
}
