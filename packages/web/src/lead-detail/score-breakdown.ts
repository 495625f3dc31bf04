import type { ScoreBreakdownJson } from './lead-detail.api';
import type { WaterfallStep } from './waterfall';

/** The parts of a score, named as the breakdown stores them and as a sales rep reads them. */
export const SCORE_PARTS = [
  { key: 'behavioral', label: 'Behavioural' },
  { key: 'demographic', label: 'Demographic' },
  { key: 'engagement', label: 'Engagement' },
] as const;

export type ScorePart = (typeof SCORE_PARTS)[number]['key'];

/** What explains a score: parts that add up to it, from a baseline, and reasons in words. */
export interface ScoreExplanation {
  /** What a trained model gives a lead it knows nothing about; 0 for rules models. */
  baseline: number;
  parts: Record<ScorePart, number>;
  /** A1–D4, from rules models only. */
  grade: string | null;
  reasons: { positive: string[]; negative: string[] };
}

const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/**
 * Reads a stored breakdown; null when it has no parts (a score written without its
 * explanation). The breakdown is free-form JSON on the wire, so every field is checked.
 */
export function readBreakdown(breakdown: ScoreBreakdownJson | null): ScoreExplanation | null {
  if (!breakdown) return null;
  const [behavioral, demographic, engagement] = SCORE_PARTS.map(({ key }) => breakdown[key]);
  if (!isNumber(behavioral) || !isNumber(demographic) || !isNumber(engagement)) return null;
  const reasons = (breakdown.reasons ?? {}) as Record<string, unknown>;
  return {
    baseline: isNumber(breakdown.baseline) ? breakdown.baseline : 0,
    parts: { behavioral, demographic, engagement },
    grade: typeof breakdown.grade === 'string' ? breakdown.grade : null,
    reasons: { positive: strings(reasons.positive), negative: strings(reasons.negative) },
  };
}

/**
 * The steps from the baseline to the score, for a waterfall. The stored breakdown keeps the
 * reasons as words without their points, so the steps are the three parts the score adds up
 * from, not the reasons.
 */
export function explanationSteps(explanation: ScoreExplanation): {
  start: WaterfallStep;
  steps: WaterfallStep[];
} {
  return {
    start: { label: 'Baseline', amount: explanation.baseline },
    steps: SCORE_PARTS.map(({ key, label }) => ({ label, amount: explanation.parts[key] })),
  };
}
