import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from './random.js';

// Enough draws that a tolerance of about five standard errors is still tight. The seeds are
// fixed, so these tests cannot flake; the tolerances say how far off a correct sampler could be.
const DRAWS = 200_000;

function sample(draw: () => number, count = DRAWS): Float64Array {
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = draw();
  return values;
}

function moments(values: Float64Array): { mean: number; variance: number } {
  let sum = 0;
  for (const value of values) sum += value;
  const mean = sum / values.length;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  return { mean, variance: squares / (values.length - 1) };
}

function frequencies<T>(draw: () => T, count = DRAWS): Map<T, number> {
  const counts = new Map<T, number>();
  for (let i = 0; i < count; i++) {
    const value = draw();
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return new Map([...counts].map(([value, hits]) => [value, hits / count]));
}

function logPoissonPmf(k: number, lambda: number): number {
  let logFactorial = 0;
  for (let i = 2; i <= k; i++) logFactorial += Math.log(i);
  return -lambda + k * Math.log(lambda) - logFactorial;
}

function drawMixedSequence(rng: Rng): unknown[] {
  return Array.from({ length: 200 }, (_, i) => [
    rng.next(),
    rng.int(-5, 5),
    rng.pick(['a', 'b', 'c']),
    rng.pickWeighted(['x', 'y'], [1, 2]),
    rng.bernoulli(0.5),
    rng.normal(),
    rng.poisson(i % 2 === 0 ? 3 : 300),
    rng.exponential(2),
  ]);
}

describe('createRng', () => {
  it('gives the same sequence for the same seed', () => {
    expect(drawMixedSequence(createRng(42))).toEqual(drawMixedSequence(createRng(42)));
  });

  it('keeps its stream stable across releases', () => {
    // Seeded models and demo data sets are reproducible only while these values hold; they are
    // what the reference sfc32 gives from this splitmix32 seeding.
    const rng = createRng(123456789);
    expect([rng.next(), rng.next(), rng.next()]).toEqual([
      0.06517228903248906, 0.22506896895356476, 0.32495965459384024,
    ]);
  });

  it('gives different sequences for different seeds, including ones equal modulo 2^32', () => {
    const firstDraws = (seed: number) => Array.from({ length: 8 }, createRng(seed).next);
    const seeds = [0, 1, 2, -1, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER];
    const sequences = new Set(seeds.map((seed) => firstDraws(seed).join()));
    expect(sequences.size).toBe(seeds.length);
  });

  it('draws next() uniformly in [0, 1)', () => {
    const rng = createRng(1);
    const values = sample(rng.next);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    const { mean, variance } = moments(values);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.0033);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.001);
    // Each tenth of the interval holds a tenth of the draws.
    const deciles = frequencies(() => Math.floor(rng.next() * 10));
    for (let decile = 0; decile < 10; decile++) {
      expect(Math.abs((deciles.get(decile) ?? 0) - 0.1)).toBeLessThan(0.0035);
    }
  });

  it('draws normals with the requested mean and sd and a Gaussian shape', () => {
    const rng = createRng(7);
    const values = sample(() => rng.normal(3, 2));
    const { mean, variance } = moments(values);
    expect(Math.abs(mean - 3)).toBeLessThan(0.025);
    expect(Math.abs(variance - 4)).toBeLessThan(0.07);
    const withinOneSd = values.filter((value) => Math.abs(value - 3) < 2).length / values.length;
    expect(Math.abs(withinOneSd - 0.6827)).toBeLessThan(0.005);
    // With no arguments it is the standard normal.
    const standard = moments(sample(() => rng.normal()));
    expect(Math.abs(standard.mean)).toBeLessThan(0.012);
    expect(Math.abs(standard.variance - 1)).toBeLessThan(0.017);
  });

  it.each([
    { lambda: 0.3, meanTolerance: 0.007, varianceTolerance: 0.01 },
    { lambda: 3.5, meanTolerance: 0.021, varianceTolerance: 0.06 },
    { lambda: 29.5, meanTolerance: 0.061, varianceTolerance: 0.6 },
    { lambda: 45, meanTolerance: 0.075, varianceTolerance: 0.9 },
    { lambda: 1000, meanTolerance: 0.36, varianceTolerance: 16 },
  ])(
    'draws Poisson($lambda) with mean and variance lambda',
    ({ lambda, meanTolerance, varianceTolerance }) => {
      const rng = createRng(Math.round(lambda * 10));
      const values = sample(() => rng.poisson(lambda));
      expect(values.every((value) => Number.isInteger(value) && value >= 0)).toBe(true);
      const { mean, variance } = moments(values);
      expect(Math.abs(mean - lambda)).toBeLessThan(meanTolerance);
      expect(Math.abs(variance - lambda)).toBeLessThan(varianceTolerance);
    },
  );

  it('matches the Poisson probability mass on both sides of the sampler switch', () => {
    for (const lambda of [3.5, 45]) {
      const rng = createRng(11);
      const observed = frequencies(() => rng.poisson(lambda));
      for (let k = 0; k <= 3 * lambda; k++) {
        const expected = Math.exp(logPoissonPmf(k, lambda));
        expect(Math.abs((observed.get(k) ?? 0) - expected)).toBeLessThan(0.003);
      }
    }
  });

  it('returns 0 for Poisson(0)', () => {
    const rng = createRng(3);
    expect(Array.from({ length: 100 }, () => rng.poisson(0)).every((k) => k === 0)).toBe(true);
  });

  it('draws exponentials with mean 1/rate and variance 1/rate^2', () => {
    const rng = createRng(5);
    const values = sample(() => rng.exponential(2.5));
    expect(values.every((value) => value >= 0)).toBe(true);
    const { mean, variance } = moments(values);
    expect(Math.abs(mean - 0.4)).toBeLessThan(0.0045);
    expect(Math.abs(variance - 0.16)).toBeLessThan(0.005);
  });

  it('keeps int() within [min, max) and hits every value equally often', () => {
    const rng = createRng(9);
    const observed = frequencies(() => rng.int(-3, 4), 70_000);
    expect([...observed.keys()].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    for (const share of observed.values()) expect(Math.abs(share - 1 / 7)).toBeLessThan(0.007);
    expect(rng.int(5, 6)).toBe(5);
    const wide = rng.int(0, 2 ** 32);
    expect(Number.isInteger(wide) && wide >= 0 && wide < 2 ** 32).toBe(true);
  });

  it('picks every item of a list', () => {
    const rng = createRng(13);
    const observed = frequencies(() => rng.pick(['red', 'green', 'blue'] as const), 30_000);
    expect(observed.size).toBe(3);
    for (const share of observed.values()) expect(Math.abs(share - 1 / 3)).toBeLessThan(0.015);
  });

  it('picks in proportion to the weights and never picks a zero weight', () => {
    const rng = createRng(17);
    const observed = frequencies(() => rng.pickWeighted(['a', 'b', 'c', 'd'], [1, 0, 3, 6]));
    expect(observed.has('b')).toBe(false);
    expect(Math.abs((observed.get('a') ?? 0) - 0.1)).toBeLessThan(0.004);
    expect(Math.abs((observed.get('c') ?? 0) - 0.3)).toBeLessThan(0.005);
    expect(Math.abs((observed.get('d') ?? 0) - 0.6)).toBeLessThan(0.005);
  });

  it('returns true from bernoulli(p) with probability p', () => {
    const rng = createRng(19);
    const observed = frequencies(() => rng.bernoulli(0.3));
    expect(Math.abs((observed.get(true) ?? 0) - 0.3)).toBeLessThan(0.005);
    expect(Array.from({ length: 1000 }, () => rng.bernoulli(0)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 1000 }, () => rng.bernoulli(1)).every(Boolean)).toBe(true);
  });

  describe('rejects invalid arguments with a RangeError', () => {
    const rng = createRng(0);
    it.each([
      ['a fractional seed', () => createRng(1.5)],
      ['a NaN seed', () => createRng(Number.NaN)],
      ['an unsafe seed', () => createRng(2 ** 53)],
      ['fractional int bounds', () => rng.int(0, 2.5)],
      ['an empty int range', () => rng.int(3, 3)],
      ['reversed int bounds', () => rng.int(4, 3)],
      ['an int range wider than 2^32', () => rng.int(0, 2 ** 32 + 1)],
      ['pick from an empty list', () => rng.pick([])],
      ['pickWeighted from an empty list', () => rng.pickWeighted([], [])],
      ['mismatched weight lengths', () => rng.pickWeighted(['a', 'b'], [1])],
      ['a negative weight', () => rng.pickWeighted(['a', 'b'], [1, -1])],
      ['a NaN weight', () => rng.pickWeighted(['a', 'b'], [1, Number.NaN])],
      ['an infinite weight', () => rng.pickWeighted(['a', 'b'], [1, Number.POSITIVE_INFINITY])],
      ['all-zero weights', () => rng.pickWeighted(['a', 'b'], [0, 0])],
      ['p below 0', () => rng.bernoulli(-0.1)],
      ['p above 1', () => rng.bernoulli(1.1)],
      ['a NaN p', () => rng.bernoulli(Number.NaN)],
      ['a negative sd', () => rng.normal(0, -1)],
      ['a NaN mean', () => rng.normal(Number.NaN, 1)],
      ['a negative lambda', () => rng.poisson(-1)],
      ['an infinite lambda', () => rng.poisson(Number.POSITIVE_INFINITY)],
      ['a zero rate', () => rng.exponential(0)],
      ['a negative rate', () => rng.exponential(-2)],
    ])('%s', (_, call) => {
      expect(call).toThrow(RangeError);
    });
  });
});
