import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';

/*
 * All SQL of the activity scorer. Every function but the probe runs inside the scorer's one
 * transaction. Lists travel as one JSON parameter (as in activities.repository.ts): the
 * same text on PGlite and node-postgres, and one plan whatever the batch size.
 */

type Tx = Transaction<DB>;

export interface ClaimedActivity {
  id: string;
  organization_id: string;
  lead_id: string;
  activity_type: string;
  activity_data: unknown;
  timestamp: Date;
}

/**
 * Claims up to `limit` unprocessed activities, oldest first, row-locked until the
 * transaction ends. SKIP LOCKED: rows another worker holds are passed over, so concurrent
 * workers take disjoint batches without waiting; a row processed by a worker that commits
 * meanwhile is re-checked and dropped (READ COMMITTED re-evaluates `not processed`).
 */
export async function claimActivities(trx: Tx, limit: number): Promise<ClaimedActivity[]> {
  const { rows } = await sql<ClaimedActivity>`
    select id, organization_id, lead_id, activity_type, activity_data, "timestamp"
    from lead_activities
    where not processed
    order by "timestamp"
    limit ${limit}
    for update skip locked`.execute(trx);
  return rows;
}

export interface LockedLead {
  id: string;
  organization_id: string;
  email: string;
  job_title: string | null;
  company: string | null;
  country: string | null;
  industry: string | null;
  company_size: number | null;
  source: string | null;
  custom_attributes: unknown;
  created_at: Date;
  current_score: number | null;
}

/**
 * Locks the leads, in id order: two workers holding activities of one lead take turns
 * (the second then reads the first one's committed state), and a fixed lock order means
 * they cannot deadlock. A lead matches only with its own organisation.
 */
export async function lockLeads(
  trx: Tx,
  leads: readonly { id: string; organizationId: string }[],
): Promise<LockedLead[]> {
  const keys = JSON.stringify(leads.map((l) => ({ id: l.id, organization_id: l.organizationId })));
  const { rows } = await sql<LockedLead>`
    select l.id, l.organization_id, l.email, l.job_title, l.company, l.country, l.industry,
      l.company_size, l.source, l.custom_attributes, l.created_at, l.current_score
    from leads l
    join jsonb_to_recordset(${keys}::jsonb) as k(id uuid, organization_id uuid)
      on l.id = k.id and l.organization_id = k.organization_id
    order by l.id
    for update of l`.execute(trx);
  return rows;
}

/** The stored feature states of these (locked) leads, by lead id. */
export async function findFeatureStates(
  trx: Tx,
  leadIds: readonly string[],
): Promise<Map<string, unknown>> {
  if (leadIds.length === 0) return new Map();
  const rows = await trx
    .selectFrom('lead_feature_state')
    .select(['lead_id', 'state'])
    .where('lead_id', 'in', leadIds)
    .execute();
  return new Map(rows.map((row) => [row.lead_id, row.state]));
}

export interface ActiveModelRow {
  id: string;
  organization_id: string;
  config: unknown;
  updated_at: Date;
}

/** The active scoring model of each organisation that has one. */
export async function findActiveModels(
  trx: Tx,
  organizationIds: readonly string[],
): Promise<ActiveModelRow[]> {
  if (organizationIds.length === 0) return [];
  return trx
    .selectFrom('scoring_models')
    .select(['id', 'organization_id', 'config', 'updated_at'])
    .where('is_active', '=', true)
    .where('organization_id', 'in', organizationIds)
    .execute();
}

/**
 * The activities of one (locked) lead the scorer has already counted, to rebuild a state
 * kept for another feature config. Those not counted (failed, or still queued) stay out.
 */
export async function findCountedActivities(
  trx: Tx,
  organizationId: string,
  leadId: string,
): Promise<{ activity_type: string; activity_data: unknown; timestamp: Date }[]> {
  return trx
    .selectFrom('lead_activities')
    .select(['activity_type', 'activity_data', 'timestamp'])
    .where('organization_id', '=', organizationId)
    .where('lead_id', '=', leadId)
    .where('processed', '=', true)
    .where('failure_reason', 'is', null)
    .execute();
}

export interface ScoredLeadRow {
  organizationId: string;
  leadId: string;
  modelId: string | null;
  /** The lead's score before this batch (null when it had none). */
  previousScore: number | null;
  score: number;
  breakdown: Record<string, unknown>;
  state: unknown;
  lastActivityAt: Date;
}

/** Writes the scores, the leads' current/max score and last activity, and their states. */
export async function saveScores(
  trx: Tx,
  scored: readonly ScoredLeadRow[],
  now: Date,
): Promise<void> {
  if (scored.length === 0) return;
  const records = JSON.stringify(
    scored.map((row) => ({
      organization_id: row.organizationId,
      lead_id: row.leadId,
      model_id: row.modelId,
      score: row.score,
      score_breakdown: row.breakdown,
      state: row.state,
      last_activity_at: row.lastActivityAt.toISOString(),
    })),
  );
  const at = now.toISOString();
  await sql`
    insert into lead_scores (organization_id, lead_id, model_id, score, score_breakdown, calculated_at)
    select r.organization_id, r.lead_id, r.model_id, r.score, r.score_breakdown, ${at}::timestamptz
    from jsonb_to_recordset(${records}::jsonb) as r(organization_id uuid, lead_id uuid,
      model_id uuid, score int, score_breakdown jsonb)`.execute(trx);
  await sql`
    update leads l
    set current_score = r.score,
      max_score = greatest(l.max_score, r.score),
      last_activity_at = greatest(l.last_activity_at, r.last_activity_at)
    from jsonb_to_recordset(${records}::jsonb) as r(organization_id uuid, lead_id uuid,
      score int, last_activity_at timestamptz)
    where l.id = r.lead_id and l.organization_id = r.organization_id`.execute(trx);
  await sql`
    insert into lead_feature_state (lead_id, organization_id, state, updated_at)
    select r.lead_id, r.organization_id, r.state, ${at}::timestamptz
    from jsonb_to_recordset(${records}::jsonb) as r(organization_id uuid, lead_id uuid, state jsonb)
    on conflict (lead_id) do update set state = excluded.state, updated_at = excluded.updated_at`.execute(
    trx,
  );
}

/** Marks the activities processed; those with a reason are recorded as failed. */
export async function markProcessed(
  trx: Tx,
  activities: readonly { id: string; failureReason: string | null }[],
  now: Date,
): Promise<void> {
  if (activities.length === 0) return;
  const records = JSON.stringify(activities.map((a) => ({ id: a.id, reason: a.failureReason })));
  await sql`
    update lead_activities a
    set processed = true, processed_at = ${now.toISOString()}::timestamptz, failure_reason = r.reason
    from jsonb_to_recordset(${records}::jsonb) as r(id uuid, reason text)
    where a.id = r.id`.execute(trx);
}
