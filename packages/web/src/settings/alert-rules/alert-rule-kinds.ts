import type { AlertRule, AlertRuleKind } from './alert-rules.api';

/** The kinds, as a user picks them. */
export const KIND_LABELS: Record<AlertRuleKind, string> = {
  score_above: 'Score rises to a threshold or above',
  score_below: 'Score falls below a threshold',
  grade_is: 'Grade becomes a given grade',
  becomes_mql: 'Lead becomes an MQL (first time its score reaches a threshold)',
};

export const ALERT_RULE_KINDS = Object.keys(KIND_LABELS) as AlertRuleKind[];

/** A1 … D4: fit letter (A best), then engagement digit (1 most engaged). */
export const GRADES = ['A', 'B', 'C', 'D'].flatMap((fit) =>
  ['1', '2', '3', '4'].map((engagement) => fit + engagement),
);

/** Every kind but grade_is watches a score line. */
export const usesThreshold = (kind: AlertRuleKind) => kind !== 'grade_is';

/** The rule's condition in a few words, for the list. */
export function describeCondition(rule: Pick<AlertRule, 'kind' | 'threshold' | 'grade'>): string {
  switch (rule.kind) {
    case 'score_above':
      return `Score rises to ${rule.threshold} or above`;
    case 'score_below':
      return `Score falls below ${rule.threshold}`;
    case 'grade_is':
      return `Grade becomes ${rule.grade}`;
    case 'becomes_mql':
      return `Becomes an MQL at ${rule.threshold}`;
  }
}
