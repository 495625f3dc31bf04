/**
 * Exact floating-point summation: a running sum kept as a list of non-overlapping partials
 * whose (real-number) total is exactly the sum of everything added, and a correctly rounded
 * read-out. Because the read-out depends only on the exact total, the same values added in any
 * order give the same double, which is what lets incremental features equal batch features.
 * This is Shewchuk's expansion arithmetic, as in Python's `math.fsum`.
 */

/**
 * Adds `value` to the partials in place. The partials stay sorted by increasing magnitude and
 * non-overlapping, so their count is bounded by the exponent range covered, not by the number
 * of values added.
 */
export function addExact(partials: number[], value: number): void {
  let x = value;
  let kept = 0;
  for (let j = 0; j < partials.length; j++) {
    let y = partials[j] as number;
    if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
    const hi = x + y;
    const lo = y - (hi - x);
    if (lo !== 0) partials[kept++] = lo;
    x = hi;
  }
  partials.length = kept;
  partials.push(x);
}

/** The exact total of the partials, rounded once to the nearest double (ties to even). */
export function roundExact(partials: readonly number[]): number {
  let n = partials.length;
  if (n === 0) return 0;
  n--;
  let hi = partials[n] as number;
  let lo = 0;
  while (n > 0) {
    const x = hi;
    n--;
    const y = partials[n] as number;
    hi = x + y;
    lo = y - (hi - x);
    if (lo !== 0) break;
  }
  // `hi + lo` is exact but `hi` alone may have rounded the wrong way at a tie: if what lies below
  // (`lo` and the next partial) pushes the same way, the half-way case resolves away from `hi`.
  const below = n > 0 ? (partials[n - 1] as number) : 0;
  if ((lo < 0 && below < 0) || (lo > 0 && below > 0)) {
    const twice = lo * 2;
    const moved = hi + twice;
    if (moved - hi === twice) hi = moved;
  }
  return hi;
}
