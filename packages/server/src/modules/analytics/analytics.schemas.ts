import { type Static, Type } from 'typebox';
import { LEAD_STATUSES } from '../../db/schema.js';
import { DateTime, nullable, text, Uuid } from '../../http/schema-types.js';
import { PSI_MODERATE, PSI_PSEUDO_COUNT, PSI_SIGNIFICANT } from './drift.js';

/** A repeatable query parameter: `?source=web&source=event`. */
const anyOf = <T extends Parameters<typeof Type.Array>[0]>(item: T, description: string) =>
  Type.Optional(Type.Array(item, { maxItems: 50, description }));

/** Which leads a report counts; ranges are `from ≤ value < to`. */
const LeadFilters = {
  source: anyOf(text(100), 'leads from any of these sources'),
  ownerId: anyOf(Uuid, 'leads owned by any of these users'),
  industry: anyOf(text(100), 'leads in any of these industries'),
  createdFrom: Type.Optional({ ...DateTime, description: 'leads created at or after this time' }),
  createdTo: Type.Optional({ ...DateTime, description: 'leads created before this time' }),
};
const LeadFilterObject = Type.Object(LeadFilters);
export type LeadFilterQuery = Static<typeof LeadFilterObject>;

export const ScoreDistributionQuery = Type.Object(
  {
    ...LeadFilters,
    asOf: Type.Optional({
      ...DateTime,
      description:
        'count each lead’s newest score written at or before this time (leads created after it are left out); default: the current scores',
    }),
    modelId: Type.Optional({
      ...Uuid,
      description:
        'count only the scores this model version wrote (as the active model or as the challenger): each lead’s newest one',
    }),
  },
  { additionalProperties: false },
);
export type ScoreDistributionInput = Static<typeof ScoreDistributionQuery>;

export const ConversionRatesQuery = Type.Object(LeadFilters, { additionalProperties: false });

export const WINDOWS = ['week', 'month'] as const;
export type Window = (typeof WINDOWS)[number];

export const ModelPerformanceQuery = Type.Object(
  {
    modelId: { ...Uuid, description: 'the model version to evaluate' },
    from: Type.Optional({
      ...DateTime,
      description:
        'outcomes decided (and scores written) at or after this time; default: when the version started scoring',
    }),
    to: Type.Optional({
      ...DateTime,
      description: 'outcomes decided (and scores written) before this time; default: now',
    }),
    window: Type.Optional(
      Type.Enum([...WINDOWS], {
        description:
          'also evaluate each calendar week (from Monday) or month, UTC, that holds outcomes or scores',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ModelPerformanceInput = Static<typeof ModelPerformanceQuery>;

const Count = (description: string) => Type.Integer({ minimum: 0, description });

const Band = {
  lower: nullable(Type.Integer({ description: 'lowest score in the band' })),
  upper: nullable(Type.Integer({ description: 'highest score in the band (inclusive)' })),
  label: Type.String({ description: '"0–9" … "80–89", "90–100" (100 is in the last band)' }),
};

export const ScoreDistributionSchema = Type.Object({
  asOf: nullable({ ...DateTime, description: 'null: the current scores' }),
  modelId: nullable(Uuid),
  total: Count('leads counted (those matching the filters, created by asOf)'),
  scored: Count('of which have a score (by the model, when modelId is given)'),
  unscored: Count('of which have none'),
  bands: {
    ...Type.Array(Type.Object({ ...Band, count: Count('scored leads in the band') })),
    description: 'ten 10-point bands, all listed, in ascending order; the last is 90–100',
  },
  grades: {
    ...Type.Array(
      Type.Object({
        grade: Type.String({ description: 'fit A–D then engagement 1–4' }),
        count: Count('scored leads with this grade'),
      }),
    ),
    description: 'all sixteen grades A1 … D4; only rules models grade',
  },
  ungraded: Count('scored leads without a grade (their score came from a trained model)'),
});
export type ScoreDistribution = Static<typeof ScoreDistributionSchema>;

const Outcomes = {
  converted: Count('leads converted'),
  lost: Count('leads lost'),
  decided: Count('converted + lost'),
  rate: nullable(Type.Number({ description: 'converted / decided; null when none is decided' })),
  interval: nullable(
    Type.Object(
      { lower: Type.Number(), upper: Type.Number() },
      { description: 'the 95% Wilson score interval of the rate; null when none is decided' },
    ),
  ),
};
const RateCounts = { ...Outcomes, open: Count('leads not decided yet') };

export const ConversionRatesSchema = Type.Object({
  confidence: Type.Number({ description: 'the level of every interval: 0.95' }),
  overall: Type.Object(RateCounts),
  byScoreBand: {
    ...Type.Array(Type.Object({ ...Band, ...Outcomes })),
    description:
      'by the score each lead had when it was converted or lost (not its score today): the ten bands, then "unscored" for leads decided before they had a score (lower and upper null). Open leads have no such score and are not in any band.',
  },
  bySource: {
    ...Type.Array(Type.Object({ source: nullable(Type.String()), ...RateCounts })),
    description: 'the sources with the most leads first (null: no source); at most 100',
  },
  sourcesOmitted: Count('sources beyond the first 100, left out of bySource'),
  byCohort: {
    ...Type.Array(
      Type.Object({
        month: Type.String({ description: 'YYYY-MM (UTC) the leads were created in' }),
        ...RateCounts,
      }),
    ),
    description: 'by the month leads were created, oldest first; months without leads left out',
  },
});
export type ConversionRates = Static<typeof ConversionRatesSchema>;
const RateCountsObject = Type.Object(RateCounts);
export type RateCountsView = Static<typeof RateCountsObject>;

const Metric = Type.Number();
const EvaluationMetricsSchema = Type.Object({
  baseRate: { ...Metric, description: 'converted / scored outcomes' },
  rocAuc: { ...Metric, description: 'chance a converted lead outscored a lost one (ties ½)' },
  prAuc: { ...Metric, description: 'average precision' },
  brier: { ...Metric, description: 'mean squared error of score/100 against the outcome' },
  logLoss: { ...Metric, description: 'of score/100 as the predicted probability' },
  calibration: {
    ...Type.Array(
      Type.Object({
        lower: Type.Number(),
        upper: Type.Number(),
        count: Type.Integer(),
        meanPredicted: nullable(Type.Number()),
        observedRate: nullable(Type.Number()),
      }),
    ),
    description:
      'ten equal bins of score/100 (bin k covers (lower, upper], the first also 0): mean predicted against observed conversion; empty bins have nulls',
  },
  lift: {
    ...Type.Array(
      Type.Object({
        decile: Type.Integer({ description: '1: the highest-scored tenth' }),
        count: Type.Integer(),
        positives: Type.Number({ description: 'fractional when tied scores straddle deciles' }),
        rate: Type.Number(),
        lift: Type.Number({ description: 'rate over the base rate' }),
        cumulativeGain: Type.Number(),
        cumulativeLift: Type.Number(),
      }),
    ),
    description: 'by decile of score, highest first',
  },
});

const EvaluationSchema = Type.Object({
  outcomes: Count('leads decided in the period'),
  scored: Count('of which the version had scored before the decision: what the metrics read'),
  converted: Count('scored outcomes that converted'),
  lost: Count('scored outcomes that were lost'),
  metrics: nullable(EvaluationMetricsSchema),
  reason: nullable(Type.String({ description: 'why metrics is null' })),
});
export type Evaluation = Static<typeof EvaluationSchema>;

const DriftLevelSchema = Type.Enum(['stable', 'moderate', 'significant'], {
  description: `stable below ${PSI_MODERATE}, moderate from ${PSI_MODERATE} to ${PSI_SIGNIFICANT}, significant from ${PSI_SIGNIFICANT}`,
});
const driftSummary = {
  scoredLeads: Count('leads the version scored in the period: the newest score of each is counted'),
  psi: nullable(
    Type.Number({
      description: `population stability index Σ (actual − expected) · ln(actual / expected) over the ten bands, each band’s count plus ${PSI_PSEUDO_COUNT} on both sides`,
    }),
  ),
  level: nullable(DriftLevelSchema),
  driftWarning: Type.Boolean({ description: `psi ≥ ${PSI_SIGNIFICANT}` }),
  reason: nullable(Type.String({ description: 'why psi is null' })),
};
const DriftSummarySchema = Type.Object(driftSummary);
export type DriftSummary = Static<typeof DriftSummarySchema>;

const DriftSchema = Type.Object({
  ...driftSummary,
  bands: Type.Array(
    Type.Object({
      ...Band,
      expected: Count('baseline scores in the band'),
      actual: Count('live scores in the band'),
    }),
  ),
});

const Statuses = Type.Array(Type.Enum([...LEAD_STATUSES]));

export const ModelPerformanceSchema = Type.Object({
  modelId: Uuid,
  version: Type.Integer(),
  status: Type.String(),
  label: Type.Object(
    { converted: Statuses, lost: Statuses },
    { description: 'the statuses the version counts as converted and lost (its training label)' },
  ),
  scoringSince: nullable({
    ...DateTime,
    description:
      'when it started scoring live: the earlier of its activation and the start of its run as challenger; null: never has',
  }),
  from: nullable({ ...DateTime, description: 'the later of `from` and scoringSince' }),
  to: DateTime,
  window: nullable(Type.Enum([...WINDOWS])),
  performance: {
    ...EvaluationSchema,
    description:
      'each lead decided (status_changed_at) in the period, against the last score the version gave it before the decision (lead_scores as the active model, challenger_scores as the challenger)',
  },
  baseline: nullable(
    Type.Object(
      {
        source: Type.Enum(['training', 'backtest'], {
          description:
            'training: the scores of its training evaluation (every decided lead, at its outcome); backtest: its last backtest’s, when training stored none',
        }),
        leads: Count('scores in the baseline'),
      },
      { description: 'the distribution drift is measured against; null: none stored' },
    ),
  ),
  drift: {
    ...DriftSchema,
    description:
      'the newest score the version wrote in the period for each lead, against the baseline. The baseline holds decided leads only, so a population of many cold, open leads reads as shifted: watch the trend over windows as much as the level.',
  },
  windows: Type.Array(
    Type.Object({
      start: DateTime,
      end: DateTime,
      performance: EvaluationSchema,
      drift: DriftSummarySchema,
    }),
    { description: 'one per week or month (with `window`), oldest first; empty without it' },
  ),
});
export type ModelPerformance = Static<typeof ModelPerformanceSchema>;
