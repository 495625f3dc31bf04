import { type Kysely, sql } from 'kysely';
import type { DB, ScoreCause } from '../../db/schema.js';
import { inTimeOrder, isoText, type PageOf } from './lead-export.repository.js';
import { type Keyset, utcText } from './leads.repository.js';

/*
 * Scores read in bulk for exports, as the records exports write (see lead-export.repository.ts).
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
 * The organisation's scores that match the filters as export records, oldest first, in the
 * order of the (organization_id, calculated_at, id) index of migration 0010; with a page, only
 * those of the page, which the row comparison starts at the cursor.
 */
export function scoreRecordsQuery(
  db: Kysely<DB>,
  organizationId: string,
  filters: ScoreFilters,
  page?: PageOf<Keyset>,
) {
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
    .where('organization_id', '=', organizationId);
  if (filters.modelId !== undefined) query = query.where('model_id', '=', filters.modelId);
  // Bounds go to SQL as text: a JS Date would drop their microseconds.
  if (filters.from !== undefined) {
    query = query.where('calculated_at', '>=', sql<Date>`${filters.from}::timestamptz`);
  }
  if (filters.to !== undefined) {
    query = query.where('calculated_at', '<', sql<Date>`${filters.to}::timestamptz`);
  }
  return inTimeOrder(query, 'calculated_at', page);
}
