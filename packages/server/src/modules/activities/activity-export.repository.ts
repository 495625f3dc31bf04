import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inTimeOrder, isoText, type Keyset, type PageOf } from '../leads/index.js';

/*
 * An organisation's activities read in bulk for exports, as the records exports write (see
 * the leads module's lead-export.repository.ts).
 */

export interface ActivityFilters {
  /** Any of these activity types. */
  types?: string[] | undefined;
  /** At or after. */
  from?: string | undefined;
  /** Before. */
  to?: string | undefined;
}

/** An activity as exports write it (the lead's email is the leads module's to add). */
export interface ActivityRecord {
  id: string;
  leadId: string;
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
  processed: boolean;
  receivedAt: string;
}

/**
 * The organisation's activities that match the filters as export records, oldest first, as the
 * index of migration 0010 orders them; with a page, only those of the page.
 */
export function activityRecordsQuery(
  db: Kysely<DB>,
  organizationId: string,
  filters: ActivityFilters,
  page?: PageOf<Keyset>,
) {
  let query = db
    .selectFrom('lead_activities')
    .select([
      'id',
      'lead_id as leadId',
      'activity_type as type',
      isoText('timestamp').as('timestamp'),
      'activity_data as data',
      'processed',
      isoText('received_at').as('receivedAt'),
      // Microseconds, which a JS Date would lose: the next page must start exactly here.
      sql<string>`to_char("timestamp" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as(
        'sortKey',
      ),
    ])
    .where('organization_id', '=', organizationId);
  if (filters.types?.length) query = query.where('activity_type', 'in', filters.types);
  if (filters.from !== undefined) {
    query = query.where(sql<boolean>`"timestamp" >= ${filters.from}::timestamptz`);
  }
  if (filters.to !== undefined) {
    query = query.where(sql<boolean>`"timestamp" < ${filters.to}::timestamptz`);
  }
  return inTimeOrder(query, 'timestamp', page);
}
