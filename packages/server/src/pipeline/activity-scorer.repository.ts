import { sql, type Transaction } from 'kysely';
import type { DB, ScoreCause } from '../db/schema.js';
import type { LeadProfileRow } from './lead-input.js';

/*
 * All SQL of the activity scorer, and what the rescorer shares with it (locking leads, their
 * states and models, saving scores). Every function runs inside the caller's one transaction.
 * Lists travel as one array or JSON parameter: the same text on PGlite and node-postgres,
 * and one plan whatever the batch size.
 */

export type Tx = Transaction<DB>;

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

export interface LockedLead extends LeadProfileRow {
  organization_id: string;
  current_score: number | null;
}

/** What a scorer reads of a lead it locks: its profile and its current score. */
export const LOCKED_LEAD_COLUMNS = sql`id, organization_id, email, job_title, company, country,
  industry, company_size, source, custom_attributes, created_at, current_score`;

/**
 * Locks the leads, in id order: two workers holding activities of one lead take turns
 * (the second then reads the first one's committed state), and a fixed lock order means
 * they cannot deadlock. FOR NO KEY UPDATE is the lock the UPDATE of these columns takes
 * anyway; unlike FOR UPDATE it leaves foreign-key checks free, so ingestion keeps inserting
 * activities of a lead the scorer holds. The caller matches each activity's organisation
 * with its lead's.
 */
export async function lockLeads(trx: Tx, leadIds: readonly string[]): Promise<LockedLead[]> {
  if (leadIds.length === 0) return [];
  const { rows } = await sql<LockedLead>`
    select ${LOCKED_LEAD_COLUMNS}
    from leads
    where id = any(${leadIds}::uuid[])
    order by id
    for no key update`.execute(trx);
  return rows;
}

/**
 * The stored feature states of these (locked) leads, by lead id, as JSON text: the scorer
 * parses each into a private copy it may change in place. A statement of its own, after
 * the lock: in READ COMMITTED it sees the state committed by a worker it waited for.
 */
export async function findFeatureStates(
  trx: Tx,
  leadIds: readonly string[],
): Promise<Map<string, string>> {
  if (leadIds.length === 0) return new Map();
  const { rows } = await sql<{ lead_id: string; state: string }>`
    select lead_id, state::text as state
    from lead_feature_state
    where lead_id = any(${leadIds}::uuid[])`.execute(trx);
  return new Map(rows.map((row) => [row.lead_id, row.state]));
}

export interface ModelVersion {
  id: string;
  organization_id: string;
  /** True for the active model; false for the challenger. */
  is_active: boolean;
  /** The row version (`xmin`): any change to the row changes it. */
  version: string;
}

/**
 * Which model (and which version of its row) each organisation that has one scores with, and,
 * when asked, which one it runs as a challenger beside it.
 */
export async function findModelVersions(
  trx: Tx,
  organizationIds: readonly string[],
  include: 'active' | 'active-and-challenger',
): Promise<ModelVersion[]> {
  if (organizationIds.length === 0) return [];
  const challengers = include === 'active-and-challenger';
  const { rows } = await sql<ModelVersion>`
    select id, organization_id, is_active, xmin::text as version
    from scoring_models
    where organization_id = any(${organizationIds}::uuid[])
      and (is_active or (${challengers}::boolean and status = 'challenger'))`.execute(trx);
  return rows;
}

export interface ModelConfigRow {
  id: string;
  version: string;
  config: unknown;
}

/** The configs of these models (a trained model's can be large: read only when not cached). */
export async function findModelConfigs(
  trx: Tx,
  modelIds: readonly string[],
): Promise<ModelConfigRow[]> {
  if (modelIds.length === 0) return [];
  const { rows } = await sql<ModelConfigRow>`
    select id, xmin::text as version, config
    from scoring_models
    where id = any(${modelIds}::uuid[])`.execute(trx);
  return rows;
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
  /** 0–1, from trained models; null for rules models. */
  confidence: number | null;
  /** The lead's new feature state; null leaves the stored one as it is (a rescore). */
  state: unknown;
  /** The newest activity scored; null when none was (a rescore). */
  lastActivityAt: Date | null;
  /** What wrote the score (`lead_scores.cause`), and the newest activity it counted. */
  cause: ScoreCause;
  activityId: string | null;
}

/** A challenger's score of a lead, beside the active model's score of the same moment. */
export interface ChallengerScoreRow {
  organizationId: string;
  leadId: string;
  modelId: string;
  score: number;
  breakdown: Record<string, unknown>;
  confidence: number | null;
  /** The model that scored the lead for real (null: the built-in default rules). */
  activeModelId: string | null;
  activeScore: number;
}

export interface ProcessedActivity {
  id: string;
  /** Why the activity could not be counted; null when it was. */
  failureReason: string | null;
}

/**
 * Writes a batch's outcome in one statement (one round trip): the `lead_scores` rows, the
 * leads' current/max score and last activity, their feature states (those given), the
 * challenger's scores (kept apart in `challenger_scores`: they change no lead), and the
 * activities marked processed (those with a reason as failed; none for a rescore). The scored
 * leads travel as one JSON document that PostgreSQL parses once (a materialised CTE) for the
 * three writes; the data-modifying parts touch different tables, so one snapshot serves them all.
 *
 * Costs measured on PostgreSQL 15 (EXPLAIN ANALYZE, a batch of 1,000 leads with a stored state):
 * the `leads` update is the largest part, as changing `current_score` or `last_activity_at`
 * (both indexed) can never be a HOT update and so adds an entry to every index of `leads`; a
 * lead whose three columns would not change is therefore not written at all (a rescore that
 * leaves the score as it was). Activities are matched by joining the id array (an index probe
 * each) rather than `= any()`, which the planner turns into a scan of the table while it is
 * small, and they get their failure reason (null when counted) in the same update, so a batch
 * is always one round trip.
 */
export async function saveBatch(
  trx: Tx,
  scored: readonly ScoredLeadRow[],
  processed: readonly ProcessedActivity[],
  now: Date,
  challengers: readonly ChallengerScoreRow[] = [],
): Promise<void> {
  const at = now.toISOString();
  const records = JSON.stringify(
    scored.map((row) => ({
      lead_id: row.leadId,
      organization_id: row.organizationId,
      model_id: row.modelId,
      score: row.score,
      breakdown: row.breakdown,
      confidence: row.confidence,
      state: row.state,
      last_activity_at: row.lastActivityAt?.toISOString() ?? null,
      cause: row.cause,
      activity_id: row.activityId,
    })),
  );
  const challengerRecords = JSON.stringify(
    challengers.map((row) => ({
      organization_id: row.organizationId,
      lead_id: row.leadId,
      model_id: row.modelId,
      score: row.score,
      breakdown: row.breakdown,
      confidence: row.confidence,
      active_model_id: row.activeModelId,
      active_score: row.activeScore,
    })),
  );
  await sql`
    with scored as materialized (
      select * from jsonb_to_recordset(${records}::jsonb) as r(lead_id uuid,
        organization_id uuid, model_id uuid, score int, breakdown jsonb, confidence numeric, state jsonb,
        last_activity_at timestamptz, cause text, activity_id uuid)
    ),
    score_rows as (
      insert into lead_scores (organization_id, lead_id, model_id, score, score_breakdown,
        confidence, calculated_at, cause, activity_id)
      select organization_id, lead_id, model_id, score, breakdown, round(confidence, 2),
        ${at}::timestamptz, cause, activity_id
      from scored
    ),
    lead_rows as (
      update leads l
      set current_score = r.score,
        max_score = greatest(l.max_score, r.score),
        -- greatest() ignores a null: a rescore leaves the last activity as it is.
        last_activity_at = greatest(l.last_activity_at, r.last_activity_at),
        current_grade = r.breakdown ->> 'grade'
      from scored r
      where l.id = r.lead_id and l.organization_id = r.organization_id
        and (l.current_score is distinct from r.score
          or l.max_score is distinct from greatest(l.max_score, r.score)
          or l.last_activity_at is distinct from greatest(l.last_activity_at, r.last_activity_at)
          or l.current_grade is distinct from r.breakdown ->> 'grade')
    ),
    state_rows as (
      insert into lead_feature_state (lead_id, organization_id, state, updated_at)
      select lead_id, organization_id, state, ${at}::timestamptz from scored
      where state is not null
      on conflict (lead_id) do update set state = excluded.state, updated_at = excluded.updated_at
    ),
    challenger_rows as (
      insert into challenger_scores (organization_id, lead_id, model_id, score, score_breakdown,
        confidence, active_model_id, active_score, calculated_at)
      select organization_id, lead_id, model_id, score, breakdown, round(confidence, 2),
        active_model_id, active_score, ${at}::timestamptz
      from jsonb_to_recordset(${challengerRecords}::jsonb) as c(organization_id uuid,
        lead_id uuid, model_id uuid, score int, breakdown jsonb, confidence numeric,
        active_model_id uuid, active_score int)
    )
    update lead_activities a
    set processed = true, processed_at = ${at}::timestamptz, failure_reason = p.reason
    from unnest(${processed.map((p) => p.id)}::uuid[], ${processed.map((p) => p.failureReason)}::text[])
      as p(id, reason)
    where a.id = p.id`.execute(trx);
}
