import type { LeadFeatureConfig } from '../features/index.js';

export type RuleGroup = 'fit' | 'engagement';

/**
 * What a rule looks at: a lead feature by name (see `leadFeatureSchema`), or a profile
 * attribute: `profile.<jobTitle|company|country|industry|companySize|source|email|emailDomain>`
 * or `custom.<name>` for a custom attribute.
 */
export type CriterionSubject = { readonly feature: string } | { readonly attribute: string };

/**
 * The test a rule applies to its subject. Text compares trimmed and case-insensitively; a
 * categorical feature compares by category label; `between` is inclusive. A missing value
 * matches nothing, not even `exists`.
 */
export type CriterionTest =
  | { readonly op: 'equals'; readonly value: string | number | boolean }
  | { readonly op: 'in'; readonly value: readonly (string | number)[] }
  | { readonly op: 'contains'; readonly value: string }
  | { readonly op: 'gte' | 'lte'; readonly value: number }
  | { readonly op: 'between'; readonly value: readonly [number, number] }
  | { readonly op: 'exists' };

export type Criterion = CriterionSubject & CriterionTest;

export type CriterionOp = CriterionTest['op'];

export interface Rule {
  /** Unique within the model: `a-z 0-9 _ . -`, starting with a letter or digit. */
  readonly id: string;
  /** What the rule rewards, for the people who edit the model. */
  readonly description: string;
  readonly group: RuleGroup;
  readonly criterion: Criterion;
  /** Points when the criterion matches; negative points take away. */
  readonly points: number;
  /**
   * Award `points` × the subject's value instead (a numeric feature only), e.g. 5 points per
   * decayed email click, so the points fade as the activity ages.
   */
  readonly perUnit?: boolean;
  /** With `perUnit`: the most points the rule can give (or take). */
  readonly maxPoints?: number;
}

/** The range a group's summed points are clamped to; `min <= 0 <= max`, `min < max`. */
export interface PointsCap {
  readonly min: number;
  readonly max: number;
}

/**
 * A points model as stored (`scoring_models.config`): plain JSON, checked by `rulesFromJSON`.
 * Each group's points are summed and clamped to its cap, then mapped linearly from
 * [min, max] to a 0–100 group score; the overall score blends the two group scores.
 */
export interface RulesModelConfig {
  readonly format: 'leadscore-rules';
  readonly formatVersion: 1;
  /** How the lead features the rules read are computed, decay half-lives included. */
  readonly features: LeadFeatureConfig;
  readonly rules: readonly Rule[];
  readonly caps: { readonly fit: PointsCap; readonly engagement: PointsCap };
  /** Non-negative and summing to 1: score = fit × fitScore + engagement × engagementScore. */
  readonly weights: { readonly fit: number; readonly engagement: number };
  readonly grades: {
    /** Lowest fit score for A, B and C (descending); below C is D. */
    readonly fit: { readonly A: number; readonly B: number; readonly C: number };
    /** Lowest engagement score for 1, 2 and 3 (descending); below 3 is 4. */
    readonly engagement: { readonly '1': number; readonly '2': number; readonly '3': number };
  };
}

/** One matched rule's part in a score. */
export interface RuleContribution {
  readonly ruleId: string;
  /** The points the rule awarded, before its group's cap. */
  readonly points: number;
  /**
   * What the rule adds to the overall score (unrounded; may be negative): its points after the
   * cap, × 100 / (cap max − cap min) × its group's weight.
   */
  readonly scoreShare: number;
}

export interface RulesScore {
  /** 0–100, an integer: the blend of the unrounded group scores, rounded. */
  readonly score: number;
  /** 0–100, an integer. */
  readonly fitScore: number;
  /** 0–100, an integer. */
  readonly engagementScore: number;
  /** Fit letter A–D (A best) and engagement digit 1–4 (1 best), e.g. "A1". */
  readonly grade: string;
  /** Integers that add up exactly to `score` (parts may be negative). */
  readonly breakdown: {
    readonly behavioural: number;
    readonly demographic: number;
    readonly engagement: number;
  };
  /** The matched rules, in model order. */
  readonly contributions: readonly RuleContribution[];
  /** The strongest matched rules in plain words, by points, strongest first. */
  readonly reasons: { readonly positive: readonly string[]; readonly negative: readonly string[] };
}
