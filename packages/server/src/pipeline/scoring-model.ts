/**
 * A `scoring_models` row turned into something that scores a lead: rules (points) models and
 * models trained on the organisation's own history (gradient-boosted trees, logistic
 * regression) behind one interface, so the scorer, previews and ad-hoc scoring treat them
 * alike. The stored config is `{algorithm, …}`:
 *
 * - `{algorithm: 'rules', rules: RulesModelConfig}`;
 * - `{algorithm: 'gbdt' | 'logistic', features: LeadFeatureConfig, model: LeadModelJSON}`, where
 *   the model was trained on lead features computed with `features` (see `leadModelJSON`).
 *
 * Other keys (the training request: label, window) are kept beside these and ignored here.
 */
import {
  createFeatureMatrix,
  defaultRulesModel,
  describeLeadFeature,
  type Explanation,
  emptyLeadFeatureState,
  explainScore,
  type FeatureImportance,
  featuresFromState,
  gbdtFromJSON,
  type LeadFeatureConfig,
  type LeadFeatures,
  type LeadProfile,
  leadFeatureConfigFromJSON,
  leadFeatureSchema,
  logisticFromJSON,
  type ProbabilisticModel,
  probabilityToScore,
  type RulesModelConfig,
  rulesFromJSON,
  scoreWithRules,
  sigmoid,
  topReasons,
} from '@leadscore/engine';

export type ModelAlgorithm = 'rules' | 'gbdt' | 'logistic';
export const MODEL_ALGORITHMS: readonly ModelAlgorithm[] = ['rules', 'gbdt', 'logistic'];

/** One lead's score as stored in `lead_scores`. */
export interface ModelScore {
  /** 0–100, an integer. */
  readonly score: number;
  /**
   * `lead_scores.score_breakdown`: the seed's `behavioral`, `demographic` and `engagement` (plus
   * `baseline` for trained models) add up exactly to `score`; then what explains it.
   */
  readonly breakdown: Record<string, unknown>;
  /** 0–1; null when the model has no notion of it (rules). */
  readonly confidence: number | null;
}

export interface ScoringModel {
  readonly algorithm: ModelAlgorithm;
  /** How the features the model reads are computed: a lead's feature state is kept with it. */
  readonly features: LeadFeatureConfig;
  /** The rules, for a rules model. */
  readonly rules: RulesModelConfig | null;
  /**
   * Scores one lead; `features` must be computed with `this.features`. `explain: false` skips
   * the breakdown of trained models (their exact attributions cost the most), for bulk
   * comparisons that need the score alone.
   */
  score(profile: LeadProfile, features: LeadFeatures, options?: ScoreOptions): ModelScore;
}

export interface ScoreOptions {
  /** Reasons to keep on each side; 3 by default. */
  readonly reasons?: number;
  /** Default true. */
  readonly explain?: boolean;
}

/** A stored model that cannot score: the message says what is wrong with it. */
export class ScoringModelError extends Error {
  override readonly name = 'ScoringModelError';
}

export const LEAD_MODEL_FORMAT = 'leadscore-lead-model';
export const LEAD_MODEL_FORMAT_VERSION = 1;

/** A model trained on lead features, as stored in `config.model`. */
export interface LeadModelJSON {
  readonly format: typeof LEAD_MODEL_FORMAT;
  readonly formatVersion: typeof LEAD_MODEL_FORMAT_VERSION;
  readonly type: 'gbdt' | 'logistic';
  /** The model's own JSON (`gbdtFromJSON` / `logisticFromJSON` read it back). */
  readonly model: unknown;
  /**
   * Mean |attribution| per feature over the training rows: how much the model leans on each,
   * which is what a score's confidence weighs the lead's known values by.
   */
  readonly importance: readonly { readonly feature: string; readonly meanAbsShap: number }[];
}

export function leadModelJSON(
  model: ProbabilisticModel,
  importance: readonly FeatureImportance[],
): LeadModelJSON {
  if (model.type === 'rules') {
    throw new ScoringModelError('a learned points table is not stored as a lead model');
  }
  return {
    format: LEAD_MODEL_FORMAT,
    formatVersion: LEAD_MODEL_FORMAT_VERSION,
    type: model.type,
    model: model.toJSON(),
    importance: importance.map(({ feature, meanAbsShap }) => ({ feature, meanAbsShap })),
  };
}

/** How many reasons of each side a stored score keeps, unless asked otherwise. */
const DEFAULT_REASONS = 3;

/** The model every organisation scores with until it activates one of its own. */
export const DEFAULT_SCORING_MODEL: ScoringModel = rulesScoringModel(defaultRulesModel());

/**
 * Reads `scoring_models.config` (an object, or its JSON text).
 *
 * @throws ScoringModelError, or the engine's error naming the field at fault.
 */
export function loadScoringModel(config: unknown): ScoringModel {
  const body = (typeof config === 'string' ? JSON.parse(config) : config) as Record<
    string,
    unknown
  > | null;
  const algorithm = body?.algorithm;
  switch (algorithm) {
    case 'rules':
      return rulesScoringModel(rulesFromJSON(body?.rules));
    case 'gbdt':
    case 'logistic':
      return trainedScoringModel(
        algorithm,
        leadFeatureConfigFromJSON(body?.features),
        body?.model as LeadModelJSON | undefined,
      );
    default:
      throw new ScoringModelError(
        `algorithm ${JSON.stringify(algorithm)} is not one of ${MODEL_ALGORITHMS.join(', ')}`,
      );
  }
}

function rulesScoringModel(rules: RulesModelConfig): ScoringModel {
  return {
    algorithm: 'rules',
    features: rules.features,
    rules,
    score(profile, features, options = {}) {
      const result = scoreWithRules(rules, profile, features, {
        reasons: options.reasons ?? DEFAULT_REASONS,
      });
      return {
        score: result.score,
        // The seed's breakdown keys (the API contract), then what explains the score.
        breakdown: {
          behavioral: result.breakdown.behavioural,
          demographic: result.breakdown.demographic,
          engagement: result.breakdown.engagement,
          fitScore: result.fitScore,
          engagementScore: result.engagementScore,
          grade: result.grade,
          reasons: result.reasons,
        },
        confidence: null,
      };
    },
  };
}

function trainedScoringModel(
  algorithm: 'gbdt' | 'logistic',
  features: LeadFeatureConfig,
  stored: LeadModelJSON | undefined,
): ScoringModel {
  if (stored?.format !== LEAD_MODEL_FORMAT || stored.formatVersion !== LEAD_MODEL_FORMAT_VERSION) {
    throw new ScoringModelError(
      `model: not a ${LEAD_MODEL_FORMAT} version ${LEAD_MODEL_FORMAT_VERSION} (is it still training?)`,
    );
  }
  if (stored.type !== algorithm) {
    throw new ScoringModelError(`model: a ${stored.type} model stored as ${algorithm}`);
  }
  const model: ProbabilisticModel =
    algorithm === 'gbdt' ? gbdtFromJSON(stored.model) : logisticFromJSON(stored.model);
  const columns = columnsOf(model, features);
  const featureKey = featuresFromState({}, emptyLeadFeatureState(), 0, features).configKey;
  const importance = model.features.map(
    (feature) => stored.importance.find((i) => i.feature === feature.name)?.meanAbsShap ?? 0,
  );
  const totalImportance = importance.reduce((sum, value) => sum + value, 0);

  return {
    algorithm,
    features,
    rules: null,
    score(profile, leadFeatures, options = {}) {
      if (leadFeatures.configKey !== featureKey) {
        throw new ScoringModelError(
          "features: computed with another feature config than this model's",
        );
      }
      const values = columns.map((j) => leadFeatures.values[j] as number);
      const matrix = createFeatureMatrix(
        model.features,
        values.map((value) => Float64Array.of(value)),
      );
      if (options.explain === false) {
        const logOdds = model.predictLogOdds(matrix)[0] as number;
        return { score: probabilityToScore(sigmoid(logOdds)), breakdown: {}, confidence: null };
      }
      const explanation: Explanation = model.explain(matrix, 0);
      const explained = explainScore(explanation, model.features, sigmoid);
      const reasons = topReasons(
        explained.featureShares,
        model.features,
        (j) =>
          describeLeadFeature(
            model.features[j]?.name ?? '',
            values[j] as number,
            profile,
            features,
          ),
        options.reasons ?? DEFAULT_REASONS,
      );
      // How much of what the model leans on is known about this lead (missing values are NaN).
      let known = 0;
      values.forEach((value, j) => {
        if (!Number.isNaN(value)) known += importance[j] as number;
      });
      return {
        score: explained.score,
        breakdown: {
          baseline: explained.breakdown.baseline,
          behavioral: explained.breakdown.behavioural,
          demographic: explained.breakdown.demographic,
          engagement: explained.breakdown.engagement,
          probability: Math.round(explained.probability * 10_000) / 10_000,
          reasons: {
            positive: reasons.positive.map((r) => r.text),
            negative: reasons.negative.map((r) => r.text),
          },
        },
        confidence: totalImportance > 0 ? Math.round((known / totalImportance) * 100) / 100 : null,
      };
    },
  };
}

/** Where each of the model's features sits among the lead features of `config`. */
function columnsOf(model: ProbabilisticModel, config: LeadFeatureConfig): number[] {
  const schema = leadFeatureSchema(config);
  return model.features.map((feature) => {
    const j = schema.findIndex((f) => f.name === feature.name);
    const found = schema[j];
    const same =
      found !== undefined &&
      found.kind === feature.kind &&
      (found.kind !== 'categorical' ||
        (feature.kind === 'categorical' &&
          found.categories.length === feature.categories.length &&
          found.categories.every((c, k) => c === feature.categories[k])));
    if (!same) {
      throw new ScoringModelError(
        `model: feature "${feature.name}" is not a lead feature of the stored feature config, or differs from it`,
      );
    }
    return j;
  });
}
