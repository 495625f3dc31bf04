/**
 * Rows sorted by score, highest first, walked one group of tied scores at a time: the ranking
 * metrics and the lift table treat tied rows as one indivisible step, because a model that
 * gives two rows the same score has said nothing about their order.
 */
import type { Labels } from '../matrix.js';

/** A run of rows with equal scores, as positions `start … end - 1` of the descending order. */
export interface TieGroup {
  readonly start: number;
  readonly end: number;
  readonly positives: number;
}

/** Row indices by descending score; equal scores keep ascending row order, so it is stable. */
export function orderByDescendingScore(scores: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
}

/** The tie groups of `scores` from the highest score down, with the positives in each. */
export function tieGroups(labels: Labels, scores: ArrayLike<number>): TieGroup[] {
  const order = orderByDescendingScore(scores);
  const groups: TieGroup[] = [];
  let start = 0;
  while (start < order.length) {
    const score = scores[order[start] as number] as number;
    let end = start;
    let positives = 0;
    while (end < order.length && scores[order[end] as number] === score) {
      positives += labels[order[end] as number] as number;
      end++;
    }
    groups.push({ start, end, positives });
    start = end;
  }
  return groups;
}
