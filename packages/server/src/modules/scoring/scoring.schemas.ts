import { type Static, Type } from 'typebox';
import { LEAD_STATUSES, type ModelStatus, type ModelType } from '../../db/schema.js';
import { PageQuery, pageSchema } from '../../http/pagination.js';
import { DateTime, nullable, Uuid } from '../../http/schema-types.js';
import { MODEL_ALGORITHMS } from '../../pipeline/scoring-model.js';

const MODEL_TYPES = [
  'behavioral',
  'demographic',
  'composite',
] as const satisfies readonly ModelType[];
const MODEL_STATUSES = [
  'training',
  'ready',
  'failed',
  'active',
  'retired',
  'challenger',
] as const satisfies readonly ModelStatus[];

/** A metric that is undefined on some data (an empty band, a fold with one class). */
const Metric = nullable(Type.Number());

export const DEFAULT_WINDOW_DAYS = 365;

const Statuses = Type.Array(Type.Enum([...LEAD_STATUSES]), { minItems: 1, uniqueItems: true });
export const LabelSchema = Type.Object(
  {
    converted: { ...Statuses, description: 'lead statuses that count as converted' },
    lost: { ...Statuses, description: 'lead statuses that count as lost' },
  },
  { additionalProperties: false },
);
export type Label = Static<typeof LabelSchema>;

/** A rules model as JSON (`leadscore-rules`); the engine checks it field by field. */
export const RulesJson = Type.Object(
  {},
  {
    additionalProperties: true,
    description:
      'a points model: {format: "leadscore-rules", formatVersion: 1, features, rules, caps, weights, grades} (GET /scoring/rules shows the one in use)',
  },
);

export const CreateModelBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 255 }),
    algorithm: Type.Enum([...MODEL_ALGORITHMS], {
      description:
        'gbdt (gradient-boosted trees) or logistic are trained on your history; rules evaluates a points model on it',
    }),
    modelType: Type.Enum([...MODEL_TYPES], {
      description:
        'which lead features a trained model may use: behavioral (activity and engagement), demographic (who the lead is) or composite (both)',
    }),
    label: Type.Optional({
      ...LabelSchema,
      description: 'which statuses are outcomes; default converted vs lost',
    }),
    windowDays: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 3650,
        default: DEFAULT_WINDOW_DAYS,
        description: 'learn from leads decided within this many days',
      }),
    ),
    rules: Type.Optional({
      ...RulesJson,
      description: 'with algorithm rules: the points model to evaluate; default the rules in use',
    }),
  },
  { additionalProperties: false },
);
export type CreateModelInput = Static<typeof CreateModelBody>;

export const ModelParams = Type.Object({ id: Uuid });

export const ListModelsQuery = Type.Object(
  { ...PageQuery, status: Type.Optional(Type.Enum([...MODEL_STATUSES])) },
  { additionalProperties: false },
);
export type ListModelsQuery = Static<typeof ListModelsQuery>;

export const ActivateQuery = Type.Object(
  {
    force: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'activate even below the deployment gate (owners and admins only; audited)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const GateSchema = Type.Object({
  metric: Type.Literal('rocAuc'),
  value: Type.Number(),
  threshold: Type.Number(),
  passed: Type.Boolean({ description: 'value is strictly above threshold' }),
});
export type Gate = Static<typeof GateSchema>;

export const ModelSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  version: Type.Integer({ description: 'counts up per organisation' }),
  modelType: Type.Enum([...MODEL_TYPES]),
  algorithm: Type.Enum([...MODEL_ALGORITHMS]),
  status: Type.Enum([...MODEL_STATUSES]),
  isActive: Type.Boolean(),
  error: nullable(Type.String({ description: 'why training failed' })),
  label: nullable(LabelSchema),
  windowDays: nullable(Type.Integer()),
  rocAuc: nullable(Type.Number({ description: 'the ROC AUC the deployment gate reads' })),
  trainingJobId: nullable(Uuid),
  parentId: nullable({ ...Uuid, description: 'the version this one was derived from' }),
  previousModelId: nullable({
    ...Uuid,
    description: 'the version active before this one was activated (what a rollback restores)',
  }),
  createdBy: nullable(Uuid),
  createdAt: DateTime,
  trainedAt: nullable(DateTime),
  activatedAt: nullable(DateTime),
  activatedBy: nullable(Uuid),
  retiredAt: nullable(DateTime),
  challengerSince: nullable({
    ...DateTime,
    description:
      'when the version last became the challenger (kept after it stops: its comparison covers the scores since)',
  }),
});
export type Model = Static<typeof ModelSchema>;

export const ModelPageSchema = pageSchema(ModelSchema);

export const ModelDetailSchema = Type.Object({
  ...ModelSchema.properties,
  gate: nullable({
    ...GateSchema,
    description: 'the deployment gate as it stands; null for models without metrics',
  }),
  rules: nullable({ ...Type.Unknown(), description: 'the points model, for a rules model' }),
});
export type ModelDetail = Static<typeof ModelDetailSchema>;

const MeanAndStd = Type.Object({ mean: Type.Number(), std: Type.Number() });

const LiftDecileSchema = Type.Object({
  decile: Type.Integer(),
  count: Type.Integer(),
  positives: Type.Number(),
  rate: Metric,
  lift: Metric,
  cumulativeGain: Metric,
  cumulativeLift: Metric,
});

const ScoreBandSchema = Type.Object({
  lower: Type.Number(),
  upper: Type.Number(),
  count: Type.Integer(),
  converted: Type.Integer(),
  rate: Metric,
});

const BinaryEvaluationSchema = Type.Object({
  rows: Type.Integer(),
  positives: Type.Integer(),
  baseRate: Type.Number(),
  rocAuc: Type.Number(),
  rocCurve: Type.Optional(
    Type.Array(Type.Object({ fpr: Type.Number(), tpr: Type.Number() }), {
      description:
        'the ROC curve from (0, 0) to (1, 1), at most 101 points; absent for versions trained before it was recorded',
    }),
  ),
  prAuc: Type.Number(),
  logLoss: Type.Number(),
  brier: Type.Number(),
  calibration: Type.Array(
    Type.Object({
      lower: Type.Number(),
      upper: Type.Number(),
      count: Type.Integer(),
      meanPredicted: Metric,
      observedRate: Metric,
    }),
  ),
  lift: Type.Array(LiftDecileSchema),
  conversionByBand: Type.Array(ScoreBandSchema),
});

export const PerformanceMetricsSchema = Type.Object({
  evaluatedAt: DateTime,
  seed: Type.Integer(),
  rows: Type.Integer({ description: 'decided leads learned from' }),
  positives: Type.Integer({ description: 'of which converted' }),
  baseRate: Type.Number(),
  skippedLeads: Type.Integer({
    description: 'decided leads left out because an activity of theirs could not be read',
  }),
  outcomesFrom: nullable(DateTime),
  outcomesTo: nullable(DateTime),
  rocAuc: Type.Number({ description: 'the headline ROC AUC, the one the deployment gate reads' }),
  rocAucSource: Type.Enum(['cross_validation', 'evaluation'], {
    description:
      'cross_validation: the mean over folds (trained models); evaluation: on every decided lead (rules, which learn nothing)',
  }),
  crossValidation: nullable(
    Type.Object({
      folds: Type.Integer(),
      rocAuc: MeanAndStd,
      prAuc: MeanAndStd,
      logLoss: MeanAndStd,
      brier: MeanAndStd,
      perFold: Type.Array(
        Type.Object({
          fold: Type.Integer(),
          trainRows: Type.Integer(),
          testRows: Type.Integer(),
          rocAuc: Type.Number(),
          prAuc: Type.Number(),
          logLoss: Type.Number(),
          brier: Type.Number(),
        }),
      ),
    }),
  ),
  holdout: {
    ...BinaryEvaluationSchema,
    description:
      'every decided lead scored by a model that did not learn from it (the cross-validation fold that held it out; rules learn nothing): calibration, lift by decile, conversion by 10-point score band',
  },
  featureImportance: Type.Array(
    Type.Object({
      feature: Type.String(),
      meanAbsShap: Type.Number({ description: 'mean |attribution| in log-odds' }),
      gain: nullable(Type.Number({ description: 'total split gain (trees)' })),
    }),
    { description: 'the final model’s features, most influential first (empty for rules)' },
  ),
  trainingMs: Type.Integer(),
});
export type PerformanceMetrics = Static<typeof PerformanceMetricsSchema>;

export const DEFAULT_MQL_THRESHOLD = 70;

export const BacktestBody = Type.Object(
  {
    mqlThreshold: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 100,
        description: `the score at which a lead becomes an MQL; default the threshold of the organisation’s active becomes_mql alert rule (the lowest, if several), else ${DEFAULT_MQL_THRESHOLD}`,
      }),
    ),
    label: Type.Optional({
      ...LabelSchema,
      description:
        'which statuses are outcomes; default the version’s own label, else converted vs lost',
    }),
    windowDays: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 3650,
        description:
          'replay the leads decided within this many days; default the version’s own training window, else 365',
      }),
    ),
  },
  { additionalProperties: false },
);
export type BacktestInput = Static<typeof BacktestBody>;

export const BacktestReportSchema = Type.Object({
  leads: Type.Integer({ description: 'decided leads replayed' }),
  converted: Type.Integer(),
  skippedLeads: Type.Integer({
    description: 'decided leads left out because an activity of theirs could not be read',
  }),
  rocAuc: Type.Number({ description: 'of the score each lead had the day it was decided' }),
  prAuc: Type.Number(),
  lift: Type.Array(LiftDecileSchema),
  conversionByBand: {
    ...Type.Array(ScoreBandSchema),
    description: 'leads (and conversions) in each 10-point band of the score at the outcome',
  },
  mqlThreshold: Type.Integer(),
  mqlsByMonth: {
    ...Type.Array(
      Type.Object({
        month: Type.String({ description: 'YYYY-MM (UTC)' }),
        mqls: Type.Integer({ description: 'leads that first reached the MQL line that month' }),
        converted: Type.Integer({ description: 'of which converted' }),
      }),
    ),
    description: 'the MQLs the version would have handed to sales, by month',
  },
  mqlPrecision: nullable(
    Type.Number({ description: 'converted MQLs / MQLs; null when there was no MQL' }),
  ),
  mqlRecall: Type.Number({ description: 'converted MQLs / converted leads' }),
});

export const BacktestSchema = Type.Object({
  status: Type.Enum(['queued', 'succeeded', 'failed']),
  jobId: Uuid,
  requestedAt: DateTime,
  finishedAt: nullable(DateTime),
  label: LabelSchema,
  windowDays: Type.Integer(),
  outcomesFrom: nullable({
    ...DateTime,
    description: 'the window replayed: leads decided from here to outcomesTo (set when it ran)',
  }),
  outcomesTo: nullable(DateTime),
  mqlThreshold: Type.Integer(),
  mqlThresholdSource: Type.Enum(['request', 'alert_rule', 'default'], {
    description: 'where the MQL line came from',
  }),
  error: nullable(
    Type.String({ description: 'why the backtest could not run (too few outcomes, …)' }),
  ),
  trainingWindow: nullable({
    ...Type.Object({ from: DateTime, to: DateTime }),
    description:
      'the outcomes the version was trained (or evaluated) on; null for versions never trained',
  }),
  leadsInTrainingWindow: nullable(
    Type.Integer({
      description:
        'backtested leads decided within the training window: a trained version has seen their outcomes, so on them the backtest is in-sample and flatters it. Backtesting over the training window itself measures fit, not foresight; the cross-validated metrics are the out-of-sample figures.',
    }),
  ),
  report: nullable(BacktestReportSchema),
});
export type Backtest = Static<typeof BacktestSchema>;

const ModelSide = Type.Object({
  meanScore: Metric,
  rocAuc: nullable(
    Type.Number({ description: 'of the latest scores before each outcome; null: see `reason`' }),
  ),
});

export const ComparisonSchema = Type.Object({
  challengerModelId: Uuid,
  activeModelId: nullable({
    ...Uuid,
    description:
      'only the scores made beside this active version are compared (the active version’s report); null: beside whichever version was active (the challenger’s report)',
  }),
  since: DateTime,
  running: Type.Boolean({ description: 'the challenger is still scoring' }),
  scorings: Type.Integer({ description: 'challenger scores written' }),
  leads: Type.Integer({
    description: 'leads scored; the figures below compare each lead’s latest pair of scores',
  }),
  challenger: ModelSide,
  active: ModelSide,
  meanAbsoluteDifference: Metric,
  sameBandShare: {
    ...Metric,
    description: 'share of leads both models put in the same 10-point band',
  },
  bands: Type.Array(
    Type.Object({
      lower: Type.Integer(),
      upper: Type.Integer(),
      challenger: Type.Integer(),
      active: Type.Integer(),
    }),
    { description: 'leads per 10-point band (the last holds 100) by each model' },
  ),
  outcomes: Type.Object({
    converted: Type.Integer({ description: 'leads decided since the challenger started' }),
    lost: Type.Integer(),
    reason: nullable(
      Type.String({ description: 'why the ROC AUCs are null (too few outcomes of a class)' }),
    ),
  }),
});
export type Comparison = Static<typeof ComparisonSchema>;

export const PerformanceSchema = Type.Object({
  modelId: Uuid,
  version: Type.Integer(),
  algorithm: Type.Enum([...MODEL_ALGORITHMS]),
  status: Type.Enum([...MODEL_STATUSES]),
  error: nullable(Type.String()),
  gate: nullable(GateSchema),
  metrics: nullable({ ...PerformanceMetricsSchema, description: 'null until trained' }),
  backtest: nullable({
    ...BacktestSchema,
    description: 'the last backtest asked for (POST /scoring/models/{id}/backtest)',
  }),
  comparison: nullable({
    ...ComparisonSchema,
    description:
      'side by side with the active model, for a version that is or was the challenger; for the active version, beside the current challenger',
  }),
});
export type Performance = Static<typeof PerformanceSchema>;

export const RescoreParams = Type.Object({ id: Uuid });

export const RescoreSchema = Type.Object({
  id: Uuid,
  modelId: nullable({
    ...Uuid,
    description: 'the model the leads are rescored with; null: the built-in default rules',
  }),
  reason: Type.Enum(['activation', 'rollback']),
  status: Type.Enum(['queued', 'running', 'succeeded', 'failed', 'superseded'], {
    description:
      'superseded: a newer activation took over before this rescore finished (it stopped where it was)',
  }),
  total: nullable(
    Type.Integer({ description: 'the organisation’s leads when it started; null until then' }),
  ),
  done: Type.Integer({ description: 'leads rescored so far' }),
  failed: Type.Integer({ description: 'leads whose stored activity state could not be scored' }),
  error: nullable(Type.String({ description: 'why the rescore failed' })),
  createdAt: DateTime,
  startedAt: nullable(DateTime),
  finishedAt: nullable(DateTime),
});
export type Rescore = Static<typeof RescoreSchema>;

export const RescoreOfChange = nullable({
  ...RescoreSchema,
  description:
    'the rescore of every lead with the model now in use (GET /scoring/rescores/{id}; rescore_progress events)',
});

export const ActivationSchema = Type.Object({
  ...ModelSchema.properties,
  rescore: RescoreOfChange,
});
export type Activation = Static<typeof ActivationSchema>;

export const RollbackSchema = Type.Object({
  active: nullable({
    ...ModelSchema,
    description: 'the model now active; null: back to the built-in default rules',
  }),
  retired: ModelSchema,
  rescore: RescoreOfChange,
});
export type Rollback = Static<typeof RollbackSchema>;
