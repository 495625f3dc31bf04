/**
 * The training job: a version's decided leads, features as of each outcome, the model
 * trained on a worker thread, its metrics stored and announced.
 */
import { EngineError, type LeadActivity } from '@leadscore/engine';
import type { Kysely } from 'kysely';
import type { DB, LeadStatus, ModelType } from '../../db/schema.js';
import type { EventBus } from '../../events/event-bus.js';
import type { JobContext } from '../../jobs/index.js';
import { toLeadActivity, toProfile } from '../../pipeline/index.js';
import * as repository from './scoring.repository.js';
import { DEFAULT_WINDOW_DAYS, type Label } from './scoring.schemas.js';
import { clock, DEFAULT_LABEL, type StoredConfig, since } from './scoring.service.js';
import { trainOnWorkerThread } from './scoring-thread.js';
import {
  checkOutcomes,
  type DecidedLead,
  TrainingDataError,
  type TrainingSpec,
} from './scoring-training.js';

/** The most recently decided leads a training reads; more would hold too much in memory. */
export const MAX_TRAINING_LEADS = 50_000;
/** Leads whose activities are read in one query. */
const ACTIVITY_CHUNK = 1000;

export interface TrainingDeps {
  readonly db: Kysely<DB>;
  readonly events: EventBus;
  readonly now?: () => Date;
}

/**
 * The training job: reads the organisation's decided leads, trains (or, for rules,
 * evaluates), stores the model and its metrics, and tells the organisation. A history that
 * cannot train a model fails the version with the reason; an unexpected error is left to the
 * queue to retry, and fails the version once the retries are spent. A version no longer
 * training (done by an earlier run, or deleted) is left alone.
 */
export async function trainModel(
  deps: TrainingDeps,
  payload: { organizationId: string; modelId: string },
  job: JobContext,
): Promise<void> {
  const { organizationId, modelId } = payload;
  const row = await repository.findModel(deps.db, organizationId, modelId);
  if (row?.status !== 'training') return;
  const config = row.config as StoredConfig;
  const now = clock(deps)();
  const fail = async (reason: string) => {
    const failed = await repository.finishTraining(deps.db, organizationId, modelId, {
      status: 'failed',
      error: reason,
      at: now,
    });
    if (failed) {
      deps.events.publish(organizationId, 'model_training_complete', {
        modelId,
        status: 'failed',
        error: reason,
      });
    }
  };
  try {
    const leads = await loadDecidedLeads(
      deps.db,
      organizationId,
      config.label ?? DEFAULT_LABEL,
      since(now, config.windowDays ?? DEFAULT_WINDOW_DAYS),
    );
    // Said here, without starting a thread, when the history is too short anyway.
    const converted = leads.filter((lead) => lead.converted).length;
    checkOutcomes(converted, leads.length - converted);
    const result = await trainOnWorkerThread(leads, trainingSpec(row.model_type, config), now);
    const done = await repository.finishTraining(deps.db, organizationId, modelId, {
      status: 'ready',
      config: result.model ? { ...config, model: result.model } : config,
      metrics: result.metrics,
      at: now,
    });
    if (done) {
      deps.events.publish(organizationId, 'model_training_complete', {
        modelId,
        status: 'succeeded',
        rocAuc: result.metrics.rocAuc,
      });
    }
  } catch (error) {
    if (error instanceof TrainingDataError || error instanceof EngineError) {
      await fail(error.message);
      return;
    }
    if (job.retryCount >= job.retryLimit) {
      await fail(`Training failed unexpectedly: ${(error as Error).message ?? String(error)}`);
    }
    throw error;
  }
}

function trainingSpec(modelType: ModelType, config: StoredConfig): TrainingSpec {
  if (config.algorithm === 'rules') {
    if (!config.rules) throw new TrainingDataError('the version holds no rules to evaluate');
    return { algorithm: 'rules', rules: config.rules };
  }
  if (!config.features) throw new TrainingDataError('the version names no feature config');
  return { algorithm: config.algorithm, modelType, features: config.features };
}

/**
 * The decided leads with their activities, as the engine reads them (the most recently
 * decided MAX_TRAINING_LEADS): what training learns from and a backtest replays.
 */
export async function loadDecidedLeads(
  db: Kysely<DB>,
  organizationId: string,
  label: Label,
  from: Date,
): Promise<DecidedLead[]> {
  const converted = new Set<LeadStatus>(label.converted);
  const rows = await repository.findDecidedLeads(
    db,
    organizationId,
    [...label.converted, ...label.lost],
    from,
    MAX_TRAINING_LEADS,
  );
  const leads: DecidedLead[] = [];
  for (let start = 0; start < rows.length; start += ACTIVITY_CHUNK) {
    const chunk = rows.slice(start, start + ACTIVITY_CHUNK);
    const byLead = groupActivities(
      await repository.findActivities(
        db,
        organizationId,
        chunk.map((row) => row.id),
      ),
    );
    for (const row of chunk) {
      leads.push({
        profile: toProfile(row),
        activities: byLead.get(row.id) ?? [],
        decidedAt: row.decided_at.getTime(),
        converted: converted.has(row.status),
      });
    }
  }
  return leads;
}

export function groupActivities(
  rows: readonly repository.ActivityRow[],
): Map<string, LeadActivity[]> {
  const byLead = new Map<string, LeadActivity[]>();
  for (const row of rows) {
    const list = byLead.get(row.lead_id);
    if (list) list.push(toLeadActivity(row));
    else byLead.set(row.lead_id, [toLeadActivity(row)]);
  }
  return byLead;
}
