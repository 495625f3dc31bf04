import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { AlertTriggered } from '../events/event-bus.js';
import {
  type ChallengerScoreRow,
  type ClaimedActivity,
  claimActivities,
  findFeatureStates,
  lockLeads,
  type ProcessedActivity,
  type ScoredLeadRow,
  saveBatch,
} from './activity-scorer.repository.js';
import {
  DEFAULT_MODEL,
  describeFailure,
  leadStateFor,
  loadModelsAndChallengers,
  scoreChallenger,
  scoreLead,
} from './lead-scoring.js';

export interface ActivityScorerDeps {
  readonly db: Kysely<DB>;
  /** The clock; scores are computed as of the later of now and the lead's newest activity. */
  readonly now?: () => Date;
  readonly recordAlerts?: RecordAlerts | undefined;
}

/** An alert stored with the scores that fired it, announced once they have committed. */
export interface FiredAlert {
  readonly organizationId: string;
  readonly payload: AlertTriggered;
}

/**
 * Checks the alert rules against the scores a batch wrote and stores the alerts they fire, in
 * the batch's own transaction: a process that dies after the commit has lost no alert, and a
 * batch that rolls back has fired none (its retry will). Every writer of scores takes one.
 */
export type RecordAlerts = (
  trx: Kysely<DB>,
  scored: readonly ScoredLead[],
  calculatedAt: Date,
) => Promise<readonly FiredAlert[]>;

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
  /** The alerts the scores fired, stored with them; `alert_triggered` is for after the commit. */
  readonly alerts: readonly FiredAlert[];
  /**
   * Challengers that could not score some of the leads (a model that does not load, features
   * it rejects), one entry per model: the leads were scored by the active model all the same.
   */
  readonly challengerFailures: readonly ChallengerFailure[];
}

export interface ChallengerFailure {
  readonly modelId: string;
  /** Leads of the batch it could not score. */
  readonly leads: number;
  /** The first reason. */
  readonly reason: string;
}

/** One lead's new score, as the scorer wrote it. */
export type ScoredLead = Omit<ScoredLeadRow, 'state'>;

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
 *
 * An organisation's challenger scores each lead its active model scored, in the same
 * transaction, into `challenger_scores` only. It never decides anything: a challenger that
 * cannot score is reported in `challengerFailures` and the lead keeps its real score.
 */
export async function scoreNextBatch(
  deps: ActivityScorerDeps,
  options: ScoreBatchOptions,
): Promise<ScoreBatchResult> {
  const clock = deps.now ?? (() => new Date());
  return deps.db.transaction().execute(async (trx) => {
    const activities = await claimActivities(trx, options.batchSize);
    if (activities.length === 0) {
      return {
        claimed: 0,
        scored: 0,
        failed: 0,
        scoredLeads: [],
        calculatedAt: clock(),
        alerts: [],
        challengerFailures: [],
      };
    }

    const byLead = groupByLead(activities);
    const leads = await lockLeads(trx, [...byLead.keys()]);
    const leadIds = leads.map((lead) => lead.id);
    const states = await findFeatureStates(trx, leadIds);
    const { active: models, challengers } = await loadModelsAndChallengers(trx, [
      ...new Set(leads.map((l) => l.organization_id)),
    ]);
    const now = clock();

    const scored: ScoredLeadRow[] = [];
    const challengerScores: ChallengerScoreRow[] = [];
    const challengerFailures = new Map<string, ChallengerFailure>();
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
      let result: ScoredLeadRow;
      try {
        const { state } = await leadStateFor(trx, lead, states.get(lead.id), model);
        result = scoreLead(lead, group, state, model, now);
      } catch (error) {
        const reason = describeFailure(error);
        for (const a of group) processed.push({ id: a.id, failureReason: reason });
        continue;
      }
      scored.push(result);
      for (const a of group) processed.push({ id: a.id, failureReason: null });
      const challenger = challengers.get(lead.organization_id);
      if (!challenger) continue;
      try {
        const active = { model, row: result };
        challengerScores.push(await scoreChallenger(trx, lead, group, active, challenger, now));
      } catch (error) {
        // A stored challenger always has an id (only the built-in default has none).
        const modelId = challenger.id as string;
        const failure = challengerFailures.get(modelId);
        challengerFailures.set(modelId, {
          modelId,
          leads: (failure?.leads ?? 0) + 1,
          reason: failure?.reason ?? describeFailure(error),
        });
      }
    }

    await saveBatch(trx, scored, processed, now, challengerScores);
    const scoredLeads = scored.map(({ state: _state, ...lead }) => lead);
    return {
      claimed: activities.length,
      scored: scored.length,
      failed: processed.filter((p) => p.failureReason !== null).length,
      scoredLeads,
      calculatedAt: now,
      alerts: (await deps.recordAlerts?.(trx, scoredLeads, now)) ?? [],
      challengerFailures: [...challengerFailures.values()],
    };
  });
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
