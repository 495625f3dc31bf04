import { describe, expect, it } from 'vitest';
import { type AlertRule, firedMessage, type ScoreChange } from './alert-rules.js';

const rule = (kind: AlertRule['kind'], target: number | string): AlertRule => ({
  id: 'rule',
  name: 'Hot',
  kind,
  threshold: typeof target === 'number' ? target : null,
  grade: typeof target === 'string' ? target : null,
});

const change = (
  previousScore: number | null,
  score: number,
  grades: { grade?: string | null; previousGrade?: string | null } = {},
): ScoreChange => ({
  organizationId: 'org',
  leadId: 'lead',
  previousScore,
  score,
  grade: grades.grade ?? null,
  previousGrade: grades.previousGrade ?? null,
  calculatedAt: new Date(0),
});

const fires = (r: AlertRule, c: ScoreChange) => firedMessage(r, c) !== null;

describe('firedMessage', () => {
  it.each([
    [79, 80, true],
    [null, 80, true],
    [null, 79, false],
    [80, 95, false],
    [85, 80, false],
    [90, 60, false],
  ])('score_above 80: %s → %s fires: %s', (previous, score, expected) => {
    expect(fires(rule('score_above', 80), change(previous, score))).toBe(expected);
  });

  it.each([
    [40, 39, true],
    [90, 10, true],
    [null, 10, false],
    [39, 20, false],
    [30, 45, false],
    [45, 40, false],
  ])('score_below 40: %s → %s fires: %s', (previous, score, expected) => {
    expect(fires(rule('score_below', 40), change(previous, score))).toBe(expected);
  });

  it('becomes_mql crosses like score_above (the once-per-lead part is the store’s)', () => {
    expect(fires(rule('becomes_mql', 70), change(50, 70))).toBe(true);
    expect(fires(rule('becomes_mql', 70), change(75, 90))).toBe(false);
    expect(firedMessage(rule('becomes_mql', 70), change(null, 72))).toBe(
      'Became a marketing-qualified lead: score 72 (first score) reached the MQL line of 70 — rule "Hot"',
    );
  });

  it('grade_is fires when the grade becomes the rule’s, not while it stays', () => {
    const a1 = rule('grade_is', 'A1');
    expect(firedMessage(a1, change(50, 70, { grade: 'A1', previousGrade: 'B1' }))).toBe(
      'Grade became A1 (was B1) — rule "Hot"',
    );
    expect(fires(a1, change(null, 70, { grade: 'A1', previousGrade: null }))).toBe(true);
    expect(fires(a1, change(70, 75, { grade: 'A1', previousGrade: 'A1' }))).toBe(false);
    expect(fires(a1, change(70, 60, { grade: 'A2', previousGrade: 'A1' }))).toBe(false);
    expect(fires(a1, change(70, 60, { grade: null }))).toBe(false);
  });

  it('says what happened, from where, and which rule', () => {
    expect(firedMessage(rule('score_above', 80), change(72, 85))).toBe(
      'Score rose to 85 (from 72), reaching 80 or more — rule "Hot"',
    );
    expect(firedMessage(rule('score_below', 40), change(52, 35))).toBe(
      'Score fell to 35 (from 52), below 40 — rule "Hot"',
    );
  });
});
