/** The seeded draws of training: the stratified validation hold-out and per-tree subsamples. */
import type { Labels } from '../matrix.js';
import type { Rng } from '../random.js';
import { sampleSorted } from './bin-mapper.js';

export interface HoldOut {
  /** Ascending row indices to train on. */
  readonly train: Uint32Array;
  /** Ascending row indices held out for early stopping. */
  readonly validation: Uint32Array;
}

/**
 * Holds out `fraction` of each class (rounded, at least one row of each class stays in
 * training), so the validation base rate matches the training one.
 */
export function stratifiedHoldOut(labels: Labels, fraction: number, rng: Rng): HoldOut {
  const held = new Uint8Array(labels.length);
  for (let label = 0; label <= 1; label++) {
    const rows: number[] = [];
    for (let row = 0; row < labels.length; row++) if (labels[row] === label) rows.push(row);
    const take = Math.min(Math.round(fraction * rows.length), rows.length - 1);
    // Partial Fisher–Yates: the first `take` entries become a uniform sample.
    for (let k = 0; k < take; k++) {
      const swap = rng.int(k, rows.length);
      const picked = rows[swap] as number;
      rows[swap] = rows[k] as number;
      rows[k] = picked;
      held[picked] = 1;
    }
  }
  let heldCount = 0;
  for (let row = 0; row < held.length; row++) heldCount += held[row] as number;
  const train = new Uint32Array(labels.length - heldCount);
  const validation = new Uint32Array(heldCount);
  for (let row = 0, t = 0, v = 0; row < held.length; row++) {
    if (held[row] === 1) validation[v++] = row;
    else train[t++] = row;
  }
  return { train, validation };
}

/** `round(share × rows.length)` of `rows` (at least one), ascending. */
export function subsampleRows(rows: Uint32Array, share: number, rng: Rng): Uint32Array {
  return sampleSorted(rows, Math.max(1, Math.round(share * rows.length)), rng);
}

/** `round(share × featureCount)` feature indices (at least one), ascending. */
export function subsampleFeatures(featureCount: number, share: number, rng: Rng): Int32Array {
  const all = new Uint32Array(featureCount);
  for (let j = 0; j < featureCount; j++) all[j] = j;
  return Int32Array.from(subsampleRows(all, share, rng));
}
