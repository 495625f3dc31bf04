import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';

export interface NewActivityRow {
  id: string;
  leadId: string;
  type: string;
  data: Record<string, unknown>;
  timestamp: Date;
  idempotencyKey: string | null;
}

/**
 * Inserts the rows with one statement, unprocessed (the scorer's outbox), skipping any
 * whose idempotency key the organisation already has — also one a concurrent request
 * is inserting: PostgreSQL waits for that request and skips the row if it commits.
 * The rows travel as one JSON parameter (see demo.repository.ts for why). Returns the
 * ids actually inserted.
 */
export async function insertActivities(
  db: Kysely<DB>,
  organizationId: string,
  rows: readonly NewActivityRow[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const records = rows.map((row) => ({
    id: row.id,
    lead_id: row.leadId,
    activity_type: row.type,
    activity_data: row.data,
    timestamp: row.timestamp.toISOString(),
    idempotency_key: row.idempotencyKey,
  }));
  const inserted = await sql<{ id: string }>`
    insert into lead_activities
      (id, organization_id, lead_id, activity_type, activity_data, "timestamp", idempotency_key)
    select r.id, ${organizationId}::uuid, r.lead_id, r.activity_type, r.activity_data,
      r."timestamp", r.idempotency_key
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(id uuid, lead_id uuid,
      activity_type text, activity_data jsonb, "timestamp" timestamptz, idempotency_key text)
    on conflict (organization_id, idempotency_key) where idempotency_key is not null do nothing
    returning id`.execute(db);
  return new Set(inserted.rows.map((row) => row.id));
}

/** The stored activities with these idempotency keys, by key. */
export async function findActivitiesByIdempotencyKeys(
  db: Kysely<DB>,
  organizationId: string,
  keys: readonly string[],
): Promise<Map<string, { id: string; leadId: string }>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .selectFrom('lead_activities')
    .select(['id', 'lead_id', 'idempotency_key'])
    .where('organization_id', '=', organizationId)
    .where('idempotency_key', 'in', keys)
    .execute();
  return new Map(
    rows.map((row) => [row.idempotency_key ?? '', { id: row.id, leadId: row.lead_id }]),
  );
}
