import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';

/*
 * All SQL of bulk rescores (`lead_rescores`, migration 0006), every statement scoped by the
 * organisation. Raw SQL: the table belongs to this module alone.
 */

export type RescoreStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'superseded';
export type RescoreReason = 'activation' | 'rollback';

export interface RescoreRow {
  id: string;
  organization_id: string;
  model_id: string | null;
  reason: RescoreReason;
  status: RescoreStatus;
  total: number | null;
  done: number;
  failed: number;
  after_lead_id: string | null;
  job_id: string | null;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

const COLUMNS = sql`id, organization_id, model_id, reason, status, total, done, failed,
  after_lead_id, job_id, error, created_at, started_at, finished_at`;

/** Ends the organisation's rescore in flight, if any, as superseded; returns it. */
export async function supersedeInFlight(
  db: Kysely<DB>,
  organizationId: string,
  at: Date,
): Promise<RescoreRow[]> {
  const { rows } = await sql<RescoreRow>`
    update lead_rescores
    set status = 'superseded', finished_at = ${at.toISOString()}::timestamptz, updated_at = now()
    where organization_id = ${organizationId} and status in ('queued', 'running')
    returning ${COLUMNS}`.execute(db);
  return rows;
}

export async function insertRescore(
  db: Kysely<DB>,
  rescore: {
    organizationId: string;
    modelId: string | null;
    reason: RescoreReason;
    at: Date;
  },
): Promise<RescoreRow> {
  const { rows } = await sql<RescoreRow>`
    insert into lead_rescores (organization_id, model_id, reason, created_at, updated_at)
    values (${rescore.organizationId}, ${rescore.modelId}, ${rescore.reason},
      ${rescore.at.toISOString()}::timestamptz, ${rescore.at.toISOString()}::timestamptz)
    returning ${COLUMNS}`.execute(db);
  return rows[0] as RescoreRow;
}

export async function setRescoreJob(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
  jobId: string,
): Promise<RescoreRow> {
  const { rows } = await sql<RescoreRow>`
    update lead_rescores set job_id = ${jobId}
    where organization_id = ${organizationId} and id = ${id}
    returning ${COLUMNS}`.execute(db);
  return rows[0] as RescoreRow;
}

/** The newest rescore of the organisation with this model (null: the default rules). */
export async function findLatestRescore(
  db: Kysely<DB>,
  organizationId: string,
  modelId: string | null,
): Promise<RescoreRow | undefined> {
  const { rows } = await sql<RescoreRow>`
    select ${COLUMNS} from lead_rescores
    where organization_id = ${organizationId} and model_id is not distinct from ${modelId}::uuid
    order by created_at desc, id desc
    limit 1`.execute(db);
  return rows[0];
}

/**
 * The rescore; with `lock`, row-locked until the transaction ends: a batch and a supersession
 * take turns, and so do two runs of one job (a retry of a job thought lost that still runs).
 */
export async function findRescore(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<RescoreRow | undefined> {
  const { rows } = await sql<RescoreRow>`
    select ${COLUMNS} from lead_rescores
    where organization_id = ${organizationId} and id = ${id}
    ${options.lock ? sql`for update` : sql``}`.execute(db);
  return rows[0];
}

export async function countLeads(db: Kysely<DB>, organizationId: string): Promise<number> {
  const { rows } = await sql<{ count: string }>`
    select count(*)::text as count from leads where organization_id = ${organizationId}`.execute(
    db,
  );
  return Number(rows[0]?.count ?? 0);
}

/** Records a committed batch: how far it got and, at the end, the outcome. */
export async function recordProgress(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
  progress: {
    status: RescoreStatus;
    total: number | null;
    done: number;
    failed: number;
    afterLeadId: string | null;
    error?: string | null;
    startedAt: Date | null;
    finishedAt: Date | null;
  },
): Promise<RescoreRow> {
  const { rows } = await sql<RescoreRow>`
    update lead_rescores
    set status = ${progress.status}, total = ${progress.total}, done = ${progress.done},
      failed = ${progress.failed}, after_lead_id = ${progress.afterLeadId},
      error = ${progress.error ?? null},
      started_at = ${progress.startedAt?.toISOString() ?? null}::timestamptz,
      finished_at = ${progress.finishedAt?.toISOString() ?? null}::timestamptz,
      updated_at = now()
    where organization_id = ${organizationId} and id = ${id}
    returning ${COLUMNS}`.execute(db);
  return rows[0] as RescoreRow;
}
