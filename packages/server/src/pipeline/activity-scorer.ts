import {
  applyActivity,
  emptyLeadFeatureState,
  featuresFromState,
  type LeadFeatureState,
} from '@leadscore/engine';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import {
  type ClaimedActivity,
  claimActivities,
  findActiveModelVersions,
  findCountedActivities,
  findFeatureStates,
  findModelConfigs,
  type LockedLead,
  lockLeads,
  type ProcessedActivity,
  type ScoredLeadRow,
  saveBatch,
} from './activity-scorer.repository.js';
import { toLeadActivity, toProfile } from './lead-input.js';
import { DEFAULT_SCORING_MODEL, loadScoringModel, type ScoringModel } from './scoring-model.js';

export interface ActivityScorerDeps {
  readonly db: Kysely<DB>;
  /** The clock; scores are computed as of the later of now and the lead's newest activity. */
  readonly now?: () => Date;
}

export interface ScoreBatchOptions {
  readonly batchSize: number;
}

export interface ScoreBatchResult {
  /** Activities claimed (and now processed, counted or failed). */
  readonly claimed: number;
  /** Leads scored. */
  readonly scored: number;
  /** Activities recorded as failed, with their reason. */
  readonly failed: number;
  /**
   * Every lead scored, once the transaction has committed: what real-time events and alert
   * rules are made from (a result is returned only after the commit succeeded).
   */
  readonly scoredLeads: readonly ScoredLead[];
  /** The batch's clock: `lead_scores.calculated_at` and `processed_at` of what it wrote. */
  readonly calculatedAt: Date;
}

/** One lead's new score, as the scorer wrote it. */
export type ScoredLead = Omit<ScoredLeadRow, 'state'>;

/** How many reasons of each side a stored score keeps. */
const STORED_REASONS = 3;
/** A failure reason is for people reading it; a runaway message must not bloat the row. */
const MAX_REASON_LENGTH = 500;

/**
 * Scores the next batch of the activity outbox, all in one transaction: claim up to
 * `batchSize` unprocessed activities, lock their leads, fold the activities into each lead's
 * feature state, score the lead with its organisation's active model (the default rules
 * model when it has none), write a `lead_scores` row and the lead's current/max score and
 * last activity, save the state, mark the activities processed. A crash anywhere commits
 * nothing and the batch is claimed again, so no activity is ever counted twice.
 *
 * A lead whose activities or model make the engine throw is computed before anything is
 * written, so it costs no savepoint: its activities are marked processed with the reason
 * and the rest of the batch goes on.
 */
export async function scoreNextBatch(
  deps: ActivityScorerDeps,
  options: ScoreBatchOptions,
): Promise<ScoreBatchResult> {
  const clock = deps.now ?? (() => new Date());
  return deps.db.transaction().execute(async (trx) => {
    const activities = await claimActivities(trx, options.batchSize);
    if (activities.length === 0) {
      return { claimed: 0, scored: 0, failed: 0, scoredLeads: [], calculatedAt: clock() };
    }

    const byLead = groupByLead(activities);
    const leads = await lockLeads(trx, [...byLead.keys()]);
    const leadIds = leads.map((lead) => lead.id);
    const states = await findFeatureStates(trx, leadIds);
    const models = await loadModels(trx, [...new Set(leads.map((l) => l.organization_id))]);
    const now = clock();

    const scored: ScoredLeadRow[] = [];
    const processed: ProcessedActivity[] = [];
    const found = new Set(leadIds);
    for (const [leadId, group] of byLead) {
      // The activity's lead is gone: nothing to score.
      if (!found.has(leadId)) {
        for (const a of group) processed.push({ id: a.id, failureReason: 'lead not found' });
      }
    }
    for (const lead of leads) {
      const group: ClaimedActivity[] = [];
      for (const a of byLead.get(lead.id) ?? []) {
        // Tenancy: an activity counts only for a lead of its own organisation.
        if (a.organization_id === lead.organization_id) group.push(a);
        else processed.push({ id: a.id, failureReason: 'lead not found' });
      }
      if (group.length === 0) continue;
      const model = models.get(lead.organization_id) ?? DEFAULT_MODEL;
      try {
        let stored = parseState(states.get(lead.id));
        if (model.ok && stored !== undefined && !stateFits(stored, model.stateKey)) {
          // The organisation changed its model's feature config: replay what was counted.
          stored = await rebuildState(trx, lead, model.config);
        }
        const result = scoreLead(lead, group, stored, model, now);
        scored.push(result);
        for (const a of group) processed.push({ id: a.id, failureReason: null });
      } catch (error) {
        const reason = describeFailure(error);
        for (const a of group) processed.push({ id: a.id, failureReason: reason });
      }
    }

    await saveBatch(trx, scored, processed, now);
    return {
      claimed: activities.length,
      scored: scored.length,
      failed: processed.filter((p) => p.failureReason !== null).length,
      scoredLeads: scored.map(({ state: _state, ...lead }) => lead),
      calculatedAt: now,
    };
  });
}

/** An organisation's model, ready to score; a broken one fails its leads, not the batch. */
type LoadedModel =
  | { ok: true; id: string | null; config: ScoringModel; stateKey: string }
  | { ok: false; id: string; error: unknown };

const DEFAULT_MODEL: LoadedModel = readyModel(null, DEFAULT_SCORING_MODEL);

/**
 * Models loaded by this process, by id, with the row version they were loaded from. Parsing
 * and preparing a model (a trained one above all) costs far more than asking which version
 * is active, so each batch asks and loads only what changed. Holds the models of
 * organisations with one active; a row that changes is simply replaced.
 */
const loadedModels = new Map<string, { version: string; model: LoadedModel }>();

async function loadModels(
  trx: Parameters<typeof findActiveModelVersions>[0],
  organizationIds: readonly string[],
): Promise<Map<string, LoadedModel>> {
  const active = await findActiveModelVersions(trx, organizationIds);
  const stale = active.filter((row) => loadedModels.get(row.id)?.version !== row.version);
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
  const models = new Map<string, LoadedModel>();
  for (const row of active) {
    const loaded = loadedModels.get(row.id);
    if (loaded) models.set(row.organization_id, loaded.model);
  }
  return models;
}

class ModelLoadError extends Error {
  override readonly name = 'ModelLoadError';
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

/** A stored state, parsed into the lead's own copy, which scoring then changes in place. */
function parseState(text: string | undefined): LeadFeatureState | undefined {
  return text === undefined ? undefined : (JSON.parse(text) as LeadFeatureState);
}

function stateFits(stored: LeadFeatureState, stateKey: string): boolean {
  const configKey = (stored as Partial<LeadFeatureState> | null)?.configKey;
  return configKey === null || configKey === stateKey;
}

async function rebuildState(
  trx: Parameters<typeof findCountedActivities>[0],
  lead: LockedLead,
  config: ScoringModel,
): Promise<LeadFeatureState> {
  const state = emptyLeadFeatureState();
  for (const row of await findCountedActivities(trx, lead.organization_id, lead.id)) {
    applyActivity(state, toLeadActivity(row), config.features);
  }
  return state;
}

/** Pure: folds the lead's new activities into its state and scores it; throws on poison. */
function scoreLead(
  lead: LockedLead,
  activities: readonly ClaimedActivity[],
  stored: LeadFeatureState | undefined,
  model: LoadedModel,
  now: Date,
): ScoredLeadRow {
  if (!model.ok) {
    throw new ModelLoadError(`model ${model.id}: ${describeFailure(model.error)}`);
  }
  // The lead's own copy (parsed for this batch): a throw halfway leaves nothing behind.
  const state = stored ?? emptyLeadFeatureState();
  let newest = Number.NEGATIVE_INFINITY;
  for (const activity of activities) {
    const leadActivity = toLeadActivity(activity);
    applyActivity(state, leadActivity, model.config.features);
    newest = Math.max(newest, leadActivity.timestamp);
  }
  const profile = toProfile(lead);
  const asOf = Math.max(now.getTime(), newest);
  const features = featuresFromState(profile, state, asOf, model.config.features);
  const result = model.config.score(profile, features, { reasons: STORED_REASONS });
  return {
    organizationId: lead.organization_id,
    leadId: lead.id,
    modelId: model.id,
    previousScore: lead.current_score,
    score: result.score,
    breakdown: result.breakdown,
    confidence: result.confidence,
    state,
    lastActivityAt: new Date(newest),
  };
}

function groupByLead(activities: readonly ClaimedActivity[]): Map<string, ClaimedActivity[]> {
  const groups = new Map<string, ClaimedActivity[]>();
  for (const activity of activities) {
    const group = groups.get(activity.lead_id);
    if (group) group.push(activity);
    else groups.set(activity.lead_id, [activity]);
  }
  return groups;
}

function describeFailure(error: unknown): string {
  const text =
    error instanceof Error ? `${error.name}: ${error.message}` : `thrown: ${String(error)}`;
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 1)}…` : text;
}
