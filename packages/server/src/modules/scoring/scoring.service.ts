import {
  DEFAULT_MIN_ROC_AUC,
  deploymentGate,
  EngineError,
  type LeadFeatureConfig,
  type RulesModelConfig,
} from '@leadscore/engine';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError, HttpErrors } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import type { JobQueue } from '../../jobs/index.js';
import {
  DEFAULT_SCORING_MODEL,
  loadScoringModel,
  type ModelAlgorithm,
  ScoringModelError,
} from '../../pipeline/scoring-model.js';
import { type auditContextOf, recordAudit } from '../audit/index.js';
import { AuthErrors } from '../auth/index.js';
import { ScoringErrors } from './scoring.errors.js';
import * as repository from './scoring.repository.js';
import {
  type Activation,
  type Backtest,
  type CreateModelInput,
  DEFAULT_WINDOW_DAYS,
  type Gate,
  type Label,
  type ListModelsQuery,
  type Model,
  type ModelDetail,
  type Performance,
  type PerformanceMetrics,
  type Rollback,
} from './scoring.schemas.js';
import { comparisonFor } from './scoring-challenger.service.js';
import { latestRescore, queueRescore } from './scoring-rescore.service.js';
import { checkOutcomes } from './scoring-training.js';

export interface ScoringDeps {
  readonly db: Kysely<DB>;
  /** Where training and rescoring jobs go. */
  readonly jobs: JobQueue;
  /** The ROC AUC a model must exceed to be activated without an override; default 0.8. */
  readonly minRocAuc?: number;
  readonly now?: () => Date;
}

/** Who is writing, from where; it scopes the write and fills its audit entry. */
export type WriteContext = ReturnType<typeof auditContextOf>;

/** What `scoring_models.config` holds beside the model itself for versions made here. */
export interface StoredConfig {
  readonly algorithm: ModelAlgorithm;
  readonly label?: Label;
  readonly windowDays?: number;
  readonly features?: LeadFeatureConfig;
  readonly rules?: RulesModelConfig;
}

export const DEFAULT_LABEL: Label = { converted: ['converted'], lost: ['lost'] };
const DAY_MS = 86_400_000;

/**
 * Registers a version with status `training` and enqueues its training in the same
 * transaction: the job exists exactly when the model does. Refused up front when the window
 * cannot hold enough outcomes.
 */
export async function createModel(
  deps: ScoringDeps,
  context: WriteContext,
  input: CreateModelInput,
): Promise<Model> {
  const { organizationId } = context;
  const label = input.label ?? DEFAULT_LABEL;
  checkLabel(label);
  if (input.rules !== undefined && input.algorithm !== 'rules') {
    throw invalidField('rules', 'is read with algorithm "rules" only');
  }
  const windowDays = input.windowDays ?? DEFAULT_WINDOW_DAYS;
  const now = clock(deps)();
  const outcomes = await repository.countOutcomes(
    deps.db,
    organizationId,
    label,
    since(now, windowDays),
  );
  try {
    checkOutcomes(outcomes.converted, outcomes.lost);
  } catch (error) {
    throw new AppError(ScoringErrors.NOT_ENOUGH_HISTORY, (error as Error).message, outcomes);
  }
  const config: StoredConfig =
    input.algorithm === 'rules'
      ? {
          algorithm: 'rules',
          label,
          windowDays,
          rules:
            input.rules === undefined
              ? (await rulesInUse(deps.db, organizationId)).rules
              : readRules(input.rules),
        }
      : {
          algorithm: input.algorithm,
          label,
          windowDays,
          // The features the organisation's leads are already tracked with, so activating the
          // model does not make the scorer rebuild every lead's state.
          features: (await modelInUse(deps.db, organizationId)).features,
        };

  // On PGlite the transaction below holds the only connection, which starting the queue needs.
  await deps.jobs.start();
  const row = await deps.db.transaction().execute(async (trx) => {
    await repository.lockRegistry(trx, organizationId);
    const inserted = await repository.insertModel(trx, {
      organizationId,
      name: input.name,
      modelType: input.modelType,
      config,
      status: 'training',
      createdBy: userOf(context),
    });
    const jobId = await deps.jobs.send(
      'scoring.train-model',
      { organizationId, modelId: inserted.id },
      { db: trx },
    );
    await recordAudit(trx, {
      ...context,
      action: 'scoring_model.created',
      targetType: 'scoring_model',
      targetId: inserted.id,
      details: { version: inserted.version, algorithm: input.algorithm, label, windowDays },
    });
    return repository.setTrainingJob(trx, organizationId, inserted.id, jobId);
  });
  return toModel(row);
}

export async function listModels(
  deps: ScoringDeps,
  organizationId: string,
  query: ListModelsQuery,
): Promise<{ data: Model[]; nextCursor: string | null }> {
  const beforeVersion =
    query.cursor === undefined ? undefined : Number(decodeCursor(query.cursor, 1)[0]);
  const rows = await repository.listModels(deps.db, organizationId, {
    status: query.status,
    beforeVersion: Number.isInteger(beforeVersion) ? beforeVersion : undefined,
    limit: query.limit,
  });
  const page = toPage(rows, query.limit, (row) => [row.version]);
  return { data: page.data.map(toModel), nextCursor: page.nextCursor };
}

export async function getModel(
  deps: ScoringDeps,
  organizationId: string,
  id: string,
): Promise<ModelDetail> {
  const row = await requireModel(deps.db, organizationId, id);
  const config = row.config as StoredConfig;
  return {
    ...toModel(row),
    gate: gateOf(deps, row),
    rules: config.algorithm === 'rules' ? (config.rules ?? null) : null,
  };
}

/** The version's training metrics, its last backtest and its comparison with the challenger. */
export async function getPerformance(
  deps: ScoringDeps,
  organizationId: string,
  id: string,
): Promise<Performance> {
  const row = await requireModel(deps.db, organizationId, id);
  return {
    modelId: row.id,
    version: row.version,
    algorithm: (row.config as StoredConfig).algorithm,
    status: row.status,
    error: row.error,
    gate: gateOf(deps, row),
    metrics: (row.performance_metrics as PerformanceMetrics | null) ?? null,
    backtest: (row.backtest as Backtest | null) ?? null,
    comparison: await comparisonFor(deps.db, row),
  };
}

/**
 * Makes the version the organisation's active model; the one it replaces is retired and
 * remembered, for a rollback. A model with metrics must pass the deployment gate unless the
 * caller may override it and asks to (`force`); rules written by hand have no metrics and no
 * gate. The scorer reads the active model for every batch, so new activities are scored with
 * it from the next batch on; the leads without new activities are rescored by a job queued
 * with the activation (its progress is in the answer).
 */
export async function activateModel(
  deps: ScoringDeps,
  context: WriteContext,
  id: string,
  options: { force: boolean; mayOverrideGate: boolean },
): Promise<Activation> {
  const { organizationId } = context;
  if (options.force && !options.mayOverrideGate) {
    throw new AppError(
      AuthErrors.FORBIDDEN,
      'Activating past the deployment gate needs the models:override_gate permission (owners and admins)',
    );
  }
  // On PGlite the transaction below holds the only connection, which starting the queue needs.
  await deps.jobs.start();
  return deps.db.transaction().execute(async (trx) => {
    await repository.lockRegistry(trx, organizationId);
    const row = await requireModel(trx, organizationId, id);
    if (row.status === 'active') {
      return { ...toModel(row), rescore: await latestRescore(trx, organizationId, row.id) };
    }
    checkCanScore(row);
    const gate = gateOf(deps, row);
    if (gate && !gate.passed && !options.force) {
      throw new AppError(
        ScoringErrors.DEPLOYMENT_GATE_FAILED,
        `ROC AUC ${gate.value.toFixed(3)} is not above the deployment gate of ${gate.threshold}; an admin or owner may activate it anyway with ?force=true`,
        { rocAuc: gate.value, threshold: gate.threshold },
      );
    }
    const now = clock(deps)();
    const previous = await repository.findActiveModel(trx, organizationId);
    if (previous) await repository.retireModel(trx, organizationId, previous.id, now);
    const activated = await repository.activateModel(trx, organizationId, row.id, {
      at: now,
      by: userOf(context),
      previousModelId: previous?.id ?? null,
    });
    await recordAudit(trx, {
      ...context,
      action: 'scoring_model.activated',
      targetType: 'scoring_model',
      targetId: row.id,
      details: {
        version: row.version,
        previousModelId: previous?.id ?? null,
        gate,
        forced: gate !== null && !gate.passed,
        // Activation ends a challenge: the version leaves `challenger` for `active`.
        wasChallenger: row.status === 'challenger',
      },
    });
    const rescore = await queueRescore(trx, deps.jobs, {
      organizationId,
      modelId: activated.id,
      reason: 'activation',
      at: now,
    });
    return { ...toModel(activated), rescore };
  });
}

/**
 * Undoes the active version's activation: it is retired and the version it replaced is
 * active again (or, when it replaced none, the built-in default rules). No gate: that version
 * was accepted once. The restored version keeps its own predecessor, so another rollback
 * goes one further back. Every lead is rescored with the restored model by a job.
 */
export async function rollbackModel(
  deps: ScoringDeps,
  context: WriteContext,
  id: string,
): Promise<Rollback> {
  const { organizationId } = context;
  await deps.jobs.start();
  return deps.db.transaction().execute(async (trx) => {
    await repository.lockRegistry(trx, organizationId);
    const row = await requireModel(trx, organizationId, id);
    if (row.status !== 'active') {
      throw new AppError(
        ScoringErrors.MODEL_NOT_ACTIVE,
        `Version ${row.version} is ${row.status}, not active; activate the version you want instead`,
      );
    }
    const now = clock(deps)();
    const retired = await repository.retireModel(trx, organizationId, row.id, now);
    const restoreId = row.previous_model_id;
    const restored = restoreId
      ? await repository.activateModel(trx, organizationId, restoreId, {
          at: now,
          by: userOf(context),
        })
      : null;
    await recordAudit(trx, {
      ...context,
      action: 'scoring_model.rolled_back',
      targetType: 'scoring_model',
      targetId: row.id,
      details: {
        version: row.version,
        restoredModelId: restored?.id ?? null,
        restoredVersion: restored?.version ?? null,
      },
    });
    const rescore = await queueRescore(trx, deps.jobs, {
      organizationId,
      modelId: restored?.id ?? null,
      reason: 'rollback',
      at: now,
    });
    return { active: restored && toModel(restored), retired: toModel(retired), rescore };
  });
}

/** The organisation's active model as it scores, or the default rules when it has none. */
export async function modelInUse(db: Kysely<DB>, organizationId: string) {
  const active = await repository.findActiveModel(db, organizationId);
  return active ? loadStored(active) : DEFAULT_SCORING_MODEL;
}

/**
 * The rules an organisation edits: the active model's when it is a rules model; the built-in
 * default when no model is active (they are what scores then); and while a trained model
 * scores, the newest rules version (or the default), ready to edit and activate again.
 */
export async function rulesInUse(
  db: Kysely<DB>,
  organizationId: string,
): Promise<{ row: repository.ModelRow | null; rules: RulesModelConfig }> {
  const active = await repository.findActiveModel(db, organizationId);
  const row = !active
    ? undefined
    : (active.config as StoredConfig).algorithm === 'rules'
      ? active
      : await repository.findNewestRulesModel(db, organizationId);
  if (!row) return { row: null, rules: DEFAULT_SCORING_MODEL.rules as RulesModelConfig };
  return { row, rules: loadStored(row).rules as RulesModelConfig };
}

export function loadStored(row: repository.ModelRow) {
  try {
    return loadScoringModel(row.config);
  } catch (error) {
    // Only a hand-edited row can hold a config the API would not have stored.
    throw new ScoringModelError(
      `version ${row.version} cannot be read: ${(error as Error).message}`,
    );
  }
}

/** The rules of a request, checked by the engine; a fault is a 400 naming the field. */
export function readRules(json: unknown): RulesModelConfig {
  try {
    return loadScoringModel({ algorithm: 'rules', rules: json }).rules as RulesModelConfig;
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    // The engine names the field first ("rules[3].criterion.op: …"); the body holds it under `rules`.
    const [path, ...rest] = error.message.split(': ');
    const field = path === 'model' ? 'rules' : `rules.${path}`;
    throw invalidField(field, rest.join(': ') || error.message);
  }
}

export function gateOf(
  deps: Pick<ScoringDeps, 'minRocAuc'>,
  row: repository.ModelRow,
): Gate | null {
  const metrics = row.performance_metrics as PerformanceMetrics | null;
  if (!metrics) return null;
  const threshold = deps.minRocAuc ?? DEFAULT_MIN_ROC_AUC;
  const [check] = deploymentGate({ rocAuc: metrics.rocAuc }, { minRocAuc: threshold }).checks;
  return {
    metric: 'rocAuc',
    value: metrics.rocAuc,
    threshold,
    passed: check?.passed ?? false,
  };
}

/**
 * Refuses a version that cannot score (still training, or its training failed) for anything
 * that would score with it: activation, a backtest, a challenge, a score on request.
 */
export function checkCanScore(row: repository.ModelRow): void {
  if (row.status === 'training') {
    throw new AppError(ScoringErrors.MODEL_NOT_READY, `Version ${row.version} is still training`);
  }
  if (row.status === 'failed') {
    throw new AppError(
      ScoringErrors.MODEL_NOT_READY,
      `Version ${row.version} failed to train: ${row.error ?? 'no reason recorded'}`,
    );
  }
}

export async function requireModel(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
): Promise<repository.ModelRow> {
  const row = await repository.findModel(db, organizationId, id);
  if (!row) throw new AppError(ScoringErrors.MODEL_NOT_FOUND);
  return row;
}

export function toModel(row: repository.ModelRow): Model {
  const config = row.config as StoredConfig;
  const metrics = row.performance_metrics as PerformanceMetrics | null;
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    modelType: row.model_type,
    algorithm: config.algorithm,
    status: row.status,
    isActive: row.is_active,
    error: row.error,
    label: config.label ?? null,
    windowDays: config.windowDays ?? null,
    rocAuc: metrics?.rocAuc ?? null,
    trainingJobId: row.training_job_id,
    parentId: row.parent_id,
    previousModelId: row.previous_model_id,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    trainedAt: row.trained_at?.toISOString() ?? null,
    activatedAt: row.activated_at?.toISOString() ?? null,
    activatedBy: row.activated_by,
    retiredAt: row.retired_at?.toISOString() ?? null,
    challengerSince: row.challenger_since?.toISOString() ?? null,
  };
}

export function clock(deps: { now?: (() => Date) | undefined }): () => Date {
  return deps.now ?? (() => new Date());
}

/** The users table is what created_by and activated_by point at; API keys leave them empty. */
export function userOf(context: WriteContext): string | null {
  return context.actorType === 'user' ? context.actorId : null;
}

export function since(now: Date, windowDays: number): Date {
  return new Date(now.getTime() - windowDays * DAY_MS);
}

/** A status counted both as converted and as lost is a 400 naming `label`. */
export function checkLabel(label: Label): void {
  const overlap = label.converted.filter((status) => label.lost.includes(status));
  if (overlap.length > 0) {
    throw invalidField('label', `${overlap.join(', ')} cannot count as both converted and lost`);
  }
}

export function invalidField(field: string, message: string): AppError {
  return new AppError(HttpErrors.VALIDATION_FAILED, `body.${field}: ${message}`, {
    errors: [{ in: 'body', field, message }],
  });
}
