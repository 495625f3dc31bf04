/**
 * Score drift as the population stability index (PSI) between two distributions of scores over
 * the same bands: Σ (aᵢ − eᵢ) · ln(aᵢ / eᵢ), with eᵢ the expected (training) share of band i and
 * aᵢ the actual (live) share. The usual reading, from credit scoring (Siddiqi, "Credit Risk
 * Scorecards", 2006): below 0.1 the population is stable, 0.1 to 0.2 it has shifted moderately,
 * 0.2 or more it has shifted enough that the model's numbers should not be trusted unchecked.
 */

export const PSI_MODERATE = 0.1;
export const PSI_SIGNIFICANT = 0.2;

/**
 * Added to every band's count on both sides before shares are taken, so that a band empty on
 * one side (common at the top of a score range) weighs as half a lead, not as an infinite index.
 */
export const PSI_PSEUDO_COUNT = 0.5;

export type DriftLevel = 'stable' | 'moderate' | 'significant';

/** The PSI of two count vectors over the same bands; null when either side is empty. */
export function populationStabilityIndex(
  expected: readonly number[],
  actual: readonly number[],
): number | null {
  if (expected.length !== actual.length || expected.length === 0) {
    throw new RangeError(
      `populationStabilityIndex: ${expected.length} expected bands against ${actual.length} actual`,
    );
  }
  const expectedShares = shares(expected);
  const actualShares = shares(actual);
  if (!expectedShares || !actualShares) return null;
  return expectedShares.reduce((sum, e, band) => {
    const a = actualShares[band] as number;
    return sum + (a - e) * Math.log(a / e);
  }, 0);
}

export function driftLevel(psi: number): DriftLevel {
  if (psi >= PSI_SIGNIFICANT) return 'significant';
  return psi >= PSI_MODERATE ? 'moderate' : 'stable';
}

function shares(counts: readonly number[]): number[] | null {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const smoothed = total + PSI_PSEUDO_COUNT * counts.length;
  return counts.map((count) => (count + PSI_PSEUDO_COUNT) / smoothed);
}
