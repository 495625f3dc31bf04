import { type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import type {
  DB,
  LeadStatus,
  ModelStatus,
  ModelType,
  ScoringModelsTable,
} from '../../db/schema.js';
import { LEAD_PROFILE_COLUMNS, type LeadProfileRow } from '../../pipeline/index.js';

/*
 * All SQL of the scoring module. Training and previews read leads and their activities in
 * bulk, as the scorer does: the engine needs thousands of histories at once, which the leads
 * module's one-lead service calls could not give at any useful speed.
 */

export type ModelRow = Selectable<ScoringModelsTable>;

/** An update of one version of the organisation's registry, returning the row it changed. */
function updateVersion(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
  values: Updateable<ScoringModelsTable>,
) {
  return db
    .updateTable('scoring_models')
    .set(values)
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .returningAll();
}

/**
 * Serialises the writers of one organisation's registry (activation, rollback, new versions)
 * until the transaction ends, so two activations cannot both retire the same model.
 */
export async function lockRegistry(trx: Kysely<DB>, organizationId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`scoring_models:${organizationId}`}, 0))`.execute(
    trx,
  );
}

export async function insertModel(
  db: Kysely<DB>,
  model: {
    organizationId: string;
    name: string;
    modelType: ModelType;
    config: unknown;
    status: ModelStatus;
    createdBy: string | null;
    parentId?: string | null;
    performanceMetrics?: unknown;
    trainedAt?: Date | null;
  },
): Promise<ModelRow> {
  return db
    .insertInto('scoring_models')
    .values({
      organization_id: model.organizationId,
      name: model.name,
      model_type: model.modelType,
      config: JSON.stringify(model.config),
      status: model.status,
      created_by: model.createdBy,
      parent_id: model.parentId ?? null,
      performance_metrics:
        model.performanceMetrics === undefined ? null : JSON.stringify(model.performanceMetrics),
      trained_at: model.trainedAt ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setTrainingJob(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
  jobId: string,
): Promise<ModelRow> {
  return updateVersion(db, organizationId, id, {
    training_job_id: jobId,
  }).executeTakeFirstOrThrow();
}

export async function findModel(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
): Promise<ModelRow | undefined> {
  return db
    .selectFrom('scoring_models')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findActiveModel(
  db: Kysely<DB>,
  organizationId: string,
): Promise<ModelRow | undefined> {
  return db
    .selectFrom('scoring_models')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('is_active', '=', true)
    .executeTakeFirst();
}

/** The newest version holding rules (`config.algorithm = 'rules'`) with no training to it. */
export async function findNewestRulesModel(
  db: Kysely<DB>,
  organizationId: string,
): Promise<ModelRow | undefined> {
  return db
    .selectFrom('scoring_models')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where(sql<boolean>`config->>'algorithm' = 'rules'`)
    .where('status', 'in', ['ready', 'active', 'retired'])
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** A page of the organisation's versions, newest first, plus one. */
export async function listModels(
  db: Kysely<DB>,
  organizationId: string,
  options: { status?: ModelStatus | undefined; beforeVersion?: number | undefined; limit: number },
): Promise<ModelRow[]> {
  let query = db
    .selectFrom('scoring_models')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('version', 'desc')
    .limit(options.limit + 1);
  if (options.status !== undefined) query = query.where('status', '=', options.status);
  if (options.beforeVersion !== undefined)
    query = query.where('version', '<', options.beforeVersion);
  return query.execute();
}

export async function retireModel(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
  at: Date,
): Promise<ModelRow> {
  return updateVersion(db, organizationId, id, {
    status: 'retired',
    is_active: false,
    retired_at: at,
    updated_at: at,
  }).executeTakeFirstOrThrow();
}

export async function activateModel(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
  change: { at: Date; by: string | null; previousModelId?: string | null },
): Promise<ModelRow> {
  return updateVersion(db, organizationId, id, {
    status: 'active',
    is_active: true,
    activated_at: change.at,
    activated_by: change.by,
    retired_at: null,
    updated_at: change.at,
    // A rollback leaves the restored version's own predecessor, so rollbacks walk back.
    ...(change.previousModelId !== undefined && { previous_model_id: change.previousModelId }),
  }).executeTakeFirstOrThrow();
}

export async function findChallenger(
  db: Kysely<DB>,
  organizationId: string,
): Promise<ModelRow | undefined> {
  return db
    .selectFrom('scoring_models')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('status', '=', 'challenger')
    .executeTakeFirst();
}

/** Makes the version the challenger from `at`; the caller has stopped the one before. */
export async function startChallenger(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
  at: Date,
): Promise<ModelRow> {
  return updateVersion(db, organizationId, id, {
    status: 'challenger',
    challenger_since: at,
    updated_at: at,
  }).executeTakeFirstOrThrow();
}

/** A challenger that stops is ready again; its challenger_since stays for its report. */
export async function stopChallenger(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
  at: Date,
): Promise<ModelRow> {
  return updateVersion(db, organizationId, id, { status: 'ready', updated_at: at })
    .where('status', '=', 'challenger')
    .executeTakeFirstOrThrow();
}

/** Stores a backtest on the version, replacing the one before. */
export async function setBacktest(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
  backtest: unknown,
): Promise<ModelRow | undefined> {
  return updateVersion(db, organizationId, id, {
    backtest: JSON.stringify(backtest),
  }).executeTakeFirst();
}

/**
 * Ends the backtest run by this job: a newer request (another job) has replaced it meanwhile
 * and is left alone.
 */
export async function finishBacktest(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
  jobId: string,
  backtest: unknown,
): Promise<ModelRow | undefined> {
  return updateVersion(db, organizationId, id, { backtest: JSON.stringify(backtest) })
    .where(sql<boolean>`backtest->>'jobId' = ${jobId}`)
    .executeTakeFirst();
}

/** Ends a training: only a model still training changes, so a late retry cannot undo it. */
export async function finishTraining(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
  outcome:
    | { status: 'ready'; config: unknown; metrics: unknown; at: Date }
    | { status: 'failed'; error: string; at: Date },
): Promise<ModelRow | undefined> {
  return updateVersion(
    db,
    organizationId,
    id,
    outcome.status === 'ready'
      ? {
          status: 'ready',
          config: JSON.stringify(outcome.config),
          performance_metrics: JSON.stringify(outcome.metrics),
          trained_at: outcome.at,
          updated_at: outcome.at,
        }
      : { status: 'failed', error: outcome.error, updated_at: outcome.at },
  )
    .where('status', '=', 'training')
    .executeTakeFirst();
}

export interface DecidedLeadRow extends LeadProfileRow {
  status: LeadStatus;
  /** When the outcome was decided: the status change, else the last update. */
  decided_at: Date;
}

/** How many of the organisation's leads are decided either way within the window. */
export async function countOutcomes(
  db: Kysely<DB>,
  organizationId: string,
  label: { converted: readonly LeadStatus[]; lost: readonly LeadStatus[] },
  since: Date,
): Promise<{ converted: number; lost: number }> {
  const { rows } = await sql<{ converted: number; lost: number }>`
    select
      count(*) filter (where status = any(${[...label.converted]}::text[]))::int as converted,
      count(*) filter (where status = any(${[...label.lost]}::text[]))::int as lost
    from leads
    where organization_id = ${organizationId}
      and status = any(${[...label.converted, ...label.lost]}::text[])
      and coalesce(status_changed_at, updated_at) >= ${since.toISOString()}::timestamptz`.execute(
    db,
  );
  return rows[0] ?? { converted: 0, lost: 0 };
}

/** The decided leads within the window, most recently decided first, at most `limit`. */
export async function findDecidedLeads(
  db: Kysely<DB>,
  organizationId: string,
  statuses: readonly LeadStatus[],
  since: Date,
  limit: number,
): Promise<DecidedLeadRow[]> {
  const { rows } = await sql<DecidedLeadRow>`
    select id, email, job_title, company, country, industry, company_size, source,
      custom_attributes, created_at, status, coalesce(status_changed_at, updated_at) as decided_at
    from leads
    where organization_id = ${organizationId}
      and status = any(${[...statuses]}::text[])
      and coalesce(status_changed_at, updated_at) >= ${since.toISOString()}::timestamptz
    order by decided_at desc, id
    limit ${limit}`.execute(db);
  return rows;
}

export type PreviewLeadRow = LeadProfileRow;

/** The organisation's most recently active leads (never-active ones last), at most `limit`. */
export async function findRecentLeads(
  db: Kysely<DB>,
  organizationId: string,
  limit: number,
): Promise<{ leads: PreviewLeadRow[]; total: number }> {
  const leads = await db
    .selectFrom('leads')
    .select(LEAD_PROFILE_COLUMNS)
    .where('organization_id', '=', organizationId)
    .orderBy(sql`last_activity_at desc nulls last`)
    .orderBy('id')
    .limit(limit)
    .execute();
  const { total } = await db
    .selectFrom('leads')
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .where('organization_id', '=', organizationId)
    .executeTakeFirstOrThrow();
  return { leads, total: Number(total) };
}

/** One lead of the organisation, as the engine's features read it. */
export async function findLeadProfile(
  db: Kysely<DB>,
  organizationId: string,
  leadId: string,
): Promise<LeadProfileRow | undefined> {
  return db
    .selectFrom('leads')
    .select(LEAD_PROFILE_COLUMNS)
    .where('organization_id', '=', organizationId)
    .where('id', '=', leadId)
    .executeTakeFirst();
}

export interface ActivityRow {
  lead_id: string;
  activity_type: string;
  activity_data: unknown;
  timestamp: Date;
}

/**
 * The activities of these leads (of the organisation) that the scorer did not reject, oldest
 * first. Those still queued count: they will be scored with the same result.
 */
export async function findActivities(
  db: Kysely<DB>,
  organizationId: string,
  leadIds: readonly string[],
): Promise<ActivityRow[]> {
  if (leadIds.length === 0) return [];
  const { rows } = await sql<ActivityRow>`
    select lead_id, activity_type, activity_data, "timestamp"
    from lead_activities
    where organization_id = ${organizationId}
      and lead_id = any(${[...leadIds]}::uuid[])
      and failure_reason is null
    order by "timestamp"`.execute(db);
  return rows;
}
