/** Conversion by score band: what a sales team sees when it sorts leads by their 0–100 score. */
import type { Labels } from '../matrix.js';
import { binIndex } from './binning.js';
import { checkLabels, checkSameLength, checkWithin, InvalidInputError } from './input-checks.js';

/** 0–9, 10–19, …, 80–89, 90–100. */
export const DEFAULT_SCORE_BAND_EDGES: readonly number[] = [
  0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100,
];

export interface ScoreBandOptions {
  /**
   * Ascending band edges: band k is [edges[k], edges[k+1]), the last band also holds its upper
   * edge. Defaults to {@link DEFAULT_SCORE_BAND_EDGES}; e.g. `[0, 40, 70, 100]` gives three bands.
   */
  readonly bands?: readonly number[];
}

export interface ScoreBand {
  /** Inclusive. */
  readonly lower: number;
  /** Exclusive, except for the last band. */
  readonly upper: number;
  readonly count: number;
  readonly converted: number;
  /** converted / count; null when no lead scored in the band. */
  readonly rate: number | null;
}

/**
 * Counts leads and conversions per score band. A well-ordered score converts more in each
 * band than in the one below.
 *
 * @throws InvalidInputError on a length mismatch, empty input, labels other than 0/1, edges
 *   that are not at least two strictly ascending finite numbers, or a score outside them.
 * @example
 * conversionByScoreBand(Uint8Array.of(0, 1, 1), [15, 72, 100], { bands: [0, 50, 100] });
 * // [{ lower: 0, upper: 50, count: 1, converted: 0, rate: 0 },
 * //  { lower: 50, upper: 100, count: 2, converted: 2, rate: 1 }]
 */
export function conversionByScoreBand(
  labels: Labels,
  scores: ArrayLike<number>,
  options: ScoreBandOptions = {},
): ScoreBand[] {
  const edges = options.bands ?? DEFAULT_SCORE_BAND_EDGES;
  checkEdges(edges);
  checkSameLength('conversionByScoreBand', labels, scores, 'scores');
  checkLabels('conversionByScoreBand', labels);
  const lowest = edges[0] as number;
  const highest = edges[edges.length - 1] as number;
  checkWithin('conversionByScoreBand', scores, 'scores', lowest, highest);
  const counts = new Float64Array(edges.length - 1);
  const converted = new Float64Array(edges.length - 1);
  for (let i = 0; i < labels.length; i++) {
    const band = binIndex(edges, scores[i] as number, 'lower');
    counts[band] = (counts[band] as number) + 1;
    converted[band] = (converted[band] as number) + (labels[i] as number);
  }
  return Array.from(counts, (count, band) => ({
    lower: edges[band] as number,
    upper: edges[band + 1] as number,
    count,
    converted: converted[band] as number,
    rate: count === 0 ? null : (converted[band] as number) / count,
  }));
}

function checkEdges(edges: readonly number[]): void {
  const ascending = edges.every(
    (edge, k) => Number.isFinite(edge) && (k === 0 || edge > (edges[k - 1] as number)),
  );
  if (edges.length < 2 || !ascending) {
    throw new InvalidInputError(
      `conversionByScoreBand: bands must be at least two strictly ascending finite edges, got [${edges.join(', ')}]`,
    );
  }
}
