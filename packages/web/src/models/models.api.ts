import { api, type LeadStatus, type Page } from '../api/api';

/*
 * The model registry's API (packages/server/src/modules/scoring/scoring.schemas.ts is the
 * contract): versions, their deployment gate and performance, backtests, the challenger,
 * activation and rollback with the bulk rescore they queue.
 */

export type ModelAlgorithm = 'gbdt' | 'logistic' | 'rules';
export type ModelType = 'behavioral' | 'demographic' | 'composite';
export type ModelStatus = 'training' | 'ready' | 'failed' | 'active' | 'retired' | 'challenger';

export interface OutcomeLabel {
  converted: LeadStatus[];
  lost: LeadStatus[];
}

export interface Model {
  id: string;
  name: string;
  version: number;
  modelType: ModelType;
  algorithm: ModelAlgorithm;
  status: ModelStatus;
  isActive: boolean;
  error: string | null;
  label: OutcomeLabel | null;
  windowDays: number | null;
  rocAuc: number | null;
  trainingJobId: string | null;
  parentId: string | null;
  previousModelId: string | null;
  createdBy: string | null;
  createdAt: string;
  trainedAt: string | null;
  activatedAt: string | null;
  activatedBy: string | null;
  retiredAt: string | null;
  challengerSince: string | null;
}

/** The deployment gate: the model's ROC AUC must be strictly above the threshold. */
export interface Gate {
  metric: 'rocAuc';
  value: number;
  threshold: number;
  passed: boolean;
}

export interface ModelDetail extends Model {
  gate: Gate | null;
}

export interface CreateModelRequest {
  name: string;
  algorithm: ModelAlgorithm;
  modelType: ModelType;
  label?: OutcomeLabel;
  windowDays?: number;
}

export type RescoreStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'superseded';

export interface Rescore {
  id: string;
  modelId: string | null;
  reason: 'activation' | 'rollback';
  status: RescoreStatus;
  total: number | null;
  done: number;
  failed: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface Activation extends Model {
  rescore: Rescore | null;
}

export interface Rollback {
  active: Model | null;
  retired: Model;
  rescore: Rescore | null;
}

export interface MeanAndStd {
  mean: number;
  std: number;
}

export interface LiftDecile {
  decile: number;
  count: number;
  positives: number;
  rate: number | null;
  lift: number | null;
  cumulativeGain: number | null;
  cumulativeLift: number | null;
}

export interface ScoreBand {
  lower: number;
  upper: number;
  count: number;
  converted: number;
  rate: number | null;
}

export interface RocPoint {
  fpr: number;
  tpr: number;
}

export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number | null;
  observedRate: number | null;
}

export interface HoldoutEvaluation {
  rows: number;
  positives: number;
  baseRate: number;
  rocAuc: number;
  /** Absent for versions trained before the curve was recorded. */
  rocCurve?: RocPoint[];
  prAuc: number;
  logLoss: number;
  brier: number;
  calibration: CalibrationBin[];
  lift: LiftDecile[];
  conversionByBand: ScoreBand[];
}

export interface FeatureImportance {
  feature: string;
  meanAbsShap: number;
  gain: number | null;
}

export interface PerformanceMetrics {
  evaluatedAt: string;
  rows: number;
  positives: number;
  baseRate: number;
  skippedLeads: number;
  outcomesFrom: string | null;
  outcomesTo: string | null;
  rocAuc: number;
  rocAucSource: 'cross_validation' | 'evaluation';
  crossValidation: {
    folds: number;
    rocAuc: MeanAndStd;
    prAuc: MeanAndStd;
    logLoss: MeanAndStd;
    brier: MeanAndStd;
  } | null;
  holdout: HoldoutEvaluation;
  featureImportance: FeatureImportance[];
  trainingMs: number;
}

export interface BacktestReport {
  leads: number;
  converted: number;
  skippedLeads: number;
  rocAuc: number;
  prAuc: number;
  lift: LiftDecile[];
  conversionByBand: ScoreBand[];
  mqlThreshold: number;
  mqlsByMonth: { month: string; mqls: number; converted: number }[];
  mqlPrecision: number | null;
  mqlRecall: number;
}

export interface Backtest {
  status: 'queued' | 'succeeded' | 'failed';
  jobId: string;
  requestedAt: string;
  finishedAt: string | null;
  windowDays: number;
  outcomesFrom: string | null;
  outcomesTo: string | null;
  mqlThreshold: number;
  mqlThresholdSource: 'request' | 'alert_rule' | 'default';
  error: string | null;
  leadsInTrainingWindow: number | null;
  report: BacktestReport | null;
}

export interface ComparisonSide {
  meanScore: number | null;
  rocAuc: number | null;
}

export interface Comparison {
  challengerModelId: string;
  activeModelId: string | null;
  since: string;
  running: boolean;
  scorings: number;
  leads: number;
  challenger: ComparisonSide;
  active: ComparisonSide;
  meanAbsoluteDifference: number | null;
  sameBandShare: number | null;
  bands: { lower: number; upper: number; challenger: number; active: number }[];
  outcomes: { converted: number; lost: number; reason: string | null };
}

export interface Performance {
  modelId: string;
  version: number;
  algorithm: ModelAlgorithm;
  status: ModelStatus;
  error: string | null;
  gate: Gate | null;
  metrics: PerformanceMetrics | null;
  backtest: Backtest | null;
  comparison: Comparison | null;
}

export interface ListModelsQuery {
  cursor?: string | undefined;
  limit: number;
}

const modelsApi = api.injectEndpoints({
  endpoints: (build) => ({
    listModels: build.query<Page<Model>, ListModelsQuery>({
      query: ({ cursor, limit }) => ({
        url: 'scoring/models',
        params: { limit, ...(cursor && { cursor }) },
      }),
      providesTags: ['Model'],
    }),
    getModel: build.query<ModelDetail, string>({
      query: (id) => `scoring/models/${id}`,
      providesTags: ['Model'],
    }),
    getPerformance: build.query<Performance, string>({
      query: (id) => `scoring/models/${id}/performance`,
      providesTags: ['Model'],
    }),
    createModel: build.mutation<Model, CreateModelRequest>({
      query: (body) => ({ url: 'scoring/models', method: 'POST', body }),
      invalidatesTags: ['Model'],
    }),
    activateModel: build.mutation<Activation, { id: string; force: boolean }>({
      query: ({ id, force }) => ({
        url: `scoring/models/${id}/activate`,
        method: 'PUT',
        ...(force && { params: { force: true } }),
      }),
      // Rescoring moves every lead's score; the rules in use may have changed too.
      invalidatesTags: ['Model', 'Rules', 'Lead'],
    }),
    rollbackModel: build.mutation<Rollback, string>({
      query: (id) => ({ url: `scoring/models/${id}/rollback`, method: 'POST' }),
      invalidatesTags: ['Model', 'Rules', 'Lead'],
    }),
    startChallenger: build.mutation<Model, string>({
      query: (id) => ({ url: `scoring/models/${id}/challenger`, method: 'PUT' }),
      invalidatesTags: ['Model'],
    }),
    stopChallenger: build.mutation<Model, string>({
      query: (id) => ({ url: `scoring/models/${id}/challenger`, method: 'DELETE' }),
      invalidatesTags: ['Model'],
    }),
    runBacktest: build.mutation<Backtest, { id: string; mqlThreshold?: number }>({
      query: ({ id, mqlThreshold }) => ({
        url: `scoring/models/${id}/backtest`,
        method: 'POST',
        body: mqlThreshold === undefined ? {} : { mqlThreshold },
      }),
      invalidatesTags: ['Model'],
    }),
    getRescore: build.query<Rescore, string>({
      query: (id) => `scoring/rescores/${id}`,
    }),
  }),
});

export const {
  useListModelsQuery,
  useGetModelQuery,
  useGetPerformanceQuery,
  useCreateModelMutation,
  useActivateModelMutation,
  useRollbackModelMutation,
  useStartChallengerMutation,
  useStopChallengerMutation,
  useRunBacktestMutation,
  useGetRescoreQuery,
} = modelsApi;

/** For writing live updates (rescore_progress) into the cached rescore. */
export const updateModelsCache = modelsApi.util.updateQueryData;
