import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { ScoreCache } from '../cache/index.js';
import type { DB } from '../db/schema.js';
import type { EventBus } from '../events/event-bus.js';
import { announceAlerts, recordAlerts, type ScoreChange } from '../modules/alerts/index.js';
import { cacheWrittenScores } from '../modules/leads/index.js';
import type { RecordAlerts, ScoreBatchResult, ScoredLead } from '../pipeline/index.js';

export interface ScoredBatchDeps {
  readonly db: Kysely<DB>;
  readonly events: EventBus;
  /** Where the batch's scores are cached; none: nothing to cache. */
  readonly scoreCache?: ScoreCache | undefined;
  readonly logger: Pick<Logger, 'error'>;
}

/**
 * What follows each committed batch of any writer of scores (the scorer's `onBatch`, bulk
 * rescores' and decay's `onScored`): the scores cached, then `lead_score_updated` for every
 * lead scored, then `alert_triggered` for the alerts the batch stored. Cached first, so that a
 * client told of a new score and reading it at once is not answered the old one from the
 * cache. Events are best effort (a process that dies here loses them); the alerts themselves
 * were stored with the scores.
 */
export function createScoredBatchHandler(
  deps: ScoredBatchDeps,
): (result: ScoreBatchResult) => Promise<void> {
  return async (result) => {
    if (deps.scoreCache && result.scoredLeads.length > 0) {
      try {
        await cacheWrittenScores(
          { db: deps.db, scoreCache: deps.scoreCache },
          result.scoredLeads,
          result.calculatedAt,
        );
      } catch (error) {
        deps.logger.error(
          { err: error, leads: result.scoredLeads.length },
          'the scores of a batch could not be cached; their cached entries were dropped',
        );
      }
    }
    const calculatedAt = result.calculatedAt.toISOString();
    for (const lead of result.scoredLeads) {
      deps.events.publish(lead.organizationId, 'lead_score_updated', {
        leadId: lead.leadId,
        score: lead.score,
        previousScore: lead.previousScore,
        modelId: lead.modelId,
        breakdown: lead.breakdown,
        calculatedAt,
      });
    }
    announceAlerts(deps.events, result.alerts);
  };
}

/**
 * The alert rules, for writers of scores to check in each batch's transaction (their
 * `recordAlerts`).
 */
export function createAlertRecorder(): RecordAlerts {
  return (trx, scored, calculatedAt) =>
    recordAlerts(
      { db: trx },
      scored.map((lead) => toScoreChange(lead, calculatedAt)),
    );
}

function toScoreChange(lead: ScoredLead, calculatedAt: Date): ScoreChange {
  const grade = lead.breakdown.grade;
  return {
    organizationId: lead.organizationId,
    leadId: lead.leadId,
    previousScore: lead.previousScore,
    score: lead.score,
    grade: typeof grade === 'string' ? grade : null,
    calculatedAt,
  };
}
