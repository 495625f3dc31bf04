import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { isoText } from '../leads/index.js';

/*
 * An organisation's activities read in bulk for exports, oldest first, a keyset page of
 * ("timestamp", id) at a time: the index of migration 0010 serves every page at the same cost,
 * and a reader holds one page and no connection between pages (the embedded database has only
 * one). Rows come out of SQL as the records exports write, as leads' do.
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

/** Where a page starts: after this timestamp (ISO 8601 with microseconds) and id. */
export interface ActivityKeyset {
  readonly timestamp: string;
  readonly id: string;
}

export async function readActivityRecords(
  db: Kysely<DB>,
  organizationId: string,
  filters: ActivityFilters,
  page: { after: ActivityKeyset | undefined; limit: number },
): Promise<{ records: ActivityRecord[]; next: ActivityKeyset | null }> {
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
    .where('organization_id', '=', organizationId)
    .orderBy(sql`"timestamp"`)
    .orderBy('id')
    .limit(page.limit);
  if (filters.types?.length) query = query.where('activity_type', 'in', filters.types);
  if (filters.from !== undefined) {
    query = query.where(sql<boolean>`"timestamp" >= ${filters.from}::timestamptz`);
  }
  if (filters.to !== undefined) {
    query = query.where(sql<boolean>`"timestamp" < ${filters.to}::timestamptz`);
  }
  if (page.after) {
    query = query.where(
      sql<boolean>`("timestamp", id) > (${page.after.timestamp}::timestamptz, ${page.after.id}::uuid)`,
    );
  }
  const rows = await query.execute();
  const last = rows.at(-1);
  return {
    records: rows.map(({ sortKey: _, ...record }) => record as ActivityRecord),
    next: rows.length === page.limit && last ? { timestamp: last.sortKey, id: last.id } : null,
  };
}
