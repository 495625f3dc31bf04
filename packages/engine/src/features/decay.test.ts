import { describe, expect, it } from 'vitest';
import { addDecayedEvent, type DecayBlock, decayedCount, powerOfTwo } from './decay.js';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const NOW = Date.UTC(2025, 5, 1);

function blocksOf(timestamps: readonly number[], halfLifeMs: number): DecayBlock[] {
  const blocks: DecayBlock[] = [];
  for (const t of timestamps) addDecayedEvent(blocks, t, halfLifeMs);
  return blocks;
}

describe('decayed counts', () => {
  it('weighs an activity 1 at its own time, 1/2 one half-life later and 1/4 two later', () => {
    const blocks = blocksOf([NOW], WEEK);
    expect(decayedCount(blocks, NOW, WEEK)).toBeCloseTo(1, 12);
    expect(decayedCount(blocks, NOW + WEEK, WEEK)).toBeCloseTo(0.5, 12);
    expect(decayedCount(blocks, NOW + 2 * WEEK, WEEK)).toBeCloseTo(0.25, 12);
  });

  it('halves any decayed count after one more half-life', () => {
    const blocks = blocksOf([NOW - 3 * DAY, NOW - 10 * DAY, NOW - 40 * DAY, NOW], 5 * DAY);
    const now = decayedCount(blocks, NOW + DAY, 5 * DAY);
    expect(decayedCount(blocks, NOW + 6 * DAY, 5 * DAY) / now).toBeCloseTo(0.5, 12);
  });

  it('matches the direct sum and gives the same bits in any arrival order', () => {
    const times = [NOW - 90 * DAY, NOW - 1, NOW - 13 * DAY, NOW - 400 * DAY, NOW - 2 * DAY];
    const direct = times.reduce((sum, t) => sum + 2 ** (-(NOW - t) / WEEK), 0);
    const forward = decayedCount(blocksOf(times, WEEK), NOW, WEEK);
    expect(forward).toBeCloseTo(direct, 12);
    expect(decayedCount(blocksOf([...times].reverse(), WEEK), NOW, WEEK)).toBe(forward);
  });

  it('keeps two blocks and forgets activities more than 256 half-lives older than the newest', () => {
    const hour = 3_600_000;
    const blocks = blocksOf([0, 300 * hour, 600 * hour, 5 * hour], hour);
    expect(blocks.map((b) => b.block)).toEqual([1, 2]);
    expect(decayedCount(blocks, 600 * hour, hour)).toBeCloseTo(1 + 2 ** -300, 12);
  });

  it('builds exact powers of two, including subnormal ones', () => {
    expect(powerOfTwo(0)).toBe(1);
    expect(powerOfTwo(10)).toBe(1024);
    expect(powerOfTwo(-1)).toBe(0.5);
    expect(powerOfTwo(-1074)).toBe(Number.MIN_VALUE);
    expect(powerOfTwo(-1075)).toBe(0);
    expect(powerOfTwo(1023) * 2).toBe(Number.POSITIVE_INFINITY);
    expect(powerOfTwo(1024)).toBe(Number.POSITIVE_INFINITY);
  });
});
