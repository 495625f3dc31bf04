/**
 * The top reasons behind a score, in plain words: the features with the largest shares of
 * the score, raising it and lowering it.
 */
import type { Feature } from '../matrix.js';

export interface Reason {
  readonly feature: string;
  /** This feature's share of the score, in score points (signed). */
  readonly points: number;
  /** E.g. "Lead Source is Reference". */
  readonly text: string;
}

export interface Reasons {
  /** Largest positive shares first. */
  readonly positive: Reason[];
  /** Most negative shares first. */
  readonly negative: Reason[];
}

/** Shares smaller than this (in score points) explain nothing worth a line. */
const NEGLIGIBLE_POINTS = 0.05;

/**
 * The `k` features raising the score most and the `k` lowering it most.
 * `describe(j)` words feature j's value for this lead.
 *
 * @example
 * topReasons(explained.featureShares, (j) => describeValue(features[j], matrix.columns[j][row]), 3);
 */
export function topReasons(
  shares: ArrayLike<number>,
  features: readonly Feature[],
  describe: (featureIndex: number) => string,
  k: number,
): Reasons {
  const ranked = Array.from(shares, (points, index) => ({ points, index }))
    .filter(({ points }) => Math.abs(points) >= NEGLIGIBLE_POINTS)
    .sort((a, b) => b.points - a.points || a.index - b.index);
  const reason = ({ points, index }: { points: number; index: number }): Reason => ({
    feature: features[index]?.name ?? String(index),
    points: Math.round(points * 10) / 10,
    text: describe(index),
  });
  return {
    positive: ranked
      .filter((r) => r.points > 0)
      .slice(0, k)
      .map(reason),
    negative: ranked
      .filter((r) => r.points < 0)
      .reverse()
      .slice(0, k)
      .map(reason),
  };
}

/** A feature's value in words, for features read from a table ("Country is India"). */
export function describeValue(feature: Feature, value: number): string {
  if (Number.isNaN(value)) return `${feature.name} is not given`;
  if (feature.kind === 'categorical') {
    return `${feature.name} is ${feature.categories[value] ?? 'an unknown value'}`;
  }
  return `${feature.name} is ${formatNumber(value)}`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value)
    ? value.toLocaleString('en-US')
    : value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** A reason as one line with its points, e.g. "Lead Source is Reference (+12.3)". */
export function formatReason(reason: Reason): string {
  const sign = reason.points > 0 ? '+' : '';
  return `${reason.text} (${sign}${reason.points})`;
}
