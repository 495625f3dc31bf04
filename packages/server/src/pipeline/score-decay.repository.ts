import { sql } from 'kysely';
import type { Tx } from './activity-scorer.repository.js';
import { after } from './lead-rescorer.repository.js';

/* The decay sweep's cursor (`score_decay_sweep`, one row). */

export interface SweepCursor {
  /** The organisation being swept; null: start from the first. */
  organizationId: string | null;
  afterLeadId: string | null;
}

/**
 * The cursor, row-locked until the transaction ends: two runs that overlap (a slow run and the
 * next tick, on two processes) take turns batch by batch and never sweep the same page.
 */
export async function lockSweepCursor(trx: Tx): Promise<SweepCursor> {
  const { rows } = await sql<SweepCursor>`
    select organization_id as "organizationId", after_lead_id as "afterLeadId"
    from score_decay_sweep
    for update`.execute(trx);
  return rows[0] ?? { organizationId: null, afterLeadId: null };
}

export async function saveSweepCursor(trx: Tx, cursor: SweepCursor, now: Date): Promise<void> {
  await sql`
    update score_decay_sweep
    set organization_id = ${cursor.organizationId}, after_lead_id = ${cursor.afterLeadId},
      updated_at = ${now.toISOString()}::timestamptz`.execute(trx);
}

/** The first organisation (by id) after `afterId` that has a lead with a feature state. */
export async function nextOrganizationWithStates(
  trx: Tx,
  afterId: string | null,
): Promise<string | null> {
  const { rows } = await sql<{ organization_id: string }>`
    select organization_id
    from lead_feature_state
    where ${after('organization_id', afterId)}
    order by organization_id
    limit 1`.execute(trx);
  return rows[0]?.organization_id ?? null;
}
