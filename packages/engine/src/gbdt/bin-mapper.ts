/**
 * Turns raw feature values into one-byte bin codes, the form the trainer works on. Numeric
 * features get up to `maxBins` quantile bins whose upper edges become the trees' raw
 * thresholds; categorical features use their codes as bins. NaN always lands in
 * {@link MISSING_BIN}.
 */
import type { FeatureMatrix } from '../matrix.js';
import type { Rng } from '../random.js';
import { GbdtInputError } from './errors.js';
import { MAX_BINS } from './options.js';

/** The bin code of a missing (NaN) value, for every feature. */
export const MISSING_BIN = MAX_BINS;

/** Bin edges are estimated from at most this many rows: quantiles barely move beyond it. */
export const BINNING_SAMPLE_ROWS = 200_000;

export interface BinMapper {
  /**
   * Per numeric feature, the ascending upper edges of its bins but the last: a value x falls in
   * bin b = #{edges < x}, so `bin <= b` exactly when `x <= edges[b]`. `null` for a categorical
   * feature, whose codes are its bins.
   */
  readonly edges: readonly (Float64Array | null)[];
  /** Per feature, how many non-missing bins it has. */
  readonly binCounts: Int32Array;
}

/**
 * Learns bin edges from the rows at `fitRows` (a sample of them when there are more than
 * {@link BINNING_SAMPLE_ROWS}). Categorical codes are checked here, once, for every row.
 */
export function fitBinMapper(
  matrix: FeatureMatrix,
  fitRows: Uint32Array,
  maxBins: number,
  rng: Rng,
): BinMapper {
  const sampleRows = sampleSorted(fitRows, BINNING_SAMPLE_ROWS, rng);
  const edges: (Float64Array | null)[] = [];
  const binCounts = new Int32Array(matrix.features.length);
  matrix.features.forEach((feature, j) => {
    const column = matrix.columns[j] as Float64Array;
    if (feature.kind === 'categorical') {
      if (feature.categories.length > maxBins) {
        throw new GbdtInputError(
          `trainGbdt: categorical feature "${feature.name}" has ${feature.categories.length} categories; at most maxBins (${maxBins}) are supported`,
        );
      }
      checkCategoryCodes(feature.name, column, feature.categories.length);
      edges.push(null);
      binCounts[j] = Math.max(1, feature.categories.length);
      return;
    }
    const featureEdges = quantileEdges(column, sampleRows, maxBins);
    edges.push(featureEdges);
    binCounts[j] = featureEdges.length + 1;
  });
  return { edges, binCounts };
}

/** Bin codes of every row of a matrix, row-major so that one row's codes share a cache line. */
export interface BinnedRows {
  /** `bins[row * stride + feature]`; the bytes past the last feature of a row are padding. */
  readonly bins: Uint8Array;
  /** Bytes per row: the feature count rounded up to a multiple of 16, so rows move as words. */
  readonly stride: number;
}

/** The bytes a row of `featureCount` bin codes takes in {@link BinnedRows}. */
export function binRowStride(featureCount: number): number {
  return Math.ceil(featureCount / 16) * 16;
}

// Rows binned feature by feature before moving on: their slice of the bin matrix stays in
// cache across all features instead of being streamed through once per feature.
const BINNING_BLOCK_ROWS = 4096;

/** Bins every row of `matrix`; `shared`: into a SharedArrayBuffer, for worker threads. */
export function binMatrix(matrix: FeatureMatrix, mapper: BinMapper, shared = false): BinnedRows {
  const featureCount = matrix.features.length;
  const stride = binRowStride(featureCount);
  const bytes = matrix.rows * stride;
  const bins = new Uint8Array(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const padded = mapper.edges.map((edges) => (edges ? paddedEdges(edges) : null));
  for (let start = 0; start < matrix.rows; start += BINNING_BLOCK_ROWS) {
    const end = Math.min(matrix.rows, start + BINNING_BLOCK_ROWS);
    for (let j = 0; j < featureCount; j++) {
      const column = matrix.columns[j] as Float64Array;
      const edges = padded[j];
      if (edges === null || edges === undefined) {
        binCategoricalColumn(column, start, end, bins, j, stride);
      } else {
        binNumericColumn(column, start, end, edges, bins, j, stride);
      }
    }
  }
  return { bins, stride };
}

/**
 * The edges padded with +Infinity to 256, so that the search in {@link binNumericColumn} takes
 * exactly eight halving steps and no branch: a branchy binary search mispredicts about every
 * other step, which made binning several times slower.
 */
function paddedEdges(edges: Float64Array): Float64Array {
  const padded = new Float64Array(MISSING_BIN + 1).fill(Number.POSITIVE_INFINITY);
  padded.set(edges);
  return padded;
}

function binNumericColumn(
  column: Float64Array,
  start: number,
  end: number,
  padded: Float64Array,
  bins: Uint8Array,
  feature: number,
  stride: number,
): void {
  for (let i = start, out = start * stride + feature; i < end; i++, out += stride) {
    const x = column[i] as number;
    if (Number.isNaN(x)) {
      bins[out] = MISSING_BIN;
      continue;
    }
    // The number of edges strictly below x.
    let below = 0;
    for (let step = 128; step >= 1; step >>>= 1) {
      below += +((padded[below + step - 1] as number) < x) * step;
    }
    bins[out] = below;
  }
}

function binCategoricalColumn(
  column: Float64Array,
  start: number,
  end: number,
  bins: Uint8Array,
  feature: number,
  stride: number,
): void {
  for (let i = start, out = start * stride + feature; i < end; i++, out += stride) {
    const x = column[i] as number;
    bins[out] = Number.isNaN(x) ? MISSING_BIN : x;
  }
}

function checkCategoryCodes(name: string, column: Float64Array, categoryCount: number): void {
  for (let i = 0; i < column.length; i++) {
    const x = column[i] as number;
    if (Number.isNaN(x)) continue;
    if (!Number.isInteger(x) || x < 0 || x >= categoryCount) {
      throw new GbdtInputError(
        `trainGbdt: categorical feature "${name}" has code ${x} at row ${i}; codes must be integers in [0, ${categoryCount - 1}] or NaN`,
      );
    }
  }
}

/**
 * Upper bin edges for one numeric column: midpoints between neighbouring distinct values when
 * there are at most `maxBins` of them, else `maxBins` quantiles. Edges are kept finite so that
 * they survive JSON; clamping cannot break the bin ↔ threshold agreement, which only needs
 * the same edges on both sides.
 */
function quantileEdges(column: Float64Array, rows: Uint32Array, maxBins: number): Float64Array {
  const values = new Float64Array(rows.length);
  let count = 0;
  for (let k = 0; k < rows.length; k++) {
    const x = column[rows[k] as number] as number;
    if (!Number.isNaN(x)) values[count++] = x;
  }
  const sorted = values.subarray(0, count).sort();
  const distinct = distinctValuesUpTo(sorted, maxBins);
  const raw: number[] = [];
  if (distinct !== null) {
    for (let k = 1; k < distinct.length; k++) {
      raw.push(midpoint(distinct[k - 1] as number, distinct[k] as number));
    }
  } else {
    for (let k = 1; k < maxBins; k++) raw.push(quantile(sorted, k / maxBins));
  }
  const edges: number[] = [];
  for (const edge of raw) {
    const finite = Math.min(Math.max(edge, -Number.MAX_VALUE), Number.MAX_VALUE);
    if (edges.length === 0 || finite > (edges[edges.length - 1] as number)) edges.push(finite);
  }
  return Float64Array.from(edges);
}

/** The distinct values of an ascending array, or `null` as soon as there are more than `limit`. */
function distinctValuesUpTo(sorted: Float64Array, limit: number): number[] | null {
  const distinct: number[] = [];
  for (let k = 0; k < sorted.length; k++) {
    const x = sorted[k] as number;
    if (distinct.length > 0 && x === distinct[distinct.length - 1]) continue;
    if (distinct.length === limit) return null;
    distinct.push(x);
  }
  return distinct;
}

function midpoint(a: number, b: number): number {
  // a / 2 + b / 2 cannot overflow where (a + b) / 2 can.
  return a / 2 + b / 2;
}

/** Linear-interpolation quantile (numpy's default) of ascending values. */
function quantile(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const low = sorted[below] as number;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] as number;
  return low + (position - below) * (high - low);
}

/**
 * A new ascending array of `count` entries of `rows` (all of them if there are fewer), by
 * selection sampling: one pass, no sort, every subset equally likely.
 */
export function sampleSorted(rows: Uint32Array, count: number, rng: Rng): Uint32Array {
  if (rows.length <= count) return rows.slice();
  const sample = new Uint32Array(count);
  let taken = 0;
  for (let k = 0; k < rows.length && taken < count; k++) {
    if (rng.next() * (rows.length - k) < count - taken) sample[taken++] = rows[k] as number;
  }
  return sample;
}
