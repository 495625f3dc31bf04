/**
 * A backtest: how a model would have done on the organisation's own won/lost history, before
 * anyone lets it change a score. Every decided lead is replayed activity by activity as the
 * scorer would have seen it, which gives
 * - its score the day it was decided (nothing after the outcome counted): ROC AUC, PR AUC, lift
 *   by decile, conversion and lead counts by score band;
 * - the first day its score reached the MQL line, if ever: the MQLs the model would have handed
 *   to sales each month, and how many of those converted.
 *
 * Pure and synchronous; the job handler reads the histories and stores what comes out.
 */
import {
  applyActivity,
  conversionByScoreBand,
  emptyLeadFeatureState,
  featuresFromState,
  type LiftDecile,
  liftByDecile,
  prAuc,
  rocAuc,
  type ScoreBand,
} from '@leadscore/engine';
import type { ScoringModel } from '../../pipeline/scoring-model.js';
import { type DecidedLead, TrainingDataError } from './scoring-training.js';

export interface BacktestReport {
  /** Decided leads replayed; those whose history the feature code rejects are skipped. */
  readonly leads: number;
  readonly converted: number;
  readonly skippedLeads: number;
  readonly rocAuc: number;
  readonly prAuc: number;
  readonly lift: readonly LiftDecile[];
  /** Leads, conversions and conversion rate per 10-point band of the score at the outcome. */
  readonly conversionByBand: readonly ScoreBand[];
  readonly mqlThreshold: number;
  /** Per calendar month (UTC, `YYYY-MM`) in which leads first reached the MQL line. */
  readonly mqlsByMonth: readonly MqlMonth[];
  /** Of the leads that would have become MQLs, how many converted; of the converted, how many. */
  readonly mqlPrecision: number | null;
  readonly mqlRecall: number;
}

export interface MqlMonth {
  readonly month: string;
  readonly mqls: number;
  readonly converted: number;
}

interface ReplayedLead {
  readonly scoreAtOutcome: number;
  /** ms since the epoch; null when the lead never reached the line. */
  readonly mqlAt: number | null;
  readonly converted: boolean;
}

export function backtestModel(
  leads: readonly DecidedLead[],
  model: ScoringModel,
  mqlThreshold: number,
): BacktestReport {
  const replayed: ReplayedLead[] = [];
  for (const lead of leads) {
    try {
      replayed.push(replay(lead, model, mqlThreshold));
    } catch {
      // Its activities break the feature code: the scorer records them as failed, and the
      // lead's outcome says nothing about this model.
    }
  }
  const labels = Uint8Array.from(replayed, (lead) => (lead.converted ? 1 : 0));
  const converted = labels.reduce((sum, label) => sum + label, 0);
  if (converted === 0 || converted === replayed.length) {
    throw new TrainingDataError(
      `A backtest needs converted and lost leads; the window holds ${converted} converted and ${replayed.length - converted} lost`,
    );
  }
  const scores = Float64Array.from(replayed, (lead) => lead.scoreAtOutcome);
  const mqls = replayed.filter((lead) => lead.mqlAt !== null);
  const convertedMqls = mqls.filter((lead) => lead.converted).length;
  return {
    leads: replayed.length,
    converted,
    skippedLeads: leads.length - replayed.length,
    rocAuc: rocAuc(labels, scores),
    prAuc: prAuc(labels, scores),
    lift: liftByDecile(labels, scores),
    conversionByBand: conversionByScoreBand(labels, scores),
    mqlThreshold,
    mqlsByMonth: countByMonth(mqls),
    mqlPrecision: mqls.length > 0 ? convertedMqls / mqls.length : null,
    mqlRecall: convertedMqls / converted,
  };
}

/**
 * Scores the lead after each of its activities up to the outcome, as the scorer would have,
 * then once more on the day it was decided. Its profile is today's: the history of attribute
 * changes is not kept.
 */
function replay(lead: DecidedLead, model: ScoringModel, mqlThreshold: number): ReplayedLead {
  const config = model.features;
  const scoreAt = (asOf: number) =>
    model.score(lead.profile, featuresFromState(lead.profile, state, asOf, config), {
      explain: false,
    }).score;
  const state = emptyLeadFeatureState();
  let mqlAt: number | null = null;
  const history = lead.activities
    .filter((activity) => activity.timestamp <= lead.decidedAt)
    .sort((a, b) => a.timestamp - b.timestamp);
  for (const activity of history) {
    applyActivity(state, activity, config);
    if (mqlAt === null && scoreAt(activity.timestamp) >= mqlThreshold) mqlAt = activity.timestamp;
  }
  const scoreAtOutcome = scoreAt(lead.decidedAt);
  if (mqlAt === null && scoreAtOutcome >= mqlThreshold) mqlAt = lead.decidedAt;
  return { scoreAtOutcome, mqlAt, converted: lead.converted };
}

function countByMonth(mqls: readonly ReplayedLead[]): MqlMonth[] {
  const months = new Map<string, { mqls: number; converted: number }>();
  for (const lead of mqls) {
    const month = new Date(lead.mqlAt as number).toISOString().slice(0, 7);
    const counts = months.get(month) ?? { mqls: 0, converted: 0 };
    counts.mqls++;
    if (lead.converted) counts.converted++;
    months.set(month, counts);
  }
  return [...months]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, counts]) => ({ month, ...counts }));
}
