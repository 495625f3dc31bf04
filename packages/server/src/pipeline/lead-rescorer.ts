import type { RecordAlerts, ScoreBatchResult } from './activity-scorer.js';
import {
  findFeatureStates,
  type LockedLead,
  type ScoredLeadRow,
  saveBatch,
  type Tx,
} from './activity-scorer.repository.js';
import { lockLeadPage, lockQuietLeadPage } from './lead-rescorer.repository.js';
import {
  DEFAULT_MODEL,
  leadStateFor,
  loadModels,
  requireReady,
  scoreLead,
} from './lead-scoring.js';

/** Which leads of the organisation a batch takes, in id order after `afterLeadId`. */
export type RescorePage = {
  readonly organizationId: string;
  /** The last lead of the previous batch; null to start from the first. */
  readonly afterLeadId: string | null;
  readonly limit: number;
} & (
  | {
      /** Every lead (a new model): each gets a new score, moved or not. */
      readonly leads: 'all';
    }
  | {
      /**
       * Leads with a feature state and no activity scored since `quietSince` (decay); only those
       * whose score moved by a point or more get a new one.
       */
      readonly leads: 'quiet';
      readonly quietSince: Date;
    }
);

export interface RescoreBatchResult {
  /** Leads the page took (scored or not). */
  readonly examined: number;
  /** Where the next page starts; null when this one was the organisation's last. */
  readonly nextAfterLeadId: string | null;
  /** Leads that could not be scored (their state breaks feature code). */
  readonly failed: number;
  /**
   * What was written, as the activity scorer reports a batch (no activity claimed): for the
   * same follow-up (events, alert rules) once the caller's transaction has committed.
   */
  readonly scored: ScoreBatchResult;
}

/**
 * Rescores a page of one organisation's leads without new activities, from their stored
 * feature states, as of `now`, with the organisation's active model (the default rules when it
 * has none), inside the caller's transaction, so that the caller's own bookkeeping (progress, a
 * cursor) commits with the scores or not at all. Writes a `lead_scores` row and the lead's
 * current/max score exactly as the activity scorer does; a state kept for another feature
 * config is rebuilt and saved. A lead with no state (no activity counted yet) is scored from
 * its profile alone: a model that weighs fit must score it too.
 *
 * @throws ModelLoadError when the organisation's active model cannot score: before any lead is
 * locked or anything written, so the caller's transaction may go on.
 */
export async function rescoreBatch(
  trx: Tx,
  page: RescorePage,
  now: Date,
  recordAlerts?: RecordAlerts,
): Promise<RescoreBatchResult> {
  const { organizationId, afterLeadId, limit } = page;
  const model = (await loadModels(trx, [organizationId])).get(organizationId) ?? DEFAULT_MODEL;
  requireReady(model);
  const leads =
    page.leads === 'all'
      ? await lockLeadPage(trx, organizationId, afterLeadId, limit)
      : await lockQuietLeadPage(trx, organizationId, afterLeadId, limit, page.quietSince);
  const states = await findFeatureStates(
    trx,
    leads.map((lead) => lead.id),
  );
  const scored: ScoredLeadRow[] = [];
  // The decay sweep rescores the quiet leads; everything else is a bulk rescore.
  const cause = page.leads === 'quiet' ? 'decay' : 'rescore';
  let failed = 0;
  for (const lead of leads) {
    try {
      const { state, rebuilt } = await leadStateFor(trx, lead, states.get(lead.id), model);
      const row = scoreLead(lead, [], state, model, now);
      if (page.leads === 'quiet' && !moved(lead, row)) continue;
      scored.push({ ...row, state: rebuilt ? row.state : null, cause });
    } catch {
      // A stored state the feature code rejects: the activity scorer records its activities
      // as failed; here there is nothing to record it on, and the rest of the page goes on.
      failed++;
    }
  }
  await saveBatch(trx, scored, [], now);
  const scoredLeads = scored.map(({ state: _state, ...lead }) => lead);
  return {
    examined: leads.length,
    nextAfterLeadId: leads.length < limit ? null : (leads.at(-1) as LockedLead).id,
    failed,
    scored: {
      claimed: 0,
      scored: scored.length,
      failed: 0,
      scoredLeads,
      calculatedAt: now,
      alerts: (await recordAlerts?.(trx, scoredLeads, now)) ?? [],
      // Challengers score new activities only (see activity-scorer.ts).
      challengerFailures: [],
    },
  };
}

/** Scores are whole points: any difference is a point or more. */
function moved(lead: LockedLead, row: ScoredLeadRow): boolean {
  return lead.current_score === null || row.score !== lead.current_score;
}
