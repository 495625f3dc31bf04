/**
 * Scoring one locked lead from its stored feature state, as of a time: what the activity
 * scorer (new activities) and the rescorer (a new model, time decay) share, so that a lead
 * scores the same whichever of them wrote its score.
 */
import {
  applyActivity,
  emptyLeadFeatureState,
  featuresFromState,
  type LeadFeatureState,
} from '@leadscore/engine';
import {
  type ChallengerScoreRow,
  findCountedActivities,
  findModelConfigs,
  findModelVersions,
  type LockedLead,
  type ModelVersion,
  type ScoredLeadRow,
  type Tx,
} from './activity-scorer.repository.js';
import { toLeadActivity, toProfile } from './lead-input.js';
import { DEFAULT_SCORING_MODEL, loadScoringModel, type ScoringModel } from './scoring-model.js';

/** How many reasons of each side a stored score keeps. */
const STORED_REASONS = 3;
/** A failure reason is for people reading it; a runaway message must not bloat the row. */
const MAX_REASON_LENGTH = 500;

/** An organisation's model, ready to score; a broken one fails its leads, not the batch. */
export type LoadedModel =
  | { ok: true; id: string | null; config: ScoringModel; stateKey: string }
  | { ok: false; id: string; error: unknown };

export const DEFAULT_MODEL: LoadedModel = readyModel(null, DEFAULT_SCORING_MODEL);

/**
 * Models loaded by this process, by id, with the row version they were loaded from. Parsing
 * and preparing a model (a trained one above all) costs far more than asking which version
 * is active, so each batch asks and loads only what changed. Holds the models of
 * organisations with one active (or a challenger); a row that changes is simply replaced.
 */
const loadedModels = new Map<string, { version: string; model: LoadedModel }>();

/** The active model of each organisation that has one (the others score with DEFAULT_MODEL). */
export async function loadModels(
  trx: Tx,
  organizationIds: readonly string[],
): Promise<Map<string, LoadedModel>> {
  const { active } = byRole(await load(trx, organizationIds, 'active'));
  return active;
}

/**
 * The active model and the challenger of each organisation that has them, in one query. A
 * challenger that fails to load is returned as such (`ok: false`): the scorer goes on
 * without it.
 */
export async function loadModelsAndChallengers(
  trx: Tx,
  organizationIds: readonly string[],
): Promise<{ active: Map<string, LoadedModel>; challengers: Map<string, LoadedModel> }> {
  return byRole(await load(trx, organizationIds, 'active-and-challenger'));
}

async function load(
  trx: Tx,
  organizationIds: readonly string[],
  include: 'active' | 'active-and-challenger',
): Promise<{ row: ModelVersion; model: LoadedModel }[]> {
  const rows = await findModelVersions(trx, organizationIds, include);
  const stale = rows.filter((row) => loadedModels.get(row.id)?.version !== row.version);
  for (const row of await findModelConfigs(
    trx,
    stale.map((row) => row.id),
  )) {
    let model: LoadedModel;
    try {
      model = readyModel(row.id, loadScoringModel(row.config));
    } catch (error) {
      model = { ok: false, id: row.id, error };
    }
    loadedModels.set(row.id, { version: row.version, model });
  }
  return rows.flatMap((row) => {
    const loaded = loadedModels.get(row.id);
    return loaded ? [{ row, model: loaded.model }] : [];
  });
}

function byRole(loaded: readonly { row: ModelVersion; model: LoadedModel }[]) {
  const active = new Map<string, LoadedModel>();
  const challengers = new Map<string, LoadedModel>();
  for (const { row, model } of loaded) {
    (row.is_active ? active : challengers).set(row.organization_id, model);
  }
  return { active, challengers };
}

export class ModelLoadError extends Error {
  override readonly name = 'ModelLoadError';
}

/** Throws ModelLoadError when the model cannot score. */
export function requireReady(model: LoadedModel): Extract<LoadedModel, { ok: true }> {
  if (!model.ok) throw new ModelLoadError(`model ${model.id}: ${describeFailure(model.error)}`);
  return model;
}

function readyModel(id: string | null, config: ScoringModel): LoadedModel {
  return { ok: true, id, config, stateKey: stateKeyOf(config) };
}

/**
 * The engine keeps the config fingerprint a state is built for in `state.configKey`, set by
 * the first activity applied; applying one to an empty state is how to read it from outside.
 */
function stateKeyOf(config: ScoringModel): string {
  const probe = applyActivity(
    emptyLeadFeatureState(),
    { type: 'page_view', timestamp: 0 },
    config.features,
  );
  return probe.configKey ?? '';
}

/** A lead's state as the model reads it, and whether it had to be rebuilt (so must be saved). */
export interface LeadState {
  readonly state: LeadFeatureState | undefined;
  readonly rebuilt: boolean;
}

/**
 * Parses the lead's stored state (JSON text) into its own copy, which scoring then changes in
 * place. A state built for another feature config than the model's (the organisation changed
 * models) is rebuilt from the activities already counted.
 */
export async function leadStateFor(
  trx: Tx,
  lead: LockedLead,
  text: string | undefined,
  model: LoadedModel,
): Promise<LeadState> {
  const stored = text === undefined ? undefined : (JSON.parse(text) as LeadFeatureState);
  if (!model.ok || stored === undefined || stateFits(stored, model.stateKey)) {
    return { state: stored, rebuilt: false };
  }
  const state = emptyLeadFeatureState();
  for (const row of await findCountedActivities(trx, lead.organization_id, lead.id)) {
    applyActivity(state, toLeadActivity(row), model.config.features);
  }
  return { state, rebuilt: true };
}

function stateFits(stored: LeadFeatureState, stateKey: string): boolean {
  const configKey = (stored as Partial<LeadFeatureState> | null)?.configKey;
  return configKey === null || configKey === stateKey;
}

/**
 * Pure: folds the lead's new activities (none for a rescore) into its state and scores it as
 * of the later of `now` and the newest of them; throws on poison or a broken model.
 */
export function scoreLead(
  lead: LockedLead,
  activities: readonly (Parameters<typeof toLeadActivity>[0] & { readonly id: string })[],
  stored: LeadFeatureState | undefined,
  model: LoadedModel,
  now: Date,
): ScoredLeadRow {
  const ready = requireReady(model);
  // The lead's own copy (parsed for this batch): a throw halfway leaves nothing behind.
  const state = stored ?? emptyLeadFeatureState();
  let newest = Number.NEGATIVE_INFINITY;
  let newestId: string | null = null;
  for (const activity of activities) {
    const leadActivity = toLeadActivity(activity);
    applyActivity(state, leadActivity, ready.config.features);
    if (leadActivity.timestamp >= newest) newestId = activity.id;
    newest = Math.max(newest, leadActivity.timestamp);
  }
  const result = scoreState(lead, state, ready, Math.max(now.getTime(), newest));
  return {
    organizationId: lead.organization_id,
    leadId: lead.id,
    modelId: ready.id,
    previousScore: lead.current_score,
    score: result.score,
    breakdown: result.breakdown,
    confidence: result.confidence,
    state,
    lastActivityAt: activities.length > 0 ? new Date(newest) : null,
    cause: activities.length > 0 ? 'activity' : 'rescore',
    activityId: newestId,
  };
}

/**
 * The challenger's score of a lead the active model has just scored (`active`, with the
 * model's updated state), as of the same moment. When the two models keep their state for
 * one feature config (the common case: a trained version inherits the organisation's config)
 * the challenger reads the state the active model just updated: no query, no second fold.
 * Otherwise its state is rebuilt from the lead's counted activities and this batch's, as
 * `leadStateFor` does on a change of model: exact, for one query per lead, and nothing of the
 * challenger's is kept between batches (a crash or a stop leaves no state behind to go stale).
 * Throws when the challenger cannot score; the caller goes on without it.
 */
export async function scoreChallenger(
  trx: Tx,
  lead: LockedLead,
  activities: readonly Parameters<typeof toLeadActivity>[0][],
  active: { model: LoadedModel; row: ScoredLeadRow },
  challenger: LoadedModel,
  now: Date,
): Promise<ChallengerScoreRow> {
  const ready = requireReady(challenger);
  const newActivities = activities.map(toLeadActivity);
  let state = active.row.state as LeadFeatureState;
  if (!active.model.ok || active.model.stateKey !== ready.stateKey) {
    state = emptyLeadFeatureState();
    const counted = (await findCountedActivities(trx, lead.organization_id, lead.id)).map(
      toLeadActivity,
    );
    for (const activity of [...counted, ...newActivities]) {
      applyActivity(state, activity, ready.config.features);
    }
  }
  const newest = Math.max(...newActivities.map((activity) => activity.timestamp));
  const result = scoreState(lead, state, ready, Math.max(now.getTime(), newest));
  return {
    organizationId: lead.organization_id,
    leadId: lead.id,
    modelId: ready.id as string,
    score: result.score,
    breakdown: result.breakdown,
    confidence: result.confidence,
    activeModelId: active.row.modelId,
    activeScore: active.row.score,
  };
}

function scoreState(
  lead: LockedLead,
  state: LeadFeatureState,
  model: Extract<LoadedModel, { ok: true }>,
  asOf: number,
) {
  const profile = toProfile(lead);
  const features = featuresFromState(profile, state, asOf, model.config.features);
  return model.config.score(profile, features, { reasons: STORED_REASONS });
}

export function describeFailure(error: unknown): string {
  const text =
    error instanceof Error ? `${error.name}: ${error.message}` : `thrown: ${String(error)}`;
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 1)}…` : text;
}
