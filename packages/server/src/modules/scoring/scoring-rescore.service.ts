/**
 * Bulk rescoring: once a model is activated (or rolled back), every lead of the organisation
 * is rescored with it by a job, a batch per transaction, its progress committed with each
 * batch so that a job that dies resumes where it stopped.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { EventBus } from '../../events/event-bus.js';
import { AppError, HttpErrors } from '../../http/errors.js';
import type { JobContext, JobQueue } from '../../jobs/index.js';
import {
  ModelLoadError,
  type RecordAlerts,
  rescoreBatch,
  type ScoreBatchResult,
} from '../../pipeline/index.js';
import type { Rescore } from './scoring.schemas.js';
import * as repository from './scoring-rescore.repository.js';

export interface RescoreDeps {
  readonly db: Kysely<DB>;
  /** Where `rescore_progress` goes. */
  readonly events: EventBus;
  readonly now?: (() => Date) | undefined;
  /**
   * What follows each committed batch, as after the activity scorer's (scores cached,
   * `lead_score_updated`, alerts announced): `createScoredBatchHandler`. Without it nobody hears of
   * the new scores. A throw fails the job, which is retried from the batch after.
   */
  readonly onScored?: ((result: ScoreBatchResult) => Promise<void>) | undefined;
  /** Alert rules checked in each batch's transaction, with its scores. */
  readonly recordAlerts?: RecordAlerts | undefined;
  /** Leads per transaction; default 500. */
  readonly batchSize?: number | undefined;
}

const DEFAULT_BATCH_SIZE = 500;

/**
 * Queues the rescore of every lead of the organisation with the model now in use (null: the
 * default rules), in the caller's transaction: the job exists exactly when the activation
 * does. A rescore still in flight is superseded: its job stops at its next batch.
 */
export async function queueRescore(
  trx: Kysely<DB>,
  jobs: JobQueue,
  rescore: {
    organizationId: string;
    modelId: string | null;
    reason: repository.RescoreReason;
    at: Date;
  },
): Promise<Rescore> {
  const { organizationId } = rescore;
  await repository.supersedeInFlight(trx, organizationId, rescore.at);
  const row = await repository.insertRescore(trx, rescore);
  const jobId = await jobs.send(
    'scoring.rescore',
    { organizationId, rescoreId: row.id },
    { db: trx },
  );
  return toRescore(await repository.setRescoreJob(trx, organizationId, row.id, jobId));
}

export async function getRescore(
  deps: { readonly db: Kysely<DB> },
  organizationId: string,
  id: string,
): Promise<Rescore> {
  const row = await repository.findRescore(deps.db, organizationId, id);
  if (!row) throw new AppError(HttpErrors.NOT_FOUND, 'No rescore has this id in your organisation');
  return toRescore(row);
}

/** The newest rescore with this model (null: the default rules), if it had one. */
export async function latestRescore(
  db: Kysely<DB>,
  organizationId: string,
  modelId: string | null,
): Promise<Rescore | null> {
  const row = await repository.findLatestRescore(db, organizationId, modelId);
  return row ? toRescore(row) : null;
}

/**
 * The rescore job. Each batch locks the rescore's row, takes the next page of leads after its
 * cursor, rescores them and records the new cursor and counts, all in one transaction: a crash
 * loses the batch in flight and nothing else, and the retry goes on from the last committed
 * cursor, so no lead is rescored twice. A rescore superseded (or finished by another run)
 * meanwhile stops the job at its next batch. Progress is announced after each commit.
 */
export async function runRescore(
  deps: RescoreDeps,
  payload: { organizationId: string; rescoreId: string },
  job: JobContext,
): Promise<void> {
  const { organizationId, rescoreId } = payload;
  const clock = deps.now ?? (() => new Date());
  const limit = deps.batchSize ?? DEFAULT_BATCH_SIZE;
  for (;;) {
    const now = clock();
    let step: { row: repository.RescoreRow; scored: ScoreBatchResult | null } | null;
    try {
      step = await deps.db.transaction().execute(async (trx) => {
        const row = await repository.findRescore(trx, organizationId, rescoreId, { lock: true });
        if (!row || !inFlight(row)) return row ? { row, scored: null } : null;
        const total = row.total ?? (await repository.countLeads(trx, organizationId));
        const batch = await rescoreBatch(
          trx,
          { organizationId, afterLeadId: row.after_lead_id, limit, leads: 'all' },
          now,
          deps.recordAlerts,
        );
        const finished = batch.nextAfterLeadId === null;
        const done = row.done + batch.scored.scored;
        const failed = row.failed + batch.failed;
        const updated = await repository.recordProgress(trx, organizationId, rescoreId, {
          status: finished ? 'succeeded' : 'running',
          // Leads created meanwhile may be rescored too: the total never reads below the count.
          total: Math.max(total, done + failed),
          done,
          failed,
          afterLeadId: batch.nextAfterLeadId,
          startedAt: row.started_at ?? now,
          finishedAt: finished ? now : null,
        });
        return { row: updated, scored: batch.scored };
      });
    } catch (error) {
      if (error instanceof ModelLoadError) {
        await fail(deps, payload, `The model cannot score: ${error.message}`, now);
        return;
      }
      if (job.retryCount >= job.retryLimit) {
        await fail(deps, payload, `Rescoring failed unexpectedly: ${String(error)}`, now);
      }
      throw error;
    }
    if (step === null) return;
    if (step.scored && step.scored.scoredLeads.length > 0) await deps.onScored?.(step.scored);
    announce(deps, step.row);
    if (!inFlight(step.row)) return;
  }
}

/** Ends a rescore still in flight as failed, with the reason, and says so. */
async function fail(
  deps: RescoreDeps,
  payload: { organizationId: string; rescoreId: string },
  reason: string,
  now: Date,
): Promise<void> {
  const { organizationId, rescoreId } = payload;
  const row = await deps.db.transaction().execute(async (trx) => {
    const current = await repository.findRescore(trx, organizationId, rescoreId, { lock: true });
    if (!current || !inFlight(current)) return null;
    return repository.recordProgress(trx, organizationId, rescoreId, {
      status: 'failed',
      total: current.total,
      done: current.done,
      failed: current.failed,
      afterLeadId: current.after_lead_id,
      error: reason,
      startedAt: current.started_at ?? now,
      finishedAt: now,
    });
  });
  if (row) announce(deps, row);
}

function inFlight(row: repository.RescoreRow): boolean {
  return row.status === 'queued' || row.status === 'running';
}

function announce(deps: RescoreDeps, row: repository.RescoreRow): void {
  deps.events.publish(row.organization_id, 'rescore_progress', {
    rescoreId: row.id,
    modelId: row.model_id,
    status: row.status,
    total: row.total,
    done: row.done,
    failed: row.failed,
  });
}

export function toRescore(row: repository.RescoreRow): Rescore {
  return {
    id: row.id,
    modelId: row.model_id,
    reason: row.reason,
    status: row.status,
    total: row.total,
    done: row.done,
    failed: row.failed,
    error: row.error,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}
