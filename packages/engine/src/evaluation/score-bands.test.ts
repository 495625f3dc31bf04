import { describe, expect, it } from 'vitest';
import { conversionByScoreBand, DEFAULT_SCORE_BAND_EDGES } from './score-bands.js';

describe('conversionByScoreBand', () => {
  it('counts leads and conversions in the default 10-point bands, 90–100 holding 100', () => {
    // 0 and 9.5 → 0–9; 10 → 10–19; 55, 59 → 50–59; 90, 100, 100 → 90–100.
    const labels = Uint8Array.of(0, 0, 1, 0, 1, 1, 1, 0);
    const scores = [0, 9.5, 10, 55, 59, 90, 100, 100];
    const bands = conversionByScoreBand(labels, scores);
    expect(DEFAULT_SCORE_BAND_EDGES).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(bands).toHaveLength(10);
    expect(bands[0]).toEqual({ lower: 0, upper: 10, count: 2, converted: 0, rate: 0 });
    expect(bands[1]).toEqual({ lower: 10, upper: 20, count: 1, converted: 1, rate: 1 });
    expect(bands[2]).toEqual({ lower: 20, upper: 30, count: 0, converted: 0, rate: null });
    expect(bands[5]).toEqual({ lower: 50, upper: 60, count: 2, converted: 1, rate: 0.5 });
    expect(bands[9]).toEqual({ lower: 90, upper: 100, count: 3, converted: 2, rate: 2 / 3 });
  });

  it('accepts custom bands', () => {
    const bands = conversionByScoreBand(Uint8Array.of(0, 1, 1, 0), [39, 40, 70, 100], {
      bands: [0, 40, 70, 100],
    });
    expect(bands.map((band) => [band.lower, band.count, band.converted])).toEqual([
      [0, 1, 0],
      [40, 1, 1],
      [70, 2, 1],
    ]);
  });

  it('rejects scores outside the bands and bands that are not ascending', () => {
    expect(() => conversionByScoreBand(Uint8Array.of(0, 1), [50, 100.5])).toThrow(
      'conversionByScoreBand: scores[1] is 100.5; it must be within [0, 100]',
    );
    expect(() => conversionByScoreBand(Uint8Array.of(0), [Number.NaN])).toThrow('scores[0] is NaN');
    expect(() => conversionByScoreBand(Uint8Array.of(0), [5], { bands: [0, 50, 50, 100] })).toThrow(
      'conversionByScoreBand: bands must be at least two strictly ascending finite edges, got [0, 50, 50, 100]',
    );
    expect(() => conversionByScoreBand(Uint8Array.of(0), [5], { bands: [0] })).toThrow(
      'at least two',
    );
  });
});
