/**
 * A points table learned from outcomes: every feature's range or category earns points, as
 * in a hand-written Mautic or HubSpot scoring sheet, but the points come from the team's own
 * won/lost history. Underneath it is L2 logistic regression on the binned features (a credit
 * "scorecard"), so the probability is σ(intercept + Σ weights) and the points are the weights
 * rescaled: 20 points double the odds of conversion.
 */
import { EngineError } from '../errors.js';
import { type LogisticModel, logisticFromJSON } from '../logistic/index.js';
import { type Feature, type FeatureMatrix, selectRows } from '../matrix.js';
import type { Explanation, ProbabilisticModel } from '../model.js';
import { applyBins, binnedFeatures, type FeatureBins } from './binning.js';

export const LEARNED_RULES_FORMAT = 'leadscore-learned-rules';
export const LEARNED_RULES_FORMAT_VERSION = 1;

/** 20 points = twice the odds, the usual scorecard scale. */
export const POINTS_TO_DOUBLE_ODDS = 20;

export interface PointsRule {
  readonly feature: string;
  /** E.g. "is Reference", "from 3 to below 5", "is not given". */
  readonly condition: string;
  /** Signed, rounded; relative to the feature's average lead. */
  readonly points: number;
}

export interface LearnedRulesJSON {
  readonly format: typeof LEARNED_RULES_FORMAT;
  readonly formatVersion: typeof LEARNED_RULES_FORMAT_VERSION;
  readonly features: readonly Feature[];
  readonly bins: readonly FeatureBins[];
  readonly logistic: unknown;
}

export class LearnedRulesFormatError extends EngineError {
  override readonly name: string = 'LearnedRulesFormatError';
}

export class LearnedRulesModel implements ProbabilisticModel {
  readonly type = 'rules';
  private readonly binned: readonly Feature[];

  constructor(
    readonly features: readonly Feature[],
    readonly bins: readonly FeatureBins[],
    readonly logistic: LogisticModel,
  ) {
    this.binned = binnedFeatures(features, bins);
  }

  predictLogOdds(matrix: FeatureMatrix): Float64Array {
    return this.logistic.predictLogOdds(applyBins(matrix, this.bins, this.binned));
  }

  explain(matrix: FeatureMatrix, row: number): Explanation {
    return this.logistic.explain(applyBins(selectRows(matrix, [row]), this.bins, this.binned), 0);
  }

  /**
   * The points table: every range (in order) and category (most points first) with its
   * points, then "is not given" when the feature was missing in training.
   */
  rules(): PointsRule[] {
    const weights = this.logistic.coefficients();
    const scale = POINTS_TO_DOUBLE_ODDS / Math.LN2;
    return this.binned.flatMap((feature, j) => {
      if (feature.kind !== 'categorical') return [];
      const numeric = this.bins[j]?.labels !== null;
      const rule = (key: string, condition: string): PointsRule[] => {
        const weight = weights.get(key);
        return weight === undefined
          ? []
          : [{ feature: feature.name, condition, points: Math.round(weight * scale) }];
      };
      const levels = feature.categories.flatMap((label) =>
        rule(`${feature.name}=${label}`, numeric ? label : `is ${label}`),
      );
      if (!numeric) levels.sort((a, b) => b.points - a.points);
      return [...levels, ...rule(`${feature.name} is missing`, 'is not given')];
    });
  }

  toJSON(): LearnedRulesJSON {
    return {
      format: LEARNED_RULES_FORMAT,
      formatVersion: LEARNED_RULES_FORMAT_VERSION,
      features: this.features,
      bins: this.bins,
      logistic: this.logistic.toJSON(),
    };
  }
}

/**
 * Restores a model written by {@link LearnedRulesModel.toJSON}.
 *
 * @throws LearnedRulesFormatError for another format or version.
 */
export function learnedRulesFromJSON(json: unknown): LearnedRulesModel {
  const body = json as Partial<LearnedRulesJSON> | null;
  if (body?.format !== LEARNED_RULES_FORMAT) {
    throw new LearnedRulesFormatError(
      `not a learned rules model (expected format "${LEARNED_RULES_FORMAT}")`,
    );
  }
  if (body.formatVersion !== LEARNED_RULES_FORMAT_VERSION) {
    throw new LearnedRulesFormatError(
      `learned rules format version ${String(body.formatVersion)} is not supported; this engine reads version ${LEARNED_RULES_FORMAT_VERSION}`,
    );
  }
  if (
    !Array.isArray(body.features) ||
    !Array.isArray(body.bins) ||
    body.bins.length !== body.features.length
  ) {
    throw new LearnedRulesFormatError(
      'learned rules model: "features" and "bins" must be lists of equal length',
    );
  }
  return new LearnedRulesModel(body.features, body.bins, logisticFromJSON(body.logistic));
}
