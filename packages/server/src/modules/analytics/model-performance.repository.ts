/**
 * The SQL of a model version's live performance: the version itself, the outcomes decided
 * since it started scoring with the last score it gave each lead before the decision, and the
 * scores it wrote, per band. Counts come back grouped (scores are whole numbers 0–100), so
 * memory stays small however many leads were decided.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB, LeadStatus, ModelStatus } from '../../db/schema.js';
import { modelScores } from './analytics.repository.js';
import type { Window } from './analytics.schemas.js';
import { bandOf } from './score-bands.js';

export interface PerformanceModelRow {
  id: string;
  version: number;
  status: ModelStatus;
  /** `config.label`: the statuses its training counted as outcomes (absent: converted vs lost). */
  label: { converted: LeadStatus[]; lost: LeadStatus[] } | null;
  activated_at: Date | null;
  challenger_since: Date | null;
  /** `performance_metrics.holdout.conversionByBand`: the scores of its training evaluation. */
  training_bands: unknown;
  /** `backtest.report.conversionByBand`: the scores of its last backtest. */
  backtest_bands: unknown;
}

export async function findPerformanceModel(
  db: Kysely<DB>,
  organizationId: string,
  modelId: string,
): Promise<PerformanceModelRow | undefined> {
  const { rows } = await sql<PerformanceModelRow>`
    select id, version, status, config -> 'label' as label, activated_at, challenger_since,
      performance_metrics #> '{holdout,conversionByBand}' as training_bands,
      backtest #> '{report,conversionByBand}' as backtest_bands
    from scoring_models
    where organization_id = ${organizationId} and id = ${modelId}`.execute(db);
  return rows[0];
}

/** What a report covers: the version's scores and outcomes from `from` to before `to`. */
export interface PerformanceScope {
  readonly organizationId: string;
  readonly modelId: string;
  readonly from: Date;
  readonly to: Date;
  /** Group by calendar week or month (UTC); everything in one group (key null) without it. */
  readonly window?: Window | undefined;
}

/** Decided leads with the same outcome, score (null: not scored by then) and window. */
export interface OutcomeCount {
  /** YYYY-MM-DD (UTC) the window starts; null without windows. */
  window_start: string | null;
  score: number | null;
  converted: boolean;
  count: number;
}

/**
 * The leads decided (converted or lost by `label`) in the scope, each with the last score the
 * version gave it in the scope before its decision. When a lead was decided is its status
 * change (its last update for rows older than that column), as training reads it.
 */
export async function countOutcomesByScore(
  db: Kysely<DB>,
  scope: PerformanceScope,
  label: { converted: readonly LeadStatus[]; lost: readonly LeadStatus[] },
): Promise<OutcomeCount[]> {
  const decidedAt = sql`coalesce(l.status_changed_at, l.updated_at)`;
  const scoredBefore = sql`s.lead_id = d.id and s.calculated_at >= ${iso(scope.from)}::timestamptz
    and s.calculated_at <= d.decided_at`;
  const { rows } = await sql<OutcomeCount>`
    with decided as (
      select l.id, l.status = any(${[...label.converted]}::text[]) as converted,
        ${decidedAt} as decided_at
      from leads l
      where l.organization_id = ${scope.organizationId}
        and l.status = any(${[...label.converted, ...label.lost]}::text[])
        and ${decidedAt} >= ${iso(scope.from)}::timestamptz
        and ${decidedAt} < ${iso(scope.to)}::timestamptz
    )
    select ${windowStart(scope.window, sql`d.decided_at`)} as window_start, s.score, d.converted,
      count(*)::int as count
    from decided d
    left join lateral (
      select x.score from (${modelScores(scope.organizationId, scope.modelId, scoredBefore)}) as x
      order by x.calculated_at desc, x.id desc
      limit 1
    ) as s on true
    group by 1, 2, 3`.execute(db);
  return rows;
}

export interface BandCount {
  window_start: string | null;
  band: number;
  count: number;
}

/** Each lead's newest score by the version in the scope (in each window), counted by band. */
export async function countScoresByBand(
  db: Kysely<DB>,
  scope: PerformanceScope,
): Promise<BandCount[]> {
  const written = sql`s.calculated_at >= ${iso(scope.from)}::timestamptz
    and s.calculated_at < ${iso(scope.to)}::timestamptz`;
  const { rows } = await sql<BandCount>`
    select window_start, ${bandOf(sql`score`)} as band, count(*)::int as count
    from (
      select distinct on (window_start, lead_id) window_start, lead_id, score
      from (
        select ${windowStart(scope.window, sql`x.calculated_at`)} as window_start, x.lead_id,
          x.score, x.calculated_at, x.id
        from (${modelScores(scope.organizationId, scope.modelId, written)}) as x
      ) as keyed
      order by window_start, lead_id, calculated_at desc, id desc
    ) as newest
    group by 1, 2`.execute(db);
  return rows;
}

function windowStart(window: Window | undefined, at: RawBuilder<unknown>): RawBuilder<unknown> {
  if (window === undefined) return sql`null::text`;
  return sql`to_char(date_trunc(${window}::text, ${at} at time zone 'UTC'), 'YYYY-MM-DD')`;
}

const iso = (date: Date) => date.toISOString();
