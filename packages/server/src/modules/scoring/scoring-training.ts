/**
 * Learning from an organisation's own outcomes: every decided lead's features as of the day it
 * was decided (so nothing that happened after the outcome leaks in), a model fitted on them,
 * and the evidence for trusting it — cross-validated ROC AUC, a holdout evaluation
 * (calibration, lift, conversion by score band) and which features it leans on.
 *
 * Pure and synchronous; the job handler reads the histories and stores what comes out.
 */
import {
  computeLeadFeatures,
  createFeatureMatrix,
  crossValidate,
  evaluateBinary,
  type Feature,
  type FeatureMatrix,
  featureImportance,
  type Labels,
  type LeadActivity,
  type LeadFeatureConfig,
  type LeadProfile,
  type ProbabilisticModel,
  probabilityToScore,
  type RulesModelConfig,
  scoreWithRules,
  sigmoid,
  trainGbdt,
  trainLogistic,
} from '@leadscore/engine';
import type { ModelType } from '../../db/schema.js';
import { type LeadModelJSON, leadModelJSON } from '../../pipeline/scoring-model.js';
import type { PerformanceMetrics } from './scoring.schemas.js';

/** One decided lead: who it is, what it did, when it was decided and how. */
export interface DecidedLead {
  readonly profile: LeadProfile;
  /** Its activities; those after `decidedAt` are ignored. */
  readonly activities: readonly LeadActivity[];
  /** ms since the epoch. */
  readonly decidedAt: number;
  readonly converted: boolean;
}

export type TrainingSpec =
  | {
      readonly algorithm: 'gbdt' | 'logistic';
      readonly modelType: ModelType;
      readonly features: LeadFeatureConfig;
    }
  | { readonly algorithm: 'rules'; readonly rules: RulesModelConfig };

export interface TrainingResult {
  /** The trained model (null for rules, which are evaluated, not trained). */
  readonly model: LeadModelJSON | null;
  readonly metrics: PerformanceMetrics;
}

/** Decided leads of each outcome that training needs at the least (and that the folds need). */
export const MIN_OUTCOMES_PER_CLASS = 10;
export const CV_FOLDS = 5;
/** Fixed, so that training the same history twice gives the same model and metrics. */
export const TRAINING_SEED = 42;

/** The history cannot train a model; the message says why in words a user can act on. */
export class TrainingDataError extends Error {
  override readonly name = 'TrainingDataError';
}

/** Which lead features each `model_type` may learn from. */
const GROUPS_BY_MODEL_TYPE: Record<ModelType, readonly Feature['group'][]> = {
  behavioral: ['behavioural', 'engagement'],
  demographic: ['demographic'],
  composite: ['behavioural', 'engagement', 'demographic'],
};

export function trainOnHistory(
  leads: readonly DecidedLead[],
  spec: TrainingSpec,
  now: Date,
): TrainingResult {
  const started = performance.now();
  const features = spec.algorithm === 'rules' ? spec.rules.features : spec.features;
  const { rows, labels, skipped } = featuresAsOfOutcome(leads, features);
  const positives = labels.reduce((sum, label) => sum + label, 0);
  checkOutcomes(positives, labels.length - positives);
  const decidedAt = rows.map((row) => row.decidedAt);
  const common = {
    evaluatedAt: now.toISOString(),
    seed: TRAINING_SEED,
    rows: labels.length,
    positives,
    baseRate: positives / labels.length,
    skippedLeads: skipped,
    outcomesFrom: new Date(Math.min(...decidedAt)).toISOString(),
    outcomesTo: new Date(Math.max(...decidedAt)).toISOString(),
  };

  if (spec.algorithm === 'rules') {
    // A points model learns nothing from the history, so every decided lead tests it.
    const scores = rows.map((row) => scoreWithRules(spec.rules, row.profile, row.features).score);
    const evaluation = evaluateBinary(
      labels,
      scores.map((score) => score / 100),
      scores,
    );
    return {
      model: null,
      metrics: {
        ...common,
        rocAuc: evaluation.rocAuc,
        rocAucSource: 'evaluation',
        crossValidation: null,
        holdout: evaluation,
        featureImportance: [],
        trainingMs: Math.round(performance.now() - started),
      },
    };
  }

  const matrix = selectGroups(rows, spec.modelType);
  const fit = (train: FeatureMatrix, trainLabels: Labels): ProbabilisticModel =>
    spec.algorithm === 'gbdt'
      ? trainGbdt(train, trainLabels, { seed: TRAINING_SEED })
      : trainLogistic(train, trainLabels);
  const predict = (train: FeatureMatrix, trainLabels: Labels, test: FeatureMatrix) =>
    fit(train, trainLabels).predictLogOdds(test).map(sigmoid);

  const cv = crossValidate(matrix, labels, { folds: CV_FOLDS, seed: TRAINING_SEED }, predict);
  // Every lead scored by the fold model that did not learn from it: a holdout of all the rows,
  // and one fit fewer than a separate split would cost.
  const holdout = evaluateBinary(
    labels,
    cv.outOfFoldProbabilities,
    Uint8Array.from(cv.outOfFoldProbabilities, probabilityToScore),
  );
  const model = fit(matrix, labels);
  const importance = featureImportance(model, matrix);
  return {
    model: leadModelJSON(model, importance),
    metrics: {
      ...common,
      rocAuc: cv.summary.rocAuc.mean,
      rocAucSource: 'cross_validation',
      crossValidation: { folds: CV_FOLDS, ...cv.summary, perFold: cv.folds },
      holdout,
      featureImportance: importance,
      trainingMs: Math.round(performance.now() - started),
    },
  };
}

export function checkOutcomes(converted: number, lost: number): void {
  if (converted < MIN_OUTCOMES_PER_CLASS || lost < MIN_OUTCOMES_PER_CLASS) {
    throw new TrainingDataError(
      `Training needs at least ${MIN_OUTCOMES_PER_CLASS} converted and ${MIN_OUTCOMES_PER_CLASS} lost leads; the window holds ${converted} converted and ${lost} lost`,
    );
  }
}

interface FeatureRow {
  readonly profile: LeadProfile;
  readonly features: ReturnType<typeof computeLeadFeatures>;
  readonly decidedAt: number;
}

/**
 * Each lead's features as of its outcome. A lead whose history the feature code rejects (an
 * activity the scorer has not yet seen and will record as failed) is left out and counted.
 */
function featuresAsOfOutcome(
  leads: readonly DecidedLead[],
  config: LeadFeatureConfig,
): { rows: FeatureRow[]; labels: Labels; skipped: number } {
  const rows: FeatureRow[] = [];
  const labels: number[] = [];
  let skipped = 0;
  for (const lead of leads) {
    try {
      const features = computeLeadFeatures(lead.profile, lead.activities, lead.decidedAt, config);
      rows.push({ profile: lead.profile, features, decidedAt: lead.decidedAt });
      labels.push(lead.converted ? 1 : 0);
    } catch {
      skipped++;
    }
  }
  return { rows, labels: Uint8Array.from(labels), skipped };
}

/** The matrix of the features `modelType` may learn from. */
function selectGroups(rows: readonly FeatureRow[], modelType: ModelType): FeatureMatrix {
  const schema = rows[0]?.features.schema ?? [];
  const groups = GROUPS_BY_MODEL_TYPE[modelType];
  const kept = schema.flatMap((feature, j) => (groups.includes(feature.group) ? [j] : []));
  if (kept.length === 0) {
    throw new TrainingDataError(`no lead feature suits a ${modelType} model under this config`);
  }
  return createFeatureMatrix(
    kept.map((j) => schema[j] as Feature),
    kept.map((j) => Float64Array.from(rows, (row) => row.features.values[j] as number)),
  );
}
