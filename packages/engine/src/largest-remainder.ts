/**
 * Rounds real parts to integers that add up to a given integer total, by the largest-remainder
 * method: every part is floored, and the units still missing go to the parts with the largest
 * fractions (ties to the earlier part). When the total is the rounded sum of the parts, every
 * integer lies within 1 of its real part.
 *
 * @example
 * roundToTotal([33.4, 33.3, 33.3], 100); // [34, 33, 33]
 */
export function roundToTotal(parts: readonly number[], total: number): number[] {
  // `+ 0` turns a -0 (from a part of -0) into 0.
  const rounded = parts.map((part) => Math.floor(part) + 0);
  const byFraction = parts
    .map((part, i) => ({ i, fraction: part - Math.floor(part) }))
    .sort((a, b) => b.fraction - a.fraction || a.i - b.i);
  let missing = total - rounded.reduce((sum, part) => sum + part, 0);
  // Rounding noise can leave the floors a unit over the total; then the smallest fractions give.
  for (let k = 0; missing !== 0 && byFraction.length > 0; k++) {
    const step = missing > 0 ? 1 : -1;
    const pick =
      step > 0 ? byFraction[k % byFraction.length] : byFraction.at(-1 - (k % byFraction.length));
    const i = (pick as { i: number }).i;
    rounded[i] = (rounded[i] as number) + step;
    missing -= step;
  }
  return rounded;
}
