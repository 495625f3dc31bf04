/**
 * The SQL of the lead analytics: aggregates over `leads` and the scores written for them, every
 * statement scoped by organisation. Analytics is a read model over what the scoring pipeline
 * and the leads module write, so it reads their tables; it never writes them.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { bandOf } from './score-bands.js';

/** Which leads count; ranges are `from ≤ value < to`. */
export interface LeadFilters {
  readonly source?: readonly string[] | undefined;
  readonly ownerId?: readonly string[] | undefined;
  readonly industry?: readonly string[] | undefined;
  readonly createdFrom?: Date | undefined;
  readonly createdTo?: Date | undefined;
}

/** Leads per (band, grade); band and grade null for the leads without a score. */
export interface BandGradeCount {
  band: number | null;
  grade: string | null;
  count: number;
}

/**
 * The current scores: one statement over `leads` alone (current_score and current_grade sit on
 * the row), so it stays one scan however many scores each lead has had; without filters, a
 * scan of migration 0009's score-and-grade index alone.
 */
export async function countCurrentScores(
  db: Kysely<DB>,
  organizationId: string,
  filters: LeadFilters,
): Promise<BandGradeCount[]> {
  const { rows } = await sql<BandGradeCount>`
    select ${bandOf(sql`l.current_score`)} as band, l.current_grade as grade, count(*)::int as count
    from leads l
    where ${leadConditions(organizationId, filters)}
    group by 1, 2`.execute(db);
  return rows;
}

/**
 * Each lead's newest score written at or before `asOf` (when given) by `modelId` (when given),
 * counted by band and grade; leads created after `asOf` do not count.
 */
export async function countNewestScores(
  db: Kysely<DB>,
  organizationId: string,
  filters: LeadFilters,
  options: { asOf?: Date | undefined; modelId?: string | undefined },
): Promise<BandGradeCount[]> {
  const { asOf, modelId } = options;
  const scoredBy = asOf ? sql`s.calculated_at <= ${asOf.toISOString()}::timestamptz` : sql`true`;
  const leadScores = sql`s.lead_id = l.id and ${scoredBy}`;
  const scores =
    modelId === undefined
      ? sql`select s.score, s.score_breakdown ->> 'grade' as grade, s.calculated_at, s.id
          from lead_scores s where s.organization_id = ${organizationId} and ${leadScores}`
      : modelScores(organizationId, modelId, leadScores);
  const created = asOf ? sql`l.created_at <= ${asOf.toISOString()}::timestamptz` : sql`true`;
  const { rows } = await sql<BandGradeCount>`
    select ${bandOf(sql`s.score`)} as band, s.grade, count(*)::int as count
    from leads l
    left join lateral (
      select x.score, x.grade from (${scores}) as x
      order by x.calculated_at desc, x.id desc
      limit 1
    ) as s on true
    where ${leadConditions(organizationId, filters)} and ${created}
    group by 1, 2`.execute(db);
  return rows;
}

/**
 * The scores a model version wrote, as the active model (`lead_scores`) and as the challenger
 * (`challenger_scores`), where `condition` holds of each (as `s`): lead_id, score, grade,
 * calculated_at and id. The condition goes into both halves so that each uses its index.
 */
export function modelScores(
  organizationId: string,
  modelId: string,
  condition: RawBuilder<unknown>,
): RawBuilder<unknown> {
  return sql`
    select s.lead_id, s.score, s.score_breakdown ->> 'grade' as grade, s.calculated_at, s.id
    from lead_scores s
    where s.organization_id = ${organizationId} and s.model_id = ${modelId} and ${condition}
    union all
    select s.lead_id, s.score, s.score_breakdown ->> 'grade', s.calculated_at, s.id
    from challenger_scores s
    where s.organization_id = ${organizationId} and s.model_id = ${modelId} and ${condition}`;
}

/** Leads of one source and created month: how many converted, were lost, are open. */
export interface CohortOutcomes {
  source: string | null;
  /** YYYY-MM (UTC) the leads were created in. */
  month: string;
  converted: number;
  lost: number;
  open: number;
}

/**
 * Converted, lost and open leads per (source, created month), from one scan of the
 * organisation's leads; the service adds them up per source, per month and overall. (One
 * GROUP BY over both, not GROUPING SETS: PostgreSQL aggregates the former in parallel workers
 * and not the latter, which made it 2–3× slower on a million leads.) Without filters it reads
 * migration 0009's cohort index alone.
 */
export async function countOutcomesBySourceAndMonth(
  db: Kysely<DB>,
  organizationId: string,
  filters: LeadFilters,
): Promise<CohortOutcomes[]> {
  const { rows } = await sql<CohortOutcomes>`
    select l.source, to_char(l.created_month, 'YYYY-MM') as month,
      count(*) filter (where l.status = 'converted')::int as converted,
      count(*) filter (where l.status = 'lost')::int as lost,
      count(*) filter (where l.status not in ('converted', 'lost'))::int as open
    from leads l
    where ${leadConditions(organizationId, filters)}
    group by l.source, l.created_month`.execute(db);
  return rows;
}

/** Decided leads per band of the score they had when decided (-1: they had none). */
export interface BandOutcomes {
  band: number;
  converted: number;
  lost: number;
}

/** Without filters, read from migration 0009's partial index of decided leads alone. */
export async function countDecidedByOutcomeBand(
  db: Kysely<DB>,
  organizationId: string,
  filters: LeadFilters,
): Promise<BandOutcomes[]> {
  const { rows } = await sql<BandOutcomes>`
    select coalesce(${bandOf(sql`l.outcome_score`)}, -1) as band,
      count(*) filter (where l.status = 'converted')::int as converted,
      count(*) filter (where l.status = 'lost')::int as lost
    from leads l
    where ${leadConditions(organizationId, filters)} and l.status in ('converted', 'lost')
    group by 1`.execute(db);
  return rows;
}

/** Whether the organisation has this model version (another organisation's has none). */
export async function modelExists(
  db: Kysely<DB>,
  organizationId: string,
  modelId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('scoring_models')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('id', '=', modelId)
    .executeTakeFirst();
  return row !== undefined;
}

function leadConditions(organizationId: string, filters: LeadFilters): RawBuilder<boolean> {
  const conditions: RawBuilder<unknown>[] = [sql`l.organization_id = ${organizationId}`];
  if (filters.source) conditions.push(sql`l.source = any(${[...filters.source]}::text[])`);
  if (filters.ownerId) conditions.push(sql`l.owner_id = any(${[...filters.ownerId]}::uuid[])`);
  if (filters.industry) conditions.push(sql`l.industry = any(${[...filters.industry]}::text[])`);
  if (filters.createdFrom) {
    conditions.push(sql`l.created_at >= ${filters.createdFrom.toISOString()}::timestamptz`);
  }
  if (filters.createdTo) {
    conditions.push(sql`l.created_at < ${filters.createdTo.toISOString()}::timestamptz`);
  }
  return sql<boolean>`(${sql.join(conditions, sql` and `)})`;
}
