/**
 * From a model's log-odds and its exact attributions to the 0–100 score a lead is shown
 * with, and to a breakdown whose parts add up to that score.
 *
 * The score is 100 × the (calibrated) probability of conversion, rounded: a lead scored 70
 * converts about 70 times in 100. Attributions live in log-odds, where they add up; the
 * probability is a curved function `g` of the log-odds, so they are carried onto the score
 * along the straight path from the base value `b` to the lead's log-odds `b + S`:
 *
 *     share_j = 100 · φ_j · (g(b + S) − g(b)) / S
 *
 * The secant slope `(g(b + S) − g(b)) / S` is the same for every feature and never
 * negative (g is non-decreasing), so each share keeps its attribution's sign and rank, and
 * `100·g(b) + Σ share_j = 100·g(b + S)` exactly. (When S is ~0 the slope is g's derivative.)
 * The baseline `100·g(b)` is the score of a lead about whom the model knows nothing beyond
 * the training population.
 *
 * Shown numbers are integers: the baseline and the three group totals are rounded by the
 * largest-remainder rule, so they still add up to the rounded score.
 */
import { roundToTotal } from '../largest-remainder.js';
import type { Feature, FeatureGroup } from '../matrix.js';
import type { Explanation } from '../model.js';

/** The score's parts; their sum is the score. Feature groups may be negative. */
export interface ScoreBreakdown {
  /** The score of a lead about whom nothing is known (the model's base value). */
  readonly baseline: number;
  readonly behavioural: number;
  readonly demographic: number;
  readonly engagement: number;
}

export interface ScoredExplanation {
  /** 0–100, an integer. */
  readonly score: number;
  readonly probability: number;
  readonly breakdown: ScoreBreakdown;
  /** Each feature's share of the score, unrounded, in the model's feature order. */
  readonly featureShares: Float64Array;
}

const FLAT_PATH = 1e-9;
const DERIVATIVE_STEP = 1e-6;

/** 100 × probability, rounded to an integer in 0–100. */
export function probabilityToScore(probability: number): number {
  return Math.min(100, Math.max(0, Math.round(100 * probability)));
}

/**
 * Carries an explanation in log-odds onto the score. `toProbability` is the model's
 * log-odds → probability map (the logistic function, or a calibrator).
 *
 * @example
 * const explained = explainScore(model.explain(matrix, 0), model.features, sigmoid);
 * explained.breakdown.baseline + explained.breakdown.behavioural
 *   + explained.breakdown.demographic + explained.breakdown.engagement === explained.score;
 */
export function explainScore(
  explanation: Explanation,
  features: readonly Feature[],
  toProbability: (logOdds: number) => number,
): ScoredExplanation {
  const { baseValue, contributions } = explanation;
  let total = 0;
  for (const contribution of contributions) total += contribution;
  const probability = toProbability(baseValue + total);
  const baseline = 100 * toProbability(baseValue);
  const slope =
    Math.abs(total) > FLAT_PATH
      ? (100 * probability - baseline) / total
      : (100 *
          (toProbability(baseValue + DERIVATIVE_STEP) -
            toProbability(baseValue - DERIVATIVE_STEP))) /
        (2 * DERIVATIVE_STEP);
  const featureShares = contributions.map((contribution) => contribution * slope);
  const groups: Record<FeatureGroup, number> = { behavioural: 0, demographic: 0, engagement: 0 };
  featureShares.forEach((share, j) => {
    groups[features[j]?.group ?? 'demographic'] += share;
  });
  const score = probabilityToScore(probability);
  const [rBaseline, rBehavioural, rDemographic, rEngagement] = roundToTotal(
    [baseline, groups.behavioural, groups.demographic, groups.engagement],
    score,
  );
  return {
    score,
    probability,
    breakdown: {
      baseline: rBaseline ?? 0,
      behavioural: rBehavioural ?? 0,
      demographic: rDemographic ?? 0,
      engagement: rEngagement ?? 0,
    },
    featureShares,
  };
}
