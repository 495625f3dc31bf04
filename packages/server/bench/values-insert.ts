import type { Insertable, Kysely } from 'kysely';
import type { DB } from '../src/db/schema.js';
import { toLeadColumns } from '../src/modules/demo/demo.repository.js';
import type { DemoBatch } from '../src/modules/demo/demo-data.js';

/** PostgreSQL's wire protocol counts a statement's bind parameters in 16 bits. */
const MAX_PARAMETERS = 65_535;

/**
 * The baseline that insertDemoBatch claims to beat: the same batch, the same column values
 * (updated_at included), written as Kysely multi-row VALUES inserts with one bind parameter
 * per column per row. Like insertDemoBatch it opens no transaction; the caller does.
 */
export async function insertDemoBatchAsValues(
  db: Kysely<DB>,
  organizationId: string,
  batch: DemoBatch,
): Promise<void> {
  const leads: Insertable<DB['leads']>[] = batch.leads.map((lead) => ({
    organization_id: organizationId,
    ...toLeadColumns(lead),
    custom_attributes: JSON.stringify(lead.customAttributes),
    // insertDemoBatch writes greatest(created_at, status_changed_at), which skips nulls.
    updated_at:
      lead.statusChangedAt && lead.statusChangedAt > lead.createdAt
        ? lead.statusChangedAt
        : lead.createdAt,
  }));
  const idByEmail = new Map<string, string>();
  for (const rows of chunksWithinParameterLimit(leads)) {
    const inserted = await db.insertInto('leads').values(rows).returning(['id', 'email']).execute();
    for (const row of inserted) idByEmail.set(row.email, row.id);
  }

  const activities: Insertable<DB['lead_activities']>[] = batch.activities.map((activity) => {
    const leadId = idByEmail.get(batch.leads[activity.leadIndex]?.email ?? '');
    if (leadId === undefined) {
      throw new Error(`activity refers to lead ${activity.leadIndex}, which was not inserted`);
    }
    return {
      organization_id: organizationId,
      lead_id: leadId,
      activity_type: activity.activityType,
      activity_data: JSON.stringify(activity.activityData),
      timestamp: activity.timestamp,
    };
  });
  for (const rows of chunksWithinParameterLimit(activities)) {
    await db.insertInto('lead_activities').values(rows).execute();
  }
}

/** Slices rows (all with the same keys) so that no statement binds more than 65,535 values. */
function* chunksWithinParameterLimit<T extends object>(rows: readonly T[]): Generator<T[]> {
  const first = rows[0];
  if (first === undefined) return;
  const size = Math.floor(MAX_PARAMETERS / Object.keys(first).length);
  for (let start = 0; start < rows.length; start += size) {
    yield rows.slice(start, start + size);
  }
}
