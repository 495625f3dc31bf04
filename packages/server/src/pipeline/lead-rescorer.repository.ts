import { type RawBuilder, sql } from 'kysely';
import { LOCKED_LEAD_COLUMNS, type LockedLead, type Tx } from './activity-scorer.repository.js';

/*
 * The rescorer's own SQL: which leads a batch takes. Pages are keysets on the lead id within
 * one organisation, locked in id order as the activity scorer locks them (FOR NO KEY UPDATE):
 * a lead is scored by one of them at a time, and neither can deadlock the other.
 */

/**
 * `column > afterId`, every row when `afterId` is null: a plain range on the column (no
 * `is null or`), so its index serves whatever the parameter. No UUID sorts before the nil one.
 */
export function after(column: string, afterId: string | null): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} > coalesce(${afterId}::uuid, '00000000-0000-0000-0000-000000000000'::uuid)`;
}

/** The organisation's next `limit` leads after `afterLeadId` (from the first when null). */
export async function lockLeadPage(
  trx: Tx,
  organizationId: string,
  afterLeadId: string | null,
  limit: number,
): Promise<LockedLead[]> {
  const { rows } = await sql<LockedLead>`
    select ${LOCKED_LEAD_COLUMNS}
    from leads
    where organization_id = ${organizationId}
      and ${after('id', afterLeadId)}
    order by id
    limit ${limit}
    for no key update`.execute(trx);
  return rows;
}

/**
 * The organisation's next `limit` leads after `afterLeadId` whose decay may have moved their
 * score: they have a feature state (something to decay) and no activity was scored for them
 * since `quietSince` (a lead just scored is as fresh as it gets).
 */
export async function lockQuietLeadPage(
  trx: Tx,
  organizationId: string,
  afterLeadId: string | null,
  limit: number,
  quietSince: Date,
): Promise<LockedLead[]> {
  const { rows } = await sql<LockedLead>`
    select ${LOCKED_LEAD_COLUMNS}
    from leads
    where id in (
      select s.lead_id
      from lead_feature_state s
      where s.organization_id = ${organizationId}
        and ${after('s.lead_id', afterLeadId)}
        and s.updated_at <= ${quietSince.toISOString()}::timestamptz
      order by s.lead_id
      limit ${limit})
      and organization_id = ${organizationId}
    order by id
    for no key update`.execute(trx);
  return rows;
}
