import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB, LeadStatus } from '../../db/schema.js';

/*
 * The SQL of the challenger's comparison, over `challenger_scores` (written by the activity
 * scorer, pipeline/activity-scorer.repository.ts). Each row holds the challenger's score of a
 * lead beside the active model's score of the same moment, so both sides always describe the
 * same leads at the same times. Scores are put in 10-point bands, the last holding 100.
 */

/** Which scores a comparison reads. */
export interface ComparedScores {
  readonly organizationId: string;
  readonly challengerId: string;
  /** Scores made from here on. */
  readonly since: Date;
  /** Only those made beside this active model (null: the built-in default rules); all when undefined. */
  readonly activeModelId?: string | null;
}

export interface ScoreSpread {
  scorings: number;
  leads: number;
  challenger_mean: number | null;
  active_mean: number | null;
  mean_absolute_difference: number | null;
  same_band_share: number | null;
}

/** Each lead's latest pair of scores: means, how far apart, how often in the same band. */
export async function findScoreSpread(
  db: Kysely<DB>,
  scores: ComparedScores,
): Promise<ScoreSpread> {
  const { rows } = await sql<ScoreSpread>`
    with latest as (${latestPerLead(scores)})
    select
      (select count(*)::int from challenger_scores c where ${scoped(scores)}) as scorings,
      count(*)::int as leads,
      avg(score)::float8 as challenger_mean,
      avg(active_score)::float8 as active_mean,
      avg(abs(score - active_score))::float8 as mean_absolute_difference,
      avg((${band(sql`score`)} = ${band(sql`active_score`)})::int)::float8 as same_band_share
    from latest`.execute(db);
  return rows[0] as ScoreSpread;
}

/** Leads per band (0 for the band of scores 0–9, 9 for 90–100) by each model; empty bands left out. */
export async function findBandCounts(
  db: Kysely<DB>,
  scores: ComparedScores,
): Promise<{ band: number; challenger: number; active: number }[]> {
  const { rows } = await sql<{ band: number; challenger: number; active: number }>`
    with latest as (${latestPerLead(scores)})
    select band, sum(challenger)::int as challenger, sum(active)::int as active
    from (
      select ${band(sql`score`)} as band, 1 as challenger, 0 as active from latest
      union all
      select ${band(sql`active_score`)}, 0, 1 from latest
    ) as banded
    group by band
    order by band`.execute(db);
  return rows;
}

export interface OutcomeRanking {
  converted: number;
  lost: number;
  challenger_roc_auc: number | null;
  active_roc_auc: number | null;
}

/**
 * The leads decided (by `label`) since the comparison began, each with the latest pair of
 * scores made before its outcome (leads not scored by then are left out), and the ROC AUC of
 * each side: the Mann-Whitney statistic over average ranks, so tied scores count half.
 */
export async function findOutcomeRanking(
  db: Kysely<DB>,
  scores: ComparedScores,
  label: { converted: readonly LeadStatus[]; lost: readonly LeadStatus[] },
): Promise<OutcomeRanking> {
  const { rows } = await sql<OutcomeRanking>`
    with decided as (
      select id, status = any(${[...label.converted]}::text[]) as converted,
        coalesce(status_changed_at, updated_at) as decided_at
      from leads
      where organization_id = ${scores.organizationId}
        and status = any(${[...label.converted, ...label.lost]}::text[])
        and coalesce(status_changed_at, updated_at) >= ${scores.since.toISOString()}::timestamptz
    ),
    scored as (
      select d.converted, s.score, s.active_score
      from decided d
      cross join lateral (
        select c.score, c.active_score
        from challenger_scores c
        where ${scoped(scores)} and c.lead_id = d.id and c.calculated_at <= d.decided_at
        order by c.calculated_at desc, c.id desc
        limit 1
      ) as s
    ),
    ranked as (
      select converted,
        rank() over (order by score) + (count(*) over (partition by score) - 1) / 2.0
          as challenger_rank,
        rank() over (order by active_score) + (count(*) over (partition by active_score) - 1) / 2.0
          as active_rank
      from scored
    ),
    counted as (
      select count(*) filter (where converted) as converted,
        count(*) filter (where not converted) as lost,
        sum(challenger_rank) filter (where converted) as challenger_ranks,
        sum(active_rank) filter (where converted) as active_ranks
      from ranked
    )
    select converted::int, lost::int,
      ((challenger_ranks - converted * (converted + 1) / 2.0)
        / nullif(converted * lost, 0))::float8 as challenger_roc_auc,
      ((active_ranks - converted * (converted + 1) / 2.0)
        / nullif(converted * lost, 0))::float8 as active_roc_auc
    from counted`.execute(db);
  return rows[0] as OutcomeRanking;
}

/** The compared rows of `challenger_scores c`, tenant-scoped. */
function scoped(scores: ComparedScores): RawBuilder<boolean> {
  const active =
    scores.activeModelId === undefined
      ? sql`true`
      : scores.activeModelId === null
        ? sql`c.active_model_id is null`
        : sql`c.active_model_id = ${scores.activeModelId}`;
  return sql<boolean>`c.organization_id = ${scores.organizationId}
    and c.model_id = ${scores.challengerId}
    and c.calculated_at >= ${scores.since.toISOString()}::timestamptz
    and ${active}`;
}

function latestPerLead(scores: ComparedScores): RawBuilder<unknown> {
  return sql`
    select distinct on (c.lead_id) c.lead_id, c.score, c.active_score
    from challenger_scores c
    where ${scoped(scores)}
    order by c.lead_id, c.calculated_at desc, c.id desc`;
}

function band(score: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`least(${score} / 10, 9)`;
}
