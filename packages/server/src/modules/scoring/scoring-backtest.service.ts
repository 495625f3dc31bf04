/**
 * Backtests on request: a job replays the organisation's decided leads through a version
 * (scoring-backtest.ts, on a worker thread) and stores the report on it, beside its training
 * metrics.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { JobContext } from '../../jobs/index.js';
import { findMqlThreshold } from '../alerts/index.js';
import * as repository from './scoring.repository.js';
import {
  type Backtest,
  type BacktestInput,
  DEFAULT_MQL_THRESHOLD,
  DEFAULT_WINDOW_DAYS,
  type PerformanceMetrics,
} from './scoring.schemas.js';
import {
  checkCanScore,
  checkLabel,
  clock,
  DEFAULT_LABEL,
  requireModel,
  type ScoringDeps,
  type StoredConfig,
  since,
} from './scoring.service.js';
import { backtestOnWorkerThread } from './scoring-thread.js';
import { MIN_OUTCOMES_PER_CLASS, TrainingDataError } from './scoring-training.js';
import { loadDecidedLeads, type TrainingDeps } from './scoring-training.service.js';

/**
 * Queues a backtest of the version and records it (status `queued`) on the version, replacing
 * the last one; a job still running the one before finds it replaced and stores nothing.
 * Every version that can score may be backtested: ready, active, retired or challenger. The
 * label and window default to the version's own (its training's), the MQL line to the
 * organisation's becomes_mql alert rule, else DEFAULT_MQL_THRESHOLD.
 */
export async function requestBacktest(
  deps: ScoringDeps,
  organizationId: string,
  id: string,
  input: BacktestInput,
): Promise<Backtest> {
  const row = await requireModel(deps.db, organizationId, id);
  checkCanScore(row);
  if (input.label) checkLabel(input.label);
  const config = row.config as StoredConfig;
  const mql = await mqlLine(deps.db, organizationId, input.mqlThreshold);
  const requestedAt = clock(deps)();
  // On PGlite the transaction below holds the only connection, which starting the queue needs.
  await deps.jobs.start();
  return deps.db.transaction().execute(async (trx) => {
    const jobId = await deps.jobs.send(
      'scoring.backtest-model',
      { organizationId, modelId: row.id },
      { db: trx },
    );
    const metrics = row.performance_metrics as PerformanceMetrics | null;
    const backtest: Backtest = {
      status: 'queued',
      jobId,
      requestedAt: requestedAt.toISOString(),
      finishedAt: null,
      label: input.label ?? config.label ?? DEFAULT_LABEL,
      windowDays: input.windowDays ?? config.windowDays ?? DEFAULT_WINDOW_DAYS,
      outcomesFrom: null,
      outcomesTo: null,
      mqlThreshold: mql.threshold,
      mqlThresholdSource: mql.source,
      error: null,
      trainingWindow:
        metrics?.outcomesFrom && metrics.outcomesTo
          ? { from: metrics.outcomesFrom, to: metrics.outcomesTo }
          : null,
      leadsInTrainingWindow: null,
      report: null,
    };
    await repository.setBacktest(trx, organizationId, row.id, backtest);
    return backtest;
  });
}

async function mqlLine(
  db: Kysely<DB>,
  organizationId: string,
  requested: number | undefined,
): Promise<{ threshold: number; source: Backtest['mqlThresholdSource'] }> {
  if (requested !== undefined) return { threshold: requested, source: 'request' };
  const ruled = await findMqlThreshold({ db }, organizationId);
  return ruled === null
    ? { threshold: DEFAULT_MQL_THRESHOLD, source: 'default' }
    : { threshold: ruled, source: 'alert_rule' };
}

/**
 * The backtest job: reads the decided leads of the window as training does, replays them
 * through the version and stores the report, or the reason it could not run (too few
 * outcomes, a version that cannot be read) as the backtest's `error`. An unexpected error is
 * left to the queue to retry and recorded once the retries are spent. A backtest replaced by
 * a newer request, or already finished, is left alone.
 */
export async function runBacktest(
  deps: TrainingDeps,
  payload: { organizationId: string; modelId: string },
  job: JobContext,
): Promise<void> {
  const { organizationId, modelId } = payload;
  const row = await repository.findModel(deps.db, organizationId, modelId);
  const backtest = row?.backtest as Backtest | null | undefined;
  if (!row || backtest?.jobId !== job.jobId || backtest.status !== 'queued') return;
  const now = clock(deps)();
  const from = since(now, backtest.windowDays);
  const finish = (outcome: Partial<Backtest>) =>
    repository.finishBacktest(deps.db, organizationId, modelId, job.jobId, {
      ...backtest,
      finishedAt: now.toISOString(),
      outcomesFrom: from.toISOString(),
      outcomesTo: now.toISOString(),
      ...outcome,
    });
  try {
    const leads = await loadDecidedLeads(deps.db, organizationId, backtest.label, from);
    const converted = leads.filter((lead) => lead.converted).length;
    if (converted < MIN_OUTCOMES_PER_CLASS || leads.length - converted < MIN_OUTCOMES_PER_CLASS) {
      throw new TrainingDataError(
        `A backtest needs at least ${MIN_OUTCOMES_PER_CLASS} converted and ${MIN_OUTCOMES_PER_CLASS} lost leads decided in the window; it holds ${converted} converted and ${leads.length - converted} lost`,
      );
    }
    const report = await backtestOnWorkerThread(leads, row.config, backtest.mqlThreshold);
    const window = backtest.trainingWindow;
    const inWindow = (decidedAt: number) =>
      window !== null && decidedAt >= Date.parse(window.from) && decidedAt <= Date.parse(window.to);
    await finish({
      status: 'succeeded',
      // The same shape; the schema's arrays are not readonly.
      report: report as Backtest['report'],
      leadsInTrainingWindow:
        window === null ? null : leads.filter((lead) => inWindow(lead.decidedAt)).length,
    });
  } catch (error) {
    // The history or the version cannot give a backtest: said on it, not retried.
    if (error instanceof TrainingDataError) {
      await finish({ status: 'failed', error: error.message });
      return;
    }
    if (job.retryCount >= job.retryLimit) {
      await finish({
        status: 'failed',
        error: `The backtest failed unexpectedly: ${(error as Error).message ?? String(error)}`,
      });
    }
    throw error;
  }
}
