import { describe, expect, it } from 'vitest';
import { explanationSteps, readBreakdown } from './score-breakdown';

describe('reading a stored score breakdown', () => {
  it('reads a trained model’s parts from its baseline, and its reasons', () => {
    const explanation = readBreakdown({
      baseline: 21,
      behavioral: 30,
      demographic: -6,
      engagement: 12,
      probability: 0.57,
      reasons: { positive: ['Requested a demo'], negative: ['Company size is 3'] },
    });
    expect(explanation).toEqual({
      baseline: 21,
      parts: { behavioral: 30, demographic: -6, engagement: 12 },
      grade: null,
      reasons: { positive: ['Requested a demo'], negative: ['Company size is 3'] },
    });
    const { start, steps } = explanationSteps(explanation as NonNullable<typeof explanation>);
    expect(start.amount + steps.reduce((sum, step) => sum + step.amount, 0)).toBe(57);
  });

  it('starts a rules model’s parts from zero and keeps its grade', () => {
    const explanation = readBreakdown({
      behavioral: 24,
      demographic: 34,
      engagement: 0,
      grade: 'A2',
    });
    expect(explanation?.baseline).toBe(0);
    expect(explanation?.grade).toBe('A2');
    expect(explanation?.reasons).toEqual({ positive: [], negative: [] });
  });

  it('has nothing to explain when the parts were not stored', () => {
    expect(readBreakdown({})).toBeNull();
    expect(readBreakdown(null)).toBeNull();
    expect(readBreakdown({ behavioral: '24', demographic: 34, engagement: 0 })).toBeNull();
  });
});
