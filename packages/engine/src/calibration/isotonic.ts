/**
 * Isotonic calibration: the non-decreasing step function of the log-odds that fits the labels
 * best in squared error, found by pool-adjacent-violators, then read by linear interpolation
 * between the ends of its steps: scikit-learn's `IsotonicRegression(out_of_bounds='clip')`,
 * which `CalibratedClassifierCV(method='isotonic')` uses.
 */
import { countByDistinctValue } from '../evaluation/distinct-values.js';
import type { Labels } from '../matrix.js';

/**
 * The interpolation knots: `x` strictly increasing log-odds, `y` the non-decreasing
 * probabilities at them. Each step of the fitted function keeps its first and last x, so the
 * map is flat along a step and linear between steps.
 */
export interface IsotonicPoints {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

interface Block {
  weight: number;
  weightedSum: number;
  firstX: number;
  lastX: number;
}

/**
 * Fits the isotonic map of labels on log-odds. Rows with equal log-odds are pooled first (their
 * mean label, weighted by count), as scikit-learn does. Inputs must be checked by the caller.
 */
export function fitIsotonic(logOdds: ArrayLike<number>, labels: Labels): IsotonicPoints {
  const ties = countByDistinctValue(labels, logOdds);
  const blocks: Block[] = [];
  ties.values.forEach((x, k) => {
    blocks.push({
      weight: ties.rows[k] as number,
      weightedSum: ties.positives[k] as number,
      firstX: x,
      lastX: x,
    });
    poolViolators(blocks);
  });
  return knots(blocks);
}

/**
 * Merges the newest block into its predecessors while they do not rise. Pooling equal means as
 * well leaves neighbouring blocks strictly increasing, so no knot is redundant.
 */
function poolViolators(blocks: Block[]): void {
  for (;;) {
    const current = blocks[blocks.length - 1];
    const previous = blocks[blocks.length - 2];
    if (current === undefined || previous === undefined) return;
    if (previous.weightedSum / previous.weight < current.weightedSum / current.weight) return;
    previous.weight += current.weight;
    previous.weightedSum += current.weightedSum;
    previous.lastX = current.lastX;
    blocks.pop();
  }
}

function knots(blocks: readonly Block[]): IsotonicPoints {
  const x: number[] = [];
  const y: number[] = [];
  for (const block of blocks) {
    const value = block.weightedSum / block.weight;
    x.push(block.firstX);
    y.push(value);
    if (block.lastX !== block.firstX) {
      x.push(block.lastX);
      y.push(value);
    }
  }
  return { x: Float64Array.from(x), y: Float64Array.from(y) };
}

/** The fitted map at `logOdds`: linear between knots, constant beyond the first and last. */
export function interpolateIsotonic(points: IsotonicPoints, logOdds: number): number {
  const { x, y } = points;
  const last = x.length - 1;
  if (logOdds <= (x[0] as number)) return y[0] as number;
  if (logOdds >= (x[last] as number)) return y[last] as number;
  // The knot interval [x[low], x[low + 1]) holding logOdds.
  let low = 0;
  let high = last;
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    if ((x[middle] as number) <= logOdds) low = middle;
    else high = middle;
  }
  const x0 = x[low] as number;
  const y0 = y[low] as number;
  const share = (logOdds - x0) / ((x[high] as number) - x0);
  return y0 + share * ((y[high] as number) - y0);
}
