/**
 * Seeded pseudo-random numbers for everything in Leadscore that must be reproducible: model
 * training (row subsampling, cross-validation folds) and the server's demo-data generator.
 *
 * The core is sfc32 (Chris Doty-Humphrey's "small fast chaotic" generator from PractRand:
 * 128 bits of state, a counter that rules out short cycles, no known statistical failures),
 * seeded through splitmix32 so that neighbouring seeds (1, 2, 3…) start from unrelated states.
 * It is fast and statistically sound, and not cryptographically secure: never use it for
 * tokens or keys.
 *
 * @example
 * import { createRng } from '@leadscore/engine';
 *
 * const rng = createRng(42);
 * rng.int(0, 10); // the same value on every run with seed 42
 * rng.pickWeighted(['a', 'b'], [1, 3]); // 'b' three times as often as 'a'
 * rng.poisson(4.5); // a count with mean 4.5
 */

export interface Rng {
  /** Uniform float in [0, 1), with 32 bits of resolution. */
  next(): number;
  /** Uniform integer in [minInclusive, maxExclusive); the range may hold at most 2^32 values. */
  int(minInclusive: number, maxExclusive: number): number;
  /** A uniformly chosen element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** An element chosen with probability proportional to its (finite, non-negative) weight. */
  pickWeighted<T>(items: readonly T[], weights: readonly number[]): T;
  /** `true` with probability `p`. */
  bernoulli(p: number): boolean;
  /** Gaussian draw; defaults to the standard normal (mean 0, sd 1). */
  normal(mean?: number, sd?: number): number;
  /** Poisson-distributed count with mean `lambda`. */
  poisson(lambda: number): number;
  /** Exponential draw with the given rate, so with mean `1 / rate`. */
  exponential(rate: number): number;
}

const TWO_POW_32 = 2 ** 32;
const GOLDEN_RATIO_32 = 0x9e3779b9;

// Below this mean, inverting the CDF costs about lambda steps; above it, PTRS is O(1).
const POISSON_PTRS_MIN_LAMBDA = 30;
// ln(k!) for small k, where the Stirling series used for larger k is not accurate enough.
const LOG_FACTORIAL_TABLE_SIZE = 10;
const LOG_FACTORIALS = Array.from({ length: LOG_FACTORIAL_TABLE_SIZE }, (_, k) => {
  let sum = 0;
  for (let i = 2; i <= k; i++) sum += Math.log(i);
  return sum;
});
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Creates a generator whose whole sequence is fixed by `seed` (any safe integer).
 * Distinct seeds give distinct generator states.
 */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`createRng: seed must be a safe integer, got ${seed}`);
  }
  const nextUint32 = sfc32(seed);
  const next = (): number => nextUint32() / TWO_POW_32;

  // Unbiased integer in [0, range) for 1 <= range <= 2^32: draws from the incomplete top block
  // of 2^32 % range values are rejected, so every result is exactly equally likely.
  const below = (range: number): number => {
    const limit = TWO_POW_32 - (TWO_POW_32 % range);
    let x = nextUint32();
    while (x >= limit) x = nextUint32();
    return x % range;
  };

  // The polar method produces normals in pairs; the second is kept for the next call.
  let spareNormal = 0;
  let hasSpareNormal = false;
  const standardNormal = (): number => {
    if (hasSpareNormal) {
      hasSpareNormal = false;
      return spareNormal;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * next() - 1;
      v = 2 * next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const scale = Math.sqrt((-2 * Math.log(s)) / s);
    spareNormal = v * scale;
    hasSpareNormal = true;
    return u * scale;
  };

  // Sequential search up the CDF: one uniform per draw. It ends because, for lambda < 30, the
  // summed CDF passes the largest possible u (1 - 2^-32) long before rounding error matters.
  const poissonByInversion = (lambda: number): number => {
    const u = next();
    let k = 0;
    let probability = Math.exp(-lambda);
    let cdf = probability;
    while (u >= cdf) {
      k++;
      probability *= lambda / k;
      cdf += probability;
    }
    return k;
  };

  // PTRS, the transformed rejection method with squeeze of W. Hörmann, "The transformed
  // rejection method for generating Poisson random variables" (1993). Exact, and needs a small
  // constant number of uniforms per draw however large lambda is.
  const poissonByTransformedRejection = (lambda: number): number => {
    const logLambda = Math.log(lambda);
    const b = 0.931 + 2.53 * Math.sqrt(lambda);
    const a = -0.059 + 0.02483 * b;
    const logInverseAlpha = Math.log(1.1239 + 1.1328 / (b - 3.4));
    const acceptBelow = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = next() - 0.5;
      const v = next();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= acceptBelow) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      const logDensityRatio = Math.log(v) + logInverseAlpha - Math.log(a / (us * us) + b);
      if (logDensityRatio <= -lambda + k * logLambda - logFactorial(k)) return k;
    }
  };

  return {
    next,

    int(minInclusive, maxExclusive) {
      if (!Number.isSafeInteger(minInclusive) || !Number.isSafeInteger(maxExclusive)) {
        throw new RangeError(
          `int: bounds must be safe integers, got [${minInclusive}, ${maxExclusive})`,
        );
      }
      const range = maxExclusive - minInclusive;
      if (range <= 0 || range > TWO_POW_32) {
        throw new RangeError(
          `int: need minInclusive < maxExclusive and at most 2^32 values, got [${minInclusive}, ${maxExclusive})`,
        );
      }
      return minInclusive + below(range);
    },

    pick(items) {
      if (items.length === 0) throw new RangeError('pick: items must not be empty');
      return items[below(items.length)] as (typeof items)[number];
    },

    pickWeighted(items, weights) {
      if (items.length === 0) throw new RangeError('pickWeighted: items must not be empty');
      if (weights.length !== items.length) {
        throw new RangeError(
          `pickWeighted: got ${weights.length} weights for ${items.length} items; they must match`,
        );
      }
      let total = 0;
      for (const weight of weights) {
        if (!(weight >= 0 && weight < Number.POSITIVE_INFINITY)) {
          throw new RangeError(`pickWeighted: weights must be finite and >= 0, got ${weight}`);
        }
        total += weight;
      }
      if (total === 0) throw new RangeError('pickWeighted: at least one weight must be positive');
      let remaining = next() * total;
      // Rounding can leave `remaining` just above the last weight; the last positive-weight item
      // is then the right answer, so it is remembered rather than falling off the end.
      let chosen = 0;
      for (let i = 0; i < weights.length; i++) {
        const weight = weights[i] as number;
        if (weight === 0) continue;
        chosen = i;
        if (remaining < weight) break;
        remaining -= weight;
      }
      return items[chosen] as (typeof items)[number];
    },

    bernoulli(p) {
      if (!(p >= 0 && p <= 1)) throw new RangeError(`bernoulli: p must be in [0, 1], got ${p}`);
      return next() < p;
    },

    normal(mean = 0, sd = 1) {
      if (!Number.isFinite(mean) || !(sd >= 0 && sd < Number.POSITIVE_INFINITY)) {
        throw new RangeError(
          `normal: mean must be finite and sd finite and >= 0, got mean ${mean}, sd ${sd}`,
        );
      }
      return mean + sd * standardNormal();
    },

    poisson(lambda) {
      if (!(lambda >= 0 && lambda < Number.POSITIVE_INFINITY)) {
        throw new RangeError(`poisson: lambda must be finite and >= 0, got ${lambda}`);
      }
      return lambda < POISSON_PTRS_MIN_LAMBDA
        ? poissonByInversion(lambda)
        : poissonByTransformedRejection(lambda);
    },

    exponential(rate) {
      if (!(rate > 0 && rate < Number.POSITIVE_INFINITY)) {
        throw new RangeError(`exponential: rate must be finite and > 0, got ${rate}`);
      }
      // 1 - next() lies in (0, 1], so the logarithm is always finite.
      return -Math.log(1 - next()) / rate;
    },
  };
}

/** sfc32 seeded from a safe integer; returns a function yielding uniform 32-bit unsigned ints. */
function sfc32(seed: number): () => number {
  // The low and high 32 bits of the seed each go through splitmix32 (a bijection), into
  // different state words, so distinct safe integers always give distinct states.
  const low = seed >>> 0;
  const high = Math.floor(seed / TWO_POW_32) >>> 0;
  // State words a, b, c and the counter. An Int32Array rather than closure variables: V8 boxes
  // 32-bit values that leave the small-integer range when they live in a closure, which made
  // every draw allocate and ran 2–3× slower.
  const state = Int32Array.of(
    splitmix32(low),
    splitmix32(low + GOLDEN_RATIO_32),
    splitmix32(high),
    1,
  );
  const step = (): number => {
    const a = state[0] as number;
    const b = state[1] as number;
    const c = state[2] as number;
    const counter = state[3] as number;
    const t = (a + b + counter) | 0;
    state[0] = b ^ (b >>> 9);
    state[1] = c + (c << 3);
    state[2] = ((c << 21) | (c >>> 11)) + t;
    state[3] = counter + 1;
    return t >>> 0;
  };
  // PractRand's author advises discarding the first outputs so the seed is fully mixed in.
  for (let i = 0; i < 15; i++) step();
  return step;
}

/** One splitmix32 output for the given state: an avalanche of `state + golden ratio`. */
function splitmix32(state: number): number {
  let z = (state + GOLDEN_RATIO_32) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** ln(k!) for a non-negative integer k: a table for small k, else the Stirling series. */
function logFactorial(k: number): number {
  if (k < LOG_FACTORIAL_TABLE_SIZE) return LOG_FACTORIALS[k] as number;
  // ln Γ(x) for x = k + 1 >= 11; the truncation error is below 1e-10.
  const x = k + 1;
  const inverse = 1 / x;
  const inverseSquared = inverse * inverse;
  return (
    (x - 0.5) * Math.log(x) -
    x +
    HALF_LOG_TWO_PI +
    inverse * (1 / 12 - inverseSquared * (1 / 360 - inverseSquared / 1260))
  );
}
