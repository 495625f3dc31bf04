import type { AlertRuleKind } from '../../db/schema.js';

/**
 * The alert vocabulary. Each kind is a condition on a lead's score (or grade); a rule fires
 * when a score change takes the lead from "condition false" to "condition true" — once per
 * crossing, never on each event while the lead stays on the same side.
 *
 * - `score_above` T: previous < T ≤ new. A lead's first score counts as coming from below.
 * - `score_below` T: previous ≥ T > new. A first score never fires: nothing fell.
 * - `grade_is` G (A1…D4): the new grade is G and the previous one was not (or there was none).
 * - `becomes_mql` T: as `score_above`, but a lead becomes an MQL once in its life: a lead that
 *   dips below the line and comes back is not announced again (the repository's unique index
 *   on MQL alerts enforces it).
 */
export const ALERT_RULE_KINDS = [
  'score_above',
  'score_below',
  'grade_is',
  'becomes_mql',
] as const satisfies readonly AlertRuleKind[];

/** Fit letter (A best) then engagement digit (1 best), as the scoring engine grades. */
export const GRADE_PATTERN = '^[A-D][1-4]$';

export interface AlertRule {
  readonly id: string;
  readonly name: string;
  readonly kind: AlertRuleKind;
  readonly threshold: number | null;
  readonly grade: string | null;
}

/** One lead's score change, as the scorer committed it. */
export interface ScoreChange {
  readonly organizationId: string;
  readonly leadId: string;
  readonly previousScore: number | null;
  readonly score: number;
  /** The new grade (from the score breakdown), when the model grades. */
  readonly grade: string | null;
  /** The scorer's clock for the batch: the `calculated_at` of the new `lead_scores` row. */
  readonly calculatedAt: Date;
  /** The grade before this change; only looked up when a grade rule needs it. */
  readonly previousGrade?: string | null;
}

/** The message of the alert `rule` fires for `change`, or null when it does not fire. */
export function firedMessage(rule: AlertRule, change: ScoreChange): string | null {
  const { score, previousScore } = change;
  const from = previousScore === null ? 'first score' : `from ${previousScore}`;
  const named = `rule "${rule.name}"`;
  switch (rule.kind) {
    case 'score_above':
    case 'becomes_mql': {
      const line = rule.threshold ?? 0;
      if (score < line || (previousScore !== null && previousScore >= line)) return null;
      return rule.kind === 'score_above'
        ? `Score rose to ${score} (${from}), reaching ${line} or more — ${named}`
        : `Became a marketing-qualified lead: score ${score} (${from}) reached the MQL line of ${line} — ${named}`;
    }
    case 'score_below': {
      const line = rule.threshold ?? 0;
      if (previousScore === null || previousScore < line || score >= line) return null;
      return `Score fell to ${score} (${from}), below ${line} — ${named}`;
    }
    case 'grade_is': {
      const previous = change.previousGrade ?? null;
      if (change.grade !== rule.grade || previous === rule.grade) return null;
      return `Grade became ${rule.grade} (${previous === null ? 'first grade' : `was ${previous}`}) — ${named}`;
    }
  }
}

/** What a rule of `kind` needs: a threshold or a grade. */
export function ruleTarget(kind: AlertRuleKind): 'threshold' | 'grade' {
  return kind === 'grade_is' ? 'grade' : 'threshold';
}
