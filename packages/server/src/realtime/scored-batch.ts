import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { ScoreCache } from '../cache/index.js';
import type { DB } from '../db/schema.js';
import type { EventBus } from '../events/event-bus.js';
import { evaluateAlertRules, type ScoreChange } from '../modules/alerts/index.js';
import { cacheWrittenScores } from '../modules/leads/index.js';
import type { ScoreBatchResult, ScoredLead } from '../pipeline/index.js';

export interface ScoredBatchDeps {
  readonly db: Kysely<DB>;
  readonly events: EventBus;
  /** Where the batch's scores are cached; none: nothing to cache. */
  readonly scoreCache?: ScoreCache | undefined;
  readonly logger: Pick<Logger, 'error'>;
}

/**
 * What follows each committed scorer batch (the worker's `onBatch`): the scores cached, then
 * `lead_score_updated` for every lead scored, then the alert rules. Cached first, so that a
 * client told of a new score and reading it at once is not answered the old one from the
 * cache. An alert that cannot be stored is logged and lost; the scores, already committed,
 * are not retried for it.
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
    try {
      await evaluateAlertRules(
        deps,
        result.scoredLeads.map((lead) => toScoreChange(lead, result.calculatedAt)),
      );
    } catch (error) {
      deps.logger.error(
        { err: error, leads: result.scoredLeads.length },
        'alert rules could not be evaluated for a scored batch',
      );
    }
  };
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
