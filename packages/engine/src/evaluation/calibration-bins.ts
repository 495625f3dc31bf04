/** The reliability table: predicted probability against observed conversion rate, per bin. */
import type { Labels } from '../matrix.js';
import { binIndex } from './binning.js';
import { checkLabelledValues, InvalidInputError } from './input-checks.js';

export interface CalibrationBinsOptions {
  /** How many bins; 10 by default. */
  readonly bins?: number;
  /**
   * `'uniform'` (default): equal-width bins over [0, 1]. `'quantile'`: edges at the quantiles of
   * the probabilities so bins hold about equal counts; edges that coincide (tied probabilities)
   * are merged, so there can be fewer bins than asked for.
   */
  readonly strategy?: 'uniform' | 'quantile';
}

export interface CalibrationBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  /** Mean predicted probability of the rows in the bin; null when the bin is empty. */
  readonly meanPredicted: number | null;
  /** Share of the bin's rows that converted; null when the bin is empty. */
  readonly observedRate: number | null;
}

/**
 * Groups rows by predicted probability and compares each bin's mean prediction with its
 * observed rate: a well-calibrated model has the two close in every bin. Bins follow
 * scikit-learn's `calibration_curve`: bin k covers (lower, upper], the first one also its lower
 * edge; quantile edges are numpy's linearly interpolated percentiles. Unlike scikit-learn,
 * empty bins are kept (with null means) so a chart shows where predictions never fall.
 *
 * @throws InvalidInputError on a length mismatch, empty input, labels other than 0/1, a
 *   probability outside [0, 1], or `bins` not a positive integer.
 * @example
 * calibrationBins(Uint8Array.of(0, 1, 1), [0.2, 0.7, 0.9], { bins: 2 });
 * // [{ lower: 0, upper: 0.5, count: 1, meanPredicted: 0.2, observedRate: 0 },
 * //  { lower: 0.5, upper: 1, count: 2, meanPredicted: 0.8, observedRate: 1 }]
 */
export function calibrationBins(
  labels: Labels,
  probabilities: ArrayLike<number>,
  options: CalibrationBinsOptions = {},
): CalibrationBin[] {
  const { bins = 10, strategy = 'uniform' } = options;
  checkLabelledValues('calibrationBins', labels, probabilities, 'probabilities');
  if (!Number.isSafeInteger(bins) || bins < 1) {
    throw new InvalidInputError(`calibrationBins: bins must be a positive integer, got ${bins}`);
  }
  const edges = strategy === 'uniform' ? uniformEdges(bins) : quantileEdges(probabilities, bins);
  const binCount = Math.max(edges.length - 1, 1);
  const counts = new Float64Array(binCount);
  const predictedSums = new Float64Array(binCount);
  const positiveSums = new Float64Array(binCount);
  for (let i = 0; i < labels.length; i++) {
    const p = probabilities[i] as number;
    const bin = binIndex(edges, p, 'upper');
    counts[bin] = (counts[bin] as number) + 1;
    predictedSums[bin] = (predictedSums[bin] as number) + p;
    positiveSums[bin] = (positiveSums[bin] as number) + (labels[i] as number);
  }
  return Array.from(counts, (count, bin) => ({
    lower: edges[bin] as number,
    // All probabilities equal under 'quantile' leaves one edge: a single point-sized bin.
    upper: edges[Math.min(bin + 1, edges.length - 1)] as number,
    count,
    meanPredicted: count === 0 ? null : (predictedSums[bin] as number) / count,
    observedRate: count === 0 ? null : (positiveSums[bin] as number) / count,
  }));
}

/** k · (1 / bins), as numpy's `linspace(0, 1, bins + 1)` computes them, ending exactly at 1. */
function uniformEdges(bins: number): Float64Array {
  const step = 1 / bins;
  const edges = Float64Array.from({ length: bins + 1 }, (_, k) => k * step);
  edges[bins] = 1;
  return edges;
}

/** numpy's default (linear) percentiles at k / bins, with coinciding edges merged. */
function quantileEdges(probabilities: ArrayLike<number>, bins: number): Float64Array {
  const sorted = Float64Array.from(probabilities).sort();
  const last = sorted.length - 1;
  const edges: number[] = [];
  for (let k = 0; k <= bins; k++) {
    const position = (k / bins) * last;
    const below = Math.floor(position);
    const lowValue = sorted[below] as number;
    const highValue = sorted[Math.min(below + 1, last)] as number;
    const edge = lowValue + (position - below) * (highValue - lowValue);
    if (edges.length === 0 || edge > (edges[edges.length - 1] as number)) edges.push(edge);
  }
  return Float64Array.from(edges);
}
