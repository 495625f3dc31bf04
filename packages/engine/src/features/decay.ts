/**
 * Exponentially decayed counts, Σ 2^(-(asOf - t) / halfLife) over a type's activities, kept so
 * that they can be updated one activity at a time, in any order, and still equal the batch sum
 * to the last bit.
 *
 * Time is measured in half-lives, u = t / halfLife, and cut into blocks of 256 half-lives. An
 * activity adds 2^(u - 256·block) to its block's exact sum (see exact-sum.ts); that weight lies
 * in [1, 2^256), depends only on the activity, and is never rescaled, so each block's sum is the
 * same whatever the arrival order. Reading multiplies each block's sum by 2^(256·block - asOf/h).
 * Only the newest two blocks are kept: activities more than 256 half-lives older than the newest
 * one weigh less than 2^-256 and are forgotten, by the batch and the incremental path alike.
 */
import { addExact, roundExact } from './exact-sum.js';

export interface DecayBlock {
  /** Index of the block: floor(u / 256), u the time in half-lives. */
  readonly block: number;
  /** Exact sum (see exact-sum.ts) of 2^(u - 256·block) over the block's activities. */
  readonly partials: number[];
}

const BLOCK_HALF_LIVES = 256;
const KEPT_BLOCKS = 2;

/** Adds one activity at `timestamp` to `blocks` (sorted by block, oldest first), in place. */
export function addDecayedEvent(blocks: DecayBlock[], timestamp: number, halfLifeMs: number): void {
  const u = timestamp / halfLifeMs;
  const whole = Math.floor(u);
  const block = Math.floor(whole / BLOCK_HALF_LIVES);
  const newest = blocks[blocks.length - 1]?.block ?? block;
  if (block <= newest - KEPT_BLOCKS) return;
  // 2^(u - 256·block) split as 2^(fractional part) · 2^(integer part): the second factor is an
  // exact power of two, so the weight is one rounding away from exact and the same every time.
  const weight = 2 ** (u - whole) * powerOfTwo(whole - block * BLOCK_HALF_LIVES);
  let target = blocks.find((candidate) => candidate.block === block);
  if (!target) {
    target = { block, partials: [] };
    blocks.push(target);
    blocks.sort((a, b) => a.block - b.block);
    while (blocks.length > KEPT_BLOCKS) blocks.shift();
  }
  addExact(target.partials, weight);
}

/** The decayed count as of `asOf`, which must not precede any activity added. */
export function decayedCount(
  blocks: readonly DecayBlock[],
  asOf: number,
  halfLifeMs: number,
): number {
  const u = asOf / halfLifeMs;
  const whole = Math.floor(u);
  const fractionalDecay = 2 ** -(u - whole);
  let total = 0;
  for (const { block, partials } of blocks) {
    total += roundExact(partials) * fractionalDecay * powerOfTwo(block * BLOCK_HALF_LIVES - whole);
  }
  return total;
}

const bits = new DataView(new ArrayBuffer(8));

/**
 * 2^exponent for an integer exponent, built from its bit pattern because `Math.pow` is only
 * required to approximate. Below the subnormal range it is 0, above the double range Infinity.
 */
export function powerOfTwo(exponent: number): number {
  if (exponent > 1023) return Number.POSITIVE_INFINITY;
  if (exponent < -1074) return 0;
  // A subnormal power of two is exactly representable, so this product does not round.
  if (exponent < -1022) return powerOfTwo(exponent + 1022) * powerOfTwo(-1022);
  bits.setUint32(0, (exponent + 1023) << 20);
  bits.setUint32(4, 0);
  return bits.getFloat64(0);
}
