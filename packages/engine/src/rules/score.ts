/**
 * Scoring a lead with a points model.
 *
 * How points become a score:
 * 1. Every matched rule awards its points (`perUnit`: points × the feature's value, within
 *    ±maxPoints). A group's points are summed and clamped to its cap [min, max].
 * 2. The group score is the clamped sum mapped linearly from [min, max] to 0–100, so with the
 *    usual min = 0 a lead matching nothing scores 0, and negative points can pull a group down
 *    only as far as min allows.
 * 3. The score blends the unrounded group scores by the weights and is rounded; fit and
 *    engagement scores are rounded on their own; the grade reads the rounded group scores.
 *
 * How the parts add up: a rule's share is its points × 100 / (max − min) × its group's weight.
 * When a cap clamps a group, the side that overflowed is scaled down in proportion (positive
 * rules when over max, negative ones when under min), so the shares add up to the clamped sum.
 * A group whose min is below 0 also has a base of 100 × (−min) / (max − min) × weight for a lead
 * that matched nothing; it lands in `demographic` (fit) or `engagement` (engagement). Shares go to
 * the breakdown part of their rule's subject (the feature's group; attributes are demographic),
 * and the three real parts are rounded with the largest-remainder method to integers that add up
 * exactly to the score.
 */
import type { LeadFeatures, LeadProfile } from '../features/index.js';
import { roundToTotal } from '../largest-remainder.js';
import { type CompiledRule, compileRules } from './compile.js';
import { RulesInputError } from './errors.js';
import type {
  PointsCap,
  RuleContribution,
  RuleGroup,
  RulesModelConfig,
  RulesScore,
} from './types.js';

export interface ScoreOptions {
  /** How many reasons to give on each side, positive and negative; 3 by default, 0 skips them. */
  readonly reasons?: number;
}

const DEFAULT_REASONS = 3;
const PARTS = ['behavioural', 'demographic', 'engagement'] as const;
const BASE_PART = { fit: 'demographic', engagement: 'engagement' } as const;

interface Match {
  readonly compiled: CompiledRule;
  readonly points: number;
}

/**
 * Scores one lead with a points model: pure, and cheap enough (a pass over the rules) to rescore
 * every lead when previewing a change to the model. `features` must be computed with the
 * model's own feature config, `config.features`.
 *
 * @example
 * const now = Date.UTC(2025, 5, 15);
 * const profile = { email: 'ada@acme.example', jobTitle: 'VP of Marketing', companySize: 250,
 *   industry: 'Software', country: 'US' };
 * const activities = [
 *   { type: 'pricing_view', timestamp: now - 86_400_000 },
 *   { type: 'demo_request', timestamp: now - 3_600_000 },
 * ];
 * const model = defaultRulesModel();
 * const features = computeLeadFeatures(profile, activities, now, model.features);
 * scoreWithRules(model, profile, features);
 * // { score: 58, fitScore: 85, engagementScore: 40, grade: 'A2',
 * //   breakdown: { behavioural: 24, demographic: 34, engagement: 0 }, contributions: […],
 * //   reasons: { positive: ['Requested a demo in the last 90 days', 'VP-level title',
 * //     'Strong-fit industry (Software)'], negative: [] } }
 */
export function scoreWithRules(
  config: RulesModelConfig,
  profile: LeadProfile,
  features: LeadFeatures,
  options: ScoreOptions = {},
): RulesScore {
  const model = compileRules(config);
  if (features.configKey !== model.featureKey) {
    throw new RulesInputError(
      "features: computed with another feature config than this rules model's; compute them " +
        'with the model\'s "features" config',
    );
  }
  const { caps, weights, grades } = model.config;
  const matches: Match[] = [];
  for (const compiled of model.rules) {
    const value = compiled.value(profile, features);
    if (compiled.matches(value)) matches.push({ compiled, points: compiled.award(value) });
  }

  const shares = new Map<Match, number>();
  const parts = { behavioural: 0, demographic: 0, engagement: 0 };
  const groupScore = (group: RuleGroup): number => {
    const cap = caps[group];
    const inGroup = matches.filter((match) => match.compiled.rule.group === group);
    const { clamped, scale } = clampPoints(inGroup, cap);
    const unit = (100 / (cap.max - cap.min)) * weights[group];
    for (const match of inGroup) {
      const share = match.points * scale(match.points) * unit;
      shares.set(match, share);
      parts[match.compiled.part] += share;
    }
    parts[BASE_PART[group]] += -cap.min * unit;
    return (100 * (clamped - cap.min)) / (cap.max - cap.min);
  };
  const fitExact = groupScore('fit');
  const engagementExact = groupScore('engagement');
  const score = roundScore(weights.fit * fitExact + weights.engagement * engagementExact);
  const [behavioural, demographic, engagement] = roundToTotal(
    PARTS.map((part) => parts[part]),
    score,
  ) as [number, number, number];
  const fitScore = roundScore(fitExact);
  const engagementScore = roundScore(engagementExact);

  return {
    score,
    fitScore,
    engagementScore,
    grade: gradeFor(fitScore, engagementScore, grades),
    breakdown: { behavioural, demographic, engagement },
    contributions: matches.map(
      (match): RuleContribution => ({
        ruleId: match.compiled.rule.id,
        points: match.points,
        scoreShare: shares.get(match) as number,
      }),
    ),
    reasons: topReasons(matches, profile, features, options.reasons ?? DEFAULT_REASONS),
  };
}

/** The group's clamped sum, and the factor each rule's points count with after the clamp. */
function clampPoints(
  matches: readonly Match[],
  cap: PointsCap,
): { clamped: number; scale: (points: number) => number } {
  let positive = 0;
  let negative = 0;
  for (const { points } of matches) {
    if (points > 0) positive += points;
    else negative += points;
  }
  const total = positive + negative;
  if (total > cap.max) {
    const factor = (cap.max - negative) / positive;
    return { clamped: cap.max, scale: (points) => (points > 0 ? factor : 1) };
  }
  if (total < cap.min) {
    const factor = (cap.min - positive) / negative;
    return { clamped: cap.min, scale: (points) => (points < 0 ? factor : 1) };
  }
  return { clamped: total, scale: () => 1 };
}

/** Rounds to an integer after dropping float noise, so an exact 72.5 computed as 72.4999…97 is 73. */
function roundScore(score: number): number {
  return Math.round(Math.round(score * 1e6) / 1e6);
}

/**
 * The grade of two group scores: the fit letter (A at or above `fit.A`, B at or above `fit.B`,
 * C at or above `fit.C`, else D) and the engagement digit (1, 2, 3 likewise, else 4).
 *
 * @example
 * gradeFor(80, 30, defaultRulesModel().grades); // 'A2'
 */
export function gradeFor(
  fitScore: number,
  engagementScore: number,
  grades: RulesModelConfig['grades'],
): string {
  const { fit, engagement } = grades;
  const letter = fitScore >= fit.A ? 'A' : fitScore >= fit.B ? 'B' : fitScore >= fit.C ? 'C' : 'D';
  const digit =
    engagementScore >= engagement['1']
      ? '1'
      : engagementScore >= engagement['2']
        ? '2'
        : engagementScore >= engagement['3']
          ? '3'
          : '4';
  return letter + digit;
}

/**
 * The matched rules in plain words, strongest points first. Rules that describe the same fact
 * (tiers on one feature) are merged, their points summed. Ranked by the points the rules
 * awarded, not by share: an unsubscribe is still a reason when the cap left nothing to take.
 */
function topReasons(
  matches: readonly Match[],
  profile: LeadProfile,
  features: LeadFeatures,
  count: number,
): RulesScore['reasons'] {
  if (count === 0) return { positive: [], negative: [] };
  const pointsByText = new Map<string, number>();
  for (const { compiled, points } of matches) {
    if (points === 0) continue;
    const text = compiled.describe(profile, features);
    pointsByText.set(text, (pointsByText.get(text) ?? 0) + points);
  }
  const ranked = [...pointsByText];
  const strongest = (sign: 1 | -1) =>
    ranked
      .filter(([, points]) => points * sign > 0)
      .sort((a, b) => (b[1] - a[1]) * sign)
      .slice(0, count)
      .map(([text]) => text);
  return { positive: strongest(1), negative: strongest(-1) };
}
