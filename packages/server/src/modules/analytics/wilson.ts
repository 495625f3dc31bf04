/**
 * The Wilson score interval for a binomial proportion (Wilson 1927; method 3 of Newcombe 1998,
 * "Two-sided confidence intervals for the single proportion"). Unlike the textbook p ± z·se it
 * stays within [0, 1] and keeps a sensible width at 0/n and n/n, which small score bands and
 * young cohorts hit all the time.
 */

/** z for a two-sided 95% interval: the 0.975 quantile of the standard normal. */
export const Z_95 = 1.959963984540054;

export interface Interval {
  readonly lower: number;
  readonly upper: number;
}

/**
 * The interval of `successes` out of `trials`; null when there are no trials (no rate to bound).
 *
 * @example
 * wilsonInterval(81, 263); // { lower: 0.2553…, upper: 0.3662… } (Newcombe 1998, Table I)
 */
export function wilsonInterval(successes: number, trials: number, z = Z_95): Interval | null {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || successes < 0) {
    throw new RangeError(`wilsonInterval: counts must be whole, got ${successes}/${trials}`);
  }
  if (successes > trials) {
    throw new RangeError(`wilsonInterval: ${successes} successes exceed ${trials} trials`);
  }
  if (trials === 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const halfWidth =
    (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  // At 0/n and n/n the bound is exactly 0 or 1 (the square root is then exactly the centre's
  // distance from it), which floating point misses by 1e-17.
  return {
    lower: successes === 0 ? 0 : centre - halfWidth,
    upper: successes === trials ? 1 : centre + halfWidth,
  };
}
