import { describe, expect, it } from 'vitest';
import { waterfallBars } from './waterfall';

describe('waterfall bars', () => {
  it('floats each step from the running total before it to the one after it', () => {
    const bars = waterfallBars(
      { label: 'Starting point', amount: 12.5 },
      [
        { label: 'Behaviour', amount: 30 },
        { label: 'Profile', amount: -8.5 },
        { label: 'Engagement', amount: 20 },
      ],
      'Score',
    );
    expect(bars).toEqual([
      { label: 'Starting point', from: 0, to: 12.5, kind: 'start' },
      { label: 'Behaviour', from: 12.5, to: 42.5, kind: 'rise' },
      { label: 'Profile', from: 42.5, to: 34, kind: 'fall' },
      { label: 'Engagement', from: 34, to: 54, kind: 'rise' },
      { label: 'Score', from: 0, to: 54, kind: 'total' },
    ]);
  });

  it('adds up: the total is the start plus every step, and each bar is as long as its step', () => {
    const start = { label: 'Start', amount: 7 };
    const steps = [-3, 14, 0, -9, 41].map((amount, i) => ({ label: `Step ${i}`, amount }));
    const bars = waterfallBars(start, steps, 'Total');
    const total = bars.at(-1);
    expect(total?.to).toBe(7 + -3 + 14 + 0 + -9 + 41);
    bars.slice(1, -1).forEach((bar, i) => {
      expect(bar.to - bar.from).toBe(steps[i]?.amount);
      expect(bar.from).toBe(bars[i]?.to);
    });
  });

  it('stands the start and the total on the axis, even with no steps', () => {
    expect(waterfallBars({ label: 'Start', amount: 0 }, [], 'Total')).toEqual([
      { label: 'Start', from: 0, to: 0, kind: 'start' },
      { label: 'Total', from: 0, to: 0, kind: 'total' },
    ]);
  });
});
