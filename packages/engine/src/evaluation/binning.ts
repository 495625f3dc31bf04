/** Assigning values to bins given ascending edges, for the calibration and score-band tables. */

/**
 * Which closed end a bin's boundary belongs to: `'upper'` makes bins (lower, upper] as
 * scikit-learn's `calibration_curve` does; `'lower'` makes them [lower, upper) like score bands
 * 0–9, 10–19. Either way the outermost edges are inside the first and last bins, so every
 * value in [edges[0], edges[last]] lands somewhere.
 */
export type ClosedSide = 'lower' | 'upper';

/** The bin index of `value` among `edges.length - 1` bins, by binary search over the edges. */
export function binIndex(edges: ArrayLike<number>, value: number, closed: ClosedSide): number {
  // Counts the inner edges (1 … length − 2) that `value` has passed.
  let low = 1;
  let high = edges.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const edge = edges[middle] as number;
    const passed = closed === 'upper' ? edge < value : edge <= value;
    if (passed) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}
